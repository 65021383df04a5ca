"""Invariants of scoring, checked with hypothesis."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from slp_assess.loading import load_questionnaire_file
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.scoring import score_answers

MINI = load_questionnaire_file(Path(__file__).parent / "fixtures" / "core" / "mini.yaml")
CHOICES = {item.id: [o.key for o in MINI.scales[item.scale].options] for _, item in MINI.items()}


def answer_sets() -> st.SearchStrategy[dict[str, str]]:
    per_item = {
        item_id: st.one_of(st.none(), st.just("n/a"), st.sampled_from(keys)) for item_id, keys in CHOICES.items()
    }
    return st.fixed_dictionaries(per_item).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _score(answers: dict[str, str], questionnaire: Questionnaire = MINI):
    return score_answers(AnswerFile(questionnaire="mini", version="1.0", answers=answers), questionnaire)


@settings(max_examples=300)
@given(answer_sets())
def test_scores_stay_within_bounds(answers):
    result = _score(answers)
    scores = [f.score for f in result.factors] + [s.score for s in result.sections] + [result.overall.score]
    assert all(0.0 <= s <= 100.0 for s in scores if s is not None)


def _item_value(item_id: str, key: str) -> float:
    item = MINI.item_index()[item_id]
    scale = MINI.scales[item.scale]
    raw = (scale.option(key).points - scale.min_points) / (scale.max_points - scale.min_points)
    return 1 - raw if item.reverse else raw


@settings(max_examples=300)
@given(answer_sets(), st.sampled_from(sorted(CHOICES)), st.data())
def test_better_answer_never_lowers_factor_or_overall(answers, item_id, data):
    current = answers.get(item_id)
    if current is None or current == "n/a":
        return
    better = [k for k in CHOICES[item_id] if _item_value(item_id, k) > _item_value(item_id, current)]
    if not better:
        return
    improved = {**answers, item_id: data.draw(st.sampled_from(better))}
    before, after = _score(answers), _score(improved)
    factor_id = next(f.id for f, i in MINI.items() if i.id == item_id)
    factor_before = next(f.score for f in before.factors if f.id == factor_id)
    factor_after = next(f.score for f in after.factors if f.id == factor_id)
    assert factor_after > factor_before
    assert after.overall.score >= before.overall.score - 1e-9


@settings(max_examples=100)
@given(answer_sets(), st.randoms(use_true_random=False))
def test_order_of_items_changes_nothing(answers, rng: random.Random):
    shuffled_sections = []
    for section in MINI.sections:
        factors = []
        for factor in section.factors:
            items = list(factor.items)
            rng.shuffle(items)
            factors.append(factor.model_copy(update={"items": items}))
        rng.shuffle(factors)
        shuffled_sections.append(section.model_copy(update={"factors": factors}))
    shuffled = MINI.model_copy(update={"sections": shuffled_sections})
    keys = list(answers)
    rng.shuffle(keys)
    original = _score(answers)
    reordered = _score({k: answers[k] for k in keys}, shuffled)
    # Float sums in another order may differ in the last bits, nothing more.
    assert (reordered.overall.score is None) == (original.overall.score is None)
    if original.overall.score is not None:
        assert abs(reordered.overall.score - original.overall.score) < 1e-9
    assert reordered.overall.level == original.overall.level
    assert sorted(b.item for b in reordered.overall.blockers) == sorted(b.item for b in original.overall.blockers)
    factor_scores = {f.id: f.score for f in original.factors}
    for factor in reordered.factors:
        expected = factor_scores[factor.id]
        assert (factor.score is None) == (expected is None)
        assert factor.score is None or abs(factor.score - expected) < 1e-9
