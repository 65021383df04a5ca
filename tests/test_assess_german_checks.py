"""A German session words the checker's problems of a file it cannot read in German (``assess.checks_german``).

Answer files and questionnaires are broken in every way the checks know (YAML syntax, what YAML allows
and the files do not, the form of each field, answers against their questionnaire, a questionnaire's
own structure), one break and two at a time; every problem they give must have a German wording, for
its message and for its hint. Then the session itself: `slp assess --resume` of a broken file prints
the problems in German, located as in English.
"""

from __future__ import annotations

import random
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.assess.checks_german import german_error, german_hint, german_message, in_german
from slp_assess.cli import app
from slp_assess.errors import InvalidInputError, Problem, SlpError
from slp_assess.loading import QuestionnaireCatalog, load_answer_file, load_questionnaire_file, parse_model
from slp_assess.models.answers import AnswerFile
from slp_assess.yamlio import read_yaml

MINI = Path(__file__).parent / "fixtures" / "core" / "mini.yaml"
VALID = """questionnaire: mini
version: "1.0"
partnership: Lindenau
respondent:
  name: Anna Weber
  organisation: Stadt Lindenau
  role: stadt
date: 2026-03-18
language: de
answers:
  success.eye_level.equal_say: "4"
  success.eye_level.city_dominates: {value: "2", note: Nur im Lenkungskreis.}
  success.leadership.anchored: "yes"
  financing.transparency.costs: n/a
  financing.transparency.benefits: "3"
context:
  context.stage: findung
  context.partners: Ahrbach
"""
ITEM = "  success.eye_level.equal_say: \"4\"\n"
ANSWER_BREAKS = [
    ("role: stadt", "role: stadtx"), ("role: stadt", "role: [stadt]"), ("date: 2026-03-18", "date: 2026-13-40"),
    ("date: 2026-03-18", "date: 'gestern'"), ("language: de", "language: fr"), ("questionnaire: mini", "questionnaire: maxi"),
    ('version: "1.0"', 'version: "9.9"'), ('version: "1.0"\n', ""), ("questionnaire: mini\n", ""), ("answers:\n", "extra: 1\nanswers:\n"),
    (ITEM, '  success.eye_level.equal_sa: "4"\n'), (ITEM, '  success.unknown.item: "4"\n'), (ITEM, '  success.eye_level.equal_say: "9"\n'),
    (ITEM, "  success.eye_level.equal_say: trifft voll zu\n"), (ITEM, "  success.eye_level.equal_say: [1, 2]\n"),
    (ITEM, "  success.eye_level.equal_say: {value: '3', nope: 1}\n"), (ITEM, "  success.eye_level.equal_say: {note: x}\n"),
    (ITEM, "  success.eye_level.equal_say: {value: '3', note: [1]}\n"), (ITEM, "  success.eye_level.equal_say: 3.5\n"),
    (ITEM, '  success.eye_level.equal_say:"4"\n'), ("financing.transparency.benefits: \"3\"", "financing.transparency.benefits: n/a"),
    ("context.stage: findung", "context.stage: [findung, umsetzung]"), ("context.stage: findung", "context.stage: anfang"),
    ("context.stage: findung", "context.stag: findung"), ("respondent:\n", "respondent: Anna\nold:\n"), ("  name: ", "  nam: "),
    ("answers:\n", "answers: [1]\nold:\n"), ("partnership: Lindenau", "partnership: [a]"), (ITEM, "\tsuccess.eye_level.equal_say: 4\n"),
    (ITEM, "  success.eye_level.equal_say: 'offen\n"), (ITEM, "  success.eye_level.equal_say: [1, 2\n"),
    (ITEM, "  success.eye_level.equal_say: {value: 1\n"), (ITEM, '  success.eye_level.equal_say: "a\\qb"\n'),
    (ITEM, "  success.eye_level.equal_say: @4\n"), (ITEM, "  success.eye_level.equal_say: a: b\n"), (ITEM, "   success.eye_level.equal_say: 4\n"),
    (ITEM, "  success.eye_level.equal_say: &a '4'\n  financing.x: *a\n"), (ITEM, "  success.eye_level.equal_say: !!int abc\n"),
    (ITEM, "  success.eye_level.equal_say: !foo 1\n"), (ITEM, "  success.eye_level.equal_say: !!map 1\n"), (ITEM, "  <<: {a: 1}\n"),
    (ITEM, "  success.eye_level.equal_say: =\n"), (ITEM, "  success.eye_level.equal_say: {{ name }}\n"), (ITEM, "  [a, b]: 1\n"),
    (ITEM, "  ? {a: 1}\n  : 1\n"), (ITEM, "  x: " + "[" * 80 + "]" * 80 + "\n"), (ITEM, ITEM * 2), (ITEM, '  success.eye_level.equal_say: "4\x07"\n'),
    (ITEM, "  - 1\n"), (ITEM, "  success.eye_level.equal_say: 'a' b\n"), (ITEM, "  success.eye_level.equal_say: \"4\n  financing.x: 1\n"),
    (ITEM, " success.eye_level.equal_say: 1\n  financing.x: 1\n"), (ITEM, "  success.eye_level.equal_say:  - 1\n"),
    (ITEM, "  success.eye_level.equal_say: \"4\u2028\"\n"), (ITEM, "  success.eye_level.equal_say: 4 # \u0085 x: 1\n"),
    ("answers:\n", "answers:\n  null: '3'\n"), ("\n", "\n---\na: 1\n"),
    # values Python quotes with " (they hold a '), a key that is no text
    (ITEM, "  success.eye_level.equal_say: \"it's\"\n"), ("role: stadt", "role: \"stadt's\""), ("  name: Anna Weber", "  1: x"),
    ("context.stage: findung", "context.stage: \"find'ung\""), ("answers:\n", "answers:\n  \"it's.an.item\": '3'\n"),
]
WHOLE_FILES = ["- a\n- b\n", "just text\n", "", "id: x\nsections: []\n", "\xff".encode("latin-1").decode("latin-1")]


