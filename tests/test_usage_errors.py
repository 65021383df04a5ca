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


def _one_line_usage_error(args: list[str], command: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.USAGE, (args, result.output)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, (args, result.stderr)
    assert result.stderr.endswith(f" (hint: see {command} --help)\n"), result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_an_unknown_option_of_every_command_is_one_line(name):
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
