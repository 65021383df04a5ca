"""A save that fails in `slp assess` loses nothing typed: the session goes on, saves again, and at
its end leaves an emergency copy to resume from (exit 4).

The failures are real ones from the operating system, made without root or mocks, so they work in
CI as root too: the answer file is replaced by a symbolic link into a regular file (``ENOTDIR``), or
the folder that holds a group's folder by a file.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from pty_support import spawn_in_terminal
from slp_assess.assess import saving
from slp_assess.assess.manifest import Manifest, Seat
from slp_assess.cli import app
from slp_assess.errors import OutputError
from slp_assess.models.answers import AnswerFile

pexpect = pytest.importorskip("pexpect")

MINI = str(Path(__file__).parent / "fixtures" / "core" / "mini.yaml")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
runner = CliRunner()


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1756339200", **extra})
    return env


def _spawn(args: list[str], cwd: Path, log: io.StringIO, **env: str):
    child = spawn_in_terminal(sys.executable, ["-m", "slp_assess", "assess", MINI, *args], cwd=str(cwd), env=_env(**env),
                          dimensions=(40, 200), encoding="utf-8", timeout=30)
    child.logfile_read = log
    return child


def _screen(log: io.StringIO) -> str:
    return " ".join(ANSI.sub("", log.getvalue()).replace("\r", "").split())


def _break(path: Path) -> None:
    """Make ``path`` unwritable for anyone, root included: a link through a regular file (ENOTDIR)."""
    blocker = path.with_name("blocker")
    blocker.touch()
    path.unlink(missing_ok=True)
    path.symlink_to(blocker / path.name)


def _answers(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]


def _answer(child, line: str, then: str = "> ") -> None:
    child.sendline(line)
    child.expect_exact(then)


def test_a_failed_save_keeps_the_session_going_and_the_next_save_writes_everything(tmp_path):
    log = io.StringIO()
    out = tmp_path / "anna.yaml"
    child = _spawn(["--lang", "de", "--out", "anna.yaml", "--partnership", "Lindenau", "--respondent", "Anna", "--role", "stadt"], tmp_path, log)
    child.expect_exact("> ")
    _answer(child, "3")
    _break(out)
    failed = "anna.yaml konnte nicht gespeichert werden (ein Teil des Pfads ist eine Datei, kein Ordner). Alle Antworten bleiben erhalten; bei der nächsten Antwort wird erneut gespeichert."
    _answer(child, "4", failed)
    child.expect_exact("> ")
    child.sendline("+")
    child.expect_exact("Notiz (leer = Notiz entfernen): ")
    _answer(child, "eine wichtige Notiz", failed)
    child.expect_exact("> ")
    out.unlink()  # repaired: the next answer writes the file whole, from what the session holds
    _answer(child, "2", "Wieder gespeichert: alle Antworten stehen in anna.yaml.")
    assert _answers(out) == {
        "success.eye_level.equal_say": "3",
        "success.eye_level.city_dominates": "4",
        "success.leadership.anchored": {"value": "partly", "note": "eine wichtige Notiz"},
    }
    # Broken again, and the session ends with q: one more try, then the emergency copy beside it.
    child.expect_exact("> ")
    _break(out)
    _answer(child, "1", failed)
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    screen = _screen(log)
    assert child.exitstatus == 4, screen
    copy = tmp_path / "anna-rescued.yaml"
    assert f"anna.yaml konnte nicht gespeichert werden. Alle Antworten stehen in der Notkopie {copy.name}. Fortsetzen mit: " in screen
    assert screen.rstrip().endswith(f"assess {MINI} --resume {copy.name}")  # its own questionnaire: --resume alone would not find it
    assert "Traceback" not in screen and "Could not" not in screen and "error" not in screen.lower()
    assert _answers(copy)["financing.transparency.costs"] == "1"
    assert _answers(copy)["success.leadership.anchored"] == {"value": "partly", "note": "eine wichtige Notiz"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anna-rescued.yaml", "anna.yaml", "blocker"]  # no lock left
    # The copy is a whole answer file: resuming it goes on at the first open question.
    resumed = runner.invoke(app, ["assess", MINI, "--resume", str(copy)], input="5\n2\nq\n", env=_env())
    assert resumed.exit_code == 0, resumed.output
    assert _answers(copy)["financing.transparency.benefits"] == "5"
    assert len(_answers(copy)) == 5


def test_a_group_whose_folder_is_gone_ends_with_a_copy_in_the_temporary_folder(tmp_path):
    log = io.StringIO()
    outer, temp = tmp_path / "outer", tmp_path / "temp"
    temp.mkdir()
    group = ["--lang", "en", "--out", "outer/ws", "--partnership", "Lindenau", "--participants", "Anna Weber:stadt,Jan Roth:land"]
    child = _spawn(group, tmp_path, log, TMPDIR=str(temp))
    child.expect_exact("> ")
    _answer(child, "3 4")
    # Beside the group's folder is no place either: the folder holding it becomes a file.
    outer.rename(tmp_path / "moved")
    outer.touch()
    _answer(child, "2 5", "Could not save outer/ws (Not a directory). Every answer is kept; saving is tried again with the next answer.")
    child.expect_exact("> ")
    child.sendline("+")
    child.expect_exact("Whose note (0–2): ")
    child.sendline("0")
    child.expect_exact("(empty = remove the note): ")
    _answer(child, "the whole room agrees", "saving is tried again")
    child.expect_exact("> ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    screen = _screen(log)
    assert child.exitstatus == 4, screen
    copy = temp / "ws-rescued"
    assert f"Could not save outer/ws. Every answer is in the emergency copy {copy}. Resume with: " in screen
    assert "Traceback" not in screen and "every answer so far is saved" not in screen
    assert sorted(p.name for p in copy.iterdir()) == ["anna-weber.yaml", "jan-roth.yaml", "slp-workshop.json"]
    assert _answers(copy / "jan-roth.yaml") == {"success.eye_level.equal_say": "4", "success.eye_level.city_dominates": "5"}
    resumed = runner.invoke(app, ["assess", MINI, "--resume", str(copy)], input="q\n", env=_env())
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming: 2 of 7 questions are answered." in resumed.output
    assert "Session note: the whole room agrees" in resumed.output
    assert (tmp_path / "moved" / "ws" / "jan-roth.yaml").is_file()  # the first save stays where it was


def _files() -> list[tuple[str, AnswerFile]]:
    answers = AnswerFile.model_validate({
        "questionnaire": "mini", "version": "1.0", "partnership": "Lindenau",
        "respondent": {"name": "Anna \u202e Weber", "role": "stadt"}, "language": "de",
        "answers": {"success.eye_level.equal_say": {"value": "3", "note": "Zeile 1\nZeile 2"}},
    })
    return [("anna-weber.yaml", answers)]


def test_with_no_place_to_write_the_answers_are_shown_on_the_screen(tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.touch()
    monkeypatch.setattr("tempfile.tempdir", str(blocker / "temp"))
    files = _files()
    manifest = Manifest(questionnaire="mini", version="1.0", partnership="Lindenau", language="de",
                        participants=[Seat(file="anna-weber.yaml")])
    for folder_or_file, group in ((blocker / "ws", manifest), (blocker / "anna.yaml", None)):
        assert saving.emergency_copy(folder_or_file, files, group) is None
    assert list(tmp_path.iterdir()) == [blocker]
    from slp_assess.assess.workshop import Unsaved
    from slp_assess.cli.assess import _tell_unsaved

    texts = saving.session_texts(blocker / "ws", files, manifest)
    shown = io.StringIO()
    _tell_unsaved(Console(file=shown, width=400, highlight=False), Unsaved(blocker / "ws", None, "de", texts))
    lines = shown.getvalue().splitlines()
    assert lines[1].startswith(f"{blocker / 'ws'} konnte nicht gespeichert werden, und auch eine Notkopie")
    anna = "\n".join(lines[lines.index("--- anna-weber.yaml") + 1:lines.index("--- slp-workshop.json")])
    assert yaml.safe_load(anna)["answers"] == {"success.eye_level.equal_say": {"value": "3", "note": "Zeile 1\nZeile 2"}}
    assert "\u202e" not in shown.getvalue()


def test_the_reason_is_the_systems_in_the_sessions_language(tmp_path):
    for errno_name, de, en in (("ENOSPC", "kein Platz mehr auf dem Datenträger", "No space left on device"), ("EACCES", "keine Berechtigung", "Permission denied")):
        import errno

        code = getattr(errno, errno_name)
        try:
            try:
                raise OSError(code, os.strerror(code))
            except OSError:
                raise OutputError("cannot write a.yaml") from None
        except OutputError as error:
            assert (saving.failure_reason(error, "de"), saving.failure_reason(error, "en")) == (de, en)
    rare = OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))  # no words of its own
    assert saving.failure_reason(rare, "de") == "Systemfehler ENOLCK"
    assert saving.failure_reason(rare, "en") == os.strerror(errno.ENOLCK)
