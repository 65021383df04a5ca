"""Build the report data of one partnership from its assessments (pure, no I/O).

The numbers come from ``slp_assess.aggregate``; this module puts them together with the
questionnaire's texts in the reader's language, so renderers only format.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from slp_assess.aggregate import (
    Assessment,
    BlockerFinding,
    GroupMeans,
    by_side,
    group_means,
    group_score,
    low_consensus,
    partnership_phase,
    perception_gap,
    stats,
    survey_dates,
)
from slp_assess.comparison import compare
from slp_assess.i18n import message, pick, side_label
from slp_assess.models.answers import AnswerValue
from slp_assess.models.questionnaire import NOT_APPLICABLE, ContextQuestion, Factor, Item, Questionnaire
from slp_assess.models.report import (
    Advice,
    AggregateReport,
    BlockerInfo,
    Change,
    ContextReport,
    ContextText,
    FactorRef,
    FactorReport,
    GroupScore,
    ItemReport,
    LevelInfo,
    Note,
    OptionCount,
    OptionShare,
    Overall,
    PhaseInfo,
    PreviousAssessment,
    PreviousScore,
    Priority,
    ReportMeta,
    RespondentInfo,
    RoleCount,
    SectionReport,
    SessionNote,
    SideAnswers,
    SideScore,
    SourcePassage,
    Summary,
    Verdict,
)
from slp_assess.models.results import QuestionnaireRef
from slp_assess.scoring import ScoringPlan, plan_for
from slp_assess.sides import PARTNER_SIDES, side_order

PRIORITIES = 5


def levels_of(questionnaire: Questionnaire, lang: str) -> list[LevelInfo]:
    """Levels top first, each with its upper bound."""
    ordered = questionnaire.ordered_levels()
    return [
        LevelInfo(id=lv.id, label=pick(lv.label, lang), threshold=lv.threshold,
                  upper=ordered[i - 1].threshold if i else 100.0, description=pick(lv.description, lang), rank=i)
        for i, lv in enumerate(ordered)
    ]


class _Answers:
    """What every item of one report needs: the option labels in the reader's language, and per side
    its label and where its respondents stand in the group (worked out once, not once per item)."""

    def __init__(self, questionnaire: Questionnaire, group: Sequence[Assessment], who: list[str], lang: str) -> None:
        self.group = group
        self.answer_maps = [a.answers.answers for a in group]
        self.who = who
        self.lang = lang
        self.options = {name: [(o.key, pick(o.label, lang)) for o in scale.options] for name, scale in questionnaire.scales.items()}
        self.labels = {a.side: side_label(a.side, lang) for a in group}
        # by_side's sides in its order, each with the positions of its respondents in the group
        self.sides = [(side, self.labels[side], [i for i, a in enumerate(group) if a.side == side]) for side in by_side(group)]


@lru_cache(maxsize=4096)
def _option_count(key: str, label: str, count: int) -> OptionCount:
    # Frozen, so one instance can stand wherever the same count of the same option appears:
    # a report has some thousand of them and most repeat.
    return OptionCount(key=key, label=label, count=count)


def _counts(options: list[tuple[str, str]], given: list[str | None]) -> list[OptionCount]:
    return [_option_count(key, label, given.count(key)) for key, label in options]


def _item_reports(factor: Factor, answers: _Answers, means: GroupMeans) -> list[ItemReport]:
    reports = []
    for item in factor.items:
        chosen = [m.get(item.id) for m in answers.answer_maps]
        given = [a.value if a else None for a in chosen]
        options = answers.options[item.scale]
        sides = []
        for side, label, at in answers.sides:
            mine = [given[i] for i in at]
            sides.append(SideAnswers(role=side, label=label, options=_counts(options, mine), not_applicable=mine.count(NOT_APPLICABLE),
                                     unanswered=mine.count(None), n=len(mine)))
        reports.append(ItemReport(
            id=item.id, text=pick(item.text, answers.lang), critical=item.critical, reverse=item.reverse, options=_counts(options, given), not_applicable=given.count(NOT_APPLICABLE),
            unanswered=given.count(None), score=means.items[item.id], source=item.source, sides=sides,
            notes=_notes(chosen, answers),
        ))
    return reports


def _notes(chosen: list[AnswerValue | None], answers: _Answers) -> list[Note]:
    return [
        Note(who=label, role=x.side, role_label=answers.labels[x.side], text=text)
        for label, x, answer in zip(answers.who, answers.group, chosen, strict=True)
        if answer is not None and answer.note and (text := clean_note(answer.note))
    ]


def clean_note(text: str) -> str:
    """A note as one tidy line: runs of white space (line breaks too) become one space, ends trimmed."""
    return " ".join(text.split())


def _respondent_labels(group: Sequence[Assessment], anonymize: bool, lang: str) -> list[str]:
    if anonymize:
        return [message("report.person", lang, n=i + 1) for i in range(len(group))]
    return [a.answers.respondent.name or message("report.person", lang, n=i + 1) for i, a in enumerate(group)]


def _ref(factor: FactorReport) -> FactorRef:
    return FactorRef(id=factor.id, number=factor.number, title=factor.title, score=factor.score, level=factor.level,
                     short_title=factor.short_title)


def short_title(factor: Factor, lang: str) -> str:
    """The factor's short name in ``lang``; its title where the questionnaire has no short one in that language."""
    if factor.short_title and lang in factor.short_title:
        return factor.short_title[lang]
    return pick(factor.title, lang)


