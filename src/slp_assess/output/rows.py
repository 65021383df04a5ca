"""One row per record for the spreadsheet formats (CSV, xlsx): the columns and the cells, typed.

The factor columns come from the questionnaires, not from the records, so that a table can be
written while the files are still being scored: every factor of the questionnaires given with
``--questionnaire``, then of the bundled ones (current versions first), each id once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.results import FileError, ScoreResult
from slp_assess.resources import bundled_questionnaires

BASE_COLUMNS = [
    "file", "questionnaire", "version", "partnership", "respondent", "organisation", "role", "date",
    "overall_score", "overall_level", "blockers",
]


def factor_columns(catalog: QuestionnaireCatalog) -> list[str]:
    """The factor ids of every questionnaire the catalog knows, given ones first, each once."""
    questionnaires: list[Questionnaire] = list({id(q): q for q in catalog.extra.values()}.values())
    names = sorted(bundled_questionnaires(), key=lambda name: ("@" in name, name))
    for name in names:
        qid, _, version = name.partition("@")
        if qid in catalog.extra and not version:
            continue
        found = catalog.get(qid, version or None)
        if found is not None:
            questionnaires.append(found)
    return list(dict.fromkeys(f.id for q in questionnaires for _, f in q.factors()))


@dataclass(frozen=True)
class Row:
    """The cells of one record: texts (None for empty), numbers (None for no data) and the error text."""

    texts: list[str | None]
    overall: float | None
    level: str | None
    blockers: str
    factors: list[float | None]
    error: str


def record_row(record: ScoreResult | FileError, factor_ids: Sequence[str]) -> Row:
    """The row of a result (or a partnership's aggregate), or of an error record."""
    if isinstance(record, FileError):
        errors = "; ".join(f"line {e.line}: {e.message}" if e.line else e.message for e in record.errors)
        return Row([record.file, None, None, None, None, None, None, None], None, None, "", [None] * len(factor_ids), errors)
    scores = {f.id: f.score for f in record.factors}
    texts = [
        record.file, record.questionnaire.id, record.questionnaire.version, record.partnership,
        record.respondent.name, record.respondent.organisation, record.respondent.role, record.date,
    ]
    return Row(texts, record.overall.score, record.overall.level, " ".join(b.item for b in record.overall.blockers),
               [scores.get(fid) for fid in factor_ids], "")