def _broken_answer_files(rng: random.Random) -> list[str]:
    texts = [VALID.replace(old, new, 1) for old, new in ANSWER_BREAKS] + WHOLE_FILES
    for _ in range(120):
        (old1, new1), (old2, new2) = rng.sample(ANSWER_BREAKS, 2)
        texts.append(VALID.replace(old1, new1, 1).replace(old2, new2, 1))
    return texts


def _problems(path: Path, read) -> list[Problem]:
    try:
        read(path)
    except InvalidInputError as exc:
        return exc.problems
    return []


def _answer_problems(path: Path) -> list[Problem]:
    catalog = QuestionnaireCatalog.with_files([MINI])
    return (_problems(path, lambda p: parse_model(read_yaml(p), AnswerFile, "answer file"))
            + _problems(path, lambda p: load_answer_file(p, catalog)))


def _unworded(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.message, p.hint) for p in problems if german_message(p.message) is None or german_hint(p.hint) is None]


def test_every_problem_of_a_broken_answer_file_has_a_german_wording(tmp_path):
    path = tmp_path / "a.yaml"
    seen: set[str] = set()
    for text in _broken_answer_files(random.Random(20261128)):
        path.write_text(text, encoding="utf-8")
        problems = _answer_problems(path)
        assert _unworded(problems) == []
        seen |= {re.sub(r"'[^']*'|\d+", "", german_message(p.message) or "") for p in problems}
    assert len(seen) >= 40, sorted(seen)  # the breaks reach many kinds of problem


@pytest.mark.parametrize("seed", range(3))
def test_every_problem_of_an_answer_file_with_stray_characters_has_a_german_wording(tmp_path, seed):
    """Stray characters, odd texts and YAML punctuation typed anywhere into a valid file, a few at a time."""
    from answer_styles import ODD_TEXTS, STRAY

    pieces = [*STRAY, *(t for t in ODD_TEXTS if isinstance(t, str)), ":", "- ", "{", "[", "'", '"', "\n  ", "\t", "&a", "*a",
              "!!str ", "? ", "|", ">", "%", "@", "`", "---\n", "...\n", "\\", "{{ x }}", "<<: "]
    rng = random.Random(seed)
    path = tmp_path / "a.yaml"
    for _ in range(150):
        text = VALID
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice(pieces) + text[at + rng.randint(0, 3):]
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        assert _unworded(_answer_problems(path)) == [], text


