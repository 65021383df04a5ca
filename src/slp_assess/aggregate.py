"""Aggregate several respondents of one partnership (the "aggregate" step; pure, no I/O).

Rules (exact, see docs/scoring):

* a factor's score is the mean of the respondents' factor scores (null ones left out), rounded as
  shown; the same means per side;
* the partnership's phase is the phase most respondents name (on a tie the earlier one); factors
  not yet due in it are shown but count neither towards the overall score nor for blockers;
* a due critical item blocks when any partner side's mean item score is below 50 % (stadt,
  landkreis, gemeinde, land; one respondent is enough, since one person may speak for a whole
  partner). ``other`` does not block on its own: the mean of all respondents decides only when no
  partner side scored the item;
* a perception gap is the highest minus the lowest side mean among sides with at least two
  respondents; a side with a single respondent is shown as a single voice but not compared;
* a critical item's gap is never averaged away: each critical item is compared between the partner
  sides on their mean item scores, single voices included (``critical_sides``).
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import Protocol, TypeVar

from slp_assess.models.answers import AnswerFile, person_key
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.report import Gap, GroupScore, Stats
from slp_assess.models.results import OverallScore, ScoreResult, SectionScore
from slp_assess.rounding import difference, half_up_ratio, near_tie, shown, tenths
from slp_assess.scoring import ScoringPlan, is_blocking, plan_for, score_answers
from slp_assess.sides import GAP_MIN_RESPONDENTS, PARTNER_SIDES, side_order
from slp_assess.trusted import made

GAP_FLAG = 20.0
LOW_CONSENSUS_FLAG = 20.0


class Scored(Protocol):
    """What aggregation needs of one respondent: a full ``Assessment`` or a compact ``ScoredFile``."""

    @property
    def file(self) -> str: ...
    @property
    def side(self) -> str: ...
    @property
    def person(self) -> str: ...
    @property
    def phase(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def item_scores(self) -> Mapping[str, float]: ...
    @property
    def factor_scores(self) -> Mapping[str, float | None]: ...
    @property
    def scored(self) -> Mapping[str, int]: ...


ScoredT = TypeVar("ScoredT", bound=Scored)


@dataclass(frozen=True)
class Assessment:
    """One scored answer file: its answers, its result and its item scores (0..1, answered items only)."""

    answers: AnswerFile
    result: ScoreResult
    item_scores: Mapping[str, float] = field(repr=False)

    @property
    def file(self) -> str:
        """The answer file."""
        return self.result.file

    @cached_property
    def side(self) -> str:
        """The side the respondent speaks for."""
        return self.answers.respondent.role

    @property
    def person(self) -> str:
        """Who answered (``person_key`` of the name): answers of one person are recognised by it and the side."""
        return person_key(self.answers.respondent.name)

    @property
    def phase(self) -> str | None:
        """The phase the respondent names (scoring took it from the context answers)."""
        return self.result.overall.phase

    @property
    def date(self) -> str | None:
        """The answer file's date as ISO text."""
        return self.result.date

    @cached_property
    def factor_scores(self) -> dict[str, float | None]:
        """The respondent's factor scores by factor id."""
        return {f.id: f.score for f in self.result.factors}

    @cached_property
    def scored(self) -> dict[str, int]:
        """Items that counted, by factor id."""
        return {f.id: f.scored for f in self.result.factors}


def assessment_of(answers: AnswerFile, questionnaire: Questionnaire, file: str = "") -> Assessment:
    """Score a validated answer file and keep what aggregation needs."""
    plan = plan_for(questionnaire)
    return Assessment(answers, score_answers(answers, questionnaire, file), plan.item_scores(answers))


def stats(values: Iterable[float | None]) -> Stats:
    """Mean, min, max and population standard deviation (all as shown) and n of the values present (shown scores)."""
    present = [v for v in values if v is not None]
    if not present:
        return Stats(mean=None, min=None, max=None, stdev=None, n=0)
    return made(
        Stats, mean=mean_of_scores(present), min=shown(min(present)), max=shown(max(present)),
        stdev=stdev_of_scores(present), n=len(present),
    )


