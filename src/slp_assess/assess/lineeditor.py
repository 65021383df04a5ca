"""Lines typed in a terminal, of any length: read through readline instead of the terminal's own line.

A terminal in its ordinary mode keeps the line being typed itself, and on Linux at most 4095 bytes
of it: the rest of a long note pasted into the session was dropped without a word, and the note
saved cut off (a character of several bytes cut in half became U+FFFD). Python's ``input`` reads
through readline once that module is loaded; readline takes the characters one by one, so a line
has no limit, and the usual editing keys (arrows, Home, End) work on it. Tab stays a character of
the text, as it was before, instead of asking readline to complete a word.

Only where a person types: with piped input, or a screen that is not the terminal, Python reads as
before, and a Python without readline (Windows) keeps the terminal's line. One thing is lost that
the terminal's line kept: readline drops a byte that starts a character the next byte does not
finish, so a terminal sending Latin-1 to a UTF-8 session loses its umlauts instead of showing them
as U+FFFD (piped input still gets U+FFFD).
"""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import IO

# How soon a signal that came while readline handled a key is acted on (see _signals_heard).
TICK_SECONDS = 0.2


@functools.cache
def line_editor() -> bool:
    """Load and set up readline once; False when this Python has none."""
    try:
        import readline
    except ImportError:
        return False
    if "libedit" in (readline.__doc__ or ""):  # macOS's stand-in for GNU readline speaks its own commands
        readline.parse_and_bind("bind ^I ed-insert")
    else:
        readline.parse_and_bind("tab: tab-insert")
    return True


def edits_lines(screen: IO[str]) -> bool:
    """Whether lines are read with :func:`read_line`: a person types at the terminal that is the ``screen``."""
    return screen is sys.stdout and sys.stdin.isatty() and sys.stdout.isatty() and line_editor()


def read_line(prompt: str) -> str:
    """Show ``prompt`` and read one line through readline, which draws the prompt itself and so knows
    where the line starts when it wraps or is edited. EOFError at the end of input.
    """
    with _signals_heard(), _typeahead_kept_while_reading():
        return input(prompt)


def _tick(signum: int, frame: FrameType | None) -> None:
    """SIGALRM's only work: interrupting readline's wait (see _signals_heard)."""


@contextlib.contextmanager
def _signals_heard() -> Iterator[None]:
    """While readline waits, wake it a few times a second, so that a signal's handler runs promptly.

    Python's readline runs the handlers of signals (Ctrl-C, and SIGTERM and SIGHUP, which end the
    session: ``signals.py``) only when its wait for the next key is interrupted. A signal that comes
    while it handles a key, as it does for every character of a pasted note, would wait for a key
    that may never come; the tick interrupts the wait instead. Signal handlers belong to the main
    thread: from another one, nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _tick)
    signal.setitimer(signal.ITIMER_REAL, TICK_SECONDS, TICK_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _typeahead_kept_while_reading() -> Iterator[None]:
    """Ctrl-C discards the keys typed ahead only once readline has let go of the terminal.

    A terminal discards typed-ahead input at Ctrl-C. Coming after readline saw a key waiting and
    before it read the key, that leaves readline waiting for a key inside its own loop, where Python
    never runs the signal's handler; the session would end only at the next key. So while a line is
    read the terminal keeps the input (NOFLSH); when the read ends in Ctrl-C or another signal, the
    input is discarded here, as the terminal would have done.
    """
    import termios  # not on Windows, where there is no readline either

    fd = sys.stdin.fileno()
    try:
        saved = termios.tcgetattr(fd)
        kept = [*saved[:3], saved[3] | termios.NOFLSH, *saved[4:]]
        termios.tcsetattr(fd, termios.TCSANOW, kept)
    except termios.error:  # a terminal that went away: readline meets the end of input
        yield
        return
    try:
        yield
    except BaseException:
        with contextlib.suppress(termios.error):
            termios.tcflush(fd, termios.TCIFLUSH)
        raise
    finally:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, saved)
