"""CSV output: one row per file, one column per factor."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from slp_assess.models.results import FileError, ScoreResult
from slp_assess.output.interface import Record, ScoreFormat
from slp_assess.rounding import shown

BASE_COLUMNS = [
    "file", "questionnaire", "version", "partnership", "respondent", "organisation", "role", "date",
    "overall_score", "overall_level", "blockers",
]


def number(value: float | None) -> str:
    """Scores with one decimal (rounded as everywhere), empty for no data."""
    return "" if value is None else f"{shown(value):.1f}"


class CsvFormat(ScoreFormat):
    """Collects the factor columns of every questionnaire seen, then writes the table."""

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Write a header and one row per record."""
        rows = list(records)
        factor_ids: list[str] = []
        for record in rows:
            if isinstance(record, ScoreResult):
                factor_ids.extend(f.id for f in record.factors if f.id not in factor_ids)
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([*BASE_COLUMNS, *factor_ids, "error"])
        for record in rows:
            if isinstance(record, FileError):
                errors = "; ".join(f"line {e.line}: {e.message}" if e.line else e.message for e in record.errors)
                writer.writerow([record.file] + [""] * (len(BASE_COLUMNS) - 1 + len(factor_ids)) + [errors])
                continue
            factors = {f.id: f.score for f in record.factors}
            writer.writerow([
                record.file, record.questionnaire.id, record.questionnaire.version, record.partnership,
                record.respondent.name or "", record.respondent.organisation or "", record.respondent.role,
                record.date or "", number(record.overall.score), record.overall.level or "",
                " ".join(b.item for b in record.overall.blockers),
                *(number(factors.get(fid)) for fid in factor_ids), "",
            ])
