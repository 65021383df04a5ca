"""The data of the new report layout, for generated partnerships: distributions per side, the short
list, the verdict, the order of the recommendations, previous scores, notes, short titles, dates.

Partnerships are generated (seeded) from the bundled questionnaire: any number of respondents on
any sides, with answers, "cannot judge", blanks and notes mixed at random.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.aggregate import assessment_of
from slp_assess.cli import app
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.report import ReportFormat, charts
from slp_assess.report.formatting import css_string
from slp_assess.reportdata import build_report, clean_note, short_title, with_previous, without_notes
from slp_assess.sides import SIDES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()


@pytest.fixture(scope="module")
def readiness() -> Questionnaire:
    return api.load_questionnaire("slp-readiness")


def _partnership(q: Questionnaire, rng: random.Random, size: int | None = None) -> list:
    sides = rng.sample(SIDES, rng.randint(1, len(SIDES)))
    group = []
    for n in range(size or rng.randint(1, 9)):
        answers: dict[str, object] = {}
        for _, item in q.items():
            roll = rng.random()
            if roll < 0.1:
                continue  # blank
            value = "n/a" if roll < 0.2 else rng.choice(q.scales[item.scale].options).key
            answers[item.id] = {"value": value, "note": f"Anmerkung {n}\n  zu {item.id}  "} if rng.random() < 0.05 else value
        doc = AnswerFile.model_validate({
            "questionnaire": q.id, "version": q.version, "partnership": "Generiert",
            "respondent": {"name": f"Person {n}", "role": rng.choice(sides)},
            "date": (dt.date(2026, 3, 1) + dt.timedelta(days=rng.randrange(30))).isoformat(), "answers": answers,
        })
        group.append(assessment_of(doc, q))
    return group


@pytest.mark.parametrize("seed", range(12))
def test_generated_partnerships_hold_the_layout_invariants(readiness, seed):
    rng = random.Random(seed)
    group = _partnership(readiness, rng)
    report = build_report(readiness, group, lang=rng.choice(["de", "en"]))
    sides = {g.role: g.n for g in report.groups}
    for item in (i for f in report.factors() for i in f.items):
        # The distribution per side adds up to the item's answers and to each side's respondents.
        assert [sum(s.options[k].count for s in item.sides) for k in range(len(item.options))] == [o.count for o in item.options]
        assert sum(s.not_applicable for s in item.sides) == item.not_applicable
        assert sum(s.unanswered for s in item.sides) == item.unanswered
        for s in item.sides:
            assert sum(o.count for o in s.options) + s.not_applicable + s.unanswered == s.n == sides[s.role]
        bars = charts.distribution(item)
        for row in bars.rows:
            assert sum(float(seg.width) for seg in row.segments) == pytest.approx(bars.span, abs=0.5)
        assert all("\n" not in n.text and n.text == n.text.strip() for n in item.notes)
    # The short list: blockers first, each with the sides that block it, at most five.
    kinds = [p.kind for p in report.priorities]
    assert len(kinds) <= 5 and kinds == sorted(kinds, key=lambda k: k != "blocker")
    for p in report.priorities:
        assert {s.role for s in p.sides} == {s.role for b in p.blockers for s in b.sides}
        assert [s.score for s in p.sides] == sorted(s.score for s in p.sides)
    # Recommendations in the order of need: the short list first, every factor below the top once.
    below_top = {f.id for f in report.factors() if f.level and f.level != report.levels[0].id}
    assert report.recommendation_order[: len(report.priorities)] == [p.factor for p in report.priorities]
    assert sorted(report.recommendation_order) == sorted(below_top | {p.factor for p in report.priorities})
    verdict = report.summary.verdict
    assert verdict is not None and verdict.blockers == len(report.overall.blockers)
    assert report.meta.generated == max(a.answers.date.isoformat() for a in group)
    assert [g.role for g in report.summary.single_voices] == [g.role for g in report.groups if g.n == 1 and len(report.groups) > 1]
    html = ReportFormat.HTML.to_renderer(report.meta.language).render(report)
    assert html.count("<svg") >= len([i for f in report.factors() for i in f.items]) + 1


def test_lindenau_summary_names_the_blocking_side_and_the_priorities():
    loaded = api.load_assessments([EXAMPLES / "lindenau"], api.QuestionnaireCatalog())
    [report] = api.build_reports(loaded, lang="de")
    verdict = report.summary.verdict
    assert (verdict.blockers, verdict.blocked_factors, [s.role for s in verdict.sides]) == (6, 4, ["gemeinde"])
    assert [p.short_title for p in report.priorities] == [
        "Über Wahlperioden hinaus", "Arbeitskapazitäten", "Kosten-Nutzen-Transparenz", "Finanzierungsregeln", "Konfliktregeln",
    ]
    assert [(s.label, s.score) for s in report.priorities[0].sides] == [("Gemeinde", 0.0), ("Stadt", 33.3)]
    assert [g.label for g in report.summary.single_voices] == ["Sonstige"]
    markdown = api.render_reports([report], ReportFormat.MD, "de")[0]
    summary = markdown.split("## Nicht erfüllte Kernanforderungen")[0]
    assert "6 Kernanforderungen in 4 Faktoren sind nicht erfüllt, die meisten für die Seite der Gemeinden." in summary
    assert summary.count("Wer: \\_") == 5 and summary.count("- **") == 3  # three gaps at most
    assert "⚠ Für die Seite „Sonstige“ hat nur eine Person geantwortet" in summary


def test_previous_scores_beside_todays_with_the_changes_of_slp_compare():
    catalog = api.QuestionnaireCatalog()
    [new] = api.build_reports(api.load_assessments([EXAMPLES / "lindenau"], catalog))
    [old] = api.build_reports(api.load_assessments([EXAMPLES / "lindenau-2025"], catalog))
    report = with_previous(new, old)
    assert report.previous is not None
    assert (report.previous.date, report.previous.respondents) == ("2025-10-20", 4)
    assert (report.previous.overall.score, report.previous.overall.delta) == (42.6, 9.6)
    first = report.priorities[0]
    assert (first.previous.score, first.previous.delta, first.previous.direction) == (0.0, 28.6, "improved")
    for f in report.factors():
        assert f.previous is not None
        if f.previous.score is not None and f.score is not None:
            assert f.previous.delta == pytest.approx(f.score - f.previous.score, abs=0.05)


def test_notes_are_tidy_and_dropped_from_anonymized_reports_unless_kept(tmp_path):
    assert clean_note("  zwei\nZeilen \t und  Leerraum ") == "zwei Zeilen und Leerraum"
    args = ["report", str(EXAMPLES / "lindenau"), "--format", "md", "--anonymize"]
    dropped = runner.invoke(app, args, env={"SOURCE_DATE_EPOCH": "1775001600"})
    kept = runner.invoke(app, [*args, "--keep-notes"], env={"SOURCE_DATE_EPOCH": "1775001600"})
    assert dropped.exit_code == kept.exit_code == 0
    note = "„Hohenmoor fühlt sich gehört; beim Regionalteller kam die Initiative von uns.“ – Person 1 (Landkreis)"
    assert note not in dropped.stdout and note in kept.stdout
    assert "Andrea Vogt" not in dropped.stdout + kept.stdout
    help_text = runner.invoke(app, ["report", "--help"], env={"COLUMNS": "200"}).stdout
    assert "names in them are your responsibility" in " ".join(help_text.split())


def test_without_notes_keeps_everything_else(readiness):
    report = build_report(readiness, _partnership(readiness, random.Random(5), size=6))
    bare = without_notes(report)
    assert all(not i.notes for f in bare.factors() for i in f.items)
    assert bare.model_dump(exclude={"sections"}) == report.model_dump(exclude={"sections"})


def test_previous_from_the_command_line_in_summary_and_body(tmp_path):
    result = runner.invoke(app, ["report", str(EXAMPLES / "lindenau"), "--previous", str(EXAMPLES / "lindenau-2025")],
                           env={"SOURCE_DATE_EPOCH": "1775001600"})
    assert result.exit_code == 0, result.output
    summary, body = result.stdout.split("## Nicht erfüllte Kernanforderungen")
    assert "**52,2 von 100 Punkten – in Entwicklung** (vorher 42,6, +9,6)" in summary
    assert "Verglichen mit der Befragung vom 20. Oktober 2025 (4 Beteiligte)." in summary
    assert "| Faktor | Punkte | Vorher (±) | Stufe |" in summary
    assert "| Über Wahlperioden hinaus | 28,6 | 0,0 (+28,6) | am Anfang |" in summary
    assert "· vorher 0,0 (+28,6)" in body
    other = runner.invoke(app, ["report", str(EXAMPLES / "lindenau"), "--previous",
                                str(Path(__file__).parent / "fixtures" / "report" / "elbtal"), "-q",
                                str(Path(__file__).parent / "fixtures" / "report" / "questionnaire.yaml")])
    assert other.exit_code == 3 and "no earlier assessment of the same partnership" in other.stderr


def test_short_titles_fall_back_to_the_title(readiness):
    factor = readiness.sections[0].factors[0]
    assert short_title(factor, "de") == "Gemeinsame Ziele" and short_title(factor, "en") == "Shared goals"
    untitled = factor.model_copy(update={"short_title": None})
    assert short_title(untitled, "en") == "Shared understanding of problems and shared goals"
    half = factor.model_copy(update={"short_title": {"de": "Ziele"}})
    assert short_title(half, "en") == "Shared understanding of problems and shared goals"
    assert all(len(f.short_title or {}) == 2 for s in readiness.sections for f in s.factors)


def test_method_section_names_no_item_ids_and_cites_the_paper():
    loaded = api.load_assessments([EXAMPLES / "lindenau"], api.QuestionnaireCatalog())
    [report] = api.build_reports(loaded, lang="de")
    ids = [i.id for f in report.factors() for i in f.items]
    markdown = api.render_reports([report], ReportFormat.MD, "de")[0]
    html = api.render_reports([report], ReportFormat.HTML, "de")[0]
    method_md = markdown.split("## Methodik")[1]
    method_html = re.sub(r"<[^>]+>", " ", html.split('id="method"')[1])  # visible text only
    for text in (method_md, method_html):
        assert "„Was braucht es zum Gelingen von Stadt-Land-Partnerschaften?“" in text
        assert not [i for i in ids if i in text]


@pytest.mark.parametrize("seed", range(20))
def test_css_strings_cannot_leave_their_string_or_the_style_element(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(['"', "\\", "<", ">", "&", "\n", "'", "a", "ü", " ", "}", ";", "/", "style"]) for _ in range(30))
    escaped = css_string(text)
    assert not re.search(r'(?<!\\)"', escaped) and "<" not in escaped and ">" not in escaped and "\n" not in escaped
    # A backslash only ever starts an escape: each is followed by a hex code and a space.
    assert re.fullmatch(r"(?:[^\\]|\\[0-9a-f]+ )*", escaped)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_markdown_tables_fit_100_characters_and_the_summary_comes_first(lang):
    result = runner.invoke(app, ["report", str(EXAMPLES / "lindenau"), "--lang", lang, "--previous", str(EXAMPLES / "lindenau-2025")],
                           env={"SOURCE_DATE_EPOCH": "1775001600"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    wide = [line for line in lines if line.startswith("|") and len(line) > 100]
    assert wide == []
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[0] in ("## Zusammenfassung", "## Executive summary")


def test_a_portfolio_keeps_previous_scores_session_notes_and_drops_notes_when_anonymized(tmp_path):
    # Two partnerships in one run (the portfolio path, built by workers when there are many): each report
    # finds its own earlier assessment, the workshop folder's session note is in its own report once, and
    # --anonymize drops the participants' notes unless --keep-notes.
    import json
    import shutil

    fixtures = Path(__file__).parent / "fixtures" / "report"
    portfolio = tmp_path / "portfolio"
    shutil.copytree(fixtures / "elbtal", portfolio / "elbtal")
    shutil.copytree(fixtures / "nordheide", portfolio / "nordheide")
    manifest = {"questionnaire": "report-mini", "version": "1.0", "partnership": "Stadt-Land-Partnerschaft Elbtal", "language": "de",
                "participants": [], "notes": [{"item": "discovery.goals.shared", "text": "Sitzung ohne Kreis"}]}
    (portfolio / "elbtal" / "slp-workshop.json").write_text(json.dumps(manifest), encoding="utf-8")
    q = ["-q", str(fixtures / "questionnaire.yaml")]
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(portfolio), *q, "-o", str(out), "--format", "md", "--previous", str(fixtures / "elbtal-2025")])
    assert result.exit_code == 0, result.output
    elbtal = (out / "stadt-land-partnerschaft-elbtal.md").read_text(encoding="utf-8")
    nordheide = (out / "partnerschaft-nordheide.md").read_text(encoding="utf-8")
    assert "45,9" in elbtal and "45,9" not in nordheide  # the earlier overall score, only beside its own partnership
    assert elbtal.count("Sitzung ohne Kreis") == 1 and "Sitzung ohne Kreis" not in nordheide
    assert "Die Tagesordnung kommt fast immer aus dem Rathaus" in elbtal
    anonymous = runner.invoke(app, ["report", str(portfolio), *q, "-o", str(tmp_path / "anon"), "--format", "md", "--anonymize"])
    assert anonymous.exit_code == 0
    assert "Die Tagesordnung kommt" not in (tmp_path / "anon" / "stadt-land-partnerschaft-elbtal.md").read_text(encoding="utf-8")
    kept = runner.invoke(app, ["report", str(portfolio), *q, "-o", str(tmp_path / "kept"), "--format", "md", "--anonymize", "--keep-notes"])
    assert kept.exit_code == 0
    assert "Die Tagesordnung kommt" in (tmp_path / "kept" / "stadt-land-partnerschaft-elbtal.md").read_text(encoding="utf-8")
