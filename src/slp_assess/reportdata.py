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
    side_means,
    stats,
    survey_dates,
)
from slp_assess.comparison import compare
from slp_assess.critical_gaps import critical_gaps, flagged_gaps
from slp_assess.i18n import message, pick
from slp_assess.models.answers import partnership_name
from slp_assess.models.questionnaire import Factor, Questionnaire
from slp_assess.models.report import (
    AggregateReport,
    BlockerInfo,
    Change,
    ContextReport,
    ContextText,
    CriticalGap,
    FactorRef,
    FactorReport,
    GroupScore,
    ItemReport,
    Note,
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
    SideScore,
    Summary,
    Verdict,
)
from slp_assess.models.results import QuestionnaireRef
from slp_assess.repeated import repeated_respondents
from slp_assess.reporttexts import QuestionnaireTexts, levels_of, short_title, texts_for
from slp_assess.scoring import ScoringPlan, plan_for
from slp_assess.sides import PARTNER_SIDES, side_order
from slp_assess.trusted import made

__all__ = [
    "PRIORITIES", "build_report", "clean_note", "finish_report", "levels_of", "match_previous", "short_title",
    "shown_name", "with_previous", "without_notes",
]

PRIORITIES = 5


def clean_note(text: str) -> str:
    """A note as one tidy line: runs of white space (line breaks too) become one space, ends trimmed."""
    return " ".join(text.split())


class _Answers:
    """What the items of one report need, worked out for all items at once: each item's answers (scale
    key, ``n/a`` or None for a blank) of everyone and of each side, in respondent order, and its notes."""

    def __init__(self, texts: QuestionnaireTexts, group: Sequence[Assessment], who: list[str]) -> None:
        self.texts = texts
        item_ids = list(texts.item_texts)
        rows = [
            [None if (answer := answers.get(item_id)) is None else answer.value for item_id in item_ids]
            for answers in (a.answers.answers for a in group)
        ]
        # zip(*rows) turns the respondents' rows into one tuple per item
        self.given: dict[str, tuple[str | None, ...]] = dict(zip(item_ids, zip(*rows, strict=True), strict=True))
        self.sides = []  # by_side's sides in its order, each with its respondents' answers per item
        for side in by_side(group):
            mine = [row for row, a in zip(rows, group, strict=True) if a.side == side]
            given = self.given if len(mine) == len(rows) else dict(zip(item_ids, zip(*mine, strict=True), strict=True))
            self.sides.append((side, given))
        self.notes: dict[str, list[Note]] = {}
        for label, a in zip(who, group, strict=True):
            noted = [(item_id, answer.note) for item_id, answer in a.answers.answers.items() if answer.note]
            for item_id, note in noted:
                if text := clean_note(note):
                    self.notes.setdefault(item_id, []).append(
                        made(Note, who=label, role=a.side, role_label=texts.side_labels[a.side], text=text))


def _item_reports(factor: Factor, answers: _Answers, means: GroupMeans, gaps: dict[str, CriticalGap]) -> list[ItemReport]:
    texts = answers.texts
    reports = []
    for item in factor.items:
        item_id = item.id
        options, not_applicable, unanswered = texts.counts(item.scale, answers.given[item_id])
        sides = [texts.side_answers(item.scale, side, given[item_id]) for side, given in answers.sides]
        reports.append(made(
            ItemReport,
            id=item_id, text=texts.item_texts[item_id], critical=item.critical, reverse=item.reverse, options=options,
            not_applicable=not_applicable, unanswered=unanswered, score=means.items[item_id], source=item.source,
            sides=sides, notes=answers.notes.get(item_id) or [], critical_gap=gaps.get(item_id),
        ))
    return reports


def _respondent_labels(group: Sequence[Assessment], anonymize: bool, lang: str) -> list[str]:
    if anonymize:
        return [message("report.person", lang, n=i + 1) for i in range(len(group))]
    return [shown_name(a.answers.respondent.name) or message("report.person", lang, n=i + 1) for i, a in enumerate(group)]


