"""How the user started slp, so that a printed command (resume with: …) works in their shell.

``slp`` is not always on PATH: a virtual environment that was not activated, ``python -m
slp_assess``, or a script started by its path. The hint then names what was started instead.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path


def _same(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).samefile(b)
    except OSError:
        return False


def program(argv0: str | None = None, executable: str | None = None) -> str:
    """The shortest command that runs this slp from the user's shell: ``slp`` when that is the same program."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    on_path = shutil.which("slp")
    started = Path(argv0)
    if started.name == "__main__.py" and started.parent.name == "slp_assess":
        # python -m slp_assess: `slp` is the same program when it sits next to this interpreter.
        if on_path and Path(on_path).parent == Path(executable).parent:
            return "slp"
        python = shutil.which(Path(executable).name)
        shown = Path(executable).name if python and _same(python, executable) else executable
        return f"{shlex.quote(shown)} -m slp_assess"
    if started.name == "slp" and started.exists():
        if on_path and _same(on_path, started):
            return "slp"
        return shlex.quote(str(started.resolve()))
    return "slp"


def command(*words: str | Path) -> str:
    """A complete command line, e.g. ``command("assess", "--resume", path)``, quoted for a POSIX shell."""
    return " ".join([program(), *(shlex.quote(str(w)) for w in words)])
