"""The moderator's terminal: the URLs and QR code, a live view of the room, and single keys to move it.

The view shows what the presenter page shows (who has joined, how far everyone is, how many have
answered the current question) in rich; names reach rich only through ``terminal.plain``. Keys
are read one at a time when standard input is a terminal, and line by line otherwise.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from slp_assess.i18n import message, pick, side_label
from slp_assess.serve.room import SaveFailed, Workshop
from slp_assess.terminal import plain

KEYS = {"n": "next", "p": "prev", "r": "reveal", "e": "finish"}


def room_view(workshop: Workshop) -> Group:
    """The room at a glance, for the terminal."""
    lang = workshop.state.language
    with workshop.guard:
        state = workshop.state
        people = [(s.participant.name, s.participant.role, s.answered) for s in state.seats]
        step = state.moderator_step
        answered = state.answered_count(step)
        mode, finished = state.mode, state.finished
    total = len(state.steps)
    table = Table(message("serve.col.name", lang), message("serve.col.side", lang), message("serve.col.progress", lang))
    for name, side, done in people:
        table.add_row(plain(name), plain(side_label(side, lang)), message("serve.progress", lang, done=done, total=total))
    lines: list[Text | Table] = [Text(f"{message('serve.joined', lang, n=len(people))} · {message(f'serve.mode.{mode}', lang)}", style="bold"), table]
    if mode == "moderated" and not finished:
        text = pick((step.item or step.question).text, lang)  # type: ignore[union-attr]
        lines.append(plain(f"{message('serve.question_of', lang, n=step.number, total=total)}: {text}", "bold"))
        lines.append(plain(message("serve.answered", lang, done=answered, total=len(people))))
    if finished:
        lines.append(plain(message("serve.result", lang), "bold"))
    lines.append(Text(message("serve.keys", lang), style="dim"))
    return Group(*lines)


@contextlib.contextmanager
def _single_keys() -> Iterator[Callable[[], str]]:
    """Read one key at a time from a terminal (no Enter needed), or whole lines from a pipe."""
    if not sys.stdin.isatty():
        # A pipe: one key per line; at its end (None) the server runs on until Ctrl-C.
        yield lambda: (line.strip()[:1] or " ") if (line := sys.stdin.readline()) else ""
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield lambda: sys.stdin.read(1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def run_console(workshop: Workshop, console: Console, stop: Callable[[], None], stopped: threading.Event) -> None:
    """Show the room live and act on the moderator's keys until ``q`` (then ``stop``) or until ``stopped`` is set."""

    def keys() -> None:
        with _single_keys() as read:
            while not stopped.is_set():
                key = read().lower()
                if key == "":
                    return
                if key == "q":
                    stop()
                    return
                try:
                    if key in KEYS:
                        workshop.moderate(KEYS[key])
                    elif key == "m":
                        workshop.moderate("self" if workshop.state.mode == "moderated" else "moderated")
                except SaveFailed as failure:  # the room stays where it was; the key can be pressed again
                    console.print(plain(failure.line(workshop.state.language), "bold red"))

    reader = threading.Thread(target=keys, name="slp-serve-keys", daemon=True)
    reader.start()
    with Live(room_view(workshop), console=console, refresh_per_second=2, transient=False) as live:
        while not stopped.wait(0.5):
            live.update(room_view(workshop))

