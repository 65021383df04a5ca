"""Values from the user's files inside messages: on one line, shown as written, never acted on.

An error names what it is about: an item id, a version, a side, a cell of a survey sheet. Those come
from files people write and may hold anything: a line break that splits one message in two (on the
terminal, and in every JSON, CSV or Markdown record of it), an escape sequence that recolours the
terminal, bidi controls that make the text read as something else, or a megabyte of text. Every
message embeds such a value through ``quoted`` (``bare`` where the wording has no quotes: a version
after "version", a key path, a list of keys), so that whatever a file holds, a message stays one
recognisable line. ``errors.Problem`` passes its texts through ``one_line`` once more, for the words
of a library (pydantic, libyaml) that name what they met.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# Long enough for any id of a questionnaire, short enough for a line of a terminal.
LIMIT = 80
ELLIPSIS = "…"

# What a terminal would act on instead of showing: C0 and C1 controls (an escape sequence recolours,
# moves the cursor or retitles the window; a line break splits one message in two), the bidi controls
# that reorder what is shown (a file name could then read as another), the Unicode line separators,
# and lone surrogates (undecodable file names), which cannot be encoded at all.
_NOT_FOR_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escaped(match: re.Match[str]) -> str:
    """The matched character as an escape one can read: ``\\x1b``, ``\\u202e``."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` as one line a terminal shows as written: every control character as ``\\x1b``, ``\\u202e``.

    With ``limit``, a text longer than that many characters is cut and ends with ``…``.
    """
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + ELLIPSIS
    return _NOT_FOR_A_LINE.sub(escaped, text)


def quoted(value: object, limit: int = LIMIT) -> str:
    """``value`` as a message names it: quoted as Python's ``repr`` quotes text (``'slp-readiness'``), on one line.

    Every character that is not printable is escaped (``'a\\nb'``, ``'\\x1b[31m'``, ``'\\u202e'``,
    ``'\\u2028'``), so the value is recognisable and reads as written; one longer than ``limit``
    characters as shown is cut, its end marked ``…`` inside the quotes.
    """
    if not isinstance(value, str):
        return bare(repr(value), limit)  # a number or a date from YAML, as repr shows it: 5, None
    text = value
    if len(text) <= limit:
        shown = repr(text)
        if len(shown) <= limit + 2:
            return shown
    width = 0
    for end, char in enumerate(text):
        width += len(repr(char)) - 2  # 1, or 4 to 10 for an escaped character
        if width > limit - 1:
            return repr(text[:end] + ELLIPSIS)
    return repr(text)


def bare(value: object, limit: int = LIMIT) -> str:
    """``value`` on one line without quotes, where a message's wording has none (``version 2.0``, a key
    path, a list of keys): escaped as ``one_line`` does and cut at ``limit`` characters."""
    return one_line(value if isinstance(value, str) else str(value), limit)


def listed(values: Iterable[object], show: Callable[[object], str] = quoted, most: int | None = 10) -> str:
    """``values`` separated by commas, each shown by ``show``; after ``most`` of them, how many more.

    ``most=None`` lists all: for what a questionnaire defines (the keys of a scale), where a hint
    that left one out would mislead.
    """
    values = list(values)
    if most is None or len(values) <= most:
        return ", ".join(show(v) for v in values)
    return f"{', '.join(show(v) for v in values[:most])} and {len(values) - most} more"


def dotted(keys: Iterable[object]) -> str:
    """A location in a file as ``answers.item.id``: each key as written (``bare``)."""
    return ".".join(bare(key) for key in keys)
