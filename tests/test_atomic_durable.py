"""Atomic writes survive a power cut: the file's data, then (after the rename) its folder are synced."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from slp_assess import atomic
from slp_assess.assess import store
from slp_assess.models.answers import AnswerFile


def _record_syncs(monkeypatch) -> list[tuple[str, bool]]:
    """(what was synced, whether the target name already held the new text) for every fsync."""
    events: list[tuple[str, bool]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        mode = os.fstat(fd).st_mode
        events.append(("folder" if stat.S_ISDIR(mode) else "file", _target.exists() and _target.read_text() == _text))
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    return events


_target = Path()
_text = ""


@pytest.mark.parametrize("existing", [False, True])
def test_the_folder_is_synced_after_the_rename(tmp_path, monkeypatch, existing):
    global _target, _text
    _target, _text = tmp_path / "sub" / "answers.yaml", "new text\n"
    if existing:
        _target.parent.mkdir()
        _target.write_text("old text\n")
    events = _record_syncs(monkeypatch)
    atomic.write_text_atomic(_target, _text)
    # The data before the rename (the name still shows the old text), the folder after it.
    assert events == [("file", False), ("folder", True)]
    assert _target.read_text() == _text


def test_a_saved_answer_syncs_its_folder(tmp_path, monkeypatch):
    global _target, _text
    answers = AnswerFile.model_validate({"questionnaire": "q", "version": "1.0", "answers": {"a.b": "1"}})
    _target = tmp_path / "anna.yaml"
    _text = store.render(answers, f"Resume with: {store.resume_command(_target)}")
    events = _record_syncs(monkeypatch)
    store.save(_target, answers)
    assert events[-1] == ("folder", True)


def test_a_folder_that_cannot_be_synced_still_gets_the_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(22, "Invalid argument")  # as on file systems without directory fsync
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    atomic.write_text_atomic(target, "kept\n")
    assert target.read_text() == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_streamed_file_appears_only_once_complete(tmp_path):
    target = tmp_path / "scores.csv"
    target.write_text("old\n")
    with atomic.StreamedFile(target) as handle:
        handle.write("a,b\r\n")
        assert target.read_text() == "old\n"  # nothing replaced while it is written
    assert target.read_bytes() == b"a,b\r\n"  # newlines as given
    with pytest.raises(RuntimeError), atomic.StreamedFile(target) as handle:
        handle.write("half")
        raise RuntimeError("scoring stopped")
    assert target.read_bytes() == b"a,b\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]


def test_a_streamed_file_that_cannot_be_written_is_an_output_error(tmp_path):
    from slp_assess.errors import OutputError

    (tmp_path / "file").write_text("")
    with pytest.raises(OutputError, match="cannot write"), atomic.StreamedFile(tmp_path / "file" / "x.csv"):
        pass
    with pytest.raises(OutputError, match="it is a folder"), atomic.StreamedFile(tmp_path):
        pass