QUESTIONNAIRE_BREAKS = [
    ("id: success.leadership\n", "id: success.eye_level\n"), ("default_language: de", "default_language: fr"),
    ("title: {de: Transparenz, en: Transparency}", "title: {de: Transparenz}"), ("title: {de: Transparenz, en: Transparency}", "title: {de: Transparenz, en: ''}"),
    ('{key: "3", points: 3,', '{key: "n/a", points: 3,'), ('{key: "3", points: 3,', '{key: "2", points: 3,'),
    ("points: 0, label: {de: nein", "points: 1, label: {de: nein"), ("points: 2, label: {de: ja", "points: 1, label: {de: ja"),
    ("partly: [{de: Rotierender", "gibtsnicht: [{de: Rotierender"), ("scale: yes_partly_no", "scale: yes_no"),
    ("    type: choice\n    options:\n      - {key: findung, label: {de: Findung, en: Discovery}}\n      - {key: umsetzung, label: {de: Umsetzung, en: Implementation}}\n", "    type: choice\n"),
    ("text: {de: Partner?, en: Partners?}", "text: {de: Partner?, en: Partners?}\n    options: [{key: a, label: {de: a, en: a}}]"),
    ('{key: "1", points: 1,', '{key: "1", points: 1.1234567,'), ("weight: 2\n", "weight: 0\n"), ("weight: 2\n", "weight: -1\n"),
    ("id: mini", "id: Mini Test"), ("sections:\n", "sections: []\nold:\n"), ('version: "1.0"', "version: [1]"),
    ("items:\n          - {id: financing.transparency.costs", "items: []\n          old:\n          - {id: financing.transparency.costs"),
    ("type: choice", "type: liste"), ("    title: {de: Finanzierung, en: Financing}\n    factors:\n", "    title: {de: Finanzierung, en: Financing}\n    factors: []\n    old:\n"),
]


def test_every_problem_of_a_broken_questionnaire_has_a_german_wording(tmp_path):
    valid = MINI.read_text(encoding="utf-8")
    path = tmp_path / "q.yaml"
    rng = random.Random(7)
    texts = [valid.replace(old, new, 1) for old, new in QUESTIONNAIRE_BREAKS]
    texts += [valid.replace(a[0], a[1], 1).replace(b[0], b[1], 1) for a, b in (rng.sample(QUESTIONNAIRE_BREAKS, 2) for _ in range(40))]
    found = 0
    for text in texts:
        assert text != valid
        path.write_text(text, encoding="utf-8")
        problems = _problems(path, load_questionnaire_file)
        found += bool(problems)
        assert _unworded(problems) == []
    assert found >= len(texts) - 2


@pytest.mark.parametrize(("message", "hint", "german"), [
    ("unknown item id 'success.eye_level.equal_sa' for questionnaire 'mini'", "did you mean 'success.eye_level.equal_say'?",
     "die Frage 'success.eye_level.equal_sa' gibt es im Fragebogen 'mini' nicht (Hinweis: meinten Sie 'success.eye_level.equal_say'?)"),
    ("'trifft voll zu' is not an option of scale 'agreement'", "'trifft voll zu' is the label of option '5': write 5; use one of: 1, 2, 3, 4, 5, n/a",
     "'trifft voll zu' ist keine Antwort der Skala 'agreement' (Hinweis: 'trifft voll zu' ist die Beschriftung der Antwort '5': 5 schreiben; "
     "möglich sind: 1, 2, 3, 4, 5, n/a)"),
    ("YAML error: the quote ' opened at line 12 is not closed on that line", "end the value with ' on the line where it starts",
     "YAML-Fehler: das Anführungszeichen ' aus Zeile 12 wird in dieser Zeile nicht geschlossen (Hinweis: den Wert in der Zeile, in der er "
     "beginnt, mit ' beenden)"),
    ("participants.0.file: Value error, '../x.yaml' is not an answer file name of this folder (like anna-weber.yaml)",
     "restore the file or remove it to fall back to alphabetical order",
     "participants.0.file: '../x.yaml' ist kein Name einer Antwortdatei dieses Ordners (etwa anna-weber.yaml) (Hinweis: die Datei "
     "zurückholen oder löschen, dann gilt die alphabetische Reihenfolge)"),
    ("unknown option(s) 'anfang'", "use: findung, umsetzung", "unbekannte Antwort(en) 'anfang' (Hinweis: möglich sind: findung, umsetzung)"),
    ("Input should be 'de' or 'en'", "use one of the allowed values", "möglich ist nur 'de' oder 'en' (Hinweis: einen der möglichen Werte verwenden)"),
])
def test_a_problem_reads_in_german_with_its_values_as_quoted(message, hint, german):
    problem = in_german(Problem("a.yaml", 3, message, hint))
    assert problem.format("Hinweis") == f"a.yaml:3: {german}"


