"""The scoring rules (exact, see docs/scoring): item -> factor -> section/overall, levels and blockers.

One implementation serves every path: ``ScoringPlan`` turns a questionnaire into lookup tables once,
and both the reference path (``score_answers``) and the fast batch path use it. Every score is
rounded as shown (``slp_assess.rounding``) the moment it is computed, and what builds on it (sections,
the overall score, aggregates) is computed from the rounded value, so a reader can redo any
number by hand from the numbers one step below.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.models.results import ScoreResult
from slp_assess.rounding import exact, half_up_ratio, shown

# A critical item below this percentage (as shown) is a blocker.
BLOCKER_BELOW = 50.0


def rounded_mean(pairs: Iterable[tuple[int, float]]) -> float | None:
    """The weighted mean of shown scores, exactly, rounded as shown; None when there are none.

    The weights are integers (``ScoringPlan.factor_weights``) and a shown score is a whole number of tenths,
    so the mean is a ratio of integers.
    """
    total_weight = 0
    total = 0
    for weight, score in pairs:
        total_weight += weight
        total += weight * round(score * 10)  # a shown score is within float noise of its whole tenths
    return half_up_ratio(total, 10 * total_weight) if total_weight else None


def _common_denominator(values: Iterable[Fraction]) -> int:
    return math.lcm(*(v.denominator for v in values))


# factor id -> ((item id, item score -> weight x score x common, weight x weight common), ...), common, weight common
WeightedItems = dict[str, tuple[tuple[tuple[str, dict[float, int], int], ...], int, int]]


def _integer_tables(
    q: Questionnaire, exact_values: dict[str, dict[float, Fraction]]
) -> tuple[dict[str, tuple[dict[float, int], int]], WeightedItems, dict[str, int]]:
    """What exact scoring needs, in integers: the exact values over common denominators.

    Returns each item's scores as numerators over one denominator (item id -> (item score ->
    numerator, denominator)), each factor's weighted item scores and weights (``WeightedItems``), and
    the factors' weights over one denominator for all of them (factor id -> integer weight).
    """
    numerators = {}
    for item_id, by_value in exact_values.items():
        denominator = _common_denominator(by_value.values())
        numerators[item_id] = ({v: int(r * denominator) for v, r in by_value.items()}, denominator)
    weighted: WeightedItems = {}
    for _, factor in q.factors():
        weights = {i.id: exact(i.weight) for i in factor.items}
        common = _common_denominator(weights[i.id] * r for i in factor.items for r in exact_values[i.id].values())
        weight_common = _common_denominator(weights.values())
        rows = tuple(
            (i.id, {v: int(weights[i.id] * r * common) for v, r in exact_values[i.id].items()}, int(weights[i.id] * weight_common))
            for i in factor.items
        )
        weighted[factor.id] = rows, common, weight_common
    factor_weights = {f.id: exact(f.weight) for _, f in q.factors()}
    common = _common_denominator(factor_weights.values())
    return numerators, weighted, {factor_id: int(w * common) for factor_id, w in factor_weights.items()}


def is_blocking(percent: float) -> bool:
    """Whether a critical item's score in percent blocks, decided on the shown value."""
    return shown(percent) < BLOCKER_BELOW


@dataclass(frozen=True)
class FactorPlan:
    """A factor as scoring needs it."""

    section: str
    id: str
    weight: float
    items: tuple[tuple[str, float], ...]
    # Position of ``expected_from`` in the phase order; 0 (always due) without one.
    due_from: int


