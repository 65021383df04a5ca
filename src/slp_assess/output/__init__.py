"""Output formats of ``slp score``: one class per format behind one interface."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from slp_assess.loading import QuestionnaireCatalog
    from slp_assess.output.interface import ScoreFormat


class GroupBy(StrEnum):
    """The ``--group-by`` values of ``slp score``."""

    PARTNERSHIP = "partnership"


class CsvDialect(StrEnum):
    """The ``--csv-dialect`` values of ``slp score``: RFC 4180, or what German Excel opens directly."""

    RFC4180 = "rfc4180"
    EXCEL_DE = "excel-de"


class ScoreFormatChoice(StrEnum):
    """The ``--format`` values of ``slp score``."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    XLSX = "xlsx"

    def to_format(
        self, lang: str, catalog: QuestionnaireCatalog, csv_raw: bool = False, csv_dialect: CsvDialect | None = None,
        grouped: bool = False, files: Sequence[str] | None = None,
    ) -> ScoreFormat:
        """The formatter for this choice; imported lazily so `json` never loads rich or openpyxl.

        ``csv_raw`` writes CSV text cells as they are, without neutralising formulas; ``grouped``
        (``--group-by``) gives the workbook a sheet of partnerships besides the respondents'; ``files``
        are the files to be scored, whose questionnaires make the spreadsheet columns.
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
                from slp_assess.output.rows import factor_columns

                return CsvFormat(raw=csv_raw, dialect=csv_dialect or CsvDialect.RFC4180, factor_ids=factor_columns(catalog, files))
            case ScoreFormatChoice.XLSX:
                from slp_assess.output.rows import factor_columns
                from slp_assess.output.xlsxfmt import XlsxFormat

                return XlsxFormat(factor_columns(catalog, files), grouped)
