"""`slp assess` in a real pseudo-terminal: the environment and the start that every pexpect test of it shares.

No colour (so the screen reads as text), a fixed date (``SOURCE_DATE_EPOCH``), no width or language
from the caller's shell, and a generous timeout: a loaded machine may need seconds to start Python,
and every test waits for what the screen shows, never for a time.
"""

from __future__ import annotations

import io
import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

import pexpect

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
EPOCH = "1756339200"  # 2025-08-28
TIMEOUT = int(os.environ.get("SLP_PTY_TIMEOUT", "60"))


def pty_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "SLP_LANG")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": EPOCH})
    return env


def spawn_assess(args: list[str], cwd: Path, log: io.StringIO, columns: int = 100) -> pexpect.spawn:
    """``python -m slp_assess assess ARGS`` in a terminal of 40 lines and ``columns`` columns; its output goes to ``log``.

    What the terminal shows is read with a torn character replaced: when a signal ends the session while
    a long pasted line is still being read and echoed, the echo can stop inside a character, and the
    session's last lines follow it (the tests look for those lines, not for the cut echo).
    """
    child = spawn_in_terminal(sys.executable, ["-m", "slp_assess", "assess", *args], cwd=str(cwd), env=pty_env(),
                              dimensions=(40, columns), encoding="utf-8", codec_errors="replace", timeout=TIMEOUT)
    child.logfile_read = log
    return child


def spawn_in_terminal(*args: Any, **kwargs: Any) -> pexpect.spawn:
    """``pexpect.spawn``, where a Ctrl-C the test types interrupts the child (see ``_ctrl_c_as_in_a_shell``)."""
    return pexpect.spawn(*args, preexec_fn=_ctrl_c_as_in_a_shell, **kwargs)


def _ctrl_c_as_in_a_shell() -> None:
    """Ctrl-C interrupts, as in a terminal's shell, even when the tests run as a background job.

    A shell starts a background job with SIGINT ignored, the job's children inherit that, and Python
    then leaves it ignored: every Ctrl-C a test types would be lost, and the test would wait for its end.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def screen_text(text: str) -> str:
    """What the terminal showed, as text: no escape sequences, no carriage returns."""
    return ANSI.sub("", text).replace("\r", "")


def texts_in(node: object, lang: str) -> list[str]:
    """Every text of ``lang`` in a questionnaire (or any tree of its dicts and lists), in document order."""
    if isinstance(node, dict):
        return [text for key, value in node.items()
                for text in ([value] if key == lang and isinstance(value, str) else texts_in(value, lang))]
    if isinstance(node, list):
        return [text for value in node for text in texts_in(value, lang)]
    return []
