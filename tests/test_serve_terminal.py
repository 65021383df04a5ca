"""The real `slp serve` in a pseudo-terminal: URLs and QR code, the live view, the moderator's keys, q to stop."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pytest.importorskip("starlette", reason="slp serve needs the serve extra: pip install 'slp-assess[serve]'")

from pty_support import spawn_in_terminal  # noqa: E402
from serve_support import Phone  # noqa: E402


def _quickcheck_steps() -> int:
    """Questions a participant of the bundled quick check is asked: its items and context questions."""
    from slp_assess.loading import load_questionnaire

    questionnaire = load_questionnaire("slp-quickcheck")
    return len(questionnaire.items()) + len(questionnaire.context)


STEPS = _quickcheck_steps()


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1756339200"})
    return env


def _spawn(args: list[str], cwd: Path, log: io.StringIO):
    child = spawn_in_terminal(sys.executable, ["-m", "slp_assess", "serve", *args], cwd=str(cwd), env=_env(),
                          dimensions=(40, 80), encoding="utf-8", timeout=20)
    child.logfile_read = log
    return child


class _Server:
    """What the phones need from a running `slp serve`: its port and join path, read from the terminal."""

    def __init__(self, url: str) -> None:
        match = re.match(r"http://127\.0\.0\.1:(\d+)(/w/[A-Za-z0-9_-]+)/", url)
        assert match, url
        self.port, self.join_path = int(match.group(1)), match.group(2)


def test_serve_in_a_terminal_takes_the_moderators_keys_and_resumes(tmp_path):
    log = io.StringIO()
    ws = "werkstatt-lindenau-2025-herbst"  # long enough that the lines naming it pass the 80th column
    child = _spawn(["slp-quickcheck", "--out", ws, "--partnership", "Lindenau", "--port", "0", "--lang", "de"], tmp_path, log)
    child.expect(r"Teilnehmende öffnen: (http://127\.0\.0\.1:\d+/w/\S+/)")
    server = _Server(child.match.group(1))
    child.expect_exact("Nur auf diesem Rechner erreichbar")
    phone = Phone(server.port)
    page = phone.join(server, "Anna <b>Weber</b>", "stadt")  # type: ignore[arg-type]
    phone.answer(server, page, "4")  # type: ignore[arg-type]
    child.expect_exact("1 Teilnehmende · moderiert")
    child.expect_exact("Anna <b>Weber</b>")
    child.expect_exact("1 von 1 haben geantwortet")
    child.send("n")  # the next question, for the whole room
    child.expect_exact(f"Frage 2 von {STEPS}")
    assert phone.get(f"{server.join_path}/version").body == "moderated-1-0"
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = ANSI.sub("", log.getvalue())
    assert "Traceback" not in screen and "█" in screen  # the QR code
    flat = " ".join(screen.split())  # rich breaks long lines at spaces; the words come back joined
    assert f"Workshop beendet; alle Antworten sind gespeichert in {ws}." in flat
    assert re.search(rf"Fortsetzen mit: \S+ -m slp_assess serve --resume {ws}$", flat) or f"Fortsetzen mit: slp serve --resume {ws}" in flat
    manifest = json.loads((tmp_path / ws / "slp-workshop.json").read_text(encoding="utf-8"))
    assert manifest["room"]["position"] == 1 and [p["file"] for p in manifest["participants"]] == ["anna-b-weber-b.yaml"]
    assert oct((tmp_path / ws / "slp-workshop.json").stat().st_mode & 0o777) == "0o600"  # it holds the tokens

    again = _spawn(["--resume", ws, "--port", "0"], tmp_path, io.StringIO())
    again.expect(r"Teilnehmende öffnen: (http://127\.0\.0\.1:\d+/w/\S+/)")
    resumed = _Server(again.match.group(1))
    assert resumed.join_path == server.join_path  # the same tokens: phones keep their cookie
    phone.port = resumed.port
    assert f"Frage 2 von {STEPS}" in phone.get(f"{resumed.join_path}/q").body
    again.sendintr()
    again.expect_exact("Workshop beendet")
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 130


def test_a_save_that_fails_shows_the_moderator_one_line_and_changes_nothing(tmp_path):
    log = io.StringIO()
    child = _spawn(["slp-quickcheck", "--out", "ws", "--partnership", "Lindenau", "--port", "0", "--lang", "de", "--mode", "self"], tmp_path, log)
    child.expect(r"Teilnehmende öffnen: (http://127\.0\.0\.1:\d+/w/\S+/)")
    server = _Server(child.match.group(1))
    phone = Phone(server.port)
    page = phone.join(server, "Anna", "stadt")  # type: ignore[arg-type]
    child.expect_exact("1 Teilnehmende")
    # A folder where the answer file belongs: every write of it fails, as on a full or read-only disk.
    answers = tmp_path / "ws" / "anna.yaml"
    answers.unlink()
    answers.mkdir()
    failed = phone.answer(server, page, "4", note="wichtig")  # type: ignore[arg-type]
    assert failed.status == 503 and "Ihre Antwort konnte nicht gespeichert werden" in failed.body and ">wichtig</textarea>" in failed.body
    child.expect_exact("Nicht gespeichert")
    child.expect_exact("0 von")  # the live view: Anna has answered nothing
    manifest = tmp_path / "ws" / "slp-workshop.json"
    manifest.unlink()
    manifest.mkdir()
    child.send("n")  # the moderator's move cannot be saved either
    child.expect_exact("Nicht gespeichert")
    manifest.rmdir()
    answers.rmdir()
    sent = phone.answer(server, failed, "4", note="wichtig")  # type: ignore[arg-type]
    assert sent.status == 200 and sent.step() != page.step()  # type: ignore[attr-defined]
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = ANSI.sub("", log.getvalue())
    assert "Traceback" not in screen and "ERROR" not in screen and "Exception" not in screen
    flat = " ".join(screen.split())
    assert flat.count("Nicht gespeichert: ws/anna.yaml (Schreibfehler). Es gilt der zuletzt gespeicherte Stand") == 1
    assert flat.count("Nicht gespeichert: ws/slp-workshop.json (Schreibfehler)") == 1
    assert answers.read_text(encoding="utf-8").endswith(f'{page.step()}: {{value: "4", note: "wichtig"}}\n')  # type: ignore[attr-defined]
    manifest_data = json.loads(manifest.read_text(encoding="utf-8"))
    assert manifest_data["room"]["position"] == 0  # the move that was not saved did not happen


def test_the_resume_command_of_an_earlier_version_names_it_and_works(tmp_path):
    # `--resume` alone takes the bundled questionnaire's current version: the printed command must name 1.0.
    log = io.StringIO()
    child = _spawn(["slp-quickcheck@1.0", "--out", "ws", "--partnership", "Lindenau", "--port", "0", "--lang", "en"], tmp_path, log)
    child.expect(r"Participants open: (http://127\.0\.0\.1:\d+/w/\S+/)")
    server = _Server(child.match.group(1))
    phone = Phone(server.port)
    page = phone.join(server, "Anna", "stadt")  # type: ignore[arg-type]
    phone.answer(server, page, "4")  # type: ignore[arg-type]
    child.expect_exact("1 of 1 have answered")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    flat = " ".join(ANSI.sub("", log.getvalue()).split())
    hint = re.search(r"Resume with: (\S+(?: -m slp_assess)? serve .*?--resume ws)$", flat)
    assert hint and "serve slp-quickcheck@1.0 --resume ws" in hint.group(1), flat[-300:]

    again = _spawn(["slp-quickcheck@1.0", "--resume", "ws", "--port", "0"], tmp_path, io.StringIO())
    again.expect(r"(http://127\.0\.0\.1:\d+/w/\S+/)")
    assert _Server(again.match.group(1)).join_path == server.join_path
    again.send("q")
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 0
