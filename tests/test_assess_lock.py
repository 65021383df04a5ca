"""One `slp assess` session per answer file: a second one gets one clear line and exit 3.

A real session is held open in a pseudo-terminal (pexpect) while other sessions try the same
file or folder, as a real process and through CliRunner.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from pty_support import spawn_in_terminal
from slp_assess.assess.lock import FOLDER_LOCK, SessionLock, lock_path
from slp_assess.assess.start import Options, prepare
from slp_assess.cli import app
from slp_assess.errors import UsageError

pexpect = pytest.importorskip("pexpect")

runner = CliRunner()
MINI = str(Path(__file__).parent / "fixtures" / "core" / "mini.yaml")
ENV = {"NO_COLOR": "1", "COLUMNS": "80", "SOURCE_DATE_EPOCH": "1756339200"}
NEW = ["--partnership", "Lindenau", "--respondent", "Anna Weber", "--role", "stadt"]
GROUP = ["--partnership", "Lindenau", "--participants", "Anna Weber:stadt,Jan Roth:land"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", **ENV})
    return env


def _hold(args: list[str], cwd: Path):
    """A real session waiting at its first question; the lock is taken before that question shows."""
    child = spawn_in_terminal(sys.executable, ["-m", "slp_assess", "assess", *args], cwd=str(cwd), env=_env(), encoding="utf-8", timeout=30)
    child.expect_exact("1/7")
    child.expect_exact("> ")
    return child


def _quit(child) -> None:
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def _second(*args: str, lines: str = "q\n"):
    return runner.invoke(app, ["assess", *args], input=lines, env=ENV)


def test_a_second_session_on_the_same_file_is_refused_while_the_first_runs(tmp_path):
    out = tmp_path / "anna.yaml"
    holder = _hold([MINI, "--out", str(out), "--lang", "en", *NEW], tmp_path)
    before = out.read_text(encoding="utf-8")
    # A real second process: one line naming the file, exit 3, nothing written.
    second = subprocess.run(
        [sys.executable, "-m", "slp_assess", "assess", MINI, "--resume", str(out)], input="4\nq\n",
        capture_output=True, text=True, env=_env(), cwd=tmp_path,
    )
    assert second.returncode == 3, second.stderr
    assert second.stderr.strip().splitlines() == [
        f"error: {out} is open in another slp assess session: finish that session first (q), then continue"
    ]
    # Two new sessions with one --out, with and without --force, in German.
    for extra in ([], ["--force"]):
        clash = _second(MINI, "--out", str(out), "--lang", "de", *NEW, *extra)
        assert clash.exit_code == 3
        assert f"{out} ist gerade in einer anderen Sitzung von slp assess geöffnet" in clash.stderr
    assert out.read_text(encoding="utf-8") == before
    _quit(holder)
    # The lock ends with the session: now the file can be resumed, and no lock file is left.
    assert _second(MINI, "--resume", str(out), lines="4\nq\n").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anna.yaml"]


def test_two_resumes_clash_in_the_language_of_the_saved_session(tmp_path):
    out = tmp_path / "anna.yaml"
    assert _second(MINI, "--out", str(out), "--lang", "de", *NEW).exit_code == 0
    holder = _hold([MINI, "--resume", str(out)], tmp_path)
    clash = _second(MINI, "--resume", str(out))
    assert clash.exit_code == 3
    assert clash.stderr == f"Fehler: {out} ist gerade in einer anderen Sitzung von slp assess geöffnet: diese erst beenden (q), dann fortsetzen\n"
    assert "ist gerade" not in _second(MINI, "--resume", str(out), "--lang", "en").stderr
    _quit(holder)


def test_group_and_single_sessions_exclude_each_other(tmp_path):
    folder = tmp_path / "workshop"
    holder = _hold([MINI, "--out", str(folder), "--lang", "en", *GROUP], tmp_path)
    anna = folder / "anna-weber.yaml"
    assert anna.is_file()
    cases = [
        (MINI, "--resume", str(folder)),
        (MINI, "--resume", str(anna)),
        (MINI, "--out", str(folder), "--force", *GROUP),
        (MINI, "--out", str(anna), "--force", *NEW),
    ]
    for args in cases:
        clash = _second(*args, "--lang", "en")
        assert clash.exit_code == 3, (args, clash.output)
        assert "is open in another slp assess session" in clash.stderr
        assert len(clash.stderr.splitlines()) == 1
    # Another person's new file in the same folder is no clash: nobody else writes it.
    other = _second(MINI, "--out", str(folder / "otto.yaml"), "--partnership", "L", "--respondent", "Otto", "--role", "land")
    assert other.exit_code == 0, other.output
    _quit(holder)
    assert _second(MINI, "--resume", str(folder), "--lang", "en").exit_code == 0
    assert not list(folder.glob("*.lock")) and not list(folder.glob(".*.lock"))


def test_kill_9_releases_the_lock_and_slp_score_ignores_the_lock_file(tmp_path):
    out = tmp_path / "anna.yaml"
    holder = _hold([MINI, "--out", str(out), *NEW], tmp_path)
    holder.sendline("4")
    holder.expect_exact("2/7")
    holder.kill(signal.SIGKILL)
    holder.close(force=True)
    assert lock_path(out).exists()  # left behind, but no longer locked
    resumed = _second(MINI, "--resume", str(out), "--lang", "en", lines="q\n")
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming: 1 of 7 questions are answered." in resumed.stdout
    stale = lock_path(out)
    stale.write_text("", encoding="utf-8")
    (tmp_path / FOLDER_LOCK).write_text("", encoding="utf-8")
    scored = runner.invoke(app, ["score", str(tmp_path), "-q", MINI, "--format", "json"])
    assert scored.exit_code == 0, scored.output
    assert [Path(r["file"]).name for r in json.loads(scored.stdout)] == ["anna.yaml"]


def test_a_lock_is_exclusive_until_released(tmp_path):
    target = tmp_path / "a.yaml"
    first, second = SessionLock(), SessionLock()
    first.acquire(target)
    first.acquire(target)  # taking a held lock again is a no-op
    with pytest.raises(UsageError, match="a.yaml is open in another slp assess session"):
        second.acquire(target)
    first.release()
    assert not lock_path(target).exists()
    second.acquire(target)
    assert lock_path(target).exists()
    second.release()


def test_a_lock_file_replaced_while_locking_is_locked_anew(tmp_path, monkeypatch):
    """The session before us removed its lock file between our open and our flock: lock the new one."""
    from slp_assess.assess import lock as lock_module

    target = tmp_path / "a.yaml"
    real_flock = lock_module.fcntl.flock
    calls = []

    def flock_after_the_other_session_ended(fd, operation):
        if not calls:
            lock_path(target).unlink()
            lock_path(target).write_text("", encoding="utf-8")
        calls.append(fd)
        return real_flock(fd, operation)

    monkeypatch.setattr(lock_module.fcntl, "flock", flock_after_the_other_session_ended)
    held = SessionLock()
    held.acquire(target)
    monkeypatch.setattr(lock_module.fcntl, "flock", real_flock)
    assert len(calls) == 2
    with pytest.raises(UsageError):
        SessionLock().acquire(target)
    held.release()


def test_a_folder_that_cannot_be_made_for_the_answers_and_their_lock_is_exit_4(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    single = _second(MINI, "--out", str(blocker / "anna.yaml"), *NEW)
    group = _second(MINI, "--out", str(blocker / "workshop"), *GROUP)
    assert (single.exit_code, group.exit_code) == (4, 4)
    # The sessions are German (mini's default language): so are the errors.
    assert single.stderr == f"Fehler: der Ordner {blocker} lässt sich nicht anlegen: dort gibt es schon eine Datei\n"
    assert group.stderr.startswith(f"Fehler: der Ordner {blocker / 'workshop'} lässt sich nicht anlegen: ")


# Every kind of session against every other, on a folder holding a finished group's two files.
# A holder is a prepared session (its locks taken, as before the first question); the contender
# runs through the CLI. They clash exactly when they share an answer file or both are groups of
# the same folder.
HOLDERS = {
    "new single": (lambda f: Options(MINI, "en", out=f / "anna-weber.yaml", partnership="L", respondent="Anna Weber", role="stadt", force=True), {"anna-weber"}, False),
    "resumed single": (lambda f: Options(MINI, "en", resume=f / "anna-weber.yaml"), {"anna-weber"}, False),
    "new group": (lambda f: Options(MINI, "en", out=f, partnership="L", participants="Anna Weber:stadt,Jan Roth:land", force=True), {"anna-weber", "jan-roth"}, True),
    "resumed group": (lambda f: Options(MINI, "en", resume=f), {"anna-weber", "jan-roth"}, True),
}
CONTENDERS = {
    "resume the file": (lambda f: [MINI, "--resume", str(f / "anna-weber.yaml")], {"anna-weber"}, False),
    "new file with --force": (lambda f: [MINI, "--out", str(f / "anna-weber.yaml"), "--force", *NEW], {"anna-weber"}, False),
    "resume the folder": (lambda f: [MINI, "--resume", str(f)], {"anna-weber", "jan-roth"}, True),
    "new group with --force": (lambda f: [MINI, "--out", str(f), "--force", *GROUP], {"anna-weber", "jan-roth"}, True),
    "another person's file": (lambda f: [MINI, "--out", str(f / "otto.yaml"), "--partnership", "L", "--respondent", "Otto", "--role", "land"], {"otto"}, False),
    "another group in the folder": (lambda f: [MINI, "--out", str(f), "--partnership", "L", "--participants", "Otto:land"], {"otto"}, True),
}


@pytest.mark.parametrize("contender", sorted(CONTENDERS))
@pytest.mark.parametrize("holder", sorted(HOLDERS))
def test_every_pair_of_sessions_clashes_exactly_when_they_share_a_file_or_a_group_folder(tmp_path, holder, contender):
    folder = tmp_path / "workshop"
    assert _second(MINI, "--out", str(folder), *GROUP, lines="4 4\nq\n").exit_code == 0
    make_options, held_files, held_folder = HOLDERS[holder]
    make_args, wanted_files, wanted_folder = CONTENDERS[contender]
    workshop, _ = prepare(make_options(folder), Console(file=StringIO()))
    try:
        result = _second(*make_args(folder), "--lang", "en")
    finally:
        workshop.lock.release()
    if held_files & wanted_files or (held_folder and wanted_folder):
        assert result.exit_code == 3, result.output
        assert result.stderr.endswith(" is open in another slp assess session: finish that session first (q), then continue\n")
        assert len(result.stderr.splitlines()) == 1
    elif contender == "another group in the folder":
        # No lock is in the way, but the folder's manifest (seating order, notes) belongs to the group already there.
        assert result.exit_code == 3, result.output
        assert "slp-workshop.json exists: continue it with" in result.stderr
    else:
        assert result.exit_code == 0, result.output
