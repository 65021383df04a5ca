"""Excel workbook output (``--format xlsx -o FILE``): one sheet per level of detail.

``respondents``: one row per answer file (and per invalid file, with its error); with ``--group-by``
also ``partnerships``: one row per partnership. Scores are numbers shown with one decimal, levels
and every text from a file are text cells: a name starting with ``=`` stays a name, never a formula,
and control characters a workbook cannot hold, would read back as a line break (a carriage return)
or that a terminal would run (DEL, C1) are written as ``\\x1b`` (``rows.shown_controls``, as in CSV).
The header row is frozen and columns have widths that fit their header and typical content.

Rows are streamed into openpyxl's write-only workbook, which keeps them in temporary files, so
memory stays flat however many files are scored. The workbook carries no trace of the clock (see
:mod:`slp_assess.xlsxsave`): the same files give the same bytes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import IO, Any, TextIO

from slp_assess.models.report import PartnershipScore
from slp_assess.models.results import FileError, ScoreResult
from slp_assess.output.interface import EncodedRecord, Record, ScoreFormat
from slp_assess.output.rows import BASE_COLUMNS, record_row, shown_controls
from slp_assess.rounding import shown
from slp_assess.xlsxsave import save_workbook

SCORE_FORMAT = "0.0"
# Widths in characters: enough for the header and a typical value; long names wrap nothing, they run on.
_WIDTHS = {"file": 40, "questionnaire": 16, "version": 8, "partnership": 28, "respondent": 22, "organisation": 24,
           "role": 10, "date": 11, "overall_score": 13, "overall_level": 13, "blockers": 30}
_FACTOR_WIDTH = 12
_ERROR_WIDTH = 50


class XlsxFormat(ScoreFormat):
    """Streams records into a write-only workbook and saves it to a binary file.

    Attributes:
        factor_ids: the factor columns, in order (see ``rows.factor_columns``).
        grouped: ``--group-by`` is on: partnership rows go to their own sheet.
    """

    binary = True

    def __init__(self, factor_ids: Sequence[str], grouped: bool = False) -> None:
        self.factor_ids = list(factor_ids)
        self.grouped = grouped

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """A workbook is binary: it is written with ``write_binary`` to a file."""
        raise TypeError("xlsx is written with write_binary")

    def write_binary(self, records: Iterable[Record], handle: IO[bytes]) -> None:
        """Write the workbook to ``handle`` (a seekable binary file)."""
        # The first record first: scoring starts its worker processes then, and they need not carry
        # openpyxl, which is imported only now (the other formats never load it).
        records = iter(records)
        first = next(records, None)
        from openpyxl import Workbook  # type: ignore[import-untyped]
        from openpyxl.styles import Font  # type: ignore[import-untyped]

        workbook = Workbook(write_only=True)
        self._header_font = Font(bold=True)
        respondents = self._sheet(workbook, "respondents")
        partnerships = self._sheet(workbook, "partnerships") if self.grouped else None
        for record in itertools.chain([first] if first is not None else [], records):
            assert not isinstance(record, EncodedRecord)  # the format does not accept them
            sheet = partnerships if partnerships is not None and isinstance(record, PartnershipScore) else respondents
            sheet.append(self._cells(sheet, record))
        save_workbook(workbook, handle)

    def _sheet(self, workbook: Any, title: str) -> Any:
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

        sheet = workbook.create_sheet(title)
        columns = [*BASE_COLUMNS, *self.factor_ids, "error"]
        for index, name in enumerate(columns, start=1):
            width = _WIDTHS.get(name, _ERROR_WIDTH if name == "error" else _FACTOR_WIDTH)
            sheet.column_dimensions[get_column_letter(index)].width = max(width, min(len(name) + 2, 40))
        sheet.freeze_panes = "A2"
        sheet.append([self._text(sheet, name, bold=True) for name in columns])
        return sheet

    def _text(self, sheet: Any, value: str | None, bold: bool = False) -> Any:
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

        if value is None or value == "":
            return None
        cell = WriteOnlyCell(sheet, value=shown_controls(value))
        # openpyxl takes a text starting with "=" for a formula and "#N/A" for an error: text it is.
        cell.data_type = "s"
        if bold:
            cell.font = self._header_font
        return cell

    def _number(self, sheet: Any, value: float | None) -> Any:
        from openpyxl.cell import WriteOnlyCell

        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=shown(value))
        cell.number_format = SCORE_FORMAT
        return cell

    def _cells(self, sheet: Any, record: ScoreResult | FileError) -> list[Any]:
        row = record_row(record, self.factor_ids)
        return [
            *(self._text(sheet, text) for text in row.texts), self._number(sheet, row.overall),
            self._text(sheet, row.level), self._text(sheet, row.blockers),
            *(self._number(sheet, score) for score in row.factors), self._text(sheet, row.error),
        ]
