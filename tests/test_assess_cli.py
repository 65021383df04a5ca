"""`slp assess` driven through CliRunner with piped answers: every key, group mode, resume, overwrite, EOF."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.loading import load_questionnaire

runner = CliRunner()
ENV = {"NO_COLOR": "1", "COLUMNS": "80", "SOURCE_DATE_EPOCH": "1756339200"}
MINI_IDS = [
    "success.eye_level.equal_say", "success.eye_level.city_dominates", "success.leadership.anchored",
    "financing.transparency.costs", "financing.transparency.benefits",
]


@pytest.fixture
def mini_path(core_fixtures: Path) -> str:
    return str(core_fixtures / "mini.yaml")


def _assess(*args: str, lines: list[str], columns: int = 80):
    text = "".join(f"{line}\n" for line in lines)
    return runner.invoke(app, ["assess", *args], input=text, env={**ENV, "COLUMNS": str(columns)})


def _new(mini_path: str, out: Path, *extra: str) -> tuple[str, ...]:
    return (mini_path, "--out", str(out), "--partnership", "Lindenau", "--respondent", "Anna Weber", "--role", "stadt", *extra)


def _file(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _flat(text: str) -> str:
    """Screen text with line breaks undone, for messages rich wraps at the terminal width."""
    return " ".join(text.split())


def _score(path: Path, mini_path: str) -> dict:
    result = runner.invoke(app, ["score", str(path), "-q", mini_path, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)[0]


# equal_say 4, city_dominates 2 (reversed), anchored 2 = partly, costs n/a, benefits 5, stage 2, partners text.
FULL_RUN = ["4", "2", "2", "n", "5", "2", "Stadt Lindenau, Landkreis Ahrbach"]


def test_a_whole_run_writes_a_file_that_slp_score_reads(mini_path, tmp_path):
    out = tmp_path / "anna.yaml"
    result = _assess(*_new(mini_path, out, "--lang", "en"), lines=FULL_RUN)
    assert result.exit_code == 0, result.output
    data = _file(out)
    assert data["answers"] == {
        "success.eye_level.equal_say": "4", "success.eye_level.city_dominates": "2",
        "success.leadership.anchored": "partly", "financing.transparency.costs": "n/a",
        "financing.transparency.benefits": "5",
    }
    assert data["context"] == {"context.stage": "umsetzung", "context.partners": "Stadt Lindenau, Landkreis Ahrbach"}
    assert data["respondent"] == {"name": "Anna Weber", "role": "stadt"}
    assert str(data["date"]) == "2025-08-28" and data["language"] == "en"
    # eye level: (0.75*1 + 0.75*2)/3 = 75; leadership 50; transparency 100 -> (2*75 + 50 + 100)/4
    assert _score(out, mini_path)["overall"]["score"] == pytest.approx(75.0)
    # The summary on screen: score, level, factor table, the next step for the weakest factor.
    assert "Overall: 75.0 of 100 – established" in result.stdout
    assert "Eye level" in result.stdout and "█" in result.stdout
    assert "7 of 7 questions answered" in result.stdout


def test_summary_names_blockers_and_next_steps(mini_path, tmp_path):
    result = _assess(*_new(mini_path, tmp_path / "a.yaml", "--lang", "en"), lines=["1", "4", "3", "5", "5", "s", "s", "s", "s"])
    assert result.exit_code == 0, result.output
    out = _flat(result.stdout)
    # eye level (0 + 0.25*2)/3 = 16.666... shown 16.7 -> at the start; overall (2*16.7 + 100 + 100)/4 = 58.35 -> 58.4
    assert "Overall: 58.4 of 100 – developing" in out
    # The short list opens with the blocker, its item score and the factor's first recommendation.
    assert "What to do first 1. Eye level (16.7) – Equal say. (0.0 %) Agree on rules." in out
    assert "Key requirements not met (below 50 %) • Equal say." in out


def test_screen_shows_progress_factor_options_and_keys(mini_path, tmp_path):
    result = _assess(*_new(mini_path, tmp_path / "a.yaml", "--lang", "de"), lines=["q"])
    out = result.stdout
    assert "Mini-Fragebogen" in out and "Ein kleiner Fragebogen für Tests." in out
    assert "7 Fragen, etwa 6 Minuten." in out
    assert "1/7" in out and "Faktor: Augenhöhe" in out and "[Kernanforderung]" in out
    assert "5  trifft voll zu" in out and "n  kann ich nicht beurteilen" in out
    assert "? Hilfe · b zurück" in out


def test_help_key_shows_help_and_the_paper_passage(mini_path, tmp_path):
    result = _assess(*_new(mini_path, tmp_path / "a.yaml", "--lang", "en"), lines=["?", "q"])
    assert "There is no help text for this question." in result.stdout
    assert "From the thesis paper:" in result.stdout
    assert "Zusammenarbeit aller Beteiligten „auf Augenhöhe“" in result.stdout


def test_invalid_input_gets_a_hint_never_a_traceback(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    result = _assess(*_new(mini_path, out, "--lang", "en"), lines=["9", "", "yes please", "4 5", "4", "q"])
    assert result.exit_code == 0, result.output
    assert "'9' is not an answer here. Please type 1–5, n, ?, b, s, + or q." in result.stdout
    assert "Please type 1–5 (or n, ?, b, s, +, q)." in result.stdout
    assert "Please give one answer: 1–5 or n." in result.stdout
    assert "Traceback" not in result.output
    assert _file(out)["answers"] == {"success.eye_level.equal_say": "4"}


def test_cannot_judge_is_refused_for_required_items(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    result = _assess(*_new(mini_path, out, "--lang", "en"), lines=["1", "1", "1", "1", "n", "3", "q"])
    assert "'cannot judge' is not possible here" in result.stdout
    assert _file(out)["answers"]["financing.transparency.benefits"] == "3"


def test_back_shows_the_answer_and_lets_it_change(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    result = _assess(*_new(mini_path, out, "--lang", "en"), lines=["b", "4", "b", "2", "q"])
    assert "This is the first question." in result.stdout
    assert "Current answer: 4 (rather applies)" in result.stdout
    assert _file(out)["answers"] == {"success.eye_level.equal_say": "2"}


def test_note_key_keeps_a_note_with_the_answer(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    lines = ["+", "Kreis sieht das anders", "4", "b", "+", "Einigung: „eher ja“", "4", "q"]
    result = _assess(*_new(mini_path, out, "--lang", "en"), lines=lines)
    assert "Note saved; the answer is still open." in result.stdout
    assert "Note saved." in result.stdout
    assert _file(out)["answers"]["success.eye_level.equal_say"] == {"value": "4", "note": "Einigung: „eher ja“"}
    assert _score(out, mini_path)["factors"][0]["scored"] == 1


def test_a_note_typed_before_quitting_is_not_lost(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    result = _assess(*_new(mini_path, out, "--lang", "en"), lines=["+", "Kreis sieht das anders", "q"])
    assert result.exit_code == 0, result.output
    assert _file(out)["answers"]["success.eye_level.equal_say"] == {"note": "Kreis sieht das anders"}
    resumed = _assess(mini_path, "--resume", str(out), "--lang", "en", lines=["4", "q"])
    assert resumed.exit_code == 0, resumed.output
    assert _file(out)["answers"]["success.eye_level.equal_say"] == {"value": "4", "note": "Kreis sieht das anders"}


def test_skipped_questions_are_offered_once_more(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    lines = ["s", "2", "3", "4", "5", "1", "s", "3", "s"]
    result = _assess(*_new(mini_path, out, "--lang", "en"), lines=lines)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Skipped question – offered once more") == 2
    data = _file(out)
    assert data["answers"]["success.eye_level.equal_say"] == "3"
    assert "context.partners" not in data["context"]
    assert "6 of 7 questions answered" in result.stdout


def test_quit_saves_and_says_how_to_resume(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    result = _assess(*_new(mini_path, out, "--lang", "en"), lines=["4", "q"])
    assert result.exit_code == 0
    assert f"Resume with: slp assess {mini_path} --resume {out}" in _flat(result.stdout)
    assert _file(out)["answers"] == {"success.eye_level.equal_say": "4"}


def test_end_of_input_saves_and_exits_130_with_the_hint(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    result = _assess(*_new(mini_path, out), lines=["4", "2"])
    assert result.exit_code == 130
    # A German session says it in German, wrapped at words like the rest of the screen.
    assert f"Gespeichert in {out}. Fortsetzen mit: slp assess {mini_path} --resume {out}" in _flat(result.stderr)
    assert _file(out)["answers"] == {"success.eye_level.city_dominates": "2", "success.eye_level.equal_say": "4"}


def test_missing_names_are_asked_for_at_the_start(mini_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _assess(mini_path, "--lang", "en", lines=["", "Lindenau", "Jürgen Groß", "city", "LAND", "q"])
    assert result.exit_code == 0, result.output
    assert "Please type something." in result.stdout and "Please type stadt, land or other (also landkreis or gemeinde)." in _flat(result.stdout)
    written = tmp_path / "slp-mini-juergen-gross-2025-08-28.yaml"
    assert str(written.name) in result.stdout
    data = _file(written)
    assert data["partnership"] == "Lindenau" and data["respondent"] == {"name": "Jürgen Groß", "role": "land"}


def test_an_existing_file_is_never_overwritten_without_force(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    out.write_text("precious\n", encoding="utf-8")
    result = _assess(*_new(mini_path, out), lines=["4"])
    assert result.exit_code == 3
    assert f"{out} gibt es schon: fortsetzen mit `slp assess {mini_path} --resume {out}` oder neu beginnen mit --force" in result.stderr
    assert out.read_text(encoding="utf-8") == "precious\n"
    forced = _assess(*_new(mini_path, out, "--force"), lines=["4", "q"])
    assert forced.exit_code == 0
    assert _file(out)["answers"] == {"success.eye_level.equal_say": "4"}


def test_resume_continues_at_the_first_open_question(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    _assess(*_new(mini_path, out, "--lang", "en"), lines=["4", "s", "3", "q"])
    result = _assess(mini_path, "--resume", str(out), lines=["2", "4", "5", "1", "Partner", "q"])
    assert result.exit_code == 0, result.output
    assert "Resuming: 2 of 7 questions are answered." in result.stdout
    assert "2/7" in result.stdout and "1/7" not in result.stdout
    data = _file(out)
    assert data["language"] == "en" and data["respondent"]["name"] == "Anna Weber"
    assert list(data["answers"]) == MINI_IDS
    # eye level (0.75*1 + (1-0.25)*2)/3 = 75, anchored yes 100, transparency (0.75+1)/2 -> (2*75 + 100 + 87.5)/4
    # = 84.375, rounded half up as shown: 84.4
    assert _score(out, mini_path)["overall"]["score"] == 84.4


def test_resume_refuses_another_questionnaire(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    _assess(*_new(mini_path, out), lines=["4", "q"])
    result = _assess("slp-quickcheck", "--resume", str(out), lines=[])
    assert result.exit_code == 2
    # The file's session was German: so is the error.
    assert "diese Datei beantwortet den Fragebogen 'mini', nicht 'slp-quickcheck'" in result.stderr


def test_resume_of_another_version_is_refused_or_migrated(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    _assess(*_new(mini_path, out), lines=["4", "2", "q"])
    text = out.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "0.9"')
    out.write_text(text.replace("answers:\n", "answers:\n  success.retired.item: \"3\"\n"), encoding="utf-8")
    refused = _assess(mini_path, "--resume", str(out), lines=[])
    assert refused.exit_code == 2
    assert "diese Datei beantwortet Version '0.9' von 'mini', der Fragebogen hat Version 1.0" in refused.stderr
    assert "mit --migrate übernehmen" in refused.stderr
    migrated = _assess(mini_path, "--resume", str(out), "--migrate", "--lang", "en", lines=["q"])
    assert migrated.exit_code == 0, migrated.output
    assert "Dropped (question gone or answer no longer valid): success.retired.item" in _flat(migrated.stdout)
    data = _file(out)
    assert data["version"] == "1.0" and list(data["answers"]) == MINI_IDS[:2]
    assert (tmp_path / "a.yaml.v0-9.bak").read_text(encoding="utf-8") == text.replace("answers:\n", "answers:\n  success.retired.item: \"3\"\n")


def test_group_mode_writes_one_file_per_participant_and_shows_the_spread(mini_path, tmp_path):
    folder = tmp_path / "workshop"
    people = "Anna Weber:stadt,Jan Roth:land,Eva Öz"
    lines = ["1 5 n", "4 4 -", "3 2 x", "3 3 3", "n 4", "4 4 4", "5 5 5", "2", "Stadt, Kreis"]
    result = _assess(mini_path, "--participants", people, "--partnership", "Lindenau", "--out", str(folder), "--lang", "en", lines=lines)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Anna Weber · Jan Roth · Eva Öz" in out
    assert "Range 1–5" in out and "1× n/a" in out and "The views are far apart" in out
    assert "1× no answer" in out
    assert "'x' is not an answer here" in out and "Please type 3 answers, one per person (got 2)" in out
    assert "■■■ 3" in out
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["anna-weber.yaml", "eva-oez.yaml", "jan-roth.yaml", "slp-workshop.json"]
    eva = _file(folder / "eva-oez.yaml")
    assert eva["respondent"] == {"name": "Eva Öz", "role": "other"}
    assert eva["answers"]["success.eye_level.equal_say"] == "n/a"
    assert "success.eye_level.city_dominates" not in eva["answers"]
    assert eva["context"] == {"context.stage": "umsetzung", "context.partners": "Stadt, Kreis"}
    # Each file is a normal answer file: slp score reads the whole folder.
    result = runner.invoke(app, ["score", str(folder), "-q", mini_path, "--format", "json"])
    records = json.loads(result.stdout)
    assert result.exit_code == 0 and [r["respondent"]["name"] for r in records] == ["Anna Weber", "Eva Öz", "Jan Roth"]
    # Anna: eye level (0*1 + (1-0.75)*2)/3, anchored yes 100, transparency (0.75 + 1)/2.
    # eye level 100 * 0.5 / 3 = 16.666... shown 16.7: (2 * 16.7 + 100 + 87.5) / 4 = 55.225 -> 55.2
    assert records[0]["overall"]["score"] == 55.2


def test_an_existing_file_or_group_is_refused_before_anything_is_asked(mini_path, tmp_path):
    """Names typed at the prompts and then refused would be typed in vain: the refusal comes first."""
    out = tmp_path / "a.yaml"
    out.write_text("precious\n", encoding="utf-8")
    one = _assess(mini_path, "--out", str(out), lines=["Lindenau", "Anna", "stadt"])
    assert one.exit_code == 3 and "gibt es schon" in one.stderr
    assert "Name der Partnerschaft" not in one.stdout and out.read_text(encoding="utf-8") == "precious\n"
    folder = tmp_path / "workshop"
    first = _assess(mini_path, "--participants", "Anna:stadt,Jan:land", "--partnership", "L", "--out", str(folder), lines=["4 3"])
    assert first.exit_code == 130
    again = _assess(mini_path, "--participants", "Anna:stadt,Jan:land", "--out", str(folder), lines=["L"])
    assert again.exit_code == 3 and "gibt es schon" in again.stderr and "Name der Partnerschaft" not in again.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    fresh = _assess(mini_path, "--participants", "Anna:stadt,Jan:land", "--out", str(empty), lines=["L", "4 3", "q"])
    assert fresh.exit_code == 0 and "Name der Partnerschaft" in fresh.stdout, fresh.output


def test_group_mode_can_be_resumed_from_its_folder(mini_path, tmp_path):
    folder = tmp_path / "workshop"
    args = (mini_path, "--participants", "Anna:stadt,Jan:land", "--partnership", "L", "--out", str(folder))
    first = _assess(*args, lines=["4 3", "2 2"])
    assert first.exit_code == 130 and f"Fortsetzen mit: slp assess {mini_path} --resume {folder}" in _flat(first.stderr)
    again = _assess(*args, lines=[])
    assert again.exit_code == 3 and "gibt es schon" in again.stderr
    result = _assess(mini_path, "--resume", str(folder), lines=["3 3", "q"])
    assert result.exit_code == 0, result.output
    assert _file(folder / "jan.yaml")["answers"] == {
        "success.eye_level.equal_say": "3", "success.eye_level.city_dominates": "2", "success.leadership.anchored": "yes",
    }


@pytest.mark.parametrize(
    ("args", "german", "english"),
    [
        (("--partnership", "L", "--role", "city"), "--role 'city': erlaubt sind stadt, landkreis, gemeinde, land, other (auch: sonstige)",
         "--role 'city': use one of stadt, landkreis, gemeinde, land, other (also accepted: sonstige)"),
        (("--participants", "Anna", "--respondent", "X"), "--participants nennt alle Teilnehmenden", "--participants names everyone"),
        (("--participants", "Anna:chef"), "--participants: ", "unknown side in 'Anna:chef'"),
        (("--resume", "nowhere.yaml"), "nowhere.yaml: diese Datei oder diesen Ordner gibt es nicht", "nowhere.yaml: no such file or folder to resume"),
        (("--resume", "x.yaml", "--respondent", "Y"), "--respondent weglassen", "leave out --respondent"),
    ],
)
def test_usage_errors_exit_3_in_the_sessions_language(mini_path, tmp_path, monkeypatch, args, german, english):
    monkeypatch.chdir(tmp_path)
    for lang, expected, label in (("de", german, "Fehler: "), ("en", english, "error: ")):
        result = _assess(mini_path, *args, "--lang", lang, lines=[])
        assert result.exit_code == 3, result.output
        assert expected in result.stderr and result.stderr.startswith(label), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    default = _assess(mini_path, *args, lines=[])  # German unless asked otherwise, as the session would be
    assert default.exit_code == 3 and german in default.stderr
    assert not list(tmp_path.iterdir())


def test_a_language_the_questionnaire_lacks_is_a_usage_error(mini_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _assess(mini_path, "--lang", "fr", lines=[])  # not a language of the tool either: German
    assert result.exit_code == 3 and "Fehler: den Fragebogen 'mini' gibt es nicht in der Sprache 'fr'" in result.stderr


@pytest.mark.parametrize("columns", [60, 120])
def test_narrow_and_wide_terminals(mini_path, tmp_path, columns):
    out = tmp_path / "a.yaml"
    result = _assess(*_new(mini_path, out, "--lang", "de"), lines=FULL_RUN, columns=columns)
    assert result.exit_code == 0, result.output
    scoring = f"slp score {shlex.quote(str(out))}"  # a command to paste stays whole, wider or not
    assert scoring in result.stdout.splitlines() or f"auswerten mit: {scoring}" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines() if line != scoring) <= columns
    assert "Gesamt: 75,0 von 100 – gefestigt" in result.stdout


def test_bundled_quickcheck_runs_in_both_languages(tmp_path):
    quickcheck = load_questionnaire("slp-quickcheck")
    steps = len(quickcheck.items()) + len(quickcheck.context)
    for lang in ("de", "en"):
        out = tmp_path / f"{lang}.yaml"
        result = _assess("slp-quickcheck", "--out", str(out), "--partnership", "L", "--respondent", "A", "--role", "land", "--lang", lang, lines=["q"])
        assert result.exit_code == 0, result.output
        assert f"1/{steps}" in result.stdout  # every item and every context question is a step


def test_report_option_writes_a_report_at_the_end(mini_path, tmp_path):
    out = tmp_path / "a.yaml"
    report = tmp_path / "reports" / "bericht.md"
    lines = ["4", "2", "yes", "3", "5", "1", "Lindenau"]
    result = _assess(*_new(mini_path, out, "--report", str(report)), lines=lines)
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "Lindenau" in text
    assert "Zusammenfassung" in text  # the session's language, German here
    # Quitting early writes no report: the answer file stays the result.
    early = tmp_path / "b.yaml"
    report_b = tmp_path / "b.md"
    quit_early = _assess(*_new(mini_path, early, "--report", str(report_b)), lines=["4", "q"])
    assert quit_early.exit_code == 0, quit_early.output
    assert not report_b.exists()


def test_group_notes_belong_to_one_person_or_to_the_session_and_the_report_shows_each_once(mini_path, tmp_path):
    folder = tmp_path / "workshop"
    # At the first item: a note by Jan (seat 2), then one for the session; the answers; back to see them.
    lines = ["+", "2", "Kreistag entscheidet im Mai", "+", "0", "Bürgermeisterin fehlt", "4 2 3", "b", "q"]
    result = _assess(mini_path, "--participants", "Anna:stadt,Jan:land,Eva:sonstige", "--partnership", "Lindenau", "--out", str(folder), "--lang", "en", lines=lines)
    assert result.exit_code == 0, result.output
    assert "Note by Jan: Kreistag entscheidet im Mai" in _flat(result.stdout)
    assert "Session note: Bürgermeisterin fehlt" in _flat(result.stdout)
    answers = {name: _file(folder / f"{name}.yaml")["answers"]["success.eye_level.equal_say"] for name in ("anna", "jan", "eva")}
    assert answers == {"anna": "4", "jan": {"value": "2", "note": "Kreistag entscheidet im Mai"}, "eva": "3"}
    assert _file(folder / "eva.yaml")["respondent"]["role"] == "other"  # "sonstige" is the other side
    manifest = json.loads((folder / "slp-workshop.json").read_text(encoding="utf-8"))
    assert manifest["notes"] == [{"item": "success.eye_level.equal_say", "text": "Bürgermeisterin fehlt"}]
    for fmt in ("md", "html"):
        report = runner.invoke(app, ["report", str(folder), "-q", mini_path, "--format", fmt, "--lang", "en"])
        assert report.exit_code == 0, report.output
        assert report.stdout.count("Bürgermeisterin fehlt") == 1 and report.stdout.count("Kreistag entscheidet im Mai") == 1
        assert "Notes of the session" in report.stdout
    # The seating order survives a resume: the next line's answers go to Anna, Jan and Eva in that order.
    # Option labels are accepted as typed (ja, nein, teilweise in a German session too).
    resumed = _assess(mini_path, "--resume", str(folder), lines=["1 5 3", "nein teilweise ja", "q"])
    assert resumed.exit_code == 0, resumed.output
    files = [_file(folder / f"{n}.yaml")["answers"] for n in ("anna", "jan", "eva")]
    assert [f["success.eye_level.city_dominates"] for f in files] == ["1", "5", "3"]
    assert [f["success.leadership.anchored"] for f in files] == ["no", "partly", "yes"]


def test_an_unknown_report_suffix_is_refused_before_the_first_question(mini_path, tmp_path):
    result = _assess(*_new(mini_path, tmp_path / "a.yaml"), "--report", str(tmp_path / "bericht.docx"), lines=["4"])
    assert result.exit_code == 3
    assert _flat(result.stderr) == f"Fehler: --report {tmp_path / 'bericht.docx'}: unbekannte Endung '.docx'; möglich sind .md, .html, .json, .pdf"
    assert not (tmp_path / "a.yaml").exists()


def test_a_single_voice_on_one_factor_is_explained_in_the_group_view(mini_path, tmp_path):
    # Two people per side; Jan leaves the leadership question blank, so the rural side is one voice there (¹).
    people = "Anna:stadt,Ben:stadt,Jan:land,Uta:land"
    lines = ["4 4 2 2", "2 2 4 4", "3 3 - 3", "4 4 4 4", "4 4 4 4", "2", "Stadt, Kreis"]
    result = _assess(mini_path, "--participants", people, "--partnership", "L", "--out", str(tmp_path / "ws"), "--lang", "en",
                     lines=lines)
    assert result.exit_code == 0, result.output
    view = result.stdout[result.stdout.index("Group result"):]
    assert "¹" in view
    assert "Single voices (one person speaks for the side; not compared for gaps)" in view
