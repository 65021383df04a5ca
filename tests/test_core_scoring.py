"""The scoring rules, pinned with exact numbers."""

from __future__ import annotations

import pytest

from slp_assess.loading import load_answer_file
from slp_assess.models.answers import AnswerFile
from slp_assess.scoring import plan_for, score_answers


def _answers(**answers: str) -> AnswerFile:
    return AnswerFile.model_validate(
        {"questionnaire": "mini", "version": "1.0", "answers": {k.replace("__", "."): v for k, v in answers.items()}}
    )


def test_item_score_rescales_points_and_reverses(mini):
    values = plan_for(mini).item_values
    assert values["success.eye_level.equal_say"]["1"] == 0.0
    assert values["success.eye_level.equal_say"]["4"] == 0.75
    assert values["success.eye_level.city_dominates"]["4"] == 0.25
    assert values["success.leadership.anchored"]["partly"] == 0.5
    scores = plan_for(mini).item_scores(_answers(success__eye_level__equal_say="n/a", success__leadership__anchored="yes"))
    assert scores == {"success.leadership.anchored": 1.0}


def test_city_file_scores_exactly(core_fixtures, mini_catalog):
    answers, q = load_answer_file(core_fixtures / "answers-city.yaml", mini_catalog)
    result = score_answers(answers, q, "answers-city.yaml")
    factors = {f.id: f for f in result.factors}
    assert factors["success.eye_level"].score == pytest.approx(75.0)
    assert factors["success.eye_level"].level == "ready"
    assert factors["success.leadership"].score == 100.0
    transparency = factors["financing.transparency"]
    assert (transparency.score, transparency.level, transparency.scored, transparency.items) == (50.0, "partly", 1, 2)
    assert transparency.coverage == 0.5
    sections = {s.id: s.score for s in result.sections}
    # (2 * 75 + 100) / 3 = 83.333...: rounded half up to one decimal, as shown.
    assert sections["success"] == 83.3
    assert sections["financing"] == 50.0
    # Overall averages factors with their weights (eye level 2), not sections.
    assert result.overall.score == pytest.approx(75.0)
    assert result.overall.level == "ready"
    assert result.overall.blockers == []
    assert result.respondent.role == "stadt"
    assert result.date == "2026-03-18"


def test_rural_file_has_blocker_and_unanswered_item(core_fixtures, mini_catalog):
    answers, q = load_answer_file(core_fixtures / "answers-rural.yaml", mini_catalog)
    result = score_answers(answers, q)
    factors = {f.id: f for f in result.factors}
    # 100 * 0.25 / 3 = 8.333... is shown, and used further, as 8.3.
    assert factors["success.eye_level"].score == 8.3
    assert factors["financing.transparency"].score == 25.0
    assert factors["financing.transparency"].scored == 1
    # The overall score is computed from the factor scores as shown: (2 * 8.3 + 50 + 25) / 4 = 22.9.
    assert result.overall.score == 22.9
    assert result.overall.level == "not_ready"
    assert [b.item for b in result.overall.blockers] == ["success.eye_level.equal_say"]
    assert result.overall.blockers[0].score == 25.0


def test_threshold_is_inclusive(mini):
    # equal_say 4 (0.75) and city_dominates 2 reversed (0.75): factor exactly 75.0.
    result = score_answers(_answers(success__eye_level__equal_say="4", success__eye_level__city_dominates="2"), mini)
    eye = result.factors[0]
    assert eye.score == 75.0
    assert eye.level == "ready"


def test_factor_without_data_is_null_and_left_out(mini):
    result = score_answers(_answers(success__leadership__anchored="yes"), mini)
    factors = {f.id: f for f in result.factors}
    assert factors["success.eye_level"].score is None
    assert factors["success.eye_level"].level is None
    assert factors["financing.transparency"].score is None
    assert result.overall.score == 100.0
    assert {s.id: s.score for s in result.sections} == {"success": 100.0, "financing": None}


def test_no_answers_gives_no_overall_score(mini):
    result = score_answers(_answers(), mini)
    assert result.overall.score is None
    assert result.overall.level is None


def test_critical_item_caps_overall_level_at_middle(mini):
    answers = _answers(
        success__eye_level__equal_say="2",  # critical, 0.25
        success__eye_level__city_dominates="1",  # reversed: 1.0
        success__leadership__anchored="yes",
        financing__transparency__costs="5",
        financing__transparency__benefits="5",
    )
    result = score_answers(answers, mini)
    # eye level: (0.25 + 2 * 1.0) / 3 * 100 = 75.0 (item weights 1 and 2); (2 * 75 + 100 + 100) / 4 = 87.5
    assert result.overall.score == 87.5
    assert result.overall.score >= 75
    assert result.overall.level == "partly"
    assert [b.item for b in result.overall.blockers] == ["success.eye_level.equal_say"]


def test_critical_item_at_exactly_half_is_no_blocker(mini):
    result = score_answers(_answers(success__eye_level__equal_say="3"), mini)
    assert result.overall.blockers == []


@pytest.mark.parametrize(("count", "cap"), [(1, 0), (2, 1), (3, 1), (4, 2), (5, 2), (6, 3)])
def test_blockers_cap_the_level_at_the_middle_one_counted_from_the_top(count, cap):
    """As docs/questionnaire-format says: of four levels the third, of two the lower one."""
    from slp_assess.models.questionnaire import Questionnaire
    from slp_assess.scoring import ScoringPlan

    levels = [{"id": f"l{n}", "threshold": 100 - 100 * (n + 1) // count, "label": {"de": f"L{n}", "en": f"L{n}"}}
              for n in range(count)]
    q = Questionnaire.model_validate({
        "id": "cap", "version": "1.0", "title": {"de": "C", "en": "C"}, "description": {"de": "C", "en": "C"},
        "levels": levels,
        "scales": {"s": {"options": [{"key": "1", "points": 1, "label": {"de": "1", "en": "1"}},
                                     {"key": "2", "points": 2, "label": {"de": "2", "en": "2"}}]}},
        "sections": [{"id": "s", "title": {"de": "S", "en": "S"}, "factors": [{
            "id": "f", "title": {"de": "F", "en": "F"},
            "items": [{"id": "f.a", "text": {"de": "A", "en": "A"}, "scale": "s", "source": "paper"}]}]}],
    })
    plan = ScoringPlan(q)
    ids = [level_id for _, level_id in plan.levels]
    assert [plan.capped(level_id) for level_id in ids] == [ids[max(n, cap)] for n in range(count)]
