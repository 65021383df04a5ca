"""When answers cannot be saved: why, in the session's words, and an emergency copy at the end.

The design is simple because the session already holds every answer in memory (``Session``): a
failed save loses nothing while the process runs. So the workshop does not stop at a failed save.
It says so in one line (:func:`failure_reason` gives the why), keeps going, and saves everything
again at the next change; the first save that works writes every file whole. Only a session that
ends while its newest answers are still not on disk needs another place for them: after one more
try, :func:`emergency_copy` writes the whole session, in the layout ``--resume`` reads (one answer
file, or a group's folder with its manifest), beside the target under a new name, else in the
system's temporary folder. When even that fails, :func:`session_texts` gives the files' text to
show on the screen, the last place left.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from slp_assess.assess import store
from slp_assess.assess.manifest import MANIFEST_NAME, Manifest, manifest_text, write_manifest
from slp_assess.assess.wording import os_reason
from slp_assess.errors import SlpError
from slp_assess.i18n import message
from slp_assess.models.answers import AnswerFile

# Names tried beside the target before giving up on a place: anna-rescued.yaml, anna-rescued-2.yaml, ...
_NAMES_PER_PLACE = 100


def failure_reason(error: BaseException, lang: str) -> str:
    """Why a save failed, in ``lang``: the operating system's reason (disk full, no permission).

    The ``OutputError`` of an atomic write keeps the ``OSError`` it replaced in its context (also
    when it was worded again in the session's language).
    """
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__context__
    return os_reason(cause, lang) if isinstance(cause, OSError) else message("oserror.other", lang, code="?")


def emergency_copy(target: Path, files: list[tuple[str, AnswerFile]], manifest: Manifest | None,
                   questionnaire: str | None = None) -> Path | None:
    """Write the session to the first place that takes it; return what ``--resume`` takes, or None.

    ``files``: each answer file's name and content. With a ``manifest`` the session is a group's
    folder, copied as a new folder (``workshop-rescued/``) holding every file and the manifest;
    otherwise one answer file (``anna-rescued.yaml``). Nothing is ever written over an existing
    name, and a place that fails half-way is cleaned up before the next is tried.
    """
    places = list(dict.fromkeys([target.parent, Path(tempfile.gettempdir())]))
    for place in places:
        try:
            if manifest is not None:
                return _copy_folder(place, target, files, manifest, questionnaire)
            return _copy_file(place, target, files[0][1], questionnaire)
        except (OSError, SlpError):
            continue
    return None


def _names(stem: str, suffix: str = "") -> list[str]:
    return [f"{stem}-rescued{'' if n == 1 else f'-{n}'}{suffix}" for n in range(1, _NAMES_PER_PLACE + 1)]


def _copy_file(place: Path, target: Path, answers: AnswerFile, questionnaire: str | None) -> Path:
    for name in _names(target.stem, target.suffix):
        path = place / name
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))  # the name is ours now
        except FileExistsError:
            continue
        try:
            store.save(path, answers, questionnaire)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(errno.EEXIST, "every emergency copy name is taken", str(place))


def _copy_folder(place: Path, target: Path, files: list[tuple[str, AnswerFile]], manifest: Manifest, questionnaire: str | None) -> Path:
    for name in _names(target.name):
        folder = place / name
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        try:
            for file_name, answers in files:
                store.save(folder / file_name, answers, questionnaire)
            write_manifest(folder, manifest)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return folder
    raise FileExistsError(errno.EEXIST, "every emergency copy name is taken", str(place))


def session_texts(target: Path, files: list[tuple[str, AnswerFile]], manifest: Manifest | None,
                  questionnaire: str | None = None) -> list[tuple[str, str]]:
    """Every file of the session as (name, text), as it would have been saved."""
    folder = target if manifest is not None else target.parent
    texts = [
        (name, store.render(answers, f"Resume with: {store.resume_command(folder / name, questionnaire)}")) for name, answers in files
    ]
    return texts + ([(MANIFEST_NAME, manifest_text(manifest))] if manifest is not None else [])
