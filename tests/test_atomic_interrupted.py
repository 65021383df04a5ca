"""Ctrl-C during an atomic write leaves the old file, or the new one, and no temporary file beside it.

`slp assess` saves after every answer, and Ctrl-C (unlike SIGTERM and SIGHUP, see
``slp_assess.assess.signals``) can come in the middle of a save; the session saves once more on its
way out, but a temporary file created just before the interrupt stayed in the folder for good.
"""

from __future__ import annotations

import os

import pytest

from slp_assess import atomic


@pytest.mark.parametrize("existing", [False, True])
@pytest.mark.parametrize("after_creating", [True, False])
def test_ctrl_c_as_the_temporary_file_is_created_leaves_no_temporary_file(tmp_path, monkeypatch, existing, after_creating):
    target = tmp_path / "anna.yaml"
    if existing:
        target.write_text("old\n", encoding="utf-8")
    real_open = os.open

    def interrupted_open(path, flags, mode=0o777, *args, **kwargs):
        # Ctrl-C arrives the moment the temporary file is there (or just before it is made).
        if str(path).endswith(".tmp"):
            if after_creating:
                real_open(path, flags, mode, *args, **kwargs)
            raise KeyboardInterrupt
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", interrupted_open)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_text_atomic(target, "new\n")
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["anna.yaml"] if existing else [])
    if existing:
        assert target.read_text(encoding="utf-8") == "old\n"


def test_a_name_already_taken_is_never_removed(tmp_path, monkeypatch):
    """The one file the clean-up must leave alone: the random name was somebody else's. Another name is tried."""
    target = tmp_path / "anna.yaml"
    real_open = os.open
    taken: list[str] = []

    def open_taken(path, flags, mode=0o777, *args, **kwargs):
        if str(path).endswith(".tmp") and not taken:
            taken.append(str(path))
            real_open(path, flags, mode, *args, **kwargs)  # somebody else's file, made just before ours
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_taken)
    atomic.write_text_atomic(target, "new\n")
    monkeypatch.undo()
    assert sorted(str(p) for p in tmp_path.iterdir()) == sorted([*taken, str(target)])
    assert target.read_text(encoding="utf-8") == "new\n"
