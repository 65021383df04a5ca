"""The command `slp assess` prints to continue a session continues it, whatever questionnaire it ran.

`--resume` alone finds a bundled questionnaire in its current version; a session of an earlier version
(`slp-quickcheck@1.0`) or of one's own questionnaire file must name it, in every hint: after `q`, after
Ctrl-C or the end of input, in the answer file's first line, and when the file already exists.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app

runner = CliRunner()
ENV = {"NO_COLOR": "1", "COLUMNS": "200", "SOURCE_DATE_EPOCH": "1756339200"}


def _assess(*args: str, lines: list[str]):
    return runner.invoke(app, ["assess", *args], input="".join(f"{line}\n" for line in lines), env=ENV)


def _continued(hint: str, lines: list[str]):
    """Run the command a hint names (without the program, which the test runs in-process)."""
    words = shlex.split(hint)
    return _assess(*words[words.index("assess") + 1:], lines=lines)


def _questionnaires(core_fixtures: Path) -> list[tuple[str, str | None]]:
    """(what the session is started with, what every resume command must name)."""
    own = str(core_fixtures / "mini.yaml")
    return [("slp-quickcheck", None), ("slp-quickcheck@1.0", "slp-quickcheck@1.0"), ("slp-readiness@1.0", "slp-readiness@1.0"),
            (own, own)]


@pytest.mark.parametrize("case", range(4))
def test_every_resume_hint_continues_the_session(core_fixtures, tmp_path, case):
    started, named = _questionnaires(core_fixtures)[case]
    out = tmp_path / "anna weber.yaml"
    people = ["--out", str(out), "--partnership", "Lindenau", "--respondent", "Anna Weber", "--role", "stadt"]
    expected = shlex.join(["slp", "assess", *([named] if named else []), "--resume", str(out)])

    quit_ = _assess(started, *people, "--lang", "en", lines=["n", "q"])
    assert quit_.exit_code == 0, quit_.output
    assert quit_.stdout.rstrip().endswith(expected), quit_.stdout[-400:]
    assert out.read_text(encoding="utf-8").splitlines()[0] == f"# Written by slp assess after every answer. Resume with: {expected}"

    again = _continued(expected + " --lang en", lines=["n"])  # then the end of input: saved, exit 130, the same hint
    assert again.exit_code == 130, again.output
    assert " ".join(again.stderr.split()).endswith(expected), again.stderr
    assert "Resuming: 1 of " in " ".join(again.stdout.split())

    exists = _assess(started, *people, "--lang", "en", lines=[])
    assert exists.exit_code == 3
    assert f"continue it with `{expected}`" in " ".join(exists.stderr.split()), exists.stderr
