"""Group answer files by partnership: one aggregated score row each, and the portfolio index."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import PurePath

from slp_assess.aggregate import Assessment, Scored, by_side, group_means, partnership_phase, survey_dates
from slp_assess.compact import ExpandedFile, ScoredFile
from slp_assess.models.answers import partnership_name
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.report import (
    AggregateReport,
    IndexRow,
    PartnershipScore,
)
from slp_assess.models.results import (
    FactorScore,
    FileError,
    QuestionnaireRef,
    RespondentRef,
    ScoreResult,
)
from slp_assess.repeated import repeated_count
from slp_assess.scoring import plan_for

# (partnership name, questionnaire id, version): files that make one report.
PartnershipKey = tuple[str, str, str]


def partnership_key(assessment: Assessment) -> PartnershipKey:
    """Files belong to the same report when partnership (however spaced), questionnaire and its version agree.

    The questionnaire is the one that scored the file, not its name in the file: ``questionnaire:
    slp-readiness@1.0`` and ``questionnaire: slp-readiness`` with ``version: "1.0"`` are one questionnaire,
    as ``slp score --group-by`` (``ScoredFile.key``) counts them.
    """
    ref = assessment.result.questionnaire
    return (partnership_name(assessment.answers.partnership), ref.id, ref.version)


def group_assessments(assessments: Iterable[Assessment]) -> dict[PartnershipKey, list[Assessment]]:
    """Assessments by partnership and questionnaire, sorted by partnership, then questionnaire."""
    groups: dict[PartnershipKey, list[Assessment]] = {}
    for assessment in assessments:
        groups.setdefault(partnership_key(assessment), []).append(assessment)
    return dict(sorted(groups.items()))


def similar_partnerships(names: Iterable[str]) -> list[list[str]]:
    """Partnership names that differ only in case, spaces, dashes or other punctuation: each such set, sorted.

    Files are grouped by the name as written (``partnership_name``): "Lindenau-Auental" in four files
    and "Lindenau – Auental" in two make two reports, each with only some of the respondents, and a
    side missing from one hides the perception gaps it would show. Merging them would also merge
    partnerships meant to be apart, so they are named for the user to decide.
    """
    by_letters: dict[str, set[str]] = {}
    for name in names:
        letters = "".join(ch for ch in unicodedata.normalize("NFKC", name).casefold() if ch.isalnum())
        if letters:
            by_letters.setdefault(letters, set()).add(partnership_name(name))
    return sorted(sorted(group) for group in by_letters.values() if len(group) > 1)


def partnership_score(questionnaire: Questionnaire, partnership: str, group: Sequence[Scored]) -> PartnershipScore:
    """One ``score`` row for a partnership: the same means, phase, blockers and people who answered more
    than once as its report."""
    plan = plan_for(questionnaire)
    means = group_means(plan, group, partnership_phase(plan, group))
    files = [a.file for a in group]
    factors = [
        FactorScore(
            id=f.id, section=f.section, score=means.factors[f.id], level=plan.level(means.factors[f.id]),
            scored=sum(a.scored[f.id] for a in group),
            items=len(f.items) * len(group), due=plan.is_due(f, means.overall.phase),
        )
        for f in plan.factors
    ]
    dates = survey_dates(group)
    return PartnershipScore(
        file=_common_folder(files),
        questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        partnership=partnership,
        # "n = 6" in the respondent column tells a planner how many answered, in any language.
        respondent=RespondentRef(name=f"n = {len(group)}", role="+".join(by_side(group))),
        date=dates[-1] if dates else None,
        overall=means.overall,
        sections=means.sections,
        factors=factors,
        respondents=len(group),
        files=files,
        repeated_respondents=repeated_count((a.person, a.side) for a in group),
    )


def _common_folder(files: list[str]) -> str:
    try:
        return os.path.commonpath([str(PurePath(f).parent) for f in files]) or "."
    except ValueError:  # absolute and relative paths mixed
        return "."


def group_by_partnership(
    records: Iterable[ScoredFile | ScoreResult | FileError],
    get_questionnaire: Callable[[str, str], Questionnaire | None],
) -> Iterator[ScoreResult | FileError]:
    """Error records (and any respondent's record) as they come, then one ``PartnershipScore`` per partnership.

    Valid files come as compact ``ScoredFile``s (made where they were scored); only those are kept
    until the end, and each partnership's item and factor scores are unpacked only while it is
    aggregated, so memory grows by a few hundred bytes per file.
    """
    groups: dict[PartnershipKey, list[ScoredFile]] = {}
    shared: dict[str, str] = {}
    for record in records:
        if not isinstance(record, ScoredFile):
            yield record
            continue
        # Partnership names, sides and dates repeat: keep one copy of each.
        record = record.shared(lambda text: shared.setdefault(text, text))
        groups.setdefault(record.key, []).append(record)
    for (partnership, questionnaire_id, version), members in sorted(groups.items()):
        questionnaire = get_questionnaire(questionnaire_id, version)
        assert questionnaire is not None and questionnaire.version == version  # it scored these files
        plan = plan_for(questionnaire)
        yield partnership_score(questionnaire, partnership, [ExpandedFile(m, plan) for m in members])
        del groups[(partnership, questionnaire_id, version)]


def index_row(report: AggregateReport, href: str) -> IndexRow:
    """The portfolio index row of one partnership report."""
    gaps = [f.gap for f in report.factors() if f.gap]
    level = next((lv for lv in report.levels if lv.id == report.overall.level), None)
    return IndexRow(
        partnership=report.meta.partnership,
        questionnaire=report.meta.questionnaire_title,
        href=href,
        respondents=report.respondent_count,
        roles=report.roles,
        score=report.overall.score,
        level=report.overall.level,
        level_label=level.label if level else "",
        level_rank=level.rank if level else None,
        weakest=report.summary.weakest[0] if report.summary.weakest else None,
        blockers=report.overall.blockers,
        largest_gap=max(gaps, key=lambda g: g.points) if gaps else None,
        # Flagged ones only, largest first.
        largest_critical_gap=report.summary.critical_gaps[0] if report.summary.critical_gaps else None,
        repeated_respondents=len(report.summary.repeated_respondents),
    )
