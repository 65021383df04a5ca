"""Names, notes and questionnaire texts are shown as written: never read as rich markup.

`Lindenau [/] Auental` must not crash a screen, `[entwurf]` must not vanish, `[link=...]` must not
make a link, and an escape sequence in a note must not reach the terminal.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.yamlio import StrictLoader

runner = CliRunner()
MINI = Path(__file__).parent / "fixtures" / "core" / "mini.yaml"
# Wide enough that no line wraps: every string must appear in one piece.
ENV = {"NO_COLOR": "1", "COLUMNS": "1000", "SOURCE_DATE_EPOCH": "1756339200"}
FRAGMENTS = [
    "[", "]", "[/]", "[bold]", "[/bold]", "[entwurf]", "[link=https//example.org]", "[/link]", "[red on blue]",
    "[@click=app.bell]", "[#ff0000]", "][", "\\", "\\[b]", "Lindenau", "Auental", " ", "ä", "=",
]
# Names in --participants cannot hold "," or ":" (they separate people and sides).
MARKUP = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map("".join).map(str.strip).filter(bool)
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _questionnaire(path: Path, text: str) -> Path:
    """The mini questionnaire with ``text`` in every title, label and help text."""
    data = yaml.load(MINI.read_text(encoding="utf-8"), Loader=StrictLoader)  # noqa: S506 - a safe loader
    data["title"] = {"de": f"T {text}", "en": f"T {text}"}
    data["description"] = {"de": f"D {text}", "en": f"D {text}"}
    data["version"] = f"1.0 {text}"
    for section in data["sections"]:
        section["title"] = {"de": f"S {text}", "en": f"S {text}"}
        section["intro"] = {"de": f"I {text}", "en": f"I {text}"}
        for factor in section["factors"]:
            factor["title"] = {"de": f"F {text}", "en": f"F {text}"}
            for item in factor["items"]:
                item["text"] = {"de": f"Q {text}", "en": f"Q {text}"}
                item["help"] = {"de": f"H {text}", "en": f"H {text}"}
                item["source"] = f"P {text}"
    for scale in data["scales"].values():
        for option in scale["options"]:
            option["label"] = {"de": f"O{option['key']} {text}", "en": f"O{option['key']} {text}"}
    for question in data["context"]:
        question["text"] = {"de": f"C {text}", "en": f"C {text}"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _shows(output: str, *texts: str) -> None:
    for text in texts:
        assert text in output, f"{text!r} is not shown as written"


def test_the_examples_of_the_issue(tmp_path):
    names = "Lindenau [/] Auental:stadt,[entwurf] Roth:land,[link=example.org]Link[/link]:other"
    result = runner.invoke(
        app, ["assess", str(MINI), "--out", str(tmp_path / "w"), "--partnership", "[bold]P[/bold]", "--participants", names, "--lang", "de"],
        input="+\n0\nNotiz [/] mit [entwurf] und \x1b[2J\n+\n2\n[b]Roths[/b] Notiz\n4 3 2\nb\nq\n", env=ENV,
    )
    assert result.exit_code == 0, result.output
    _shows(result.stdout, "Lindenau [/] Auental · [entwurf] Roth · [link=example.org]Link[/link]")
    _shows(result.stdout, "Notiz der Sitzung: Notiz [/] mit [entwurf] und \\x1b[2J")
    _shows(result.stdout, "Notiz von [entwurf] Roth: [b]Roths[/b] Notiz")
    assert "\x1b" not in result.stdout


@SETTINGS
@given(text=MARKUP, note=MARKUP, names=st.lists(MARKUP, min_size=2, max_size=3, unique=True))
def test_generated_markup_in_a_group_session_is_shown_as_written(tmp_path, text, note, names):
    questionnaire = _questionnaire(tmp_path / "q.yaml", text)
    people = ",".join(f"{name}:stadt" for name in names)
    answers = " ".join("4" for _ in names)
    result = runner.invoke(
        app, ["assess", str(questionnaire), "--out", str(tmp_path / "w"), "--force", "--partnership", text, "--participants", people],
        input=f"?\n+\n1\n{note}\n{answers}\nb\nq\n", env=ENV,
    )
    assert result.exit_code == 0, result.output
    _shows(result.stdout, f"T {text}", f"D {text}", f"S {text}", f"I {text}", f"F {text}", f"Q {text}", f"O1 {text}")
    _shows(result.stdout, f"H {text}", f"P {text}", f"Notiz von {names[0]}: {note}", " · ".join(names), f"O5 {text}")


@SETTINGS
@given(text=MARKUP, name=MARKUP, answer=MARKUP)
def test_generated_markup_in_names_and_context_answers_of_a_single_session(tmp_path, text, name, answer):
    questionnaire = _questionnaire(tmp_path / "q.yaml", text)
    # Names asked at the start; every question skipped but the free-text one, then quit at the re-offer.
    typed = [text, name, "stadt", "s", "s", "s", "s", "s", "s", answer, "q"]
    result = runner.invoke(
        app, ["assess", str(questionnaire), "--out", str(tmp_path / "a.yaml"), "--force", "--lang", "en"],
        input="".join(f"{line}\n" for line in typed), env=ENV,
    )
    assert result.exit_code == 0, result.output
    _shows(result.stdout, f"C {text}", f"Oyes {text}", f"Name of the partnership: {text}\nYour name: {name}\n", f"> {answer}\n")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=MARKUP)
def test_generated_markup_in_a_user_questionnaire_for_questionnaires_show(tmp_path, text):
    folder = tmp_path / "[entwurf] fragen [bold]"
    folder.mkdir(exist_ok=True)
    questionnaire = _questionnaire(folder / "q.yaml", text)
    shown = runner.invoke(app, ["questionnaires", "show", str(questionnaire), "--lang", "de"], env=ENV)
    assert shown.exit_code == 0, shown.output
    _shows(shown.stdout, f"T {text} (mini 1.0 {text})", f"S {text}", f"F {text} ×2", f"Q {text} [Kernanforderung]", f"C {text}")
    listed = runner.invoke(app, ["questionnaires", str(questionnaire)], env=ENV)
    assert listed.exit_code == 0, listed.output
    _shows(listed.stdout, f"1.0 {text}", str(questionnaire))


@SETTINGS
@given(text=MARKUP, names=st.lists(MARKUP, min_size=2, max_size=3, unique=True))
def test_generated_markup_reaches_the_end_of_session_result_as_written(tmp_path, text, names):
    # A group session answered to the end: the result (priorities, factors, people, key requirements)
    # shows the questionnaire's texts and the names as written.
    questionnaire = _questionnaire(tmp_path / "q.yaml", text)
    people = ",".join(f"{name}:stadt" for name in names)
    low = " ".join("1" for _ in names)
    lines = [low] * 5 + ["s"] * 4  # every scored item answered 1 (the lowest option), context skipped
    result = runner.invoke(
        app, ["assess", str(questionnaire), "--out", str(tmp_path / "w"), "--force", "--partnership", text, "--participants", people],
        input="".join(f"{line}\n" for line in lines), env=ENV,
    )
    assert result.exit_code == 0, result.output
    result_screen = result.stdout.split("Ergebnis", 1)[1]
    _shows(result_screen, f"F {text}", f"Q {text}", *names)
