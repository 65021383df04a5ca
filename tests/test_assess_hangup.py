"""A closed terminal (SIGHUP) or ``kill`` (SIGTERM) ends `slp assess` as Ctrl-C does: saved, unlocked, exit 130."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from pathlib import Path

import pytest
import yaml

from pty_support import spawn_in_terminal

pexpect = pytest.importorskip("pexpect")

MINI = str(Path(__file__).parent / "fixtures" / "core" / "mini.yaml")


def _spawn(args: list[str], cwd: Path, log: io.StringIO):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1756339200"})
    child = spawn_in_terminal(sys.executable, ["-m", "slp_assess", "assess", MINI, *args], cwd=str(cwd), env=env,
                          dimensions=(40, 200), encoding="utf-8", timeout=30)
    child.logfile_read = log
    return child


def _answers(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]


@pytest.mark.parametrize("ending", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_at_a_question_saves_and_removes_the_lock(tmp_path, ending):
    log = io.StringIO()
    child = _spawn(["--lang", "de", "--out", "anna.yaml", "--partnership", "P", "--respondent", "Anna", "--role", "stadt"], tmp_path, log)
    child.expect_exact("> ")
    child.sendline("3")
    child.expect_exact("> ")
    assert (tmp_path / ".anna.yaml.lock").exists()
    child.kill(ending)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, log.getvalue()
    assert "Unterbrochen – alle Antworten bis hierher sind gespeichert." in log.getvalue()
    assert "Fortsetzen mit:" in log.getvalue() and "Traceback" not in log.getvalue()
    assert _answers(tmp_path / "anna.yaml") == {"success.eye_level.equal_say": "3"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anna.yaml"]


def test_a_group_killed_while_a_note_is_typed_saves_everyone(tmp_path):
    log = io.StringIO()
    folder = tmp_path / "ws"
    child = _spawn(["--lang", "en", "--out", "ws", "--partnership", "P", "--participants", "Anna Weber:stadt,Jan Roth:land"], tmp_path, log)
    child.expect_exact("> ")
    child.sendline("3 4")
    child.expect_exact("> ")
    child.sendline("+")
    child.expect_exact("Whose note (0–2): ")
    child.sendline("0")
    child.expect_exact("(empty = remove the note): ")
    child.sendline("a note of the room")
    child.expect_exact("> ")
    child.sendline("+")
    child.expect_exact("Whose note (0–2): ")
    child.kill(signal.SIGTERM)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, log.getvalue()
    assert _answers(folder / "anna-weber.yaml") == {"success.eye_level.equal_say": "3"}
    assert _answers(folder / "jan-roth.yaml") == {"success.eye_level.equal_say": "4"}
    manifest = json.loads((folder / "slp-workshop.json").read_text(encoding="utf-8"))
    assert manifest["notes"] == [{"item": "success.eye_level.city_dominates", "text": "a note of the room"}]
    assert sorted(p.name for p in folder.iterdir()) == ["anna-weber.yaml", "jan-roth.yaml", "slp-workshop.json"]


def test_closing_the_terminal_saves_and_removes_the_lock(tmp_path):
    """The terminal window closed: the pseudo-terminal's master end goes away, the kernel sends SIGHUP."""
    log = io.StringIO()
    child = _spawn(["--lang", "de", "--out", "anna.yaml", "--partnership", "P", "--respondent", "Anna", "--role", "stadt"], tmp_path, log)
    child.expect_exact("> ")
    child.sendline("3")
    child.expect_exact("> ")
    child.sendline("4")
    child.expect_exact("> ")
    child.ptyproc.fileobj.close()  # only the master end, as a terminal window does; the process is not signalled by us
    child.ptyproc.fd = -1
    child.ptyproc.closed = True
    _, status = os.waitpid(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 130
    assert _answers(tmp_path / "anna.yaml") == {"success.eye_level.equal_say": "3", "success.eye_level.city_dominates": "4"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anna.yaml"]
