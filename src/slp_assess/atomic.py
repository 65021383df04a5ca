"""Atomic file writes: a crash never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from slp_assess.errors import OutputError


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write to a temporary file in the same folder, fsync it, then rename over ``path``.

    ``mode`` sets the permissions (e.g. 0o600 for a file holding secrets) before the file appears.
    """
    write_bytes_atomic(path, text.encode("utf-8"), mode)


def write_bytes_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Byte version of :func:`write_text_atomic`."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        # mkstemp creates 0600; give the file the permissions a normal write would.
        os.fchmod(fd, (0o666 & ~_current_umask()) if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