def test_a_problem_not_known_here_still_says_where_in_german_and_how_to_see_it():
    problem = in_german(Problem("mein ordner/a.yaml", 7, "a problem no check words like this", "", "answers.x"))
    assert problem.format("Hinweis") == ("mein ordner/a.yaml:7: answers.x: die Prüfung findet hier einen Fehler "
                                         "(Hinweis: Einzelheiten: slp validate 'mein ordner/a.yaml')")
    known_message = in_german(Problem("a.yaml", 1, "Field required", "an advice no check gives"))
    assert known_message.message == "hier fehlt ein Pflichtfeld" and known_message.hint == "Einzelheiten: slp validate a.yaml"


def test_a_problem_not_known_here_names_the_questionnaire_file_that_slp_validate_needs():
    problem = in_german(Problem("a.yaml", 2, "a problem no check words like this", ""), "mein fragebogen.yaml")
    assert problem.hint == "Einzelheiten: slp validate a.yaml -q 'mein fragebogen.yaml'"
    manifest = in_german(Problem("w/.slp-workshop.json", None, "a problem no check words like this", ""), "q.yaml")
    assert manifest.hint == ""  # `slp validate` does not read the workshop manifest


@pytest.mark.parametrize("bundled", [False, True])
def test_the_command_a_german_session_names_for_an_unknown_problem_runs(tmp_path, monkeypatch, bundled):
    """Resuming a broken file whose problem has no German wording, the session names `slp validate` with
    the questionnaire file the session runs (a bundled one is found by its id): that command works."""
    from slp_assess.assess import checks_german

    monkeypatch.setattr(checks_german, "german_message", lambda text: None)  # as for a problem not worded yet
    path = tmp_path / "anna.yaml"
    if bundled:
        questionnaire = "slp-quickcheck"
        path.write_text("questionnaire: slp-quickcheck\nversion: '1.0'\nanswers: [1, 2]\n", encoding="utf-8")
    else:
        questionnaire = str(MINI)
        path.write_text(VALID.replace("answers:", "answers: [1]\nrest:", 1), encoding="utf-8")
    session = CliRunner().invoke(app, ["assess", questionnaire, "--resume", str(path)], env={"NO_COLOR": "1", "COLUMNS": "300"})
    assert session.exit_code == 2, session.output
    hints = [line.split("(Hinweis: ", 1)[1].removesuffix(")") for line in session.stderr.splitlines() if "(Hinweis: " in line]
    assert hints and all(hint.startswith("Einzelheiten: slp validate ") for hint in hints), session.stderr
    command = shlex.split(hints[0].removeprefix("Einzelheiten: slp "))
    assert ("-q" in command) is not bundled and (bundled or command[command.index("-q") + 1] == str(MINI))
    validated = CliRunner().invoke(app, command, env={"NO_COLOR": "1", "COLUMNS": "300"})
    assert validated.exit_code == 2 and f"{path}:" in validated.stderr and "unknown questionnaire" not in validated.stderr


_ENGLISH = re.compile(r"\b(the|is|not|should|error|unknown|use|write|line|value|key|field|required|input|valid|quote|hint|file)\b", re.I)


