"""Numbers in a questionnaire: non-finite, huge or too fine ones are refused with file and line; the
allowed extremes score without error, every score a finite number with one decimal."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.cli.app import app
from slp_assess.errors import InvalidInputError
from slp_assess.loading import load_questionnaire_file
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import NUMBER_LIMIT, Questionnaire
from slp_assess.rounding import shown
from slp_assess.scoring import score_answers
from slp_assess.validation import check_questionnaire
from slp_assess.yamlio import YamlDocument

runner = CliRunner()

# Where a number goes: (YAML line template, dotted location of the value).
FIELDS = {
    "points": ("      - {{key: \"2\", points: {value}, label: {{de: zwei, en: two}}}}", "scales.s.options.2.points"),
    "factor weight": ("        weight: {value}", "sections.0.factors.0.weight"),
    "item weight": ("            weight: {value}", "sections.0.factors.0.items.0.weight"),
    "threshold": ("  - {{id: partly, threshold: {value}, label: {{de: mittel, en: middle}}}}", "levels.0.threshold"),
}
BAD_ANYWHERE = [".inf", "-.inf", ".nan", ".NaN", "+.Inf", "1e308", "1.0e+308", "-1.0e+308", "1" + "0" * 400,
                "0.0000001", "1.0e-320", "2.1234567", "1e400"]
BAD_BY_FIELD = {
    "points": ["1000000.5", "-1000001", "1.0e+7"],
    "factor weight": ["0", "-1", "1000001", "0.0000004"],
    "item weight": ["0", "-0.5", "1.0e+6.5", "2000000"],
    "threshold": ["100.5", "-0.1", "1000"],
}


def _questionnaire(field: str, value: str) -> tuple[str, int]:
    """A questionnaire with ``value`` in ``field`` and an unknown scale on the second item; the value's line."""
    lines = [
        "id: numbers", 'version: "1.0"', "title: {de: T, en: T}", "description: {de: D, en: D}",
        "levels:",
        FIELDS["threshold"][0].format(value=value if field == "threshold" else "50"),
        "  - {id: low, threshold: 0, label: {de: tief, en: low}}",
        "scales:", "  s:", "    options:",
        '      - {key: "0", points: 0, label: {de: nichts, en: zero}}',
        '      - {key: "1", points: 1, label: {de: eins, en: one}}',
        FIELDS["points"][0].format(value=value if field == "points" else "2"),
        "sections:", "  - id: sec", "    title: {de: A, en: A}", "    factors:",
        "      - id: sec.f", "        title: {de: F, en: F}",
        FIELDS["factor weight"][0].format(value=value if field == "factor weight" else "1"),
        "        items:", "          - id: sec.f.a", "            text: {de: a, en: a}", "            scale: s",
        "            source: x",
        FIELDS["item weight"][0].format(value=value if field == "item weight" else "1"),
        "          - id: sec.f.b", "            text: {de: b, en: b}", "            scale: nosuch", "            source: x",
    ]
    template = FIELDS[field][0].format(value=value)
    return "\n".join(lines) + "\n", lines.index(template) + 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(FIELDS)).flatmap(lambda f: st.tuples(st.just(f), st.sampled_from(BAD_ANYWHERE + BAD_BY_FIELD[f]))))
def test_a_bad_number_is_refused_at_its_line_with_the_other_problems(tmp_path: Path, case: tuple[str, str]) -> None:
    field, value = case
    text, line = _questionnaire(field, value)
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(path)
    problems = caught.value.problems
    number = [p for p in problems if p.location == FIELDS[field][1]]
    assert len(number) == 1, [p.format() for p in problems]
    assert number[0].line == line and number[0].hint and "\n" not in number[0].format()
    # Collected with the rest: the unknown scale is reported too (unless the model stopped at the number).
    others = [p for p in problems if p is not number[0]]
    assert all(p.line for p in others)


def test_the_numbers_of_the_qa_report_are_refused_by_validate(tmp_path: Path) -> None:
    for value, words in [("1e308", "less than or equal to 1000000"), (".inf", "finite number"), (".nan", "finite number")]:
        text, line = _questionnaire("factor weight", value)
        path = tmp_path / "q.yaml"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["validate", str(path)])
        assert result.exit_code == 2, result.output
        assert f"q.yaml:{line}: sections.0.factors.0.weight:" in result.output and words in result.output
        assert "Traceback" not in result.output


