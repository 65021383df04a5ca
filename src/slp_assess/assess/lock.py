"""One `slp assess` session per answer file: an exclusive lock held for the whole session.

Two sessions on the same file (two ``--resume``, or two new sessions with one ``--out``) would
each save their own answers over the other's. A session therefore locks every file it writes
(and, in group mode, its folder) before it looks at them. The locks are ``flock`` locks on hidden
files next to the answer files (``.anna.yaml.lock``): the kernel releases them when the process
ends, even after ``kill -9``, so a stale lock file never blocks anyone. Their names do not end in
``.yaml``, so ``slp score DIR`` does not read them.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from pathlib import Path

from slp_assess.assess.wording import os_reason
from slp_assess.errors import OutputError, UsageError
from slp_assess.i18n import message

FOLDER_LOCK = ".slp-assess.lock"


class SessionBusy(UsageError):
    """Another session holds the lock on ``target``; the caller words it in the session's language."""

    def __init__(self, target: Path) -> None:
        super().__init__(message("assess.locked", "en", path=target))
        self.target = target


class LockFailed(OutputError):
    """The lock file cannot be made or locked (a read-only folder); ``worded`` says so in a session's language."""

    def __init__(self, key: str, path: Path, target: Path, error: OSError) -> None:
        self.key, self.path, self.target, self.error = key, path, target, error
        super().__init__(self._text("en"))

    def _text(self, lang: str) -> str:
        return message(self.key, lang, path=self.path, target=self.target, reason=os_reason(self.error, lang))

    def worded(self, lang: str) -> OutputError:
        """The same error in ``lang``."""
        return OutputError(self._text(lang)).in_language(lang)


def lock_path(target: Path, folder: bool = False) -> Path:
    """The lock file of an answer file, or of a group's folder."""
    real = target.resolve()
    return real / FOLDER_LOCK if folder else real.with_name(f".{real.name}.lock")


class SessionLock:
    """Exclusive locks on the files of one session; ``release`` (or process exit) frees them."""

    def __init__(self) -> None:
        self._held: list[tuple[Path, int]] = []

    def acquire(self, target: Path, folder: bool = False) -> None:
        """Lock the answer file ``target`` (or the group folder, with ``folder``) without waiting.

        Raises SessionBusy when another session holds it, LockFailed when the lock file cannot be
        made. The folder holding the lock file must exist.
        """
        path = lock_path(target, folder)
        if any(held == path for held, _ in self._held):
            return
        while True:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise LockFailed("assess.cannot_create_lock", path, target, exc) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                    raise SessionBusy(target) from None
                raise LockFailed("assess.cannot_lock", path, target, exc) from None
            # A session that just ended removes its lock file; if it did so between our open and
            # our flock, we hold a lock on a file nobody else will see: open the new one instead.
            if _same_file(fd, path):
                self._held.append((path, fd))
                return
            os.close(fd)

    def release(self) -> None:
        """Remove the lock files and unlock; the next session may start at once."""
        while self._held:
            path, fd = self._held.pop()
            # Removed while still locked: a session that opened this file a moment ago finds it gone
            # once it has the lock, and locks a new one (see acquire). A file left behind is harmless.
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)