@pytest.mark.parametrize(("old", "new"), [(old, new) for old, new in ANSWER_BREAKS[::3]])
def test_a_german_session_resuming_a_broken_file_prints_its_problems_in_german(tmp_path, old, new):
    path = tmp_path / "anna.yaml"
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")
    german = CliRunner().invoke(app, ["assess", str(MINI), "--resume", str(path)], env={"NO_COLOR": "1", "COLUMNS": "200"})
    english = CliRunner().invoke(app, ["assess", str(MINI), "--resume", str(path), "--lang", "en"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    if german.exit_code == 0:
        return  # the break left a file the session can resume (a second `---` document is one, a tab in a value another)
    assert german.exit_code == english.exit_code == 2, german.output
    lines = german.stderr.splitlines()
    assert lines[0].startswith(f"Fehler: {path}: ")
    details = [line for line in lines[1:] if line.startswith("  ")]
    if not details:
        assert len(lines) == 1  # a one-line error of the session's own (another version, another questionnaire)
        return
    english_details = [line for line in english.stderr.splitlines() if line.startswith("error: ")]
    # The same problems at the same places, each in German.
    assert [d.strip().split(": ")[0] for d in details] == [e.removeprefix("error: ").split(": ")[0] for e in english_details]
    # What the German lines point to: `slp validate` names every one of these places in English, and more.
    validated = CliRunner().invoke(app, ["validate", str(path), "-q", str(MINI)], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert validated.exit_code == 2
    places = {e.removeprefix("error: ").split(": ")[0] for e in validated.stderr.splitlines() if e.startswith("error: ")}
    assert {d.strip().split(": ")[0] for d in details} <= places, validated.stderr
    for line in details:
        shown = re.sub(r"'[^']*'|`[^`]*`|\S*[/.]\S*|^\s+\S+:\d+: [^\s:]+: ", " ", line.removeprefix(f"  {path}"))
        assert not _ENGLISH.search(shown), line


def _error_text(action) -> str:
    try:
        action()
    except SlpError as exc:
        return str(exc)
    raise AssertionError("no error")


def test_the_shared_codes_one_line_errors_a_session_can_meet_read_in_german(tmp_path, monkeypatch):
    """The date of a reproducible run and a PDF printed at the session's end: the texts as the code words them."""
    from slp_assess import naming
    from slp_assess.report import pdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "morgen")
    texts = [_error_text(naming.source_date)]
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    talking = tmp_path / "talking-browser"
    talking.write_text("#!/bin/sh\necho 'Fatal: no display' >&2\nexit 3\n", encoding="utf-8")
    talking.chmod(0o755)
    sleepy = tmp_path / "sleepy-browser"
    sleepy.write_text("#!/bin/sh\nsleep 5\n", encoding="utf-8")
    sleepy.chmod(0o755)
    for browser in ("false", str(talking), "kein-browser-hier"):
        monkeypatch.setenv("SLP_CHROMIUM", browser)
        texts.append(_error_text(lambda: pdf.html_to_pdf("<p>x</p>")))
    monkeypatch.setenv("SLP_CHROMIUM", str(sleepy))
    monkeypatch.setattr(pdf, "TIMEOUT", 0.2)
    texts.append(_error_text(lambda: pdf.html_to_pdf("<p>x</p>")))

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pdf.subprocess, "run", refused)
    texts.append(_error_text(lambda: pdf.html_to_pdf("<p>x</p>")))
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.delenv("SLP_CHROMIUM")
    texts.append(_error_text(pdf.find_browser))

    german = [german_error(text) for text in texts]
    assert None not in german, list(zip(texts, german, strict=True))
    assert german[0] == "SOURCE_DATE_EPOCH='morgen' ist keine Zahl (Sekunden seit 1970)"
    assert german[1].endswith("konnte das PDF nicht drucken (Rückgabewert 1)")
    assert german[2].endswith("konnte das PDF nicht drucken; das Programm meldet: 'Fatal: no display'")
    assert german[3].startswith("SLP_CHROMIUM='kein-browser-hier' ist kein ausführbares Programm; ein PDF druckt Chromium")
    assert german[4].endswith("hat das PDF nicht innerhalb von 0.2 s gedruckt")
    assert "lässt sich nicht starten: keine Berechtigung; ein PDF druckt Chromium" in german[5]
    assert german[6].startswith("ein PDF druckt Chromium oder Google Chrome")
    for line in german:
        shown = re.sub(r"'[^']*'|\S*[/=]\S*|`[^`]*`", " ", line)
        assert not _ENGLISH.search(shown), line


def test_an_invalid_file_met_elsewhere_in_a_german_session_is_worded_in_german_below_a_german_line():
    from slp_assess.assess.wording import in_session_language

    error = InvalidInputError([Problem("a.yaml", 4, "unknown key 'x'", "remove it or check the spelling of the key", "x")])
    german = in_session_language(error, "de")
    assert german.language == "de" and german.headline == "slp assess wurde abgebrochen; Einzelheiten:"
    assert [p.format("Hinweis") for p in german.problems] == [
        "a.yaml:4: x: unbekannter Schlüssel 'x' (Hinweis: entfernen oder die Schreibweise des Schlüssels prüfen)"]
    assert in_session_language(error, "en") is error