def _ranked(factors: list[FactorReport]) -> tuple[list[FactorRef], list[FactorRef]]:
    """Up to three strongest and three weakest factors; a factor never appears in both."""
    scored = [f for f in factors if f.score is not None]
    count = min(3, max(1, len(scored) // 2))
    strongest = sorted(scored, key=lambda f: (-(f.score or 0.0), f.number))[:count]
    rest = [f for f in scored if f not in strongest]
    weakest = sorted(rest, key=lambda f: (f.score or 0.0, f.number))[:count]
    return [_ref(f) for f in strongest], [_ref(f) for f in weakest]


def _recommendation_level(questionnaire: Questionnaire, level: str | None, groups: list[GroupScore]) -> str | None:
    """The lower of the factor's level and the lowest partner side's: advice follows the weaker side."""
    ordered = [lv.id for lv in questionnaire.ordered_levels()]
    candidates = [level, *(g.level for g in groups if g.role in PARTNER_SIDES)]
    ranks = [ordered.index(c) for c in candidates if c is not None]
    if not ranks or max(ranks) == 0:
        return None
    return ordered[max(ranks)]


def _advice(factor: Factor, level: str | None, lang: str) -> list[Advice]:
    if level is None:
        return []
    return [Advice(text=pick(r.text, lang), practice=r.basis == "practice") for r in factor.recommendations.get(level, [])]


def _side_scores(finding: BlockerFinding, lang: str) -> list[SideScore]:
    return [SideScore(role=m.side, label=side_label(m.side, lang), score=m.score, n=m.n) for m in finding.sides]


def _blockers(questionnaire: Questionnaire, findings: list[BlockerFinding], lang: str) -> list[BlockerInfo]:
    items = {item.id: (factor, item) for factor, item in questionnaire.items()}
    return [
        BlockerInfo(item=b.item, text=pick(items[b.item][1].text, lang), factor=b.factor,
                    factor_title=pick(items[b.item][0].title, lang), score=b.score, sides=_side_scores(b, lang),
                    mean=b.mean, below=b.below, n=b.n)
        for b in findings
    ]


def _priorities(factors: list[FactorReport], blockers: list[BlockerInfo], top_level: str) -> list[Priority]:
    """Factors with key requirements not met (lowest first), then the weakest due factors below the top level."""
    by_id = {f.id: f for f in factors}
    blocked: dict[str, list[BlockerInfo]] = {}
    for b in sorted(blockers, key=lambda b: (b.score, by_id[b.factor].number)):
        blocked.setdefault(b.factor, []).append(b)
    entries = [
        Priority(rank=0, kind="blocker", factor=f.id, factor_title=f.title, number=f.number, score=f.score, level=f.level,
                 blockers=items, sides=_blocking_sides(items), short_title=f.short_title,
                 recommendation=f.recommendations[0] if f.recommendations else None)
        for f, items in ((by_id[factor_id], items) for factor_id, items in blocked.items())
    ]
    weak = sorted((f for f in factors if f.due and f.score is not None and f.level != top_level and f.id not in blocked),
                  key=lambda f: (f.score or 0.0, f.number))
    entries += [
        Priority(rank=0, kind="factor", factor=f.id, factor_title=f.title, number=f.number, score=f.score, level=f.level,
                 short_title=f.short_title, recommendation=f.recommendations[0] if f.recommendations else None)
        for f in weak
    ]
    return [p.model_copy(update={"rank": rank}) for rank, p in enumerate(entries[:PRIORITIES], start=1)]


def _recommendation_order(factors: list[FactorReport], priorities: list[Priority], top_level: str) -> list[str]:
    """The short list first, then every other factor below the top level from the weakest up."""
    first = [p.factor for p in priorities]
    rest = sorted((f for f in factors if f.level is not None and f.level != top_level and f.id not in first),
                  key=lambda f: (f.score or 0.0, f.number))
    return first + [f.id for f in rest]


def _blocking_sides(blockers: list[BlockerInfo]) -> list[SideScore]:
    """Each side that blocks any of ``blockers`` once, with its lowest score, lowest first."""
    lowest: dict[str, SideScore] = {}
    for b in blockers:
        for s in b.sides:
            if s.role not in lowest or s.score < lowest[s.role].score:
                lowest[s.role] = s
    return sorted(lowest.values(), key=lambda s: s.score)


def _verdict(factors: list[FactorReport], blockers: list[BlockerInfo], lang: str) -> Verdict:
    """The numbers the summary's one-sentence verdict names."""
    named = Counter(s.role for b in blockers for s in b.sides)
    most = max(named.values(), default=0)
    due = [f for f in factors if f.due and f.score is not None]
    weakest = min(due, key=lambda f: (f.score or 0.0, f.number)) if due else None
    return Verdict(
        blockers=len(blockers), blocked_factors=len({b.factor for b in blockers}),
        sides=[RoleCount(role=side, label=side_label(side, lang), n=most) for side in side_order(list(named)) if named[side] == most],
        weakest=_ref(weakest) if weakest else None,
    )


def _context(questionnaire: Questionnaire, group: Sequence[Assessment], who: list[str], lang: str) -> list[ContextReport]:
    reports = []
    for question in questionnaire.context:
        answers = [(label, a, a.answers.context.get(question.id)) for label, a in zip(who, group, strict=True)]
        given = [(label, a, v) for label, a, v in answers if v not in (None, "", [])]
        reports.append(ContextReport(
            id=question.id, text=pick(question.text, lang), type=question.type,
            options=_option_shares(question, [v for _, _, v in given], lang),
            answers=[ContextText(who=label, role_label=side_label(a.side, lang), text=v)
                     for label, a, v in given if question.type == "text" and isinstance(v, str)],
            answered=len(given),
        ))
    return reports


def _option_shares(question: ContextQuestion, values: list[str | list[str]], lang: str) -> list[OptionShare]:
    chosen = [c for v in values for c in (v if isinstance(v, list) else [v])]
    return [OptionShare(key=o.key, label=pick(o.label, lang), count=chosen.count(o.key)) for o in question.options]


def _phase(questionnaire: Questionnaire, plan: ScoringPlan, phase: str | None, group: Sequence[Assessment], lang: str) -> PhaseInfo | None:
    if questionnaire.phases is None:
        return None
    question = next(c for c in questionnaire.context if c.id == questionnaire.phases.question)
    named = [p for a in group if (p := plan.phase_of(a.answers.context)) is not None]
    labels = {o.key: pick(o.label, lang) for o in question.options}
    return PhaseInfo(key=phase, label=labels.get(phase or "", ""),
                     answers=[OptionShare(key=k, label=labels.get(k, k), count=named.count(k)) for k in questionnaire.phases.order])


def _sources(questionnaire: Questionnaire, lang: str) -> list[SourcePassage]:
    by_text: dict[str, list[tuple[Factor, Item]]] = {}
    for factor, item in questionnaire.items():
        by_text.setdefault(item.source, []).append((factor, item))
    passages = []
    for text, pairs in by_text.items():
        names = list(dict.fromkeys(short_title(factor, lang) for factor, _ in pairs))
        passages.append(SourcePassage(text=text, items=[item.id for _, item in pairs], factors=names))
    return passages


def build_report(
    questionnaire: Questionnaire,
    group: Sequence[Assessment],
    *,
    lang: str = "de",
    anonymize: bool = False,
    generated: str | None = None,
    generator: str = "slp-assess",
    session_notes: Sequence[tuple[str | None, str]] = (),
) -> AggregateReport:
    """The report data of one partnership: one or several assessments of one questionnaire.

    ``generated`` is the report date (ISO) the caller chose; without one, the latest answer date.
    Notes are kept (with anonymized names when ``anonymize``); ``without_notes`` drops them.
    ``session_notes`` are a workshop's own notes as (item id or None, text), from its manifest.
    """
    if not group:
        raise ValueError("a report needs at least one assessment")
    plan = plan_for(questionnaire)
    phase = partnership_phase(plan, group)
    sides = by_side(group)
    means = group_means(plan, group, phase)
    side_means = {side: group_means(plan, members, phase) for side, members in sides.items()}
    who = _respondent_labels(group, anonymize, lang)
    answers = _Answers(questionnaire, group, who, lang)
    top = questionnaire.ordered_levels()[0].id

    sections = []
    number = 0
    for section, section_score in zip(questionnaire.sections, means.sections, strict=True):
        factors = []
        for factor in section.factors:
            number += 1
            title = pick(factor.title, lang)
            groups = [group_score(plan, side, side_label(side, lang), m.factors[factor.id], m.counts[factor.id])
                      for side, m in side_means.items()]
            spread = stats(a.factor_scores[factor.id] for a in group)
            level = plan.level(means.factors[factor.id])
            advice_level = _recommendation_level(questionnaire, level, groups)
            scored = sum(a.scored[factor.id] for a in group)
            factors.append(FactorReport(
                id=factor.id, number=number, section=section.id, title=title,
                description=pick(factor.description, lang), weight=factor.weight,
                score=means.factors[factor.id], level=level, stats=spread,
                coverage=scored / (len(factor.items) * len(group)) if factor.items else 0.0,
                groups=groups, gap=perception_gap(factor.id, title, groups), low_consensus=low_consensus(spread),
                due=plan.is_due(plan.factor_plans[factor.id], phase), recommendation_level=advice_level,
                recommendations=_advice(factor, advice_level, lang), short_title=short_title(factor, lang),
                items=_item_reports(factor, answers, means),
            ))
        sections.append(SectionReport(id=section.id, title=pick(section.title, lang), intro=pick(section.intro, lang),
                                      score=section_score.score, level=section_score.level, due=section_score.due,
                                      factors=factors))
    all_factors = [f for s in sections for f in s.factors]
    blockers = _blockers(questionnaire, means.blockers, lang)
    dates = survey_dates(group)
    gaps = sorted((f.gap for f in all_factors if f.gap and f.gap.flagged), key=lambda g: -g.points)
    strongest, weakest = _ranked(all_factors)
    priorities = _priorities(all_factors, blockers, top)
    return AggregateReport(
        meta=ReportMeta(
            partnership=group[0].answers.partnership,
            questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
            questionnaire_title=pick(questionnaire.title, lang), paper=questionnaire.source, language=lang,
            assessed_from=dates[0] if dates else None, assessed_to=dates[-1] if dates else None,
            # Never the clock: the same answer files give the same report on any day.
            generated=generated or (dates[-1] if dates else None), anonymized=anonymize, generator=generator,
        ),
        respondent_count=len(group),
        respondents=[
            RespondentInfo(label=label, organisation=None if anonymize else a.answers.respondent.organisation,
                           role=a.side, role_label=side_label(a.side, lang),
                           date=a.answers.date.isoformat() if a.answers.date else None,
                           file=None if anonymize else a.result.file)
            for label, a in zip(who, group, strict=True)
        ],
        roles=[RoleCount(role=side, label=side_label(side, lang), n=len(m)) for side, m in sides.items()],
        levels=levels_of(questionnaire, lang),
        overall=Overall(score=means.overall.score, level=means.overall.level,
                        capped=means.overall.level != plan.level(means.overall.score), blockers=blockers,
                        phase=_phase(questionnaire, plan, phase, group, lang)),
        groups=[group_score(plan, side, side_label(side, lang), side_means[side].overall.score, len(m))
                for side, m in sides.items()],
        summary=Summary(strongest=strongest, weakest=weakest, gaps=gaps,
                        low_consensus=[_ref(f) for f in all_factors if f.low_consensus],
                        verdict=_verdict(all_factors, blockers, lang),
                        single_voices=[RoleCount(role=side, label=side_label(side, lang), n=1)
                                       for side, members in sides.items() if len(members) == 1 and len(sides) > 1]),
        priorities=priorities,
        recommendation_order=_recommendation_order(all_factors, priorities, top),
        sections=sections,
        context=_context(questionnaire, group, who, lang),
        sources=_sources(questionnaire, lang),
        session_notes=_session_notes(questionnaire, session_notes, lang),
    )


def _session_notes(questionnaire: Questionnaire, notes: Sequence[tuple[str | None, str]], lang: str) -> list[SessionNote]:
    texts = {item.id: pick(item.text, lang) for _, item in questionnaire.items()}
    return [SessionNote(item=item, item_text=texts.get(item or "", ""), text=clean_note(text)) for item, text in notes if text.strip()]


def without_notes(report: AggregateReport) -> AggregateReport:
    """The report without the participants' and the session's notes (``--anonymize`` without ``--keep-notes``).

    Notes are free text and may name people; an anonymized report leaves them out unless asked.
    """
    sections = [
        s.model_copy(update={"factors": [
            f.model_copy(update={"items": [i.model_copy(update={"notes": []}) for i in f.items]}) for f in s.factors
        ]})
        for s in report.sections
    ]
    return report.model_copy(update={"sections": sections, "session_notes": []})


def _previous(change: Change) -> PreviousScore:
    return PreviousScore(score=change.old_score, level=change.old_level, delta=change.delta, direction=change.direction)


def with_previous(report: AggregateReport, earlier: AggregateReport) -> AggregateReport:
    """``report`` with the scores of an earlier assessment of the same partnership beside its own.

    The changes are those of ``slp compare``, so both show the same numbers.
    """
    comparison = compare(earlier, report)
    changes = {c.id: c for c in comparison.factors}
    sections = [
        s.model_copy(update={"factors": [f.model_copy(update={"previous": _previous(changes[f.id])}) for f in s.factors]})
        for s in report.sections
    ]
    priorities = [p.model_copy(update={"previous": _previous(changes[p.factor])}) for p in report.priorities]
    return report.model_copy(update={
        "sections": sections, "priorities": priorities,
        "previous": PreviousAssessment(date=earlier.meta.assessed_to, respondents=earlier.respondent_count,
                                       overall=_previous(comparison.overall)),
    })


def match_previous(reports: list[AggregateReport], earlier: list[AggregateReport]) -> list[AggregateReport]:
    """Each report with the earlier assessment of its own partnership and questionnaire, where there is one."""
    by_key = {(r.meta.partnership, r.meta.questionnaire.id): r for r in earlier}
    return [
        with_previous(r, old) if (old := by_key.get((r.meta.partnership, r.meta.questionnaire.id))) else r
        for r in reports
    ]


def finish_report(report: AggregateReport, anonymize: bool, keep_notes: bool, earlier: Sequence[AggregateReport]) -> AggregateReport:
    """The notes dropped where anonymity asks for it, and an earlier assessment's scores put beside."""
    if anonymize and not keep_notes:
        report = without_notes(report)
    if earlier:
        [report] = match_previous([report], list(earlier))
    return report
