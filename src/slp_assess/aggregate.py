"""Aggregate several respondents of one partnership (the "aggregate" step; pure, no I/O).

Rules (exact, see docs/scoring): per factor the mean of the respondents' factor scores with
null ones left out, plus min, max, population standard deviation and n; the overall score
applies ``scoring.combine_factors`` to the mean factor scores, with the mean item scores of
critical items deciding blockers. The same means per role group. A perception gap is the
highest minus the lowest group mean of a factor; gaps and standard deviations of 20 points
or more are flagged.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from slp_assess.i18n import MESSAGES, message, pick
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.models.report import (
    AggregateReport,
    BlockerInfo,
    FactorRef,
    FactorReport,
    Gap,
    GroupScore,
    ItemReport,
    LevelInfo,
    Note,
    OptionCount,
    Overall,
    ReportMeta,
    RespondentInfo,
    RoleCount,
    SectionReport,
    SourcePassage,
    Stats,
    Summary,
)
from slp_assess.models.results import (
    FactorScore,
    OverallScore,
    QuestionnaireRef,
    ScoreResult,
    SectionScore,
)
from slp_assess.scoring import BLOCKER_BELOW, combine_factors, item_scores_of

GAP_FLAG = 20.0
LOW_CONSENSUS_FLAG = 20.0
# Float sums such as (75 + 45) / 2 may land a hair below a threshold they reach exactly.
EPSILON = 1e-9
# Roles first in this order, then any other role alphabetically.
ROLE_ORDER = ("stadt", "land", "other")


@dataclass(frozen=True)
class Assessment:
    """One scored answer file: the answers (for distributions and notes) and its result."""

    answers: AnswerFile
    result: ScoreResult


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def stats(values: Iterable[float | None]) -> Stats:
    """Mean, min, max, population standard deviation and n of the values that are not None."""
    present = [v for v in values if v is not None]
    if not present:
        return Stats(mean=None, min=None, max=None, stdev=None, n=0)
    return Stats(
        mean=sum(present) / len(present),
        min=min(present),
        max=max(present),
        stdev=statistics.pstdev(present),
        n=len(present),
    )


def role_order(roles: Iterable[str]) -> list[str]:
    """Distinct roles, known ones first."""
    distinct = set(roles)
    known = [r for r in ROLE_ORDER if r in distinct]
    return known + sorted(distinct - set(known))


def role_label(role: str, lang: str) -> str:
    """The role as a word ("Stadt", "rural"); unknown roles as they are written."""
    key = f"role.{role}"
    return message(key, lang) if key in MESSAGES else role


@dataclass(frozen=True)
class _Means:
    """Mean factor and item scores of a set of assessments, with the overall rule applied."""

    factors: dict[str, float | None]
    items: dict[str, float | None]
    sections: list[SectionScore]
    overall: OverallScore


def respondent_means(questionnaire: Questionnaire, group: Sequence[Assessment]) -> _Means:
    factor_scores = {
        f.id: mean(factor_of(a.result, f.id).score for a in group) for _, f in questionnaire.factors()
    }
    item_lists = [item_scores_of(a.answers, questionnaire) for a in group]
    item_scores = {item.id: mean(s[item.id] for s in item_lists) for _, item in questionnaire.items()}
    sections, overall = combine_factors(questionnaire, factor_scores, item_scores)
    return _Means(factor_scores, item_scores, sections, overall)


def factor_of(result: ScoreResult, factor_id: str) -> FactorScore:
    return next(f for f in result.factors if f.id == factor_id)


def level_of(questionnaire: Questionnaire, score: float | None) -> str | None:
    # No epsilon here: a single respondent's factor level must equal what `slp score` says.
    return None if score is None else questionnaire.level_for(score).id


def levels_of(questionnaire: Questionnaire, lang: str) -> list[LevelInfo]:
    """Levels top first, each with its upper bound."""
    ordered = questionnaire.ordered_levels()
    return [
        LevelInfo(
            id=lv.id,
            label=pick(lv.label, lang),
            threshold=lv.threshold,
            upper=ordered[i - 1].threshold if i else 100.0,
            description=pick(lv.description, lang),
            rank=i,
        )
        for i, lv in enumerate(ordered)
    ]


def _group_scores(
    questionnaire: Questionnaire, groups: dict[str, list[Assessment]], means: dict[str, _Means], factor_id: str, lang: str
) -> list[GroupScore]:
    return [
        GroupScore(
            role=role,
            label=role_label(role, lang),
            score=(score := means[role].factors[factor_id]),
            level=level_of(questionnaire, score),
            n=sum(1 for a in members if factor_of(a.result, factor_id).score is not None),
        )
        for role, members in groups.items()
    ]


def perception_gap(factor_id: str, title: str, groups: list[GroupScore]) -> Gap | None:
    """Highest minus lowest group mean; None unless two groups hold data."""
    present = [g for g in groups if g.score is not None]
    if len(present) < 2:
        return None
    low = min(present, key=lambda g: g.score or 0.0)
    high = max(present, key=lambda g: g.score or 0.0)
    points = (high.score or 0.0) - (low.score or 0.0)
    return Gap(factor=factor_id, title=title, points=points, low=low, high=high, flagged=points + EPSILON >= GAP_FLAG)


def _item_reports(questionnaire: Questionnaire, factor_items: list, group: Sequence[Assessment], means: _Means, lang: str) -> list[ItemReport]:
    reports = []
    for item in factor_items:
        keys = [a.value if (a := x.answers.answers.get(item.id)) else None for x in group]
        scale = questionnaire.scales[item.scale]
        score = means.items[item.id]
        reports.append(
            ItemReport(
                id=item.id,
                text=pick(item.text, lang),
                critical=item.critical,
                reverse=item.reverse,
                options=[OptionCount(key=o.key, label=pick(o.label, lang), count=keys.count(o.key)) for o in scale.options],
                not_applicable=keys.count(NOT_APPLICABLE),
                unanswered=keys.count(None),
                score=None if score is None else 100.0 * score,
                source=item.source,
            )
        )
    return reports


def _notes(factor_items: list, group: Sequence[Assessment], who: list[str], lang: str) -> list[Note]:
    notes = []
    for item in factor_items:
        for label, assessment in zip(who, group, strict=True):
            answer = assessment.answers.answers.get(item.id)
            if answer is not None and answer.note and answer.note.strip():
                role = assessment.answers.respondent.role
                notes.append(
                    Note(item=item.id, item_text=pick(item.text, lang), who=label, role=role,
                         role_label=role_label(role, lang), text=answer.note.strip())
                )
    return notes


def _respondent_labels(group: Sequence[Assessment], anonymize: bool, lang: str) -> list[str]:
    if anonymize:
        return [message("report.person", lang, n=i + 1) for i in range(len(group))]
    return [a.answers.respondent.name or message("report.person", lang, n=i + 1) for i, a in enumerate(group)]


def _ranked(factors: list[FactorReport]) -> tuple[list[FactorRef], list[FactorRef]]:
    """Up to three strongest and three weakest factors; a factor never appears in both."""
    scored = [f for f in factors if f.score is not None]
    count = min(3, max(1, len(scored) // 2))
    strongest = sorted(scored, key=lambda f: (-(f.score or 0.0), f.number))[:count]
    rest = [f for f in scored if f not in strongest]
    weakest = sorted(rest, key=lambda f: (f.score or 0.0, f.number))[:count]
    return [_ref(f) for f in strongest], [_ref(f) for f in weakest]


def _ref(factor: FactorReport) -> FactorRef:
    return FactorRef(id=factor.id, number=factor.number, title=factor.title, score=factor.score, level=factor.level)


def _blockers(questionnaire: Questionnaire, overall: OverallScore, group: Sequence[Assessment], lang: str) -> list[BlockerInfo]:
    items = {item.id: (factor, item) for factor, item in questionnaire.items()}
    per_file = [item_scores_of(a.answers, questionnaire) for a in group]
    infos = []
    for blocker in overall.blockers:
        factor, item = items[blocker.item]
        scores = [s[item.id] for s in per_file if s[item.id] is not None]
        infos.append(
            BlockerInfo(
                item=item.id, text=pick(item.text, lang), factor=factor.id, factor_title=pick(factor.title, lang),
                score=100.0 * blocker.score, below=sum(1 for s in scores if s < BLOCKER_BELOW), n=len(scores),
            )
        )
    return infos


def _sources(questionnaire: Questionnaire) -> list[SourcePassage]:
    by_text: dict[str, list[str]] = {}
    for _, item in questionnaire.items():
        by_text.setdefault(item.source, []).append(item.id)
    return [SourcePassage(text=text, items=ids) for text, ids in by_text.items()]


def survey_dates(group: Sequence[Assessment]) -> list[str]:
    return sorted(a.answers.date.isoformat() for a in group if a.answers.date)


def aggregate(
    questionnaire: Questionnaire,
    group: Sequence[Assessment],
    *,
    lang: str = "de",
    anonymize: bool = False,
    generated: str | None = None,
    generator: str = "slp-assess",
) -> AggregateReport:
    """The report data of one partnership: one or several assessments of one questionnaire.

    ``generated`` is the report date (ISO) the caller took from ``SOURCE_DATE_EPOCH``.
    """
    if not group:
        raise ValueError("aggregate needs at least one assessment")
    roles = role_order(a.answers.respondent.role for a in group)
    by_role = {r: [a for a in group if a.answers.respondent.role == r] for r in roles}
    means = respondent_means(questionnaire, group)
    role_means = {r: respondent_means(questionnaire, members) for r, members in by_role.items()}
    who = _respondent_labels(group, anonymize, lang)

    sections = []
    number = 0
    for section, section_score in zip(questionnaire.sections, means.sections, strict=True):
        factors = []
        for factor in section.factors:
            number += 1
            scores = [factor_of(a.result, factor.id) for a in group]
            title = pick(factor.title, lang)
            groups = _group_scores(questionnaire, by_role, role_means, factor.id, lang)
            spread = stats(s.score for s in scores)
            level = level_of(questionnaire, means.factors[factor.id])
            top = questionnaire.ordered_levels()[0].id
            factors.append(
                FactorReport(
                    id=factor.id, number=number, section=section.id, title=title,
                    description=pick(factor.description, lang), weight=factor.weight,
                    score=means.factors[factor.id], level=level, stats=spread,
                    coverage=sum(s.scored for s in scores) / sum(s.items for s in scores) if factor.items else 0.0,
                    groups=groups, gap=perception_gap(factor.id, title, groups),
                    low_consensus=spread.n > 1 and (spread.stdev or 0.0) + EPSILON >= LOW_CONSENSUS_FLAG,
                    recommendations=[pick(r, lang) for r in factor.recommendations.get(level, [])]
                    if level and level != top else [],
                    items=_item_reports(questionnaire, factor.items, group, means, lang),
                    notes=_notes(factor.items, group, who, lang),
                )
            )
        sections.append(
            SectionReport(id=section.id, title=pick(section.title, lang), intro=pick(section.intro, lang),
                          score=section_score.score, level=section_score.level, factors=factors)
        )
    all_factors = [f for s in sections for f in s.factors]
    overall = means.overall
    uncapped = level_of(questionnaire, overall.score)
    dates = survey_dates(group)
    gaps = sorted((f.gap for f in all_factors if f.gap and f.gap.flagged), key=lambda g: -g.points)
    strongest, weakest = _ranked(all_factors)
    return AggregateReport(
        meta=ReportMeta(
            partnership=group[0].answers.partnership,
            questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
            questionnaire_title=pick(questionnaire.title, lang), paper=questionnaire.source, language=lang,
            assessed_from=dates[0] if dates else None, assessed_to=dates[-1] if dates else None,
            generated=generated, anonymized=anonymize, generator=generator,
        ),
        respondent_count=len(group),
        respondents=[
            RespondentInfo(
                label=label, organisation=None if anonymize else a.answers.respondent.organisation,
                role=a.answers.respondent.role, role_label=role_label(a.answers.respondent.role, lang),
                date=a.answers.date.isoformat() if a.answers.date else None,
                file=None if anonymize else a.result.file,
            )
            for label, a in zip(who, group, strict=True)
        ],
        roles=[RoleCount(role=r, label=role_label(r, lang), n=len(m)) for r, m in by_role.items()],
        levels=levels_of(questionnaire, lang),
        overall=Overall(
            score=overall.score, level=overall.level, capped=overall.level != uncapped,
            blockers=_blockers(questionnaire, overall, group, lang),
        ),
        groups=[
            GroupScore(role=r, label=role_label(r, lang), score=role_means[r].overall.score,
                       level=role_means[r].overall.level, n=len(m))
            for r, m in by_role.items()
        ],
        summary=Summary(
            strongest=strongest,
            weakest=weakest,
            gaps=gaps,
            low_consensus=[_ref(f) for f in all_factors if f.low_consensus],
        ),
        sections=sections,
        sources=_sources(questionnaire),
    )


