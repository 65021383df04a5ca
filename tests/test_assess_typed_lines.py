"""Lines typed into `slp assess` in a real terminal reach the answer file whole, however long.

A terminal in its ordinary mode keeps at most 4095 bytes of a line (Linux; 1024 on macOS) and drops
the rest: a long note pasted at the note prompt was saved cut off. The session reads through
readline instead (``slp_assess.assess.lineeditor``); these tests hold it to what that changes.
"""

from __future__ import annotations

import io
import signal
from pathlib import Path

import pytest
import yaml

pexpect = pytest.importorskip("pexpect")

from pty_support import spawn_assess  # noqa: E402

QUESTIONNAIRE = str(Path(__file__).parent / "fixtures" / "assess" / "fuzz.yaml")
FIRST_ITEM = "together.eye_level.equal_say"
# Well over the 4095 bytes a terminal keeps of a line, with two-byte, three-byte and four-byte characters.
LONG = " ".join(f"Zeile {n}: Kreistag „Öffnung“ 🙂 {{a: b}} # x - y" for n in range(150))


def _spawn(tmp_path: Path, log: io.StringIO, *args: str):
    return spawn_assess([QUESTIONNAIRE, "--lang", "de", "--out", "anna.yaml", "--partnership", "Lindenau", "--respondent", "Anna",
                         "--role", "stadt", *args], tmp_path, log)


def _saved(tmp_path: Path) -> dict:
    return yaml.safe_load((tmp_path / "anna.yaml").read_text(encoding="utf-8"))


def test_a_note_longer_than_a_terminal_line_is_saved_whole(tmp_path):
    assert len(LONG.encode()) > 4096
    log = io.StringIO()
    child = _spawn(tmp_path, log)
    child.expect_exact("> ")
    child.sendline("+")
    child.expect_exact("Notiz (leer = Notiz entfernen): ")
    child.sendline(LONG)
    child.expect_exact("Notiz gespeichert; die Antwort steht noch aus.")
    child.expect_exact("> ")
    child.sendline("4")
    child.expect_exact("2/8")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, log.getvalue()[-2000:]
    assert _saved(tmp_path)["answers"] == {FIRST_ITEM: {"value": "4", "note": LONG}}


def test_a_long_free_text_answer_and_a_tab_are_saved_as_typed(tmp_path):
    """A context question's free text goes through the same prompt; Tab types a tab, it completes nothing."""
    log = io.StringIO()
    child = _spawn(tmp_path, log)
    for line in ("4", "2", "ja", "3", "5", "1", "1\t3"):  # multiple choice: a tab separates like a blank
        child.expect_exact("> ")
        child.sendline(line)
    child.expect_exact("Partner?")
    child.expect_exact("> ")
    child.sendline("\t" + LONG + "\tEnde")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, log.getvalue()[-2000:]
    saved = _saved(tmp_path)
    assert saved["context"] == {"context.stage": "findung", "context.topics": ["mobilitaet", "energie"],
                                "context.partners": LONG + "\tEnde"}


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_while_a_pasted_line_is_read_ends_the_session_at_once(tmp_path, ending):
    """readline runs signal handlers only between keys; the session must not wait for one more key."""
    log = io.StringIO()
    child = _spawn(tmp_path, log)
    child.expect_exact("> ")
    child.sendline("4")
    child.expect_exact("2/8")
    child.expect_exact("> ")
    child.sendline("+")
    child.expect_exact("Notiz (leer = Notiz entfernen): ")
    child.send(LONG * 2)  # no Enter: still being read when the signal comes
    child.kill(ending)
    child.expect(pexpect.EOF)  # within the timeout, without another key
    child.close()
    assert child.exitstatus == 130, log.getvalue()[-2000:]
    assert "Unterbrochen – alle Antworten bis hierher sind gespeichert." in log.getvalue()
    assert _saved(tmp_path)["answers"] == {FIRST_ITEM: "4"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anna.yaml"]


def test_an_empty_note_removes_a_persons_note_and_the_sessions(tmp_path):
    """In a group, ``+`` then 1 notes for the first person, 0 for the session; an empty note takes either back."""
    log = io.StringIO()
    child = spawn_assess([QUESTIONNAIRE, "--lang", "de", "--partnership", "Lindenau", "--participants", "Anna:stadt,Jan:land",
                          "--out", "ws"], tmp_path, log)
    whose, note = "Wessen Notiz (0–2): ", "Notiz (leer = Notiz entfernen): "
    for number, text, said in (("1", "Annas Notiz", "Notiz gespeichert; die Antwort steht noch aus."),
                               ("0", "Notiz der Runde", "Notiz gespeichert."),
                               ("1", "Bleibt", "Notiz gespeichert; die Antwort steht noch aus."),
                               ("0", "", "Notiz entfernt."), ("1", "  ", "Notiz entfernt.")):
        child.expect_exact("> ")
        child.sendline("+")
        child.expect_exact(whose)
        child.sendline(number)
        child.expect_exact(note)
        child.sendline(text)
        child.expect_exact(said)
    child.expect_exact("> ")
    child.sendline("4 5")
    child.expect_exact("2/8")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, log.getvalue()[-2000:]
    files = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (tmp_path / "ws").glob("*.yaml")}
    assert sorted(f["answers"][FIRST_ITEM] for f in files.values()) == ["4", "5"]
    manifest = (tmp_path / "ws" / "slp-workshop.json").read_text(encoding="utf-8")
    assert "Notiz der Runde" not in manifest and "Annas Notiz" not in manifest
    assert "Bleibt" not in str(files)