class ScoringPlan:
    """Lookup tables for scoring one questionnaire, built once per questionnaire."""

    def __init__(self, q: Questionnaire) -> None:
        self.questionnaire = q
        self.ref = {"id": q.id, "version": q.version}
        # item id -> scale key -> item score in 0..1 (reversed where asked)
        self.item_values: dict[str, dict[str, float]] = {}
        # item id -> item score (one of item_values) -> the same score exactly: points are decimals
        exact_values: dict[str, dict[float, Fraction]] = {}
        for _, item in q.items():
            scale = q.scales[item.scale]
            low, high = scale.min_points, scale.max_points
            values: dict[str, float] = {}
            exact_values[item.id] = {}
            for option in scale.options:
                if option.key in values:
                    continue
                value = (option.points - low) / (high - low)
                ratio = (exact(option.points) - exact(low)) / (exact(high) - exact(low))
                values[option.key] = 1.0 - value if item.reverse else value
                exact_values[item.id][values[option.key]] = 1 - ratio if item.reverse else ratio
            self.item_values[item.id] = values
        self.item_numerators, self._weighted, self.factor_weights = _integer_tables(q, exact_values)
        # item id -> item score -> that score in percent as shown
        self.percent = {
            item_id: {value: half_up_ratio(100 * numerator, denominator) for value, numerator in numerators.items()}
            for item_id, (numerators, denominator) in self.item_numerators.items()
        }
        self.phase_question = q.phases.question if q.phases else None
        self.phase_rank = {key: rank for rank, key in enumerate(q.phases.order)} if q.phases else {}
        self.factors = [
            FactorPlan(s.id, f.id, f.weight, tuple((i.id, i.weight) for i in f.items),
                       self.phase_rank.get(f.expected_from, 0) if f.expected_from else 0)
            for s, f in q.factors()
        ]
        self.factor_plans = {plan.id: plan for plan in self.factors}
        self.sections = [(s.id, tuple(self.factor_plans[f.id] for f in s.factors)) for s in q.sections]
        self.critical = [(f.id, i.id) for f, i in q.items() if i.critical]
        self.levels = [(lv.threshold, lv.id) for lv in q.ordered_levels()]
        middle = self.levels[len(self.levels) // 2][1] if len(self.levels) > 1 else self.levels[0][1]
        self._cap_rank = [lv for _, lv in self.levels].index(middle)

    def level(self, score: float | None) -> str | None:
        """The level of a score as shown; None for no data."""
        if score is None:
            return None
        rounded = shown(score)
        for threshold, level_id in self.levels:
            if rounded >= threshold:
                return level_id
        return self.levels[-1][1]

    def capped(self, level_id: str) -> str:
        """A level lowered to the middle one when it is above it (there are blockers)."""
        ids = [lv for _, lv in self.levels]
        return ids[max(ids.index(level_id), self._cap_rank)]

    def phase_of(self, context: Mapping[str, Any]) -> str | None:
        """The phase an answer file names, if the questionnaire asks for one."""
        if self.phase_question is None:
            return None
        value = context.get(self.phase_question)
        return value if isinstance(value, str) and value in self.phase_rank else None

    def is_due(self, plan: FactorPlan, phase: str | None) -> bool:
        """Whether a factor is expected in a phase; every factor is due when the phase is unknown."""
        return phase is None or self.phase_rank[phase] >= plan.due_from

    def item_scores(self, answers: AnswerFile) -> dict[str, float]:
        """Item scores in 0..1 of the answered items (n/a and unanswered left out)."""
        values = self.item_values
        return {
            item_id: values[item_id][answer.value]
            for item_id, answer in answers.answers.items()
            if answer.value is not None and answer.value != NOT_APPLICABLE
        }

    def factor_score(self, plan: FactorPlan, item_scores: Mapping[str, float]) -> tuple[float | None, int]:
        """Factor score in 0..100 as shown (None without data) and the number of scored items.

        Computed exactly: 100 x sum(weight x item score) / sum(weight), in integers.
        """
        rows, common, weight_common = self._weighted[plan.id]
        total = 0
        weights = 0
        scored = 0
        for item_id, weighted, weight in rows:
            s = item_scores.get(item_id)
            if s is not None:
                total += weighted[s]
                weights += weight
                scored += 1
        if not scored:
            return None, 0
        return half_up_ratio(100 * total * weight_common, common * weights), scored

    def mean_percent(self, item_id: str, values: list[float]) -> float:
        """The mean of item scores of one item (each one of ``item_values``), in percent, exactly, rounded as shown."""
        numerators, denominator = self.item_numerators[item_id]
        return half_up_ratio(100 * sum(map(numerators.__getitem__, values)), denominator * len(values))

    def item_blockers(self, item_scores: Mapping[str, float], phase: str | None) -> list[dict[str, Any]]:
        """Blockers of one respondent: due critical items scored below 50 %."""
        blockers = []
        for factor_id, item_id in self.critical:
            s = item_scores.get(item_id)
            if s is not None and self.is_due(self.factor_plans[factor_id], phase):
                percent = self.percent[item_id][s]
                if is_blocking(percent):
                    blockers.append({"item": item_id, "factor": factor_id, "score": percent, "sides": []})
        return blockers

    def combine(
        self, factor_scores: Mapping[str, float | None], phase: str | None, blockers: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Sections and the overall result from (rounded) factor scores; the one rule for files and aggregates."""
        sections = []
        weights = self.factor_weights
        for section_id, members in self.sections:
            due = [p for p in members if self.is_due(p, phase)]
            counted = due or members
            score = rounded_mean((weights[p.id], s) for p in counted if (s := factor_scores.get(p.id)) is not None)
            sections.append({"id": section_id, "score": score, "level": self.level(score), "due": bool(due)})
        overall = rounded_mean(
            (weights[p.id], s) for p in self.factors if self.is_due(p, phase) and (s := factor_scores.get(p.id)) is not None
        )
        level = self.level(overall)
        if blockers and level is not None:
            level = self.capped(level)
        return sections, {"score": overall, "level": level, "blockers": blockers, "phase": phase}

    def score(self, answers: AnswerFile, file: str) -> dict[str, Any]:
        """Score validated answers; the result shaped as ``ScoreResult.model_dump()``."""
        item_scores = self.item_scores(answers)
        phase = self.phase_of(answers.context)
        factors = []
        factor_values: dict[str, float | None] = {}
        for plan in self.factors:
            score, scored = self.factor_score(plan, item_scores)
            factor_values[plan.id] = score
            factors.append(
                {"id": plan.id, "section": plan.section, "score": score, "level": self.level(score),
                 "scored": scored, "items": len(plan.items), "due": self.is_due(plan, phase)}
            )
        sections, overall = self.combine(factor_values, phase, self.item_blockers(item_scores, phase))
        respondent = answers.respondent
        return {
            "file": file,
            "questionnaire": self.ref,
            "partnership": answers.partnership,
            "respondent": {"name": respondent.name, "organisation": respondent.organisation, "role": respondent.role},
            "date": answers.date.isoformat() if answers.date else None,
            "overall": overall,
            "sections": sections,
            "factors": factors,
        }


_plans: dict[int, ScoringPlan] = {}


def plan_for(questionnaire: Questionnaire) -> ScoringPlan:
    """The scoring plan of a questionnaire, built on first use."""
    plan = _plans.get(id(questionnaire))
    if plan is None or plan.questionnaire is not questionnaire:
        if len(_plans) > 64:  # questionnaires are few; drop plans of ones no longer used
            _plans.clear()
        plan = _plans[id(questionnaire)] = ScoringPlan(questionnaire)
    return plan


def score_answers(answers: AnswerFile, questionnaire: Questionnaire, file: str = "") -> ScoreResult:
    """Score one validated answer file."""
    return ScoreResult.model_validate(plan_for(questionnaire).score(answers, file))
