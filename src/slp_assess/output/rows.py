"""One row per record for the spreadsheet formats (CSV, xlsx): the columns and the cells, typed.

The factor columns come from the questionnaires, not from the records, so that a table can be
written while the files are still being scored: every factor of the questionnaires given with
``--questionnaire``, then of the bundled ones (current versions first), each id once.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.results import FileError, ScoreResult
from slp_assess.oneline import escaped
from slp_assess.resources import bundled_questionnaires

# Control characters a spreadsheet cell shows as ``\x1b``: those a workbook cannot hold, a carriage return
# (read back as a line break), DEL and the C1 controls (a terminal showing a CSV file runs them). Tab and
# line feed stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown_controls(text: str) -> str:
    """``text`` with each control character but tab and line feed written as ``\\xNN``."""
    return _CONTROL.sub(escaped, text) if _CONTROL.search(text) else text


BASE_COLUMNS = [
    "file", "questionnaire", "version", "partnership", "respondent", "organisation", "role", "date",
    "overall_score", "overall_level", "blockers",
]


def factor_columns(catalog: QuestionnaireCatalog, files: Sequence[str] | None = None) -> list[str]:
    """The factor columns of a spreadsheet: those of the questionnaires the files answer, each once.

    A streamed table must name its columns before the first file is scored, so the files' headers
    (``questionnaire:`` and ``version:``) are read first, a few hundred bytes each; given
    questionnaires come first. Where a header cannot be read so, every known questionnaire counts:
    a column too many is harmless, a missing one would lose scores.
    """
    given: list[Questionnaire] = list({id(q): q for q in catalog.extra.values()}.values())
    refs = _referenced(files) if files is not None else None
    if refs is None:
        questionnaires = given + _all_bundled(catalog)
    else:
        questionnaires = given + [q for qid, version in refs if (q := catalog.get(qid, version)) is not None]
    return list(dict.fromkeys(f.id for q in questionnaires for _, f in q.factors()))


def _all_bundled(catalog: QuestionnaireCatalog) -> list[Questionnaire]:
    found = []
    for name in sorted(bundled_questionnaires(), key=lambda name: ("@" in name, name)):
        qid, _, version = name.partition("@")
        if qid in catalog.extra and not version:
            continue
        if (q := catalog.get(qid, version or None)) is not None:
            found.append(q)
    return found


_HEADER = re.compile(rb"^questionnaire:[ \t]*['\"]?([A-Za-z0-9_.@-]+)['\"]?[ \t]*$|^version:[ \t]*['\"]?([0-9A-Za-z_.-]+)['\"]?[ \t]*$", re.M)


def _referenced(files: Sequence[str]) -> list[tuple[str, str | None]] | None:
    """(questionnaire id, version) named at the top of each file, in first-seen order; None if one cannot be read."""
    refs: dict[tuple[str, str | None], None] = {}
    for name in files:
        try:
            path = Path(name)
            if not stat.S_ISREG(path.stat().st_mode):
                continue  # a FIFO or device is an error record, and opening it could block
            with path.open("rb") as handle:
                head = handle.read(4096)
        except OSError:
            continue  # the file becomes an error record; it has no scores to lose
        found = {m.lastindex: m.group(m.lastindex) for m in _HEADER.finditer(head) if m.lastindex}
        if 1 not in found:
            return None
        refs[(found[1].decode(), found[2].decode() if 2 in found else None)] = None
    return list(refs)


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
