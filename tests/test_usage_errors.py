"""Mistakes on the command line are one line, as the README promises for every error, and exit 3."""

from __future__ import annotations

import random
import re

import pytest
from typer.testing import CliRunner

from slp_assess.cli import COMMAND_MODULES, app
from slp_assess.errors import ExitCode

runner = CliRunner()

# Commands whose first argument is required: called bare, each misses it.
REQUIRED_ARGUMENT = {
    "score": "FILE_OR_DIR", "report": "FILE_OR_DIR", "compare": "OLD", "migrate": "FILE_OR_DIR...",
    "import": "RESPONSES", "validate": "FILE", "schema": "KIND",
}


# Commands that start a workshop: their mistakes are in the session's language (German by default).
SESSIONS = ("assess", "serve")


def _one_line_usage_error(args: list[str], command: str, lang: str = "en", env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == ExitCode.USAGE, (args, result.output)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, (args, result.stderr)
    if lang == "de":
        assert result.stderr.endswith(f" (Hinweis: siehe {command} --help)\n"), result.stderr
        assert lines[0].startswith("Fehler: ")
    else:
        assert result.stderr.endswith(f" (hint: see {command} --help)\n"), result.stderr
        assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_an_unknown_option_of_every_command_is_one_line(name):
    if name in SESSIONS:
        line = _one_line_usage_error([name, "--no-such-option"], f"slp {name}", "de")
        assert "unbekannte Option --no-such-option" in line
        line = _one_line_usage_error([name, "--lang", "en", "--no-such-option"], f"slp {name}")
    else:
        line = _one_line_usage_error([name, "--no-such-option"], f"slp {name}")
    assert "No such option: --no-such-option" in line


@pytest.mark.parametrize("name", sorted(REQUIRED_ARGUMENT))
def test_a_missing_argument_is_one_line(name):
    line = _one_line_usage_error([name], f"slp {name}")
    assert f"Missing argument '{REQUIRED_ARGUMENT[name]}'" in line


def test_unknown_commands_root_options_and_bad_values_are_one_line():
    assert "No such command 'scor'" in _one_line_usage_error(["scor"], "slp")
    assert "No such option: --loud" in _one_line_usage_error(["--loud", "score", "x"], "slp")
    assert "'--fail-under'" in _one_line_usage_error(["score", "x", "--fail-under", "200"], "slp score")
    assert "'--jobs'" in _one_line_usage_error(["score", "x", "--jobs", "0"], "slp score")
    assert "'nope'" in _one_line_usage_error(["report", "x", "--format", "nope"], "slp report")
    # A subcommand of a group that takes arguments is named as one would type it for its help.
    assert "Missing argument" in _one_line_usage_error(["questionnaires", "show"], "slp questionnaires show")


def test_generated_hostile_options_and_values_stay_on_one_line():
    rng = random.Random(20260318)
    hostile = ["\n", "\r", "\t", "\x1b[31m", "\u202e", "\u2028", "\x85", "\x00", "ä", " "]
    for _ in range(40):
        word = "".join(rng.choice([*hostile, "a", "b", "-"]) for _ in range(rng.randint(1, 12)))
        line = _one_line_usage_error(["score", f"--{word}", "x"], "slp score")
        assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u202e]", line), repr(line)
        line = _one_line_usage_error(["report", "x", "--format", word], "slp report")
        assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u202e]", line), repr(line)
        for session in SESSIONS:
            line = _one_line_usage_error([session, f"--{word}"], f"slp {session}", "de")
            assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u202e]", line), repr(line)


def test_a_request_for_help_is_no_error():
    result = runner.invoke(app, ["score", "--help"])
    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_the_root_help_names_every_exit_code():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.stdout).split())
    codes = text[text.index("Exit codes:"):]
    for code in ExitCode:
        assert f" {int(code)} " in codes, code


def test_choices_read_as_one_sentence_without_the_validators_words():
    # Click puts each choice of a missing option on a line of its own; pydantic says "Value error, ".
    line = _one_line_usage_error(["export", "nowhere"], "slp export")
    assert "Missing option '--to'. Choose from: xlsform, limesurvey (hint" in line
    for args, command in ((["score", "x", "--format", "nope"], "slp score"), (["schema", "nope"], "slp schema")):
        line = _one_line_usage_error(args, command)
        assert "'nope' is not one of" in line and "Value error" not in line, line


# German words only: no English word click or pydantic would use may remain in a German line.
# ("Option" is German as well.)
ENGLISH = re.compile(r"\b(?:error|hint|see|such|missing|invalid|value|requires|argument|unexpected|possible|integer|got)\b", re.I)


@pytest.mark.parametrize(("args", "command", "expected"), [
    (["assess", "slp-quickcheck", "--forc"], "slp assess", "unbekannte Option --forc (möglich: --force)"),
    (["assess", "slp-quickcheck", "--out"], "slp assess", "die Option --out braucht einen Wert"),
    (["assess", "slp-quickcheck", "--force=yes"], "slp assess", "die Option --force nimmt keinen Wert"),
    (["assess", "slp-quickcheck", "eins", "zwei"], "slp assess", "überzählige Angabe(n): eins zwei"),
    (["serve", "slp-quickcheck", "--port", "abc"], "slp serve", "ungültiger Wert für '--port': eine ganze Zahl angeben"),
    (["serve", "slp-quickcheck", "--mode"], "slp serve", "die Option --mode braucht einen Wert"),
])
@pytest.mark.parametrize("how", ["default", "--lang de", "SLP_LANG=de", "slp --lang de"])
def test_a_german_session_says_its_usage_errors_in_german(args, command, expected, how):
    env = {"SLP_LANG": "de"} if how == "SLP_LANG=de" else {"SLP_LANG": ""}
    given = {"--lang de": [args[0], "--lang", "de", *args[1:]], "slp --lang de": ["--lang", "de", *args]}.get(how, args)
    line = _one_line_usage_error(given, command, "de", env)
    assert expected in line, line
    assert not ENGLISH.search(re.sub(r"--\S+", "", line.replace(command, ""))), line


@pytest.mark.parametrize("how", [["--lang", "en"], ["--lang=en"]])
def test_an_english_session_keeps_clicks_words(how):
    line = _one_line_usage_error(["assess", *how, "slp-quickcheck", "--out"], "slp assess", env={"SLP_LANG": "de"})
    assert "Option '--out' requires an argument." in line


def test_a_hostile_option_in_a_german_line_stays_one_line():
    line = _one_line_usage_error(["assess", "--\x1b[31mx\u202e\n"], "slp assess", "de")
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u202e]", line), repr(line)
    assert "unbekannte Option --\\x1b[31mx\\u202e\\x0a" in line
