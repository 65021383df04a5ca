"""CSV output: one row per file, one column per factor.

Text cells a spreadsheet would run as a formula are neutralised (OWASP, "CSV Injection"): a cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``. The
numbers we format are never touched. ``raw`` turns this off for programs that read the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

from slp_assess.models.results import FileError, ScoreResult
from slp_assess.output.interface import Record, ScoreFormat
from slp_assess.rounding import shown

BASE_COLUMNS = [
    "file", "questionnaire", "version", "partnership", "respondent", "organisation", "role", "date",
    "overall_score", "overall_level", "blockers",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTES = frozenset(',"\r\n')


def number(value: float | None) -> str:
    """Scores with one decimal (rounded as everywhere), empty for no data."""
    return "" if value is None else f"{shown(value):.1f}"


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet evaluates: a leading ``'`` before a formula character."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_line(cells: Sequence[str]) -> str:
    """One CSV row ending in a newline (RFC 4180 quoting).

    Written here rather than with the csv module, which leaves a lone carriage return unquoted when
    rows end in ``\n``: a reader would then split the row in two.
    """
    return ",".join(map(_field, cells)) + "\n"


def _field(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.intersection(cell) else cell


class CsvFormat(ScoreFormat):
    """Collects the factor columns of every questionnaire seen, then writes the table.

    Attributes:
        raw: write text cells as they are (no formula neutralising).
    """

    def __init__(self, raw: bool = False) -> None:
        self.raw = raw

    def _text(self, value: str | None) -> str:
        return (value or "") if self.raw else neutralise(value or "")

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Write a header and one row per record."""
        rows = list(records)
        factor_ids: list[str] = []
        for record in rows:
            if isinstance(record, ScoreResult):
                factor_ids.extend(f.id for f in record.factors if f.id not in factor_ids)
        stream.write(csv_line([*BASE_COLUMNS, *map(self._text, factor_ids), "error"]))
        for record in rows:
            if isinstance(record, FileError):
                errors = "; ".join(f"line {e.line}: {e.message}" if e.line else e.message for e in record.errors)
                stream.write(csv_line([self._text(record.file)] + [""] * (len(BASE_COLUMNS) - 1 + len(factor_ids)) + [self._text(errors)]))
                continue
            factors = {f.id: f.score for f in record.factors}
            texts = [
                record.file, record.questionnaire.id, record.questionnaire.version, record.partnership,
                record.respondent.name, record.respondent.organisation, record.respondent.role, record.date,
            ]
            stream.write(csv_line([
                *map(self._text, texts), number(record.overall.score), self._text(record.overall.level),
                self._text(" ".join(b.item for b in record.overall.blockers)),
                *(number(factors.get(fid)) for fid in factor_ids), "",
            ]))
