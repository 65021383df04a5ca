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
from slp_assess.i18n import message, pick, side_label
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
from slp_assess.trusted import made

PRIORITIES = 5


def levels_of(questionnaire: Questionnaire, lang: str) -> list[LevelInfo]:
    """Levels top first, each with its upper bound."""
    ordered = questionnaire.ordered_levels()
    return [
        LevelInfo(id=lv.id, label=pick(lv.label, lang), threshold=lv.threshold,
                  upper=ordered[i - 1].threshold if i else 100.0, description=pick(lv.description, lang), rank=i)
        for i, lv in enumerate(ordered)
    ]


def short_title(factor: Factor, lang: str) -> str:
    """The factor's short name in ``lang``; its title where the questionnaire has no short one in that language."""
    if factor.short_title and lang in factor.short_title:
        return factor.short_title[lang]
    return pick(factor.title, lang)


def clean_note(text: str) -> str:
    """A note as one tidy line: runs of white space (line breaks too) become one space, ends trimmed."""
    return " ".join(text.split())


# Answer counts are remembered for groups up to this size: in a portfolio of small partnerships the
# same answers of a side recur across items and reports; a large group's answers hardly ever do.
_COUNTED_GROUP = 12
_COUNTS_KEPT = 20_000

Counts = tuple[tuple[OptionCount, ...], int, int]


class _Texts:
    """What every report of one questionnaire in one language takes from it, worked out once.

    A portfolio's reports share their questionnaire: picking its texts, levels and advice again for
    each partnership was a good part of building one. Models shared between reports (levels, advice,
    option counts) are frozen and hold plain values only; those holding lists are made per report.
    """

    def __init__(self, questionnaire: Questionnaire, lang: str) -> None:
        self.questionnaire = questionnaire
        self.lang = lang
        self.title = pick(questionnaire.title, lang)
        self.levels = tuple(levels_of(questionnaire, lang))
        self.level_ids = [lv.id for lv in self.levels]
        self.level_rank: dict[str, int] = {}
        for rank, level_id in enumerate(self.level_ids):
            self.level_rank.setdefault(level_id, rank)  # the first, as list.index finds it
        self.options = {
            name: tuple((o.key, pick(o.label, lang)) for o in scale.options) for name, scale in questionnaire.scales.items()
        }
        self.item_texts = {item.id: pick(item.text, lang) for _, item in questionnaire.items()}
        self.item_factors = {item.id: factor.id for factor, item in questionnaire.items()}
        self.factor_titles = {factor.id: pick(factor.title, lang) for _, factor in questionnaire.factors()}
        self.short_titles = {factor.id: short_title(factor, lang) for _, factor in questionnaire.factors()}
        self.descriptions = {factor.id: pick(factor.description, lang) for _, factor in questionnaire.factors()}
        self.sources = _sources(questionnaire, lang)
        self._side_labels: dict[str, str] = {}
        self._advice: dict[tuple[str, str], tuple[Advice, ...]] = {}
        self._counts: dict[tuple[str, tuple[str | None, ...]], Counts] = {}
        self._sides: dict[tuple[str, str, tuple[str | None, ...]], SideAnswers] = {}

    def side_label(self, side: str) -> str:
        label = self._side_labels.get(side)
        if label is None:
            label = self._side_labels[side] = side_label(side, self.lang)
        return label

    def advice(self, factor: Factor, level: str | None) -> tuple[Advice, ...]:
        if level is None:
            return ()
        found = self._advice.get((factor.id, level))
        if found is None:
            found = self._advice[(factor.id, level)] = tuple(
                Advice(text=pick(r.text, self.lang), practice=r.basis == "practice") for r in factor.recommendations.get(level, [])
            )
        return found

    def counts(self, scale: str, given: tuple[str | None, ...]) -> Counts:
        """Respondents per option of ``scale`` (in scale order), answers ``n/a`` and blanks among ``given``."""
        key = (scale, given)
        found = self._counts.get(key)
        if found is None:
            found = (tuple(_option_count(k, label, given.count(k)) for k, label in self.options[scale]),
                     given.count(NOT_APPLICABLE), given.count(None))
            if len(given) <= _COUNTED_GROUP:
                if len(self._counts) >= _COUNTS_KEPT:
                    self._counts.clear()
                self._counts[key] = found
        return found

    def side_answers(self, scale: str, side: str, given: tuple[str | None, ...]) -> SideAnswers:
        """The answers of one side to an item of ``scale``."""
        key = (scale, side, given)
        found = self._sides.get(key)
        if found is None:
            options, not_applicable, unanswered = self.counts(scale, given)
            found = SideAnswers(role=side, label=self.side_label(side), options=options, not_applicable=not_applicable,
                                unanswered=unanswered, n=len(given))
            if len(given) <= _COUNTED_GROUP:
                if len(self._sides) >= _COUNTS_KEPT:
                    self._sides.clear()
                self._sides[key] = found
        return found


