"""Filters the templates use: numbers and dates in the reader's language, Markdown escaping."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import markupsafe
from markupsafe import Markup, escape

from slp_assess.report.texts import MONTHS
from slp_assess.rounding import format_change, format_score

# markupsafe's C escaping of a plain str, which its escape() wraps since MarkupSafe 3 (None before,
# when escape() itself was C code from end to end).
_escape_str: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)


# A report prints some five hundred numbers and a thousand strings, and a portfolio's reports print
# mostly the same ones (the scores of a few respondents, the same titles and labels): each is formatted
# once per process and then looked up, at a fraction of the cost. A cache that fills up starts again
# empty, so neither can grow with the number of reports; strings are kept only up to a title's length.
_CACHE_ENTRIES = 8192
_CACHED_STRING_LENGTH = 200
_scores: dict[tuple[float, str], str] = {}
_printed: dict[str, Markup] = {}


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """``62,5`` in German, ``62.5`` in English, ``–`` for no data.

    Scores (one decimal) use the one rounding rule of ``slp_assess.rounding``; other precisions
    (whole percentages, thresholds) round half up the same way.
    """
    if digits == 1:
        if not value:  # None, and zero: 0.0 and -0.0 are one key of a dict
            return format_score(value, lang)
        key = (value, lang)
        text = _scores.get(key)
        if text is None:
            text = format_score(value, lang)
            if len(_scores) >= _CACHE_ENTRIES:
                _scores.clear()
            _scores[key] = text
        return text
    if value is None:
        return "–"
    text = f"{_round(value, digits):.{digits}f}"
    return text.replace(".", ",") if lang == "de" else text


def signed(value: float | None, lang: str, digits: int = 1) -> str:
    """A change with its sign: ``+12,5``, ``−3,0``, ``±0,0``."""
    return format_change(value, lang)


def _round(value: float, digits: int) -> float:
    factor: int = 10**digits
    # repr-based shift avoids 62.25 * 10 == 622.4999...
    shifted = float(f"{abs(value) * factor:.9f}")
    rounded = int(shifted + 0.5) / factor
    return rounded if value >= 0 else -rounded


def long_date(iso: str | None, lang: str) -> str:
    """``18. März 2026`` / ``18 March 2026``; empty for no date."""
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    month = MONTHS.get(lang, MONTHS["en"])[day.month - 1]
    return f"{day.day}. {month} {day.year}" if lang == "de" else f"{day.day} {month} {day.year}"


# Bidi controls that open an embedding or override (closed by PDF, U+202C) or an isolate (closed by PDI,
# U+2069). Left open in a name or note, they reverse or reorder whatever the report prints after it on
# the same line: the attribution of a note, the next cell, a score.
_EMBEDDINGS = "\u202a\u202b\u202d\u202e"
_ISOLATES = "\u2066\u2067\u2068"
_BIDI_OPENER = re.compile(f"[{_EMBEDDINGS}{_ISOLATES}]")

# What neither a page nor a terminal may get from a user string: the C0 controls but tab, line feed and
# carriage return, DEL, the C1 controls and the noncharacters. HTML forbids them (the Nu checker stops at
# "Forbidden code point"); printed to a terminal, ESC c resets it and an OSC sequence retitles the window.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
_ASTRAL_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0x10000, 0x110000, 0x10000))
_CONTROL = re.compile(f"[{_CONTROLS}{_ASTRAL_NONCHARACTERS}]")
# The one search every printed string gets: only a string it finds needs more than escaping. It takes
# every character beyond the BMP (an emoji, too) rather than the 32 noncharacters there, as a character
# class of BMP characters and one range costs a table lookup per character, 32 more characters a
# comparison each.
_UNUSUAL = re.compile(f"[{_CONTROLS}{_EMBEDDINGS}{_ISOLATES}\U00010000-\U0010ffff]")


def without_controls(text: str) -> str:
    """``text`` with each control character (and noncharacter) replaced by U+FFFD, which shows that one was there."""
    shown = _CONTROL.sub("\ufffd", text)
    # re.sub gives a plain str, which would be escaped once more where Markup (HTML already) came in.
    return as_markup(shown) if isinstance(text, Markup) else shown


def tamed(text: str) -> str:
    """``text`` fit to print: control characters replaced (see ``without_controls``), bidi controls closed."""
    if not _UNUSUAL.search(text):
        return text
    return bidi_closed(without_controls(text))


def bidi_closed(text: str) -> str:
    """``text`` with every bidi embedding, override and isolate it opens closed at its end (Unicode UAX #9).

    A right-to-left name keeps its own order; it only cannot reach beyond itself. Closers the text
    already has are counted as the Unicode algorithm counts them: a PDF closes the innermost embedding
    unless an isolate is innermost, a PDI closes the innermost open isolate and everything inside it.
    """
    if not _BIDI_OPENER.search(text):
        return text
    open_: list[str] = []  # the closer each open embedding or isolate needs, innermost last
    for char in text:
        if char in _EMBEDDINGS:
            open_.append("\u202c")
        elif char in _ISOLATES:
            open_.append("\u2069")
        elif char == "\u202c" and open_ and open_[-1] == "\u202c":
            open_.pop()
        elif char == "\u2069" and "\u2069" in open_:
            while open_.pop() != "\u2069":
                pass
    return text + "".join(reversed(open_))


def finalize_html(value: object) -> object:
    """Jinja ``finalize`` for HTML (autoescaped afterwards): a printed string's controls replaced, bidi controls closed."""
    # Called for every printed expression: `type(...) is str` leaves Markup (a str subclass) alone at once.
    if type(value) is str and _UNUSUAL.search(value):
        return bidi_closed(without_controls(value))
    return value


def template_escape(value: object, /) -> Markup:
    """``markupsafe.escape``, as autoescaping templates call it for every printed value: the same result.

    A report prints a few thousand values, nearly all plain strings or our own ``Markup``; for those
    this skips the detours of ``markupsafe.escape`` through ``__html__`` and ``Markup.__new__``,
    which took a tenth of the time of rendering a report.
    """
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[return-value]
    if kind is str and _escape_str is not None:
        return str.__new__(Markup, _escape_str(value))  # type: ignore[arg-type]  # a str, as type() said
    return escape(value)


def print_html(value: object, /) -> Markup:
    """``template_escape(finalize_html(value))`` in one call: how our own HTML templates print a value."""
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[return-value]
    if kind is str and _escape_str is not None:
        # A str, as type() said; checked by type() rather than isinstance() for speed, which mypy cannot follow.
        text: str = value  # type: ignore[assignment]
        printed = _printed.get(text)
        if printed is None:
            shown = bidi_closed(without_controls(text)) if _UNUSUAL.search(text) else text
            printed = str.__new__(Markup, _escape_str(shown))
            if len(text) <= _CACHED_STRING_LENGTH:
                if len(_printed) >= _CACHE_ENTRIES:
                    _printed.clear()
                _printed[text] = printed
        return printed
    return template_escape(finalize_html(value))


def as_markup(html: str) -> Markup:
    """``Markup(html)`` for a string that is HTML already, as our own pieces build it (a few hundred a report).

    ``Markup(...)`` first asks its argument for ``__html__``; a ``str`` has none, so this skips the question.
    """
    return str.__new__(Markup, html)


def html_escape(value: object) -> str:
    """A value for HTML: escaped, its control characters replaced, its bidi controls closed."""
    if type(value) is str:
        return str(print_html(value))  # the same steps, and the same cache
    return str(template_escape(tamed(value) if isinstance(value, str) else value))


_WHITE_SPACE = re.compile(r"\s+")
_MD_INLINE = re.compile(r"([\\`*_\[\]|~>])")
_MD_LEADING = re.compile(r"^(\s*)(?:()([#+\-=])|(\d+)([.)])(?=\s|$))")
# Whatever one of markdown_escape's steps would change: a string without any is printed as it is.
_MD_TOUCHED = re.compile(r"[\\`*_\[\]|~>&<]|[^\S ]|  |^[\s#+\-=\d]|[# ]$")


def markdown_escape(value: object) -> str:
    """Make a user string inert in GitHub-flavoured Markdown, inside a table cell or a line.

    Backslash-escapes the characters that open code, emphasis, links, tables and strikethrough,
    writes ``<`` and ``&`` as entities so no HTML gets through, escapes a leading ``#``, ``-``,
    ``+``, ``=`` or ``1.`` that would start a heading or list and a trailing ``#`` that would close
    a heading, folds line breaks into spaces so a note can never end a table row, and replaces
    control characters (see ``without_controls``).
    """
    if isinstance(value, Markup):
        return str(value)
    text = str(value)
    if not _MD_TOUCHED.search(text) and not _UNUSUAL.search(text):
        return text  # most titles and names: a fraction of the time of the steps
    return _markdown_escaped(text)


def _markdown_escaped(text: str) -> str:
    """``markdown_escape``'s steps, each taken whether it changes anything or not."""
    text = tamed(_WHITE_SPACE.sub(" ", text))
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    if text.endswith(("#", " ")):
        # A heading's optional closing sequence: "# Team #" is the heading "Team". Each "#" of the
        # trailing run is escaped, as "# #" would still close after one escaped "#".
        body = text.rstrip("# ")
        text = body + text[len(body):].replace("#", "\\#")
    return _MD_LEADING.sub(_escape_leading, text, count=1)


def _escape_leading(match: re.Match[str]) -> str:
    # "1." starts an ordered list only when a space follows; "1.0" is just a number.
    indent, _, mark, digits, punct = match.groups()
    return f"{indent}{digits or ''}\\{mark or punct}"


def finalize_markdown(value: object) -> object:
    """Jinja ``finalize`` for Markdown: every printed string is escaped unless marked safe."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return markdown_escape(value)
    return value


def css_string(value: object) -> str:
    """The inside of a double-quoted CSS string: quotes, backslashes, line breaks and ``<`` escaped.

    ``<`` is escaped too, so no value can close the ``<style>`` element it is printed in.
    """
    text = tamed(" ".join(str(value).split()))
    return re.sub(r'["\\<>&]', lambda m: f"\\{ord(m.group(0)):x} ", text)
