"""Strings on their way to the terminal, for the modules that print with rich.

rich reads ``[...]`` in plain strings as markup: ``Lindenau [/] Auental`` crashes a table,
``[entwurf]`` vanishes and ``[link=...]`` makes a link. Names, notes, file names and the texts of
a user's questionnaire therefore reach rich only through :func:`plain`, as ``Text``, which is
never parsed. Control characters (an escape sequence can move the cursor or retitle the window)
are shown as ``\\x1b``, and lone surrogates (undecodable input) as U+FFFD, which any terminal can
print.
"""

from __future__ import annotations

import re

from rich.text import Text

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "\ufffd" if code >= 0xD800 else f"\\x{code:02x}"


def plain(text: object, style: str = "") -> Text:
    """``text`` as rich Text: shown exactly as written, never as markup or a control sequence."""
    return Text(_UNPRINTABLE.sub(_visible, str(text)), style=style)
