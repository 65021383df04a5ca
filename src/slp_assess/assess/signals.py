"""A closed terminal (SIGHUP) or a polite ``kill`` (SIGTERM) ends `slp assess` the way Ctrl-C does.

By default both end Python at once: no last save, the lock file left behind. While
:func:`ended_like_ctrl_c` is active they raise :class:`Hangup`, a ``KeyboardInterrupt``, so the
session's one way out after Ctrl-C (save what is not saved yet, remove the locks, exit 130) is
theirs too, in a group's session as in one person's.

They raise only where the session waits for a line (:func:`waiting_for_input`), which is where
Ctrl-C is expected. A signal that comes at any other moment is kept and raised at the next prompt,
so it can never cut a save, the emergency copy or the last lines short: a closed terminal brings
the end of input and SIGHUP at once, and the session is then already on its way out.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

ENDING_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


class Hangup(KeyboardInterrupt):
    """SIGHUP or SIGTERM arrived; handled wherever Ctrl-C is."""


class _State:
    waiting = False
    pending: str | None = None
    seen = False


def _arrived(signum: int, frame: FrameType | None) -> None:
    name = signal.Signals(signum).name
    _State.seen = True
    if _State.waiting:
        _State.waiting = False
        raise Hangup(name)
    _State.pending = name


@contextmanager
def waiting_for_input() -> Iterator[None]:
    """Around reading a line: a signal kept since the last prompt, or one arriving now, raises Hangup."""
    if _State.pending is not None:
        name, _State.pending = _State.pending, None
        raise Hangup(name)
    _State.waiting = True
    try:
        yield
    finally:
        _State.waiting = False


@contextmanager
def ended_like_ctrl_c() -> Iterator[None]:
    """Within the block, SIGHUP and SIGTERM end the session as Ctrl-C does; the previous handlers come back after it.

    After one has arrived they are ignored instead: the process is on its way out, and a second
    SIGHUP (a terminal sends more than one) must not kill it before its last lines. A signal ignored
    on purpose (``nohup slp assess``) stays ignored. Signal handlers belong to the main thread:
    called from another thread, this changes nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _arrived) for s in ENDING_SIGNALS if signal.getsignal(s) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for ending, handler in previous.items():
            signal.signal(ending, signal.SIG_IGN if _State.seen else handler)
        _State.waiting, _State.pending, _State.seen = False, None, False
