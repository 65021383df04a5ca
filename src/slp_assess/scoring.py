"""The scoring rules (exact, see docs): item -> factor -> section/overall, levels and blockers."""

from __future__ import annotations

from collections.abc import Iterable

from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import NOT_APPLICABLE, Factor, Item, Questionnaire
from slp_assess.models.results import (
    Blocker,
    FactorScore,
    OverallScore,
    QuestionnaireRef,
    RespondentRef,
    ScoreResult,
    SectionScore,
)

BLOCKER_BELOW = 0.5


def score_item(item: Item, key: str | None, questionnaire: Questionnaire) -> float | None:
    """Item score in 0..1: points rescaled to the scale's range, reversed if asked.

    None for ``n/a`` and unanswered items, which are left out of every average.
    """
    if key is None or key == NOT_APPLICABLE:
        return None
    scale = questionnaire.scales[item.scale]
    option = scale.option(key)
    if option is None:
        raise KeyError(f"{key!r} is not an option of scale {item.scale!r}")
    value = (option.points - scale.min_points) / (scale.max_points - scale.min_points)
    return 1.0 - value if item.reverse else value


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Weighted mean of (weight, value) pairs; None when there are none."""
    total_weight = 0.0
    total = 0.0
    for weight, value in pairs:
        total_weight += weight
        total += weight * value
    return total / total_weight if total_weight else None


def score_factor(factor: Factor, item_scores: dict[str, float | None]) -> tuple[float | None, int]:
    """Factor score in 0..100 (None without data) and the number of scored items."""
    scored = [(item.weight, s) for item in factor.items if (s := item_scores.get(item.id)) is not None]
    mean = weighted_mean(scored)
    return (None if mean is None else 100.0 * mean), len(scored)


def combine_factors(
    questionnaire: Questionnaire,
    factor_scores: dict[str, float | None],
    item_scores: dict[str, float | None],
) -> tuple[list[SectionScore], OverallScore]:
    """Section and overall scores from factor scores, with the blocker cap on the overall level.

    Shared by single files and aggregates, so both follow the same rule.
    """
    sections = []
    for section in questionnaire.sections:
        score = weighted_mean(
            (f.weight, s) for f in section.factors if (s := factor_scores.get(f.id)) is not None
        )
        sections.append(SectionScore(id=section.id, score=score, level=_level_id(questionnaire, score)))
    overall = weighted_mean(
        (f.weight, s) for _, f in questionnaire.factors() if (s := factor_scores.get(f.id)) is not None
    )
    blockers = [
        Blocker(item=item.id, factor=factor.id, score=s)
        for factor, item in questionnaire.items()
        if item.critical and (s := item_scores.get(item.id)) is not None and s < BLOCKER_BELOW
    ]
    level = _level_id(questionnaire, overall)
    if blockers and level is not None:
        level = cap_level(questionnaire, level)
    return sections, OverallScore(score=overall, level=level, blockers=blockers)


def cap_level(questionnaire: Questionnaire, level_id: str) -> str:
    """Lower a level to the middle one when it is above it (blockers present)."""
    ordered = [lv.id for lv in questionnaire.ordered_levels()]
    middle = ordered[len(ordered) // 2] if len(ordered) > 1 else ordered[0]
    return middle if ordered.index(level_id) < ordered.index(middle) else level_id


def _level_id(questionnaire: Questionnaire, score: float | None) -> str | None:
    return None if score is None else questionnaire.level_for(score).id


def item_scores_of(answers: AnswerFile, questionnaire: Questionnaire) -> dict[str, float | None]:
    """Item scores of an answer file (None for n/a and unanswered)."""
    return {
        item.id: score_item(item, a.value if (a := answers.answers.get(item.id)) else None, questionnaire)
        for _, item in questionnaire.items()
    }


def score_answers(answers: AnswerFile, questionnaire: Questionnaire, file: str = "") -> ScoreResult:
    """Score one validated answer file."""
    item_scores = item_scores_of(answers, questionnaire)
    factors = []
    factor_values: dict[str, float | None] = {}
    for section, factor in questionnaire.factors():
        score, scored = score_factor(factor, item_scores)
        factor_values[factor.id] = score
        factors.append(
            FactorScore(
                id=factor.id,
                section=section.id,
                score=score,
                level=_level_id(questionnaire, score),
                scored=scored,
                items=len(factor.items),
            )
        )
    sections, overall = combine_factors(questionnaire, factor_values, item_scores)
    return ScoreResult(
        file=file,
        questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        partnership=answers.partnership,
        respondent=RespondentRef(
            name=answers.respondent.name,
            organisation=answers.respondent.organisation,
            role=answers.respondent.role,
        ),
        date=answers.date.isoformat() if answers.date else None,
        overall=overall,
        sections=sections,
        factors=factors,
    )
