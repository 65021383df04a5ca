"""`slp serve` when a save fails, and notes sent with "Später" or "Zurück": nothing shown that is not on disk.

The disk fails for real where it can (a folder where the answer file belongs) and through a failing
``os.fsync`` (a full disk) where it cannot; the phones speak HTTP to a server on loopback.
"""

from __future__ import annotations

import errno
import os
import random
import re
from pathlib import Path

import pytest
import yaml

pytest.importorskip("starlette", reason="slp serve needs the serve extra: pip install 'slp-assess[serve]'")
pytest.importorskip("uvicorn", reason="slp serve needs the serve extra: pip install 'slp-assess[serve]'")

from serve_support import Phone, Reply, workshops  # noqa: E402
from slp_assess.loading import QuestionnaireCatalog, load_answer_file  # noqa: E402

PHONE_TEXT = {"de": "Ihre Antwort konnte nicht gespeichert werden", "en": "Your answer could not be saved"}
TERMINAL_TEXT = {"de": "Nicht gespeichert", "en": "Not saved"}


class FullDisk:
    """``os.fsync`` failing with ENOSPC from the ``after``-th call on, while armed: what a full disk does to a save."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.armed, self.after, self._calls = False, 0, 0
        real = os.fsync

        def fsync(fd: int) -> None:
            if self.armed:
                self._calls += 1
                if self._calls > self.after:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real(fd)

        monkeypatch.setattr(os, "fsync", fsync)

    def arm(self, after: int = 0) -> None:
        self.armed, self.after, self._calls = True, after, 0

    def disarm(self) -> None:
        self.armed = False


@pytest.fixture
def served(tmp_path):
    with workshops(tmp_path / "ws", "self") as start:
        yield start


def _answers(folder: Path, name: str) -> dict:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))["answers"]


def _note_field(page: Reply) -> str:
    match = re.search(r'<textarea id="note"[^>]*>([^<]*)</textarea>', page.body)
    assert match, page.body[:800]
    return match.group(1)


def _checked(page: Reply) -> list[str]:
    return re.findall(r'name="value" value="([^"]+)" checked', page.body)


def _one_clean_line(err: str, lang: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert TERMINAL_TEXT[lang] in lines[0] and "Traceback" not in err and "ERROR" not in err and "Exception" not in err


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_failed_save_keeps_the_room_as_on_disk_and_asks_the_phone_to_send_again(served, tmp_path, monkeypatch, capfd, lang):
    disk = FullDisk(monkeypatch)
    server = served("self", lang=lang)
    folder = tmp_path / "ws"
    phone = Phone(server.port)
    page = phone.join(server, "Anna", "stadt")
    step = page.step()
    capfd.readouterr()
    disk.arm()
    failed = phone.answer(server, page, "3", note="wichtig & <dringend>")
    assert failed.status == 503 and PHONE_TEXT[lang] in failed.body and "Internal Server Error" not in failed.body
    # The same question, with what was entered still in the form.
    assert failed.step() == step and _checked(failed) == ["3"] and _note_field(failed) == "wichtig &amp; &lt;dringend&gt;"
    _one_clean_line(capfd.readouterr().err, lang)
    # Neither the phone, the projector nor the room counts an answer the file does not hold.
    assert _answers(folder, "anna.yaml") == {}
    again = phone.get(f"{server.join_path}/q")
    assert again.step() == step and _checked(again) == [] and "your-answer" not in again.body
    assert server.workshop.state.seats[0].answered == 0
    disk.disarm()
    sent = phone.answer(server, failed, "3", note="wichtig & <dringend>")
    assert sent.status == 200 and sent.step() != step
    assert _answers(folder, "anna.yaml") == {step: {"value": "3", "note": "wichtig & <dringend>"}}


def test_a_failed_save_of_a_text_or_a_choice_keeps_what_was_entered(served, tmp_path, monkeypatch, capfd):
    disk = FullDisk(monkeypatch)
    server = served("moderated")
    phone = Phone(server.port)
    phone.join(server, "Jan", "land")
    capfd.readouterr()
    steps = server.workshop.state.steps
    kinds = {s.question.type: s for s in steps if s.question is not None}
    assert {"text", "multiple_choice"} <= set(kinds)
    for kind, entered in (("text", "Zwei <Landkreise> & eine Stadt"), ("multiple_choice", None)):
        while server.workshop.state.position != steps.index(kinds[kind]):
            server.workshop.moderate("next" if server.workshop.state.position < steps.index(kinds[kind]) else "prev")
        page = phone.get(f"{server.join_path}/q")
        options = re.findall(r'name="value" value="([^"]+)"', page.body)
        value = entered if entered is not None else options[:2]
        disk.arm()
        failed = phone.answer(server, page, value)
        disk.disarm()
        assert failed.status == 503 and PHONE_TEXT["de"] in failed.body
        if kind == "text":
            assert "Zwei &lt;Landkreise&gt; &amp; eine Stadt</textarea>" in failed.body
        else:
            assert _checked(failed) == options[:2]
        assert kinds[kind].id not in yaml.safe_load((tmp_path / "ws" / "jan.yaml").read_text(encoding="utf-8")).get("context", {})
        _one_clean_line(capfd.readouterr().err, "de")


def test_a_failed_join_seats_nobody_and_the_next_try_gets_the_same_file(served, tmp_path, monkeypatch, capfd):
    disk = FullDisk(monkeypatch)
    server = served("moderated")
    folder = tmp_path / "ws"
    capfd.readouterr()
    # First the answer file cannot be written; then it can, but the manifest cannot.
    for after in (0, 1):
        disk.arm(after)
        phone = Phone(server.port)
        failed = phone.join(server, "Anna Weber", "land")
        disk.disarm()
        assert failed.status == 503 and "konnte nicht gespeichert werden" in failed.body
        assert 'value="Anna Weber"' in failed.body and 'value="land" required checked' in failed.body
        assert server.workshop.state.seats == [] and not (folder / "anna-weber.yaml").exists()
        assert "slp_p" not in phone.cookies
        _one_clean_line(capfd.readouterr().err, "de")
    page = Phone(server.port).join(server, "Anna Weber", "land")
    assert page.status == 200 and [s.file for s in server.workshop.state.seats] == ["anna-weber.yaml"]
    assert sorted(p.name for p in folder.glob("*.yaml")) == ["anna-weber.yaml"]


def test_a_failed_move_of_the_moderator_leaves_the_room_where_it_was(served, tmp_path, monkeypatch, capfd):
    disk = FullDisk(monkeypatch)
    server = served("moderated")
    presenter = Phone(server.port)
    form = presenter.get(f"{server.presenter_path}/")
    capfd.readouterr()
    for action in ("next", "reveal", "finish", "self"):
        disk.arm()
        failed = presenter.post(f"{server.presenter_path}/moderate", {"csrf": form.csrf(), "action": action}, follow=False)
        disk.disarm()
        assert failed.status == 503 and "konnte nicht gespeichert werden" in failed.body, action
        state = server.workshop.state
        assert (state.position, state.revealed, state.finished, state.mode) == (0, set(), False, "moderated"), action
        assert server.workshop.manifest.room.position == 0
        _one_clean_line(capfd.readouterr().err, "de")
    presenter.post(f"{server.presenter_path}/moderate", {"csrf": form.csrf(), "action": "next"})
    assert server.workshop.state.position == 1


def test_a_note_is_kept_whatever_button_sends_it(served, tmp_path):
    server = served("self")
    folder = tmp_path / "ws"
    phone = Phone(server.port)
    page = phone.join(server, "Anna", "stadt")
    first = page.step()
    later = phone.post(f"{server.join_path}/answer", {"csrf": page.csrf(), "step": first, "note": "Notiz beim Überspringen", "action": "skip"})
    # As `slp assess` keeps it: the note alone, the answer to come.
    assert _answers(folder, "anna.yaml") == {first: {"note": "Notiz beim Überspringen"}}
    second = later.step()
    assert second != first
    answered = phone.answer(server, later, "3", note="zweite")
    back = phone.post(f"{server.join_path}/answer", {"csrf": page.csrf(), "step": answered.step(), "note": "dritte", "action": "back"})
    assert back.step() == second and _note_field(back) == "zweite"
    assert _answers(folder, "anna.yaml")[answered.step()] == {"note": "dritte"}
    back = phone.post(f"{server.join_path}/answer", {"csrf": page.csrf(), "step": second, "note": "geänderte Notiz", "action": "back"})
    assert back.step() == first and _note_field(back) == "Notiz beim Überspringen"
    assert _answers(folder, "anna.yaml")[second] == {"value": "3", "note": "geänderte Notiz"}
    # A note emptied and sent with a button is gone, as with "Antworten".
    phone.post(f"{server.join_path}/answer", {"csrf": page.csrf(), "step": first, "note": "", "action": "skip"})
    assert first not in _answers(folder, "anna.yaml")


def test_generated_walks_keep_the_last_note_typed_on_every_question(served, tmp_path):
    """Each participant presses random buttons with random notes; the file holds the last note typed per question."""
    server = served("self")
    folder = tmp_path / "ws"
    rng = random.Random(2025)
    notes = ["", "kurz", "zwei\nZeilen", "Ä & <b>", "  Rand  "]
    for n in range(12):
        phone = Phone(server.port)
        page = phone.join(server, f"P{n}", rng.choice(["stadt", "land"]))
        file = server.workshop.state.seats[n].file
        expected: dict[str, dict[str, str]] = {}
        for _ in range(10):
            step = page.step()
            if step is None:
                break
            action = rng.choice(["answer", "skip", "back"])
            note = rng.choice(notes)
            fields = {"csrf": page.csrf(), "step": step, "action": action}
            is_item = 'id="note"' in page.body
            if is_item:
                fields["note"] = note
            options = re.findall(r'name="value" value="([^"]+)"', page.body)
            if action == "answer" and options:
                fields["value"] = rng.choice(options)
            elif action == "answer":
                fields["text"] = "Text"
            page = phone.post(f"{server.join_path}/answer", fields)
            if is_item:
                entry = expected.setdefault(step, {})
                entry.pop("note", None)
                if note.strip():
                    entry["note"] = note.strip()
                if action == "answer":
                    entry["value"] = fields["value"]
        saved = _answers(folder, file)
        for step, entry in expected.items():
            if not entry:
                assert step not in saved
            elif set(entry) == {"value"}:
                assert saved[step] == entry["value"]
            else:
                assert saved[step] == entry, (n, step)
        load_answer_file(folder / file, QuestionnaireCatalog())
