"""Strings on their way to the terminal, for the modules that print with rich.

rich reads ``[...]`` in plain strings as markup: ``Lindenau [/] Auental`` crashes a table,
``[entwurf]`` vanishes and ``[link=...]`` makes a link. Names, notes, file names and the texts of
a user's questionnaire therefore reach rich only through :func:`plain`, as ``Text``, which is
never parsed. Control characters (an escape sequence can move the cursor or retitle the window)
are shown as ``\\x1b``, the bidi controls that reorder what follows them (a name could make the
score beside it read backwards) as ``\\u202e``, and lone surrogates (undecodable input) as U+FFFD,
which any terminal can print.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code >= 0xD800:
        return "\ufffd"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(text: object, style: str = "") -> Text:
    """``text`` as rich Text: shown exactly as written, never as markup or a control sequence."""
    return Text(_UNPRINTABLE.sub(_visible, str(text)), style=style)


def print_with_command(console: Console, text: str, command: str, style: str = "") -> None:
    """A hint that ends in ``command``: its words wrap, the command itself is never broken.

    rich folds a word longer than the line (a long interpreter path when ``slp`` is not on PATH)
    at the edge, and a command copied from two lines does not run. When the hint does not fit, the
    command goes on a line of its own that rich leaves whole; the terminal wraps it only visually,
    so it still copies as one line.
    """
    if cell_len(text) <= console.width or not text.endswith(command):
        console.print(plain(text, style))
        return
    console.print(plain(text[: -len(command)].rstrip(), style))
    console.print(plain(command, style), soft_wrap=True)