def mean_of_scores(scores: Sequence[float]) -> float:
    """The mean of shown scores (whole tenths), exactly, rounded as shown."""
    estimate = sum(scores) / len(scores)
    if not near_tie(estimate):  # then the float rounds as the exact value does (see ``near_tie``)
        return shown(estimate)
    return half_up_ratio(sum([round(s * 10) for s in scores]), 10 * len(scores))  # a shown score is whole tenths


def stdev_of_scores(scores: Sequence[float]) -> float:
    """The population standard deviation of shown scores, rounded as shown.

    Near a tie the square root is rounded exactly, in integers: with the scores in tenths t, the
    deviation in tenths is y = sqrt(n * sum(t^2) - sum(t)^2) / n, and half up it is
    floor((floor(2y) + 1) / 2), where floor(2y) is the integer square root of floor(4 * (...) / n^2).
    """
    estimate = pstdev(scores)
    if not near_tie(estimate):
        return shown(estimate)
    count = len(scores)
    points = [tenths(s) for s in scores]
    top = count * sum(t * t for t in points) - sum(points) ** 2
    twice = math.isqrt(4 * top // (count * count))
    return (twice + 1) // 2 / 10


def pstdev(values: Sequence[float]) -> float:
    """``statistics.pstdev`` of floats: the same float, ten times faster (it is run per factor and report).

    statistics computes the population variance exactly with Fractions, then takes its square root
    correctly rounded. Here the variance is exact too, in integers: every float is an integer over a
    power of two, so over the largest of those denominators all of them are integers. A correctly
    rounded result is unique, so both give the same float (tested against statistics).
    """
    ratios = [v.as_integer_ratio() for v in values]
    scale = max([d for _, d in ratios])
    numerators = [n * (scale // d) for n, d in ratios]
    count = len(numerators)
    # The variance is top / bottom: (count * sum of squares - square of the sum) / (count * scale) ** 2.
    top = count * sum([n * n for n in numerators]) - sum(numerators) ** 2
    bottom = (count * scale) ** 2
    common = math.gcd(top, bottom)
    return _sqrt_of_fraction(top // common, bottom // common)


_SQRT_BITS = 2 * sys.float_info.mant_dig + 3


def _sqrt_of_fraction(n: int, m: int) -> float:
    # statistics' own rule (CPython's _float_sqrt_of_frac, see https://bugs.python.org/msg407078): an
    # integer square root with enough bits, its last bit set when inexact (round to odd), then one
    # rounding to float, which is then correct.
    q = (n.bit_length() - m.bit_length() - _SQRT_BITS) // 2
    if q >= 0:
        return (_isqrt_round_to_odd(n, m << 2 * q) << q) / 1
    return _isqrt_round_to_odd(n << -2 * q, m) / (1 << -q)


def _isqrt_round_to_odd(n: int, m: int) -> int:
    root = math.isqrt(n // m)
    return root | (root * root * m != n)


def by_side(group: Sequence[ScoredT]) -> dict[str, list[ScoredT]]:
    """Assessments per side, in the fixed side order."""
    sides = side_order([a.side for a in group])
    return {side: [a for a in group if a.side == side] for side in sides}


def partnership_phase(plan: ScoringPlan, group: Sequence[Scored]) -> str | None:
    """The phase most respondents name; on a tie the earlier one; None when nobody names one."""
    named = Counter(p for a in group if (p := a.phase) is not None)
    if not named:
        return None
    return min(named, key=lambda phase: (-named[phase], plan.phase_rank[phase]))


@dataclass(frozen=True)
class SideMean:
    """One side's mean item score on a critical item, in percent as shown."""

    side: str
    score: float
    n: int


@dataclass(frozen=True)
class BlockerFinding:
    """A critical item that blocks, with the evidence a report shows.

    Attributes:
        score: the blocking percentage: the lowest blocking side's mean, or the mean of all.
        sides: the partner sides below 50 %, lowest first; empty when the mean of all decides.
        mean: the mean of all respondents in percent.
        below: respondents whose own score is below 50 %.
        n: respondents who scored the item.
    """

    item: str
    factor: str
    score: float
    sides: tuple[SideMean, ...]
    mean: float
    below: int
    n: int


def _scores_by_side(group: Sequence[Scored], item_id: str) -> dict[str, list[float]]:
    """The item scores of an item per side, of the respondents who scored it."""
    scores: dict[str, list[float]] = {}
    for a in group:
        if (s := a.item_scores.get(item_id)) is not None:
            scores.setdefault(a.side, []).append(s)
    return scores


def _partner_means(plan: ScoringPlan, item_id: str, scores: Mapping[str, list[float]]) -> list[tuple[str, float, int]]:
    """(side, mean in percent as shown, n) per partner side that scored the item, in side order."""
    return [(side, plan.mean_percent(item_id, values), len(values)) for side in PARTNER_SIDES if (values := scores.get(side))]


def find_blockers(plan: ScoringPlan, group: Sequence[Scored], phase: str | None) -> list[BlockerFinding]:
    """Due critical items that block for a partner side (or, without partner sides, for all)."""
    findings = []
    for factor_id, item_id in plan.critical:
        if not plan.is_due(plan.factor_plans[factor_id], phase):
            continue
        scores = _scores_by_side(group, item_id)
        if not scores:
            continue
        everyone = [s for values in scores.values() for s in values]
        percent = plan.percent[item_id]
        partner_means = _partner_means(plan, item_id, scores)
        overall = plan.mean_percent(item_id, everyone)
        blocking = sorted((m for m in partner_means if is_blocking(m[1])), key=lambda m: m[1])
        if partner_means and not blocking or not partner_means and not is_blocking(overall):
            continue
        findings.append(BlockerFinding(
            item=item_id, factor=factor_id, score=blocking[0][1] if blocking else overall,
            sides=tuple(SideMean(*m) for m in blocking), mean=overall,
            below=sum(1 for s in everyone if is_blocking(percent[s])), n=len(everyone),
        ))
    return findings


@dataclass(frozen=True)
class CriticalSides:
    """A critical item as each partner side sees it, single voices included.

    A factor's perception gap averages a key requirement with the factor's other items and compares only
    sides of two or more respondents; a key requirement's gap between the city and the rural partners must
    stay visible whatever the number of respondents per side, so it is compared here, item by item.

    Attributes:
        sides: each partner side that scored the item, in side order (its mean in percent as shown, n).
        points: the highest minus the lowest side mean; None with fewer than two partner sides.
        flagged: a gap of GAP_FLAG points or more.
    """

    item: str
    factor: str
    sides: tuple[SideMean, ...]
    points: float | None
    flagged: bool

    @property
    def low(self) -> SideMean | None:
        """The side with the lowest mean (the first in side order on a tie); None without a gap."""
        return min(self.sides, key=_mean_score) if self.points is not None else None

    @property
    def high(self) -> SideMean | None:
        """The side with the highest mean (the first in side order on a tie); None without a gap."""
        return max(self.sides, key=_mean_score) if self.points is not None else None


_mean_score = attrgetter("score")


def critical_sides(plan: ScoringPlan, group: Sequence[Scored]) -> list[CriticalSides]:
    """Every critical item that a partner side scored, with each partner side's mean and the gap between them."""
    found = []
    for factor_id, item_id in plan.critical:
        means = [SideMean(*m) for m in _partner_means(plan, item_id, _scores_by_side(group, item_id))]
        if not means:
            continue
        points = difference(max(means, key=_mean_score).score, min(means, key=_mean_score).score) if len(means) > 1 else None
        found.append(CriticalSides(item_id, factor_id, tuple(means), points, points is not None and points >= GAP_FLAG))
    return found


@dataclass(frozen=True)
class GroupMeans:
    """Mean scores of a set of assessments with the overall rule applied.

    Attributes:
        factors: mean factor scores as shown.
        counts: respondents with a score, per factor.
        items: mean item scores in percent as shown (None without answers).
        critical: the critical items as each partner side sees them (``critical_sides``).
    """

    factors: dict[str, float | None]
    counts: dict[str, int]
    items: dict[str, float | None]
    sections: list[SectionScore]
    overall: OverallScore
    blockers: list[BlockerFinding]
    critical: list[CriticalSides] = field(default_factory=list)


@dataclass(frozen=True)
class SideMeans:
    """What a report shows of one side: its mean factor scores and its overall score.

    Attributes:
        factors: mean factor scores as shown.
        counts: respondents of the side with a score, per factor.
        overall: the overall score as shown (its level needs the blockers: ``group_means``).
    """

    factors: dict[str, float | None]
    counts: dict[str, int]
    overall: float | None


def _factor_means(plan: ScoringPlan, group: Sequence[Scored]) -> tuple[dict[str, float | None], dict[str, int]]:
    factors: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    scores_of = [a.factor_scores for a in group]
    for factor in plan.factors:
        present = [s for scores in scores_of if (s := scores[factor.id]) is not None]
        factors[factor.id] = mean_of_scores(present) if present else None
        counts[factor.id] = len(present)
    return factors, counts


def group_means(plan: ScoringPlan, group: Sequence[Scored], phase: str | None) -> GroupMeans:
    """Means of a group (all respondents, or one side) in the partnership's ``phase``."""
    factors, counts = _factor_means(plan, group)
    # one row of item scores per respondent; zip(*rows) turns them into one column per item
    rows = [[scores.get(item_id) for item_id in plan.item_values] for scores in (a.item_scores for a in group)]
    columns = zip(*rows, strict=True) if rows else [()] * len(plan.item_values)
    items: dict[str, float | None] = {}
    for item_id, column in zip(plan.item_values, columns, strict=True):
        present = [s for s in column if s is not None]
        items[item_id] = plan.mean_percent(item_id, present) if present else None
    blockers = find_blockers(plan, group, phase)
    as_results = [
        {"item": b.item, "factor": b.factor, "score": b.score, "sides": [m.side for m in b.sides]} for b in blockers
    ]
    sections, overall = plan.combine(factors, phase, as_results)
    return GroupMeans(
        factors, counts, items, [SectionScore.model_validate(s) for s in sections], OverallScore.model_validate(overall),
        blockers, critical_sides(plan, group),
    )


def side_means(plan: ScoringPlan, group: Sequence[Scored], phase: str | None) -> SideMeans:
    """The factor means and overall score of one side: ``group_means`` without what a side's report leaves out."""
    factors, counts = _factor_means(plan, group)
    # The overall score does not depend on blockers (they only cap its level): none are looked for.
    _, overall = plan.combine(factors, phase, [])
    return SideMeans(factors, counts, overall["score"])


def group_score(plan: ScoringPlan, side: str, label: str, score: float | None, n: int) -> GroupScore:
    """A side's mean as the report shows it; a single respondent is marked as a single voice."""
    return _group_score(side, label, score, plan.level(score), n)


@lru_cache(maxsize=4096)
def _group_score(side: str, label: str, score: float | None, level: str | None, n: int) -> GroupScore:
    # Frozen and made of plain values, so equal ones are one instance, as option counts are.
    return GroupScore(role=side, label=label, score=score, level=level, n=n, single_voice=n == 1)


_score = attrgetter("score")  # of sides that have one


def perception_gap(factor_id: str, title: str, groups: list[GroupScore]) -> Gap | None:
    """Highest minus lowest mean of the sides with enough respondents; None unless two such sides hold data."""
    eligible = [g for g in groups if g.score is not None and g.n >= GAP_MIN_RESPONDENTS]
    if len(eligible) < 2:
        return None
    low = min(eligible, key=_score)
    high = max(eligible, key=_score)
    points = difference(high.score or 0.0, low.score or 0.0)
    return made(Gap, factor=factor_id, title=title, points=points, low=low, high=high, flagged=points >= GAP_FLAG)


def low_consensus(spread: Stats) -> bool:
    """Respondents disagree: a standard deviation (as shown) of 20 points or more."""
    return spread.n > 1 and (spread.stdev or 0.0) >= LOW_CONSENSUS_FLAG


def survey_dates(group: Sequence[Scored]) -> list[str]:
    """The answer files' dates, sorted."""
    return sorted(a.date for a in group if a.date)
