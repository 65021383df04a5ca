"""Output formats of ``slp score``: one class per format behind one interface."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slp_assess.loading import QuestionnaireCatalog
    from slp_assess.output.interface import ScoreFormat


class GroupBy(StrEnum):
    """The ``--group-by`` values of ``slp score``."""

    PARTNERSHIP = "partnership"


class ScoreFormatChoice(StrEnum):
    """The ``--format`` values of ``slp score``."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"

    def to_format(self, lang: str, catalog: QuestionnaireCatalog, csv_raw: bool = False) -> ScoreFormat:
        """The formatter for this choice; imported lazily so `json` never loads rich.

        ``csv_raw`` writes CSV text cells as they are, without neutralising formulas.
        """
        match self:
            case ScoreFormatChoice.TABLE:
                from slp_assess.output.table import TableFormat

                return TableFormat(lang, catalog)
            case ScoreFormatChoice.JSON:
                from slp_assess.output.jsonfmt import JsonFormat

                return JsonFormat()
            case ScoreFormatChoice.JSONL:
                from slp_assess.output.jsonfmt import JsonLinesFormat

                return JsonLinesFormat()
            case ScoreFormatChoice.CSV:
                from slp_assess.output.csvfmt import CsvFormat

                return CsvFormat(raw=csv_raw)