_texts: dict[tuple[int, str], _Texts] = {}


def _texts_for(questionnaire: Questionnaire, lang: str) -> _Texts:
    texts = _texts.get((id(questionnaire), lang))
    if texts is None or texts.questionnaire is not questionnaire:
        if len(_texts) > 64:  # questionnaires are few; drop those no longer used (as scoring.plan_for does)
            _texts.clear()
        texts = _texts[(id(questionnaire), lang)] = _Texts(questionnaire, lang)
    return texts


@lru_cache(maxsize=4096)
def _option_count(key: str, label: str, count: int) -> OptionCount:
    # Frozen, so one instance can stand wherever the same count of the same option appears:
    # a report has some thousand of them and most repeat.
    return OptionCount(key=key, label=label, count=count)


class _Answers:
    """What the items of one report need, worked out for all items at once: each item's answers (scale
    key, ``n/a`` or None for a blank) of everyone and of each side, in respondent order, and its notes."""

    def __init__(self, texts: _Texts, group: Sequence[Assessment], who: list[str]) -> None:
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
                        made(Note, who=label, role=a.side, role_label=texts.side_label(a.side), text=text))


def _item_reports(factor: Factor, answers: _Answers, means: GroupMeans) -> list[ItemReport]:
    texts = answers.texts
    reports = []
    for item in factor.items:
        item_id = item.id
        options, not_applicable, unanswered = texts.counts(item.scale, answers.given[item_id])
        sides = [texts.side_answers(item.scale, side, given[item_id]) for side, given in answers.sides]
        reports.append(made(
            ItemReport,
            id=item_id, text=texts.item_texts[item_id], critical=item.critical, reverse=item.reverse, options=list(options),
            not_applicable=not_applicable, unanswered=unanswered, score=means.items[item_id], source=item.source,
            sides=sides, notes=answers.notes.get(item_id) or [],
        ))
    return reports


def _respondent_labels(group: Sequence[Assessment], anonymize: bool, lang: str) -> list[str]:
    if anonymize:
        return [message("report.person", lang, n=i + 1) for i in range(len(group))]
    return [a.answers.respondent.name or message("report.person", lang, n=i + 1) for i, a in enumerate(group)]


