"""The 2.0 verdict rules pinned with exact numbers: rounding, per-side blockers, sides, phases, priorities.

See docs/scoring.en.md. Small questionnaires are written here so every number can be checked by hand.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.cli import app, load_commands
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.rounding import shown

load_commands()
runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "verdict"
VERDICT = FIXTURES / "questionnaire.yaml"
AGREEMENT = {
    "options": [{"key": str(k), "points": k, "label": {"de": f"Stufe {k}", "en": f"step {k}"}} for k in range(1, 6)]
}


def _questionnaire(tmp_path: Path, factors: list[dict], name: str = "q.yaml") -> Path:
    """A one-section questionnaire with the given factors (items on the 1-5 agreement scale)."""
    doc = {
        "id": "rounding", "version": "1.0", "title": {"de": "R", "en": "R"}, "description": {"de": "R", "en": "R"},
        "scales": {"agreement": AGREEMENT},
        "sections": [{"id": "s", "title": {"de": "S", "en": "S"}, "factors": factors}],
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _factor(factor_id: str, weights: list[float], critical: bool = False) -> dict:
    return {
        "id": factor_id, "title": {"de": factor_id, "en": factor_id},
        "items": [
            {"id": f"{factor_id}.i{n}", "text": {"de": "T", "en": "T"}, "scale": "agreement", "weight": w,
             "critical": critical and n == 0, "source": "Erfolgsfaktoren: Zusammenarbeit aller Beteiligten"}
            for n, w in enumerate(weights)
        ],
    }


def _answers(folder: Path, name: str, questionnaire: str, answers: dict, role: str = "stadt", version: str = "1.0",
             context: dict | None = None, partnership: str = "Testpartnerschaft") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"questionnaire": questionnaire, "version": version, "partnership": partnership,
           "respondent": {"name": name, "role": role}, "answers": answers, "context": context or {}}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _run(*args: str) -> object:
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "120", "SOURCE_DATE_EPOCH": "1756339200"})


# --- one rounding rule -------------------------------------------------------------------------


def test_a_float_hair_below_50_is_shown_and_classified_as_50(tmp_path):
    # Three items of weight 0.1 answered 2, 5, 2 (0.25, 1, 0.25): 0.15 / 0.3 is 0.49999999999999994 in binary
    # floating point, so the raw factor score is 49.999999999999986. Shown it is 50.0, and so is its level.
    q = _questionnaire(tmp_path, [_factor("f", [0.1, 0.1, 0.1])])
    path = _answers(tmp_path / "a", "anna", "rounding", {"f.i0": "2", "f.i1": "5", "f.i2": "2"})
    result = json.loads(_run("score", str(path), "-q", str(q), "--format", "json").stdout)[0]
    assert result["factors"][0]["score"] == 50.0 and result["factors"][0]["level"] == "partly"
    assert (result["overall"]["score"], result["overall"]["level"]) == (50.0, "partly")
    report = _run("report", str(path), "-q", str(q), "--format", "md").stdout
    # "am Anfang" is named only where the levels are explained, never as the level of a score.
    assert "50,0 · in Entwicklung" in report and "· am Anfang" not in report and "| am Anfang |" not in report


def test_every_output_shows_the_same_number_for_56_25(tmp_path):
    # Four respondents' factor scores 83.3, 83.3, 29.2, 29.2: the mean is 56.25 exactly in decimals and
    # 56.24999999999999 in floating point; half up it is 56.3 in every output (score printed 56,2 before).
    q = _questionnaire(tmp_path, [_factor("f", [1, 1, 1, 1, 1, 1])])
    folder = tmp_path / "answers"
    # 6 items: 5,5,5,5,5,1 -> 20/24 = 83.3; 2,2,2,2,2,3 -> 7/24 = 29.2
    high = {f"f.i{n}": "5" for n in range(5)} | {"f.i5": "1"}
    low = {f"f.i{n}": "2" for n in range(5)} | {"f.i5": "3"}
    for n, answers in enumerate([high, high, low, low]):
        _answers(folder, f"p{n}", "rounding", answers, role="stadt")
    scores = json.loads(_run("score", str(folder), "-q", str(q), "--format", "json").stdout)
    assert [r["factors"][0]["score"] for r in scores] == [83.3, 83.3, 29.2, 29.2]
    grouped = json.loads(_run("score", str(folder), "-q", str(q), "--group-by", "partnership", "--format", "json").stdout)
    assert grouped[0]["factors"][0]["score"] == 56.3 and grouped[0]["factors"][0]["level"] == "partly"
    table = _run("score", str(folder), "-q", str(q), "--group-by", "partnership", "--format", "table", "--lang", "de").stdout
    assert "56,3" in table and "56,2" not in table
    rows = list(csv.DictReader(io.StringIO(_run("score", str(folder), "-q", str(q), "--group-by", "partnership", "--format", "csv").stdout)))
    assert rows[0]["f"] == "56.3" and rows[0]["overall_score"] == "56.3"
    report = _run("report", str(folder), "-q", str(q), "--format", "json").stdout
    assert json.loads(report)["overall"]["score"] == 56.3
    assert "56,3" in _run("report", str(folder), "-q", str(q), "--format", "md").stdout


def test_assess_result_shows_one_decimal_and_the_level_of_that_number(tmp_path):
    # Factor a: 7 items, one answered 2 -> 0.25 / 7 = 3.6; factor b: 6 items, 5 x "5" and one "4" -> 23/24 = 95.8.
    # Overall (3.6 + 95.8) / 2 = 49.7: "49,7 von 100 – am Anfang" (the old screen said "50 von 100").
    q = _questionnaire(tmp_path, [_factor("a", [1] * 7), _factor("b", [1] * 6)])
    lines = ["2", "1", "1", "1", "1", "1", "1", "5", "5", "5", "5", "5", "4"]
    result = runner.invoke(
        app, ["assess", str(q), "--out", str(tmp_path / "x.yaml"), "--partnership", "P", "--respondent", "A", "--role", "stadt"],
        input="".join(f"{line}\n" for line in lines), env={"NO_COLOR": "1", "COLUMNS": "100"},
    )
    assert result.exit_code == 0, result.output
    assert "Gesamt: 49,7 von 100 – am Anfang" in result.stdout
    scored = json.loads(_run("score", str(tmp_path / "x.yaml"), "-q", str(q), "--format", "json").stdout)[0]
    assert (scored["factors"][0]["score"], scored["factors"][1]["score"], scored["overall"]["score"]) == (3.6, 95.8, 49.7)


def test_critical_item_is_compared_as_a_rounded_percentage(tmp_path):
    # A critical item at exactly 50 % is no blocker; at 25 % it is, and its score is reported in percent.
    q = _questionnaire(tmp_path, [_factor("f", [1], critical=True)])
    half = _answers(tmp_path / "h", "half", "rounding", {"f.i0": "3"})
    low = _answers(tmp_path / "l", "low", "rounding", {"f.i0": "2"})
    assert json.loads(_run("score", str(half), "-q", str(q), "--format", "json").stdout)[0]["overall"]["blockers"] == []
    [blocker] = json.loads(_run("score", str(low), "-q", str(q), "--format", "json").stdout)[0]["overall"]["blockers"]
    assert (blocker["item"], blocker["score"]) == ("f.i0", 25.0)


@pytest.mark.parametrize(("raw", "display"), [
    (49.99999999999999, 50.0), (56.25, 56.3), (56.24999999999999, 56.3), (49.67, 49.7), (49.95, 50.0),
    (49.94999, 49.9), (0.05, 0.1), (100.0, 100.0), (33.35, 33.4), (-0.05, -0.1),
])
def test_the_rounding_rule(raw, display):
    assert shown(raw) == display


# --- sides and per-side blockers -----------------------------------------------------------------


def _verdict_reports(folder: Path, lang: str = "de"):
    loaded = api.load_assessments([folder], QuestionnaireCatalog.with_files([VERDICT]))
    assert not loaded.invalid
    return api.build_reports(loaded, lang=lang)


def _eye(folder: Path, name: str, role: str, key: str, **extra) -> Path:
    answers = {"success.eye_level.equal": key, "discovery.goals.shared": "4"} | extra
    return _answers(folder, name, "verdict-mini", answers, role=role, version="2.0")


def test_a_blocker_is_not_averaged_away_across_sides(tmp_path):
    # City 5, 5, 3 (1, 1, 0.5: 83.3 %), Landkreis 2, 2, 1 (0.25, 0.25, 0: 16.7 %): the mean of all is exactly
    # 50 %, which would not block; the Landkreis side's mean is below 50 %, so the item blocks, for that side.
    folder = tmp_path / "a"
    for n, key in enumerate(["5", "5", "3"]):
        _eye(folder, f"stadt{n}", "stadt", key)
    for n, key in enumerate(["2", "2", "1"]):
        _eye(folder, f"kreis{n}", "landkreis", key)
    [report] = _verdict_reports(folder)
    [blocker] = report.overall.blockers
    assert (blocker.item, blocker.score, blocker.mean) == ("success.eye_level.equal", 16.7, 50.0)
    assert [(s.role, s.label, s.score, s.n) for s in blocker.sides] == [("landkreis", "Landkreis", 16.7, 3)]
    assert report.overall.capped or report.overall.level != "ready"
    markdown = api.render_reports([report], api.ReportFormat.MD, "de")[0]
    assert "nicht erfüllt aus Sicht von Landkreis 16,7 (n = 3); Mittel aller Beteiligten: 50,0" in markdown


def test_a_single_respondent_can_block_for_a_whole_partner(tmp_path):
    folder = tmp_path / "a"
    for n in range(3):
        _eye(folder, f"stadt{n}", "stadt", "5")
    _eye(folder, "gemeinde", "gemeinde", "1")  # one person speaks for the Gemeinde: 0 %
    [report] = _verdict_reports(folder)
    [blocker] = report.overall.blockers
    assert [(s.role, s.score, s.n) for s in blocker.sides] == [("gemeinde", 0.0, 1)]
    assert blocker.mean == 75.0  # (1 + 1 + 1 + 0) / 4


def test_other_does_not_block_on_its_own_but_decides_without_partner_sides(tmp_path):
    mixed = tmp_path / "mixed"
    _eye(mixed, "stadt", "stadt", "4")
    _eye(mixed, "kreis", "landkreis", "4")
    _eye(mixed, "lag1", "other", "1")
    _eye(mixed, "lag2", "other", "1")
    [report] = _verdict_reports(mixed)
    assert report.overall.blockers == []  # partner sides at 75 %; the mean of all (37.5 %) does not decide
    only_other = tmp_path / "other"
    _eye(only_other, "lag1", "other", "1")
    _eye(only_other, "lag2", "other", "4")
    [report] = _verdict_reports(only_other)
    [blocker] = report.overall.blockers
    assert (blocker.score, blocker.sides) == (37.5, [])


@pytest.mark.parametrize(("written", "side"), [("Land", "land"), ("STADT", "stadt"), ("Sonstige", "other"), (" gemeinde ", "gemeinde")])
def test_sides_are_read_case_insensitively(tmp_path, written, side):
    path = _eye(tmp_path / "a", "x", "stadt", "3")
    path.write_text(path.read_text(encoding="utf-8").replace("role: stadt", f"role: '{written}'"), encoding="utf-8")
    result = json.loads(_run("score", str(path), "-q", str(VERDICT), "--format", "json").stdout)[0]
    assert result["respondent"]["role"] == side


def test_an_unknown_side_names_the_sides(tmp_path):
    path = _eye(tmp_path / "a", "x", "stadt", "3")
    path.write_text(path.read_text(encoding="utf-8").replace("role: stadt", "role: lnad"), encoding="utf-8")
    result = _run("validate", str(path), "-q", str(VERDICT))
    assert result.exit_code == 2
    assert "unknown side 'lnad'" in result.stderr and "did you mean 'land'?" in result.stderr
    assert "stadt, landkreis, gemeinde, land, other" in result.stderr


def test_gaps_compare_sides_with_two_respondents_and_mark_single_voices(tmp_path):
    folder = tmp_path / "a"
    _eye(folder, "s1", "stadt", "5")
    _eye(folder, "s2", "stadt", "4")
    _eye(folder, "k1", "landkreis", "2")
    _eye(folder, "k2", "landkreis", "3")
    _eye(folder, "g1", "gemeinde", "1")
    [report] = _verdict_reports(folder)
    eye = next(f for f in report.factors() if f.id == "success.eye_level")
    assert [(g.role, g.score, g.n, g.single_voice) for g in eye.groups] == [
        ("stadt", 87.5, 2, False), ("landkreis", 37.5, 2, False), ("gemeinde", 0.0, 1, True),
    ]
    # The Gemeinde (0) is shown but not compared: the gap is stadt 87.5 - landkreis 37.5.
    assert (eye.gap.points, eye.gap.low.role, eye.gap.high.role, eye.gap.flagged) == (50.0, "landkreis", "stadt", True)
    assert [g.single_voice for g in report.groups] == [False, False, True]


# --- phases --------------------------------------------------------------------------------------


def _phase_file(folder: Path, name: str, phase: str | None, role: str = "stadt") -> Path:
    answers = {
        "discovery.goals.shared": "5", "discovery.goals.written": "4", "success.eye_level.equal": "5",
        "organisation.office.set": "0", "organisation.agreement.binding": "0",
    }
    return _answers(folder, name, "verdict-mini", answers, role=role, version="2.0",
                    context={"context.phase": phase} if phase else {})


def test_factors_not_yet_due_are_shown_but_do_not_count(tmp_path):
    # In the Findung phase neither the coordination (from Aufbau) nor the agreement (from Umsetzung) is due:
    # the overall score is the mean of goals (100) and eye level (100), and the critical agreement item at 0 %
    # does not block.
    path = _phase_file(tmp_path / "a", "anna", "findung")
    result = json.loads(_run("score", str(path), "-q", str(VERDICT), "--format", "json").stdout)[0]
    assert [(f["id"], f["score"], f["due"]) for f in result["factors"]] == [
        ("discovery.goals", 100.0, True), ("success.eye_level", 100.0, True),
        ("organisation.office", 0.0, False), ("organisation.agreement", 0.0, False),
    ]
    assert result["overall"] == {"score": 100.0, "level": "ready", "blockers": [], "phase": "findung"}
    assert [s["due"] for s in result["sections"]] == [True, True, False]
    markdown = _run("report", str(path), "-q", str(VERDICT), "--format", "md").stdout
    assert "### 3. Koordination (kommt in der nächsten Phase)" in markdown


def test_in_a_later_phase_every_factor_counts_and_blocks(tmp_path):
    # Umsetzung: all four factors are due: (100 + 100 + 0 + 0) / 4 = 50.0, and the agreement item blocks.
    path = _phase_file(tmp_path / "a", "anna", "umsetzung")
    result = json.loads(_run("score", str(path), "-q", str(VERDICT), "--format", "json").stdout)[0]
    assert (result["overall"]["score"], result["overall"]["level"]) == (50.0, "partly")
    assert [b["item"] for b in result["overall"]["blockers"]] == ["organisation.agreement.binding"]


def test_without_a_phase_everything_counts(tmp_path):
    path = _phase_file(tmp_path / "a", "anna", None)
    result = json.loads(_run("score", str(path), "-q", str(VERDICT), "--format", "json").stdout)[0]
    assert (result["overall"]["score"], result["overall"]["phase"]) == (50.0, None)
    assert all(f["due"] for f in result["factors"])


def test_the_partnership_phase_is_the_most_named_and_on_a_tie_the_earlier(tmp_path):
    folder = tmp_path / "a"
    _phase_file(folder, "a", "umsetzung")
    _phase_file(folder, "b", "aufbau", role="landkreis")
    [report] = _verdict_reports(folder)
    assert report.overall.phase.key == "aufbau"  # a tie: the earlier phase
    assert [(o.key, o.count) for o in report.overall.phase.answers] == [
        ("findung", 0), ("aufbau", 1), ("umsetzung", 1), ("verstetigung", 0),
    ]
    _phase_file(folder, "c", "umsetzung", role="gemeinde")
    [report] = _verdict_reports(folder)
    assert report.overall.phase.key == "umsetzung"
    # Aufbau: coordination is due, the agreement is not; in Umsetzung both are.
    assert [f.due for f in report.factors()] == [True, True, True, True]


# --- the short list, recommendations and the barrier checklist -----------------------------------


def test_priorities_put_blockers_first_then_the_weakest_due_factors(tmp_path):
    folder = tmp_path / "a"
    for n, role in enumerate(["stadt", "stadt", "landkreis", "landkreis"]):
        answers = {
            "discovery.goals.shared": "5" if role == "stadt" else "1",  # critical: landkreis 0 % -> blocker
            "discovery.goals.written": "2",
            "success.eye_level.equal": "3",  # 50 %: no blocker, a weak factor
            "organisation.office.set": "1",  # 25 %: the weakest due factor
            "organisation.agreement.binding": "0",  # not due in Aufbau: never listed
        }
        _answers(folder, f"p{n}", "verdict-mini", answers, role=role, version="2.0", context={"context.phase": "aufbau"})
    [report] = _verdict_reports(folder, lang="en")
    assert [(p.rank, p.kind, p.factor, p.score) for p in report.priorities] == [
        # Goals: stadt (1 + 0.5) / 2 = 75, Landkreise (0 + 0.5) / 2 = 25, mean 50.0.
        (1, "blocker", "discovery.goals", 50.0), (2, "factor", "organisation.office", 25.0), (3, "factor", "success.eye_level", 50.0),
    ]
    first = report.priorities[0]
    [blocked] = first.blockers
    assert (blocked.item, blocked.score, [s.role for s in blocked.sides]) == ("discovery.goals.shared", 0.0, ["landkreis"])
    # Goals are 50.0 overall ("developing"), but 25.0 for the Landkreise: advice follows the weaker side,
    # and the first step is the paper's own; a practice step would be labelled as such.
    assert first.recommendation.text == "Define goals together." and first.recommendation.practice is False
    goals = report.factors()[0]
    assert goals.recommendation_level == "not_ready"


def test_a_factor_with_several_key_requirements_not_met_is_one_entry(tmp_path):
    q = _questionnaire(tmp_path, [
        {**_factor("f", [1, 1]), "items": [dict(i, critical=True) for i in _factor("f", [1, 1])["items"]]},
        _factor("g", [1]),
    ])
    path = _answers(tmp_path / "a", "x", "rounding", {"f.i0": "1", "f.i1": "2", "g.i0": "3"})
    loaded = api.load_assessments([path], QuestionnaireCatalog.with_files([q]))
    [report] = api.build_reports(loaded)
    assert [(p.kind, p.factor, [b.item for b in p.blockers]) for p in report.priorities] == [
        ("blocker", "f", ["f.i0", "f.i1"]), ("factor", "g", []),
    ]


def test_priorities_stop_at_five(tmp_path):
    factors = [_factor(f"f{n}", [1]) for n in range(8)]
    q = _questionnaire(tmp_path, factors)
    path = _answers(tmp_path / "a", "x", "rounding", {f"f{n}.i0": "2" for n in range(8)})
    loaded = api.load_assessments([path], QuestionnaireCatalog.with_files([q]))
    [report] = api.build_reports(loaded)
    assert [p.factor for p in report.priorities] == ["f0", "f1", "f2", "f3", "f4"]


def test_practice_recommendations_are_labelled_and_barriers_reach_the_report(tmp_path):
    folder = tmp_path / "a"
    answers = {"discovery.goals.shared": "3", "discovery.goals.written": "2", "success.eye_level.equal": "5"}
    _answers(folder, "a", "verdict-mini", answers, version="2.0", context={"context.barriers": ["konkurrenz", "foerderung"]})
    _answers(folder, "b", "verdict-mini", answers, role="gemeinde", version="2.0", context={"context.barriers": ["foerderung"]})
    [report] = _verdict_reports(folder)
    goals = report.factors()[0]
    assert [(a.text, a.practice) for a in goals.recommendations] == [("Ziele schriftlich festhalten.", True)]
    barriers = next(c for c in report.context if c.id == "context.barriers")
    assert [(o.label, o.count) for o in barriers.options] == [("Konkurrenz um Flächen", 1), ("Förderabhängigkeit", 2)]
    markdown = api.render_reports([report], api.ReportFormat.MD, "de")[0]
    assert "Ziele schriftlich festhalten. (Praxisempfehlung)" in markdown
    assert "- Förderabhängigkeit: 2" in markdown


# --- the worked example of docs/scoring ----------------------------------------------------------


def test_the_worked_example_of_the_scoring_docs(tmp_path):
    status = {"options": [{"key": str(k), "points": k, "label": {"de": f"S{k}", "en": f"S{k}"}} for k in range(5)]}
    source = "Erfolgsfaktoren: Zusammenarbeit aller Beteiligten „auf Augenhöhe“"

    def item(item_id: str, scale: str, critical: bool = False) -> dict:
        return {"id": item_id, "text": {"de": "T", "en": "T"}, "scale": scale, "critical": critical, "source": source}

    doc = {
        "id": "example", "version": "2.0", "title": {"de": "B", "en": "E"}, "description": {"de": "B", "en": "E"},
        "scales": {"agreement": AGREEMENT, "status": status},
        "phases": {"question": "context.phase", "order": ["findung", "aufbau", "umsetzung", "verstetigung"]},
        "context": [{"id": "context.phase", "text": {"de": "P", "en": "P"}, "type": "choice",
                     "options": [{"key": k, "label": {"de": k, "en": k}} for k in ("findung", "aufbau", "umsetzung", "verstetigung")]}],
        "sections": [{"id": "s", "title": {"de": "S", "en": "S"}, "factors": [
            {"id": "eye", "title": {"de": "Augenhöhe", "en": "Eye level"}, "weight": 2,
             "items": [item("eye.influence", "agreement", critical=True), item("eye.agendas", "agreement")]},
            {"id": "lead", "title": {"de": "Führung", "en": "Leadership"},
             "items": [item("lead.resolutions", "status"), item("lead.budget", "status")]},
            {"id": "agreement", "title": {"de": "Vereinbarung", "en": "Agreement"}, "expected_from": "umsetzung",
             "items": [item("agreement.binding", "status", critical=True)]},
        ]}],
    }
    q = tmp_path / "example.yaml"
    q.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    answers = {"eye.influence": "4", "eye.agendas": "2", "lead.resolutions": "3", "lead.budget": "n/a", "agreement.binding": "0"}
    results = {}
    for phase in ("aufbau", "umsetzung"):
        path = _answers(tmp_path / phase, "x", "example", answers, version="2.0", context={"context.phase": phase})
        results[phase] = json.loads(_run("score", str(path), "-q", str(q), "--format", "json").stdout)[0]
    assert [(f["score"], f["level"]) for f in results["aufbau"]["factors"]] == [(50.0, "partly"), (75.0, "ready"), (0.0, "not_ready")]
    assert (results["aufbau"]["overall"]["score"], results["aufbau"]["overall"]["level"], results["aufbau"]["overall"]["blockers"]) == (58.3, "partly", [])
    umsetzung = results["umsetzung"]["overall"]
    assert (umsetzung["score"], umsetzung["level"], [b["item"] for b in umsetzung["blockers"]]) == (43.8, "not_ready", ["agreement.binding"])
    folder = tmp_path / "sides"
    for n, (role, key) in enumerate([("stadt", "5"), ("stadt", "5"), ("landkreis", "1"), ("landkreis", "3")]):
        _answers(folder, f"p{n}", "example", {"eye.influence": key}, role=role, version="2.0")
    loaded = api.load_assessments([folder], QuestionnaireCatalog.with_files([q]))
    [report] = api.build_reports(loaded)
    [blocker] = report.overall.blockers
    assert (blocker.mean, [(s.label, s.score, s.n) for s in blocker.sides]) == (62.5, [("Landkreis", 25.0, 2)])
    markdown = api.render_reports([report], api.ReportFormat.MD, "de")[0]
    assert "aus Sicht von Landkreis 25,0 (n = 2)" in markdown
