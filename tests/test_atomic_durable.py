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


# --- many files at once (slp import): every file's data on disk before any rename --------------


def _batch(tmp_path: Path, seed: int) -> tuple[list[tuple[Path, bytes]], dict[Path, bytes]]:
    """A seeded batch of new and replaced files in one or two folders, and the old contents."""
    import random

    rng = random.Random(seed)
    folders = [tmp_path / "a", tmp_path / "b" / "c"][: rng.randrange(1, 3)]
    old: dict[Path, bytes] = {}
    files = []
    for n in range(rng.randrange(1, 40)):
        path = rng.choice(folders) / f"f{n}.yaml"
        if rng.random() < 0.3:
            path.parent.mkdir(parents=True, exist_ok=True)
            old[path] = f"old {n}\n".encode()
            path.write_bytes(old[path])
            path.chmod(rng.choice([0o600, 0o640, 0o644]))
        files.append((path, f"new {n} ä\n".encode() * rng.randrange(1, 50)))
    return files, old


@pytest.mark.parametrize("seed", range(8))
def test_many_files_are_each_synced_before_any_rename_and_each_folder_after(tmp_path, monkeypatch, seed):
    files, old = _batch(tmp_path, seed)
    modes = {path: stat.S_IMODE(path.stat().st_mode) for path in old}
    events: list[tuple[str, bool]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        events.append((kind, any(p.exists() and p.read_bytes() == data for p, data in files)))
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    atomic.write_files_atomic(files)
    synced_files = [shown for kind, shown in events if kind == "file"]
    assert len(synced_files) == len(files) and not any(synced_files)  # no new text under any name yet
    folders = {path.parent for path, _ in files}
    assert events[len(files):] == [("folder", True)] * len(folders)
    for path, data in files:
        assert path.read_bytes() == data
        assert stat.S_IMODE(path.stat().st_mode) == modes.get(path, 0o666 & ~atomic._current_umask())
    assert not [p for p in tmp_path.rglob("*.tmp")]


@pytest.mark.parametrize("seed", range(4))
def test_many_files_one_unwritable_renames_none(tmp_path, monkeypatch, seed):
    from slp_assess.errors import OutputError

    files, old = _batch(tmp_path, seed)
    broken = files[len(files) // 2][0]
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if str(Path(f"/proc/self/fd/{fd}").readlink()).startswith(str(broken.parent / f".{broken.name}.")):
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    with pytest.raises(OutputError, match=f"cannot write {broken}: No space left on device"):
        atomic.write_files_atomic(files)
    for path, _ in files:
        assert path.read_bytes() == old[path] if path in old else not path.exists()
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_many_files_write_through_a_link_and_into_a_device(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text("old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    atomic.write_files_atomic([(link, b"through\n"), (Path("/dev/null"), b"gone\n"), (tmp_path / "new.yaml", b"new\n")])
    assert link.is_symlink() and real.read_bytes() == b"through\n"
    assert (tmp_path / "new.yaml").read_bytes() == b"new\n"