def _ref(factor: FactorReport) -> FactorRef:
    return FactorRef(id=factor.id, number=factor.number, title=factor.title, score=factor.score, level=factor.level,
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


def _recommendation_level(texts: _Texts, level: str | None, groups: list[GroupScore]) -> str | None:
    """The lower of the factor's level and the lowest partner side's: advice follows the weaker side."""
    candidates = [level, *(g.level for g in groups if g.role in PARTNER_SIDES)]
    ranks = [texts.level_rank[c] for c in candidates if c is not None]
    if not ranks or max(ranks) == 0:
        return None
    return texts.level_ids[max(ranks)]


def _side_scores(finding: BlockerFinding, texts: _Texts) -> list[SideScore]:
    return [SideScore(role=m.side, label=texts.side_label(m.side), score=m.score, n=m.n) for m in finding.sides]


def _blockers(texts: _Texts, findings: list[BlockerFinding]) -> list[BlockerInfo]:
    return [
        BlockerInfo(item=b.item, text=texts.item_texts[b.item], factor=b.factor,
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
        return Priority(rank=rank, kind="factor", factor=f.id, factor_title=f.title, number=f.number, score=f.score,
                        level=f.level, short_title=f.short_title, recommendation=recommendation)
    return Priority(rank=rank, kind="blocker", factor=f.id, factor_title=f.title, number=f.number, score=f.score,
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


def _verdict(factors: list[FactorReport], blockers: list[BlockerInfo], refs: _Refs, texts: _Texts) -> Verdict:
    """The numbers the summary's one-sentence verdict names."""
    named = Counter(s.role for b in blockers for s in b.sides)
    most = max(named.values(), default=0)
    due = [f for f in factors if f.due and f.score is not None]
    weakest = min(due, key=lambda f: (f.score or 0.0, f.number)) if due else None
    return Verdict(
        blockers=len(blockers), blocked_factors=len({b.factor for b in blockers}),
        sides=[RoleCount(role=side, label=texts.side_label(side), n=most) for side in side_order(list(named)) if named[side] == most],
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


def _context(questionnaire: Questionnaire, group: Sequence[Assessment], who: list[str], texts: _Texts) -> list[ContextReport]:
    reports = []
    for question in questionnaire.context:
        answers = [(label, a, a.answers.context.get(question.id)) for label, a in zip(who, group, strict=True)]
        given = [(label, a, v) for label, a, v in answers if v not in (None, "", [])]
        reports.append(ContextReport(
            id=question.id, text=pick(question.text, texts.lang), type=question.type,
            options=_option_shares(question, [v for _, _, v in given], texts.lang),
            answers=[ContextText(who=label, role_label=texts.side_label(a.side), text=v)
                     for label, a, v in given if question.type == "text" and isinstance(v, str)],
            answered=len(given),
        ))
    return reports


def _option_shares(question: ContextQuestion, values: list[str | list[str]], lang: str) -> list[OptionShare]:
    chosen = [c for v in values for c in (v if isinstance(v, list) else [v])]
    return [_option_share(o.key, pick(o.label, lang), chosen.count(o.key)) for o in question.options]


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


def _sources(questionnaire: Questionnaire, lang: str) -> list[tuple[str, list[str], list[str]]]:
    """Each passage of the paper with its items' ids and their factors' short names."""
    by_text: dict[str, list[tuple[Factor, Item]]] = {}
    for factor, item in questionnaire.items():
        by_text.setdefault(item.source, []).append((factor, item))
    return [
        (text, [item.id for _, item in pairs], list(dict.fromkeys(short_title(factor, lang) for factor, _ in pairs)))
        for text, pairs in by_text.items()
    ]


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
    texts = _texts_for(questionnaire, lang)
    phase = partnership_phase(plan, group)
    sides = by_side(group)
    means = group_means(plan, group, phase)
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
            groups = [group_score(plan, side, texts.side_label(side), m.factors[factor_id], m.counts[factor_id])
                      for side, m in sides_means.items()]
            spread = stats([scores[factor_id] for scores in factor_scores])
            level = plan.level(score)
            advice_level = _recommendation_level(texts, level, groups)
            scored = sum(counts[factor_id] for counts in scored_counts)
            factors.append(made(
                FactorReport,
                id=factor_id, number=number, section=section.id, title=title,
                description=texts.descriptions[factor_id], weight=factor.weight,
                score=score, level=level, stats=spread,
                coverage=scored / (len(factor.items) * len(group)) if factor.items else 0.0,
                groups=groups, gap=perception_gap(factor_id, title, groups), low_consensus=low_consensus(spread),
                due=plan.is_due(plan.factor_plans[factor_id], phase), recommendation_level=advice_level,
                recommendations=list(texts.advice(factor, advice_level)), short_title=texts.short_titles[factor_id],
                items=_item_reports(factor, answers, means),
            ))
        sections.append(SectionReport(id=section.id, title=pick(section.title, lang), intro=pick(section.intro, lang),
                                      score=section_score.score, level=section_score.level, due=section_score.due,
                                      factors=factors))
    all_factors = [f for s in sections for f in s.factors]
    blockers = _blockers(texts, means.blockers)
    dates = survey_dates(group)
    gaps = sorted((f.gap for f in all_factors if f.gap and f.gap.flagged), key=lambda g: -g.points)
    refs = _Refs()
    strongest, weakest = _ranked(all_factors, refs)
    priorities = _priorities(all_factors, blockers, texts.level_ids[0])
    return AggregateReport(
        meta=ReportMeta(
            partnership=group[0].answers.partnership,
            questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
            questionnaire_title=texts.title, paper=questionnaire.source, language=lang,
            assessed_from=dates[0] if dates else None, assessed_to=dates[-1] if dates else None,
            # Never the clock: the same answer files give the same report on any day.
            generated=generated or (dates[-1] if dates else None), anonymized=anonymize, generator=generator,
        ),
        respondent_count=len(group),
        respondents=[
            RespondentInfo(label=label, organisation=None if anonymize else a.answers.respondent.organisation,
                           role=a.side, role_label=texts.side_label(a.side),
                           date=a.answers.date.isoformat() if a.answers.date else None,
                           file=None if anonymize else a.result.file)
            for label, a in zip(who, group, strict=True)
        ],
        roles=[RoleCount(role=side, label=texts.side_label(side), n=len(m)) for side, m in sides.items()],
        levels=texts.levels,
        overall=Overall(score=means.overall.score, level=means.overall.level,
                        capped=means.overall.level != plan.level(means.overall.score), blockers=blockers,
                        phase=_phase(questionnaire, plan, phase, group, lang)),
        groups=[group_score(plan, side, texts.side_label(side), sides_means[side].overall, len(m))
                for side, m in sides.items()],
        summary=Summary(strongest=strongest, weakest=weakest, gaps=gaps,
                        low_consensus=[refs(f) for f in all_factors if f.low_consensus],
                        verdict=_verdict(all_factors, blockers, refs, texts),
                        single_voices=[RoleCount(role=side, label=texts.side_label(side), n=1)
                                       for side, members in sides.items() if len(members) == 1 and len(sides) > 1]),
        priorities=priorities,
        recommendation_order=_recommendation_order(all_factors, priorities, texts.level_ids[0]),
        sections=sections,
        context=_context(questionnaire, group, who, texts),
        sources=[made(SourcePassage, text=text, items=items.copy(), factors=factors.copy()) for text, items, factors in texts.sources],
        session_notes=[SessionNote(item=item, item_text=texts.item_texts.get(item or "", ""), text=clean_note(text))
                       for item, text in session_notes if text.strip()],
    )


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