def test_the_extreme_allowed_numbers_score_through_the_cli(tmp_path: Path) -> None:
    text, _ = _questionnaire("factor weight", str(NUMBER_LIMIT))
    text = text.replace("scale: nosuch", "scale: s").replace("points: 2,", f"points: {NUMBER_LIMIT},")
    text = text.replace("points: 0,", f"points: -{NUMBER_LIMIT},").replace("points: 1,", "points: 0.000001,")
    (tmp_path / "q.yaml").write_text(text, encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text('questionnaire: numbers\nversion: "1.0"\nanswers:\n  sec.f.a: "1"\n  sec.f.b: "2"\n', encoding="utf-8")
    result = runner.invoke(app, ["score", "-q", str(tmp_path / "q.yaml"), str(answers), "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    [record] = json.loads(result.stdout)
    # (0.000001 + 1e6) / 2e6 is 50.00000005 %, shown 50.0; the mean with 100 % is 75.0.
    assert record["factors"][0]["score"] == 75.0 and record["overall"]["score"] == 75.0


def _six_places(low: float, high: float) -> st.SearchStrategy[float]:
    return st.decimals(min_value=Decimal(str(low)), max_value=Decimal(str(high)), places=6).map(float)


EXTREME_WEIGHTS = st.one_of(st.sampled_from([0.000001, float(NUMBER_LIMIT), 1.0, 0.000002, 999999.999999]), _six_places(0.000001, NUMBER_LIMIT))
EXTREME_POINTS = st.one_of(st.sampled_from([-NUMBER_LIMIT, NUMBER_LIMIT, 0.0, 0.000001, -0.000001]), _six_places(-NUMBER_LIMIT, NUMBER_LIMIT))


@st.composite
def questionnaires(draw: st.DrawFn) -> dict:
    scales = {}
    for si in range(draw(st.integers(1, 3))):
        points = draw(st.lists(EXTREME_POINTS, min_size=2, max_size=5))
        assume(min(points) != max(points))
        scales[f"s{si}"] = {"options": [{"key": str(k), "points": p, "label": {"de": "x", "en": "x"}} for k, p in enumerate(points)]}
    thresholds = sorted(set(draw(st.lists(_six_places(0.000001, 100), max_size=3))), reverse=True)
    levels = [{"id": f"l{i}", "threshold": t, "label": {"de": "x", "en": "x"}} for i, t in enumerate([*thresholds, 0.0])]
    sections = []
    for si in range(draw(st.integers(1, 2))):
        factors = []
        for fi in range(draw(st.integers(1, 3))):
            items = [{"id": f"s{si}.f{fi}.i{ii}", "text": {"de": "x", "en": "x"}, "scale": draw(st.sampled_from(sorted(scales))),
                      "weight": draw(EXTREME_WEIGHTS), "reverse": draw(st.booleans()), "critical": draw(st.booleans()), "source": "x"}
                     for ii in range(draw(st.integers(1, 4)))]
            factors.append({"id": f"s{si}.f{fi}", "title": {"de": "x", "en": "x"}, "weight": draw(EXTREME_WEIGHTS), "items": items})
        sections.append({"id": f"s{si}", "title": {"de": "x", "en": "x"}, "factors": factors})
    return {"id": "extreme", "version": "1.0", "title": {"de": "x", "en": "x"}, "description": {"de": "x", "en": "x"},
            "levels": levels, "scales": scales, "sections": sections}


def _is_shown(score: float) -> bool:
    return math.isfinite(score) and 0 <= score <= 100 and shown(score) == score and float(f"{score:.1f}") == score


@settings(max_examples=150, deadline=None)
@given(questionnaires(), st.data())
def test_a_valid_questionnaire_with_extreme_numbers_always_scores(data: dict, draw: st.DataObject) -> None:
    q = Questionnaire.model_validate(data)
    assert check_questionnaire(q, YamlDocument("q.yaml", data, None)) == []
    answers = {}
    for _, item in q.items():
        choice = draw.draw(st.sampled_from([None, "n/a", *[o.key for o in q.scales[item.scale].options]]))
        if choice is not None:
            answers[item.id] = choice
    result = score_answers(AnswerFile.model_validate({"questionnaire": q.id, "version": q.version, "answers": answers}), q)
    levels = {lv.id: lv for lv in q.levels}
    for part in [*result.factors, *result.sections]:
        if part.score is None:
            continue
        assert _is_shown(part.score), part
        assert part.level == q.level_for(part.score).id
        assert levels[part.level].threshold <= part.score
    overall = result.overall
    if overall.score is not None:
        assert _is_shown(overall.score)
        reached = q.level_for(overall.score)
        assert overall.level == reached.id or (overall.blockers and levels[overall.level].threshold <= reached.threshold)
    for blocker in overall.blockers:
        assert _is_shown(blocker.score) and blocker.score < 50
