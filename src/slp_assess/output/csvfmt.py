"""CSV output: one row per file, one column per factor, written as the files are scored.

Two dialects: ``rfc4180`` (comma, decimal point, ``\\n``; for programs and English-language
spreadsheets) and ``excel-de`` (semicolon, decimal comma, ``\\r\\n``, a UTF-8 byte order mark; what
German Excel opens with a double click, umlauts intact).

Text cells a spreadsheet would run as a formula are neutralised (OWASP, "CSV Injection"): a cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``. Control
characters in a text cell (an escape sequence a terminal showing the file would run, a NUL that ends
the cell for some spreadsheets, a carriage return read back as a line break) are written as ``\\x1b``,
as the workbook writes them; tab and line feed stay, inside quotes. The numbers we format are never
touched. ``raw`` turns both off for programs that read the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from slp_assess.output import CsvDialect
from slp_assess.output.interface import EncodedRecord, Record, ScoreFormat
from slp_assess.output.rows import BASE_COLUMNS, record_row, shown_controls
from slp_assess.rounding import shown

__all__ = ["BASE_COLUMNS", "FORMULA_STARTS", "CsvDialect", "CsvFormat", "csv_line", "neutralise", "number"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class _Shape:
    separator: str
    decimal: str
    newline: str
    start: str  # written before the header

    @property
    def needs_quotes(self) -> frozenset[str]:
        return frozenset(self.separator + '"\r\n')


_SHAPES = {
    CsvDialect.RFC4180: _Shape(",", ".", "\n", ""),
    # The byte order mark is how Excel tells UTF-8 from the Windows code page.
    CsvDialect.EXCEL_DE: _Shape(";", ",", "\r\n", "\ufeff"),
}


def number(value: float | None, decimal: str = ".") -> str:
    """Scores with one decimal (rounded as everywhere), empty for no data."""
    return "" if value is None else f"{shown(value):.1f}".replace(".", decimal)


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet evaluates: a leading ``'`` before a formula character."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_line(cells: Sequence[str], dialect: CsvDialect = CsvDialect.RFC4180) -> str:
    """One CSV row ending in the dialect's newline, quoted as RFC 4180 says.

    Written here rather than with the csv module, which leaves a lone carriage return unquoted when
    rows end in ``\n``: a reader would then split the row in two.
    """
    shape = _SHAPES[dialect]
    quote = shape.needs_quotes
    return shape.separator.join(
        '"' + cell.replace('"', '""') + '"' if quote.intersection(cell) else cell for cell in cells
    ) + shape.newline


class CsvFormat(ScoreFormat):
    """Writes the header from the factor columns, then one row per record as it arrives.

    Attributes:
        raw: write text cells as they are (no formula neutralising).
        dialect: separators, decimal mark and encoding details.
        factor_ids: the factor columns, in order (see ``rows.factor_columns``).
    """

    def __init__(self, raw: bool = False, dialect: CsvDialect = CsvDialect.RFC4180, factor_ids: Sequence[str] = ()) -> None:
        self.raw = raw
        self.dialect = dialect
        self.factor_ids = list(factor_ids)

    def _text(self, value: str | None) -> str:
        return (value or "") if self.raw else neutralise(shown_controls(value or ""))

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Write a header and one row per record."""
        shape = _SHAPES[self.dialect]
        stream.write(shape.start + csv_line([*BASE_COLUMNS, *map(self._text, self.factor_ids), "error"], self.dialect))
        for record in records:
            assert not isinstance(record, EncodedRecord)  # the format does not accept them
            row = record_row(record, self.factor_ids)
            stream.write(csv_line([
                *map(self._text, row.texts), number(row.overall, shape.decimal), self._text(row.level), self._text(row.blockers),
                *(number(score, shape.decimal) for score in row.factors), self._text(row.error),
            ], self.dialect))
