"""Atomic file writes: a crash never leaves a half-written file behind, a power cut loses no saved file.

The data is fsynced before the rename, and the folder after it: until the folder's entry is on disk,
a power cut could bring back the old file (or none) although the new one was reported saved.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from slp_assess.errors import OutputError


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write to a temporary file in the same folder, fsync it, then rename over ``path``.

    ``mode`` sets the permissions (e.g. 0o600 for a file holding secrets) before the file appears.
    """
    write_bytes_atomic(path, text.encode("utf-8"), mode)


def write_bytes_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Byte version of :func:`write_text_atomic`.

    A file that is replaced keeps its permission bits (and owner, where we may set it); a new file
    gets what the umask leaves of 0666, as with a plain ``open``. A symbolic link is written through,
    as ``open(path, "w")`` would: the file it points to is replaced, with the temporary file in that
    file's own folder (a rename is only atomic within one file system), and the link stays a link.
    Something that cannot be renamed over, such as ``/dev/null`` or a named pipe, is written directly.
    ``mode``, when given, sets the permission bits instead.
    """
    path = Path(path)
    try:
        existing = _stat_or_none(path)  # of what a link points to
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise OutputError(f"cannot write {path}: it is a folder")
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            _write_in_place(path, data)  # through the link as given: /dev/stdout is a link to a pipe
            return
        target = Path(os.path.realpath(path)) if path.is_symlink() else path
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = _new_temporary(target)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    try:
        _take_over_attributes(fd, existing)
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(target)
        sync_folder(target.parent)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# Names tried for a temporary file; with 48 random bits each, a second one is already a fluke.
_TEMPORARY_NAMES = 100
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _new_temporary(target: Path) -> tuple[int, Path]:
    """Create ``.NAME.RANDOM.tmp`` beside ``target`` (only the owner may read it, like ``tempfile.mkstemp``).

    Not ``mkstemp``: a Ctrl-C just after it has made the file, before its name comes back, left the
    file behind for good (``slp assess`` saves after every answer, and Ctrl-C may come in the middle).
    Here the name is known before the file exists, so an interrupt as it is made removes it. Python
    acts on a signal only between its own steps; the one step in the file's creation is ``os.open``.
    """
    for _ in range(_TEMPORARY_NAMES):
        # os.urandom rather than the secrets module, whose import (hmac, hashlib) costs ~10 ms of start-up
        temp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temp, _NEW_FILE, 0o600), temp
        except FileExistsError:
            continue  # somebody else's: never to be removed
        except OSError:
            raise
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(target.parent))


# Files written before their fsyncs start, and threads to fsync them at once: enough for the file
# system to put many files in one journal commit; few enough open descriptors (the usual limit is 1024).
_SYNC_BATCH = 256
_SYNC_THREADS = 16


def write_files_atomic(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write many files as :func:`write_bytes_atomic` does (each complete or absent, all on disk on return),
    with far fewer waits for the disk.

    Why not :func:`write_bytes_atomic` in a loop: it waits for two journal commits per file (the file's
    fsync, then the folder's), about 1 ms each or more, so 10,000 files take 10-30 s. Here the files
    are written to temporary files a batch at a time, and the batch's files are fsynced by several
    threads at once through the descriptors that wrote them: ext4, XFS and btrfs put concurrent
    fsyncs in one journal commit, and each fsync still reports its own file's write error. Only
    when every file's data is on disk are they renamed into place, and then each folder is fsynced
    once: after a crash a name shows the complete new file, the old file or nothing, never a part.
    Not syncfs()/sync() as the barrier: Python has no syncfs, sync() flushes every file system of
    the machine and reports no error, and both wait for other programs' data too.

    Paths that :func:`write_bytes_atomic` treats specially (a symbolic link, a device, a folder) go
    through it one by one, first. If one of the other files cannot be written, none of them is
    renamed into place and no temporary file is left.
    """
    plain: list[tuple[Path, bytes, os.stat_result | None]] = []
    for path, data in files:
        path = Path(path)
        try:
            existing = _stat_or_none(path)
            special = path.is_symlink() or (existing is not None and not stat.S_ISREG(existing.st_mode))
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
        if special:
            write_bytes_atomic(path, data)
        else:
            plain.append((path, data, existing))
    folders = list(dict.fromkeys(path.parent for path, _, _ in plain))
    temps: list[Path] = []
    renamed = 0
    try:
        for folder in folders:
            _make_folder(folder)
        umask = _current_umask()  # once, here: reading it means setting it, which threads must not race on
        with ThreadPoolExecutor(_SYNC_THREADS) as pool:
            for start in range(0, len(plain), _SYNC_BATCH):
                _write_synced_batch(plain[start:start + _SYNC_BATCH], temps, umask, pool)
        for (path, _, _), temp in zip(plain, temps, strict=True):
            try:
                temp.replace(path)
            except OSError as exc:
                raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
            renamed += 1
    finally:
        for temp in temps[renamed:]:
            temp.unlink(missing_ok=True)
        for folder in folders:
            sync_folder(folder)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {_reason(exc)}") from None


