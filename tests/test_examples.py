"""The bundled questionnaires and the Lindenau examples work with every command, the way a user runs them.

The examples exist to show what the tool is for, so the tests also pin that they still show it: a
must that fails for a rural side although the mean of everyone looks fine, a single voice, spread
within the sides, and progress with setbacks between two assessments.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.loading import load_questionnaire
from slp_assess.resources import bundled_questionnaires
from slp_assess.sides import RURAL_SIDES

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
runner = CliRunner()


def _json(*args: str) -> object:
    result = runner.invoke(app, [*args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_bundled_questionnaire_validates():
    result = runner.invoke(app, ["validate", str(REPO / "questionnaires")])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok: ") == len(bundled_questionnaires()) == 4


@pytest.mark.parametrize("name", sorted(bundled_questionnaires()))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_template_lists_every_question(name, lang):
    result = runner.invoke(app, ["template", name, "--lang", lang])
    assert result.exit_code == 0, result.output
    q = load_questionnaire(name)
    data = yaml.safe_load(result.stdout)
    assert (data["questionnaire"], data["version"]) == (q.id, q.version)
    assert list(data["answers"]) == [item.id for _, item in q.items()]
    assert list(data["context"]) == [c.id for c in q.context]


def test_examples_validate_and_score_with_version_2_0():
    result = runner.invoke(app, ["validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    records = _json("score", str(EXAMPLES), "--format", "json")
    assert len(records) == 13
    assert {(r["questionnaire"]["id"], r["questionnaire"]["version"]) for r in records} == {
        ("slp-readiness", "2.0"), ("slp-quickcheck", "2.0"),
    }
    assert all(r["overall"]["phase"] in ("findung", "aufbau", "umsetzung") for r in records)


@pytest.fixture(scope="module")
def lindenau() -> dict:
    return _json("report", str(EXAMPLES / "lindenau"), "--format", "json", "-o", "-")


def test_lindenau_has_every_kind_of_respondent(lindenau):
    roles = [r["role"] for r in lindenau["respondents"]]
    assert {role: roles.count(role) for role in set(roles)} == {"stadt": 3, "landkreis": 2, "gemeinde": 2, "other": 1}
    phase = next(c for c in lindenau["context"] if c["id"] == "context.phase")
    assert max(phase["options"], key=lambda o: o["count"])["key"] == "aufbau"
    assert len({o["key"] for o in phase["options"] if o["count"]}) > 1  # not everyone names the same phase
    barriers = next(c for c in lindenau["context"] if c["id"] == "context.barriers")
    assert barriers["answered"] == 8


def test_lindenau_shows_a_must_that_fails_for_a_rural_side_behind_a_fair_mean(lindenau):
    hidden = [
        b for b in lindenau["overall"]["blockers"]
        if b["mean"] >= 50 and any(side["role"] in RURAL_SIDES for side in b["sides"])
    ]
    assert hidden, "the examples must show a blocker the mean of all respondents would hide"


def test_lindenau_shows_a_single_voice_of_a_partner_side(lindenau):
    singles = [
        (factor["id"], group["role"])
        for section in lindenau["sections"] for factor in section["factors"] for group in factor["groups"]
        if group["single_voice"] and group["role"] != "other"
    ]
    assert ("financing.burden_benefit", "gemeinde") in singles


def test_lindenau_answers_are_mixed_within_and_across_sides():
    records = _json("score", str(EXAMPLES / "lindenau"), "--format", "json")
    overall = {r["respondent"]["name"]: (r["respondent"]["role"], r["overall"]["score"]) for r in records}
    city = [score for role, score in overall.values() if role == "stadt"]
    rural = [score for role, score in overall.values() if role in RURAL_SIDES]
    assert max(rural) > min(city)  # a Landkreis that sides with the city, a self-critical city planner
    for side in ("stadt", "landkreis", "gemeinde"):
        scores = [score for role, score in overall.values() if role == side]
        assert max(scores) - min(scores) >= 5, side


def test_lindenau_report_renders_in_markdown_and_html(tmp_path):
    for fmt in ("md", "html"):
        result = runner.invoke(app, ["report", str(EXAMPLES / "lindenau"), "--format", fmt, "-o", str(tmp_path)])
        assert result.exit_code == 0, result.output
    text = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "Lokale Aktionsgruppe (LAG) Hohenmoor" in text and "Welche Hindernisse" in text


def test_compare_shows_progress_and_setbacks_since_autumn_2025():
    comparison = _json("compare", str(EXAMPLES / "lindenau-2025"), str(EXAMPLES / "lindenau"), "--format", "json", "-o", "-")
    assert comparison["old_date"].startswith("2025-") and comparison["new_date"].startswith("2026-")
    assert comparison["old_respondents"] < comparison["new_respondents"]
    assert comparison["overall"]["direction"] == "improved"
    directions = {f["direction"] for f in comparison["factors"]}
    assert {"improved", "worsened"} <= directions


def test_the_quick_check_example_scores_with_the_quick_check_2_0():
    [record] = _json("score", str(EXAMPLES / "quickcheck-lindenau.yaml"), "--format", "json")
    assert record["questionnaire"] == {"id": "slp-quickcheck", "version": "2.0"}
    assert record["overall"]["phase"] == "aufbau"
