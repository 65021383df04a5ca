"""Every file name `slp assess` builds from what people type is a valid name, however long the input.

Partnership, respondent and participant names become file names (``store.default_out``,
``default_group_dir``, ``participant_files``); a questionnaire file's id does too. Any of them, of
any length and script, gives a name under the 255 bytes a file system allows (with room for the
lock file beside it), or the command ends with one line of error, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pty_support import spawn_in_terminal
from slp_assess.assess import store
from slp_assess.assess.lock import lock_path
from slp_assess.assess.manifest import Seat
from slp_assess.cli import app

runner = CliRunner()
MINI = str(Path(__file__).parent / "fixtures" / "core" / "mini.yaml")
ENV = {"NO_COLOR": "1", "COLUMNS": "80", "SOURCE_DATE_EPOCH": "1756339200"}
DATE = dt.date(2025, 8, 28)
NAME_MAX = 255

# Names as people type them: words of any script, very long ones, and what slugs to nothing.
words = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
names = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=400),
    st.lists(words, min_size=1, max_size=40).map(" ".join),
    st.integers(1, 60).map(lambda n: "Maximiliane " * n),
)
# On the command line: an empty option is asked for at a prompt instead (not what this test is about).
typed = names.filter(bool)
ids = st.from_regex(r"[a-z0-9][a-z0-9_\-]{0,250}(\.[a-z0-9][a-z0-9_\-]{0,40}){0,3}", fullmatch=True)


def _fits(name: str) -> bool:
    return len(name.encode("utf-8")) <= NAME_MAX


@settings(max_examples=300, deadline=None)
@given(questionnaire_id=ids, name=names)
def test_default_names_fit_with_their_lock_file(questionnaire_id, name):
    single = store.default_out(questionnaire_id, name, DATE)
    group = store.default_group_dir(questionnaire_id, name, DATE)
    assert single.parent == Path() and single.suffix == ".yaml"
    assert _fits(single.name) and _fits(lock_path(single).name) and _fits(group.name)
    assert single.name.endswith(f"-{DATE.isoformat()}.yaml") and "/" not in single.name


@settings(max_examples=300, deadline=None)
@given(people=st.lists(names, min_size=1, max_size=12))
def test_participant_files_are_unique_names_the_manifest_accepts(people):
    paths = store.participant_files(Path("ws"), people)
    assert len({p.name for p in paths}) == len(people)
    for path in paths:
        assert path.parent == Path("ws") and _fits(lock_path(path).name)
        Seat(file=path.name)  # the manifest refuses any other name


def test_a_long_name_is_cut_at_a_word_and_equal_cuts_are_told_apart():
    long = "Maximiliane " * 22
    [first, second] = store.participant_files(Path("ws"), [long, long + "Weber"])
    assert first.name == "-".join(["maximiliane"] * 6) + ".yaml"
    assert second.name == "-".join(["maximiliane"] * 6) + "-2.yaml"


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _one_line_error(result) -> bool:
    return result.exit_code in (2, 3, 4) and len(result.stderr.splitlines()) == 1


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partnership=typed, respondent=typed, group=st.lists(typed, min_size=1, max_size=4))
def test_any_names_give_saved_files_or_one_line(partnership, respondent, group):
    with tempfile.TemporaryDirectory() as folder, _inside(Path(folder)):
        single = runner.invoke(app, ["assess", MINI, "--partnership", partnership, "--respondent", respondent, "--role", "stadt"],
                               input="4\nq\n", env=ENV)
        participants = ",".join(f"{name}:land" for name in group)
        together = runner.invoke(app, ["assess", MINI, "--partnership", partnership, "--participants", participants],
                                 input="q\n", env=ENV)
        for result in (single, together):
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
            assert result.exit_code == 0 or _one_line_error(result), result.output
        saved = sorted(Path().rglob("*.yaml"))
        assert all(_fits(p.name) for p in saved)
        if single.exit_code == 0:
            [answers] = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in Path().glob("*.yaml")]
            # What was typed is kept whole in the file, whatever its name was cut to.
            assert answers["respondent"]["name"] == store.clean_text(respondent)
            assert answers["partnership"] == store.clean_text(partnership)
            assert answers["answers"] == {"success.eye_level.equal_say": "4"}


pexpect = pytest.importorskip("pexpect")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_a_long_name_typed_at_the_prompts_is_saved(tmp_path):
    """The issue's repro in a real terminal: names typed at the prompts, the respondent's far too long for a file name."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1756339200"})
    log = io.StringIO()
    child = spawn_in_terminal(sys.executable, ["-m", "slp_assess", "assess", "slp-quickcheck", "--role", "stadt"],
                          cwd=str(tmp_path), env=env, dimensions=(40, 100), encoding="utf-8", timeout=30)
    child.logfile_read = log
    long = ("Maximiliane " * 22).strip()
    child.expect_exact("Name der Partnerschaft: ")
    child.sendline("Stadt-Land-Partnerschaft Lindenau")
    child.expect_exact("Ihr Name: ")
    child.sendline(long)
    child.expect_exact("1/29")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    screen = ANSI.sub("", log.getvalue())
    assert child.exitstatus == 0, screen
    assert "Traceback" not in screen
    [saved] = tmp_path.glob("*.yaml")
    assert saved.name == "slp-quickcheck-" + "-".join(["maximiliane"] * 6) + "-2025-08-28.yaml"
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["partnership"] == "Stadt-Land-Partnerschaft Lindenau" and data["respondent"]["name"] == long


def test_a_german_report_run_in_a_terminal_speaks_german_to_the_end(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1756339200"})
    log = io.StringIO()
    child = spawn_in_terminal(sys.executable, ["-m", "slp_assess", "assess", MINI, "--out", "anna.yaml", "--partnership", "Lindenau",
                                           "--respondent", "Anna Weber", "--role", "stadt", "--report", "bericht.html"],
                          cwd=str(tmp_path), env=env, dimensions=(40, 100), encoding="utf-8", timeout=30)
    child.logfile_read = log
    for number, line in enumerate(["4", "2", "2", "n", "5", "2", "Lindenau und Ahrbach"], start=1):
        child.expect_exact(f"{number}/7")
        child.expect_exact("> ")
        child.sendline(line)
    child.expect_exact("Bericht geschrieben: bericht.html")
    child.expect(pexpect.EOF)
    child.close()
    screen = ANSI.sub("", log.getvalue())
    assert child.exitstatus == 0, screen
    assert "wrote" not in screen and "Traceback" not in screen
    assert (tmp_path / "bericht.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
