"""How much a user template may build: checks made before a string or list is built, not after.

A template's time is limited by the renderer, but one call such as ``"x".ljust(5000000000)`` allocates
gigabytes before any time limit can stop it. So every way of building by a number (a width, a count, a
fill) or by joining is checked against MAX_BUILT first: ``*``, ``**``, ``%``, ``+``, ``~``, ``str.format``,
the str methods that pad, replace, join or translate, and the filters that do the same.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jinja2 import filters, pass_environment, pass_eval_context
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

# The largest string or list a user template may build, and the largest power it may raise to (in
# bits): far beyond any report, far below what takes a machine's memory or minutes.
MAX_BUILT = 10_000_000
MAX_POWER_BITS = 100_000
# Filters whose numbers say how much to build: "x"|center(10**9) and "%.999999999f"|format(1) would
# allocate before any time limit could stop them; batch and slice build as many lists as they are told.
SIZED_FILTERS = ("center", "indent", "wordwrap", "format", "truncate", "batch", "slice")
# str methods whose result grows with a number they are given.
_PADDING = frozenset({"ljust", "rjust", "center", "zfill"})
_DIGITS = re.compile(r"\d+")


def refuse_huge_sizes(what: str, values: Iterable[Any]) -> None:
    """A SecurityError when a number among ``values``, or written in a format string among them, asks
    for more than MAX_BUILT characters."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_BUILT:
            raise SecurityError(f"{what} asks for {value:,} characters; at most {MAX_BUILT:,} are allowed")
        if isinstance(value, str) and ("%" in value or "{" in value):
            for digits in _DIGITS.findall(value):
                if len(digits) > 8 or int(digits) > MAX_BUILT:
                    raise SecurityError(f"{what}: a width or precision of {digits} is more than {MAX_BUILT:,} characters")


def refuse_huge_result(what: str, size: int) -> None:
    """A SecurityError when a result of ``size`` characters or items would exceed MAX_BUILT."""
    if size > MAX_BUILT:
        raise SecurityError(f"{what} would build {size:,} characters or items; at most {MAX_BUILT:,} are allowed")


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` (a filter) refusing any number among its arguments above MAX_BUILT."""

    @functools.wraps(function)  # keeps Jinja's mark of which filters are passed the environment
    def checked(*args: Any, **kwargs: Any) -> Any:
        refuse_huge_sizes(f"|{name}", (*args, *kwargs.values()))
        return function(*args, **kwargs)

    return checked


def replaced_size(text: str, old: str, new: str, count: Any = -1) -> int:
    """The length of ``text.replace(old, new, count)``, found without building it."""
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def _as_text(value: Any, markup: bool) -> str:
    # What Markup's methods and autoescaped filters make of a value: escaped, so possibly longer.
    return str(escape(value)) if markup else str(value)


def str_method(value: Any) -> Callable[..., Any] | None:
    """A checked stand-in for a str method that builds by a size (pads, replaces, joins, translates), else None."""
    if not isinstance(value, types.MethodType | types.BuiltinMethodType) or not isinstance(value.__self__, str):
        return None
    name, text = value.__name__, value.__self__
    markup = isinstance(text, Markup)
    if name in _PADDING:
        def padded(*args: Any, **kwargs: Any) -> Any:
            refuse_huge_sizes(f"str.{name}", (*args, *kwargs.values()))
            return value(*args, **kwargs)
        return padded
    if name == "expandtabs":
        def expanded(tabsize: Any = 8) -> Any:
            if isinstance(tabsize, int):
                refuse_huge_result("str.expandtabs", len(text) + text.count("\t") * max(tabsize, 0))
            return value(tabsize)
        return expanded
    if name == "replace":
        def replaced(old: Any, new: Any, count: Any = -1) -> Any:
            if isinstance(old, str) and isinstance(new, str):
                refuse_huge_result("str.replace", replaced_size(str(text), _as_text(old, markup), _as_text(new, markup), count))
            return value(old, new, count)
        return replaced
    if name == "join":
        def joined(iterable: Iterable[Any]) -> Any:
            items = list(iterable)
            refuse_huge_result("str.join", _joined_size(items, str(text), markup))
            return value(items)
        return joined
    if name == "translate":
        def translated(table: Any) -> Any:
            if isinstance(table, Mapping):
                longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
                refuse_huge_result("str.translate", len(text) * max(longest, 1))
            return value(table)
        return translated
    return None


def _joined_size(items: list[Any], separator: str, markup: bool) -> int:
    return sum(len(_as_text(item, markup)) for item in items) + len(separator) * max(len(items) - 1, 0)


def bounded_concat(join: Callable[[Iterable[Any]], str], markup: bool) -> Callable[[Iterable[Any]], str]:
    """Jinja's ``~`` (compiled to a call of ``str_join`` or ``markup_join``), refusing a result above MAX_BUILT."""

    def concat(parts: Iterable[Any]) -> str:
        parts = tuple(parts)
        refuse_huge_result("'~'", _joined_size(list(parts), "", markup))
        return join(parts)

    return concat


def refuse_huge_plus(left: Any, right: Any) -> None:
    """``+`` of two strings, lists or tuples builds their lengths together."""
    if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        refuse_huge_result("'+'", len(left) + len(right))


@pass_eval_context
def replace_filter(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> str:
    """The ``replace`` filter, refusing a result above MAX_BUILT."""
    markup = eval_ctx.autoescape and any(hasattr(v, "__html__") for v in (s, old, new))
    size = replaced_size(_as_text(s, markup), _as_text(old, markup), _as_text(new, markup), -1 if count is None else count)
    refuse_huge_result("|replace", size)
    return filters.do_replace(eval_ctx, s, old, new, count)


@pass_eval_context
def join_filter(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: str | int | None = None) -> str:
    """The ``join`` filter, refusing a result above MAX_BUILT."""
    if attribute is not None:
        value = map(filters.make_attrgetter(eval_ctx.environment, attribute), value)
    items = list(value)
    refuse_huge_result("|join", _joined_size(items, _as_text(d, eval_ctx.autoescape), eval_ctx.autoescape))
    return filters.sync_do_join(eval_ctx, items, d)


@pass_environment
def sum_filter(environment: Any, iterable: Iterable[Any], attribute: str | int | None = None, start: Any = 0) -> Any:
    """The ``sum`` filter, refusing to add up strings, lists or tuples beyond MAX_BUILT."""
    if attribute is not None:
        iterable = map(filters.make_attrgetter(environment, attribute), iterable)
    items = list(iterable)
    if isinstance(start, str | list | tuple):
        refuse_huge_result("|sum", len(start) + sum(len(i) for i in items if isinstance(i, str | list | tuple)))
    return filters.sync_do_sum(environment, items, start=start)


def bounded_lipsum(lipsum: Callable[..., str]) -> Callable[..., str]:
    """``lipsum()``, refusing more words than MAX_BUILT characters could hold."""

    @functools.wraps(lipsum)
    def checked(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002 - Jinja's names
        # A word of the lorem ipsum, with its space or comma, is at most 16 characters.
        refuse_huge_result("lipsum()", n * max * 16)
        return lipsum(n, html, min, max)

    return checked