def shown_name(name: str | None) -> str:
    """A name as a report shows it: without white space around it, empty for none (the report then says "unnamed").

    Only what is shown: files still belong to the partnership exactly as written in them.
    """
    return name.strip() if name else ""


def _ref(factor: FactorReport) -> FactorRef:
    return made(FactorRef, id=factor.id, number=factor.number, title=factor.title, score=factor.score, level=factor.level,
                short_title=factor.short_title)


def _ranked(factors: list[FactorReport], refs: _Refs) -> tuple[list[FactorRef], list[FactorRef]]:
    """Up to three strongest and three weakest factors; a factor never appears in both."""
    scored = [f for f in factors if f.score is not None]
    count = min(3, max(1, len(scored) // 2))
    strongest = sorted(scored, key=lambda f: (-(f.score or 0.0), f.number))[:count]
    taken = {f.id for f in strongest}  # factor ids are unique: by id, not by comparing whole models
    rest = [f for f in scored if f.id not in taken]
    weakest = sorted(rest, key=lambda f: (f.score or 0.0, f.number))[:count]
    return [refs(f) for f in strongest], [refs(f) for f in weakest]


def _recommendation_level(texts: QuestionnaireTexts, level: str | None, groups: list[GroupScore]) -> str | None:
    """The lower of the factor's level and the lowest partner side's: advice follows the weaker side."""
    ranks = texts.level_rank
    lowest = 0 if level is None else ranks[level]  # rank 0 is the top level, which has no advice
    for g in groups:
        if g.level is not None and g.role in PARTNER_SIDES:
            lowest = max(lowest, ranks[g.level])
    return texts.level_ids[lowest] if lowest else None


def _side_scores(finding: BlockerFinding, texts: QuestionnaireTexts) -> list[SideScore]:
    return [made(SideScore, role=m.side, label=texts.side_labels[m.side], score=m.score, n=m.n) for m in finding.sides]


def _blockers(texts: QuestionnaireTexts, findings: list[BlockerFinding]) -> list[BlockerInfo]:
    return [
        made(BlockerInfo, item=b.item, text=texts.item_texts[b.item], factor=b.factor,
             factor_title=texts.factor_titles[texts.item_factors[b.item]], score=b.score,
             sides=_side_scores(b, texts), mean=b.mean, below=b.below, n=b.n)
        for b in findings
    ]


def _priorities(factors: list[FactorReport], blockers: list[BlockerInfo], top_level: str) -> list[Priority]:
    """Factors with key requirements not met (lowest first), then the weakest due factors below the top level."""
    by_id = {f.id: f for f in factors}
    blocked: dict[str, list[BlockerInfo]] = {}
    for b in sorted(blockers, key=lambda b: (b.score, by_id[b.factor].number)):
        blocked.setdefault(b.factor, []).append(b)
    weak = sorted((f for f in factors if f.due and f.score is not None and f.level != top_level and f.id not in blocked),
                  key=lambda f: (f.score or 0.0, f.number))
    entries = [(by_id[factor_id], items) for factor_id, items in blocked.items()] + [(f, None) for f in weak]
    return [_priority(rank, f, items) for rank, (f, items) in enumerate(entries[:PRIORITIES], start=1)]


def _priority(rank: int, f: FactorReport, blockers: list[BlockerInfo] | None) -> Priority:
    """An entry of the short list: a factor with its key requirements not met, or (None) a weak one."""
    recommendation = f.recommendations[0] if f.recommendations else None
    if blockers is None:
        return made(Priority, rank=rank, kind="factor", factor=f.id, factor_title=f.title, number=f.number,
                    score=f.score, level=f.level, short_title=f.short_title, recommendation=recommendation)
    return made(Priority, rank=rank, kind="blocker", factor=f.id, factor_title=f.title, number=f.number, score=f.score,
                level=f.level, blockers=blockers, sides=_blocking_sides(blockers), short_title=f.short_title,
                recommendation=recommendation)


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


def _verdict(factors: list[FactorReport], blockers: list[BlockerInfo], refs: _Refs, texts: QuestionnaireTexts) -> Verdict:
    """The numbers the summary's one-sentence verdict names."""
    named = Counter(s.role for b in blockers for s in b.sides)
    most = max(named.values(), default=0)
    due = [f for f in factors if f.due and f.score is not None]
    weakest = min(due, key=lambda f: (f.score or 0.0, f.number)) if due else None
    return Verdict(
        blockers=len(blockers), blocked_factors=len({b.factor for b in blockers}),
        sides=[RoleCount(role=side, label=texts.side_labels[side], n=most) for side in side_order(list(named)) if named[side] == most],
        weakest=refs(weakest) if weakest else None,
    )


class _Refs:
    """A factor's reference for the summary, made once per factor however often the summary names it."""

    def __init__(self) -> None:
        self._made: dict[str, FactorRef] = {}

    def __call__(self, factor: FactorReport) -> FactorRef:
        ref = self._made.get(factor.id)
        if ref is None:
            ref = self._made[factor.id] = _ref(factor)
        return ref


def _context(group: Sequence[Assessment], who: list[str], texts: QuestionnaireTexts) -> list[ContextReport]:
    reports = []
    for question, text, options in texts.context:
        given = [(label, a, v) for label, a in zip(who, group, strict=True)
                 if (v := a.answers.context.get(question.id)) not in (None, "", [])]
        chosen = [c for _, _, v in given for c in (v if isinstance(v, list) else [v])]
        reports.append(made(
            ContextReport, id=question.id, text=text, type=question.type,
            options=[_option_share(key, label, chosen.count(key)) for key, label in options],
            answers=[made(ContextText, who=label, role_label=texts.side_labels[a.side], text=v)
                     for label, a, v in given if question.type == "text" and isinstance(v, str)],
            answered=len(given),
        ))
    return reports


@lru_cache(maxsize=1024)
def _option_share(key: str, label: str, count: int) -> OptionShare:
    # Frozen and made of plain values, shared like option counts.
    return OptionShare(key=key, label=label, count=count)


def _phase(questionnaire: Questionnaire, plan: ScoringPlan, phase: str | None, group: Sequence[Assessment], lang: str) -> PhaseInfo | None:
    if questionnaire.phases is None:
        return None
    question = next(c for c in questionnaire.context if c.id == questionnaire.phases.question)
    named = [p for a in group if (p := plan.phase_of(a.answers.context)) is not None]
    labels = {o.key: pick(o.label, lang) for o in question.options}
    return PhaseInfo(key=phase, label=labels.get(phase or "", ""),
                     answers=[_option_share(k, labels.get(k, k), named.count(k)) for k in questionnaire.phases.order])


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
    texts = texts_for(questionnaire, lang)
    phase = partnership_phase(plan, group)
    sides = by_side(group)
    means = group_means(plan, group, phase)
    critical = critical_gaps(texts, means.critical)
    sides_means = {side: side_means(plan, members, phase) for side, members in sides.items()}
    who = _respondent_labels(group, anonymize, lang)
    answers = _Answers(texts, group, who)
    factor_scores = [a.factor_scores for a in group]
    scored_counts = [a.scored for a in group]

    sections = []
    number = 0
    for section, section_score in zip(questionnaire.sections, means.sections, strict=True):
        factors = []
        for factor in section.factors:
            number += 1
            factor_id = factor.id
            title = texts.factor_titles[factor_id]
            score = means.factors[factor_id]
            groups = [group_score(plan, side, texts.side_labels[side], m.factors[factor_id], m.counts[factor_id])
                      for side, m in sides_means.items()]
            spread = stats([scores[factor_id] for scores in factor_scores])
            level = plan.level(score)
            advice_level = _recommendation_level(texts, level, groups)
            scored = sum(counts[factor_id] for counts in scored_counts)
            factors.append(made(
                FactorReport,  # the fields in the model's order, which lets ``made`` take them as they are
                id=factor_id, number=number, section=section.id, title=title, short_title=texts.short_titles[factor_id],
                description=texts.descriptions[factor_id], weight=factor.weight, score=score, level=level,
                stats=spread, coverage=scored / (len(factor.items) * len(group)) if factor.items else 0.0,
                groups=groups, gap=perception_gap(factor_id, title, groups), low_consensus=low_consensus(spread),
                due=plan.is_due(plan.factor_plans[factor_id], phase), recommendation_level=advice_level,
                recommendations=list(texts.advice(factor, advice_level)), items=_item_reports(factor, answers, means, critical),
                previous=None,
            ))
        sections.append(made(SectionReport, id=section.id, title=pick(section.title, lang), intro=pick(section.intro, lang),
                             score=section_score.score, level=section_score.level, due=section_score.due, factors=factors))
    all_factors = [f for s in sections for f in s.factors]
    blockers = _blockers(texts, means.blockers)
    dates = survey_dates(group)
    gaps = sorted((f.gap for f in all_factors if f.gap and f.gap.flagged), key=lambda g: -g.points)
    refs = _Refs()
    strongest, weakest = _ranked(all_factors, refs)
    priorities = _priorities(all_factors, blockers, texts.level_ids[0])
    return AggregateReport(
        meta=ReportMeta(
            partnership=partnership_name(group[0].answers.partnership),
            questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
            questionnaire_title=texts.title, paper=questionnaire.source, language=lang,
            assessed_from=dates[0] if dates else None, assessed_to=dates[-1] if dates else None,
            # Never the clock: the same answer files give the same report on any day.
            generated=generated or (dates[-1] if dates else None), anonymized=anonymize, generator=generator,
        ),
        respondent_count=len(group),
        respondents=[
            made(RespondentInfo, label=label, organisation=None if anonymize else shown_name(a.answers.respondent.organisation) or None,
                 role=a.side, role_label=texts.side_labels[a.side],
                 date=a.answers.date.isoformat() if a.answers.date else None, file=None if anonymize else a.result.file)
            for label, a in zip(who, group, strict=True)
        ],
        roles=[RoleCount(role=side, label=texts.side_labels[side], n=len(m)) for side, m in sides.items()],
        levels=texts.levels,
        overall=Overall(score=means.overall.score, level=means.overall.level,
                        capped=means.overall.level != plan.level(means.overall.score), blockers=blockers,
                        phase=_phase(questionnaire, plan, phase, group, lang)),
        groups=[group_score(plan, side, texts.side_labels[side], sides_means[side].overall, len(m))
                for side, m in sides.items()],
        summary=Summary(strongest=strongest, weakest=weakest, gaps=gaps,
                        low_consensus=[refs(f) for f in all_factors if f.low_consensus],
                        verdict=_verdict(all_factors, blockers, refs, texts),
                        single_voices=[RoleCount(role=side, label=texts.side_labels[side], n=1)
                                       for side, members in sides.items() if len(members) == 1 and len(sides) > 1],
                        critical_gaps=flagged_gaps(critical), repeated_respondents=repeated_respondents(group, texts.side_labels, anonymize)),
        priorities=priorities,
        recommendation_order=_recommendation_order(all_factors, priorities, texts.level_ids[0]),
        sections=sections,
        context=_context(group, who, texts),
        sources=list(texts.sources),
        session_notes=[SessionNote(item=item, item_text=texts.item_texts.get(item or "", ""), text=clean_note(text))
                       for item, text in session_notes if text.strip()],
    )


def without_notes(report: AggregateReport) -> AggregateReport:
    """The report without the participants' and the session's notes and the free-text context answers
    (``--anonymize`` without ``--keep-notes``).

    Both are free text and may name people; an anonymized report leaves them out unless asked. The counts of
    the chosen options stay: they name no one.
    """
    sections = [
        s.model_copy(update={"factors": [
            f.model_copy(update={"items": [i.model_copy(update={"notes": []}) for i in f.items]}) for f in s.factors
        ]})
        for s in report.sections
    ]
    context = [c.model_copy(update={"answers": []}) for c in report.context]
    return report.model_copy(update={"sections": sections, "session_notes": [], "context": context})


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