def _write_synced_batch(batch: Sequence[tuple[Path, bytes, os.stat_result | None]], temps: list[Path], umask: int,
                        pool: ThreadPoolExecutor) -> None:
    """Write each file of ``batch`` to a temporary file (appended to ``temps``), then fsync them all."""
    descriptors: list[int] = []
    try:
        for path, data, existing in batch:
            try:
                fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
                descriptors.append(fd)
                temps.append(Path(temp))
                _take_over_attributes(fd, existing, umask)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            except OSError as exc:
                raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
        errors = list(pool.map(_fsync_error, descriptors))  # all ended before a descriptor is closed
        for (path, _, _), error in zip(batch, errors, strict=True):
            if error is not None:
                raise OutputError(f"cannot write {path}: {_reason(error)}") from None
    finally:
        for fd in descriptors:
            os.close(fd)


def _fsync_error(fd: int) -> OSError | None:
    try:
        os.fsync(fd)
    except OSError as exc:
        return exc
    return None


class StreamedFile:
    """A file written bit by bit (``with StreamedFile(path) as handle``) that appears only when complete.

    The text goes to a temporary file beside ``path``, which replaces ``path`` (data and folder
    synced, attributes as with :func:`write_bytes_atomic`) when the block ends without an exception;
    with one, the temporary file is removed and ``path`` is left as it was. Devices and pipes are
    written directly. Text is UTF-8 with newlines written as given. An ``OSError`` becomes an
    ``OutputError`` naming ``path``.
    """

    def __init__(self, path: Path, binary: bool = False) -> None:
        self.path = Path(path)
        self.binary = binary
        self._temp: Path | None = None
        self._target = self.path
        self._existing: os.stat_result | None = None
        self._handle: IO[Any] | None = None

    def __enter__(self) -> IO[Any]:
        try:
            self._existing = _stat_or_none(self.path)
            if self._existing is not None and stat.S_ISDIR(self._existing.st_mode):
                raise OutputError(f"cannot write {self.path}: it is a folder")
            if self._existing is not None and not stat.S_ISREG(self._existing.st_mode):
                raw: IO[bytes] = self.path.open("wb")
            else:
                self._target = Path(os.path.realpath(self.path)) if self.path.is_symlink() else self.path
                self._target.parent.mkdir(parents=True, exist_ok=True)
                fd, temp = tempfile.mkstemp(dir=self._target.parent, prefix=f".{self._target.name}.", suffix=".tmp")
                self._temp = Path(temp)
                _take_over_attributes(fd, self._existing)
                raw = os.fdopen(fd, "wb")
        except OSError as exc:
            self._discard()
            raise OutputError(f"cannot write {self.path}: {_reason(exc)}") from None
        self._handle = raw if self.binary else io.TextIOWrapper(raw, encoding="utf-8", newline="")
        return self._handle

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        handle, self._handle = self._handle, None
        try:
            if kind is not None:
                self._close_quietly(handle)
                self._discard()
                if isinstance(exc, OSError):
                    raise OutputError(f"cannot write {self.path}: {_reason(exc)}") from None
                return
            assert handle is not None
            handle.flush()
            if self._temp is not None:
                os.fsync(handle.fileno())
            handle.close()
            if self._temp is not None:
                self._temp.replace(self._target)
                self._temp = None
                sync_folder(self._target.parent)
        except OSError as error:
            self._close_quietly(handle)
            self._discard()
            raise OutputError(f"cannot write {self.path}: {_reason(error)}") from None

    @staticmethod
    def _close_quietly(handle: IO[Any] | None) -> None:
        if handle is not None:
            try:
                handle.close()
            except OSError:
                pass

    def _discard(self) -> None:
        if self._temp is not None:
            self._temp.unlink(missing_ok=True)
            self._temp = None


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to disk.

    Where a folder cannot be opened or synced (Windows, some network file systems), the rename has
    still happened; only its durability across a power cut is then up to the system.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _write_in_place(target: Path, data: bytes) -> None:
    # Devices and pipes have no content to protect; renaming over /dev/null would replace the device.
    with target.open("wb") as handle:
        handle.write(data)


def _take_over_attributes(fd: int, existing: os.stat_result | None, umask: int | None = None) -> None:
    # mkstemp creates 0600; the file should look as if it had been written in place.
    if existing is None:
        os.fchmod(fd, 0o666 & ~(_current_umask() if umask is None else umask))
        return
    if (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, existing.st_uid, existing.st_gid)
        except PermissionError:
            pass  # only root may give a file away; the file then belongs to whoever rewrote it
    # After chown, which clears set-id bits.
    os.fchmod(fd, stat.S_IMODE(existing.st_mode))


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
