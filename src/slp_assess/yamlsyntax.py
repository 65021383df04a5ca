"""libyaml's syntax errors, said the way a person editing the file understands them.

libyaml names what its scanner met ("found character that cannot start any token"), not what the
writer did (indented with a tab). For the mistakes people make by hand (a tab for indentation, no
space after a colon, an unclosed quote or bracket, a stray indentation, a backslash in double
quotes) the message here names the mistake, its line (and column where it helps) and the fix;
anything else keeps libyaml's words with a general hint.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import yaml

from slp_assess.oneline import bare, quoted

if TYPE_CHECKING:
    from slp_assess.yamlio import LineMap

GENERAL_HINT = "fix the YAML syntax"
# A key directly followed by something other than a space: `note:"text"`, `value:3`. A colon followed
# by '/' is left alone (`http://`), and so is one inside quotes, where a key cannot start.
_NO_SPACE_AFTER_COLON = re.compile(r"^ *(?:- +)?[^\s'\"#{}\[\],:][^:#]*?:(?=[^\s/:])")
_YAML11_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")
_CLOSERS = {"while parsing a flow sequence": ("[", "]", "list"), "while parsing a flow mapping": ("{", "}", "mapping")}
# How many lines above a "mapping values are not allowed" error a missing space is looked for: the
# value that swallowed the next lines started at most this far up.
_LOOK_BACK = 20
# libyaml's own words name what it met as written (a tag handle, a directive): long enough for those.
_LIBYAML_LIMIT = 200


def explain(exc: yaml.MarkedYAMLError, text: str, lines: LineMap) -> tuple[str, int | None, str]:
    """A one-line message, the 1-based line it is about, and a hint, for a libyaml error."""
    mark = exc.problem_mark or exc.context_mark
    problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
    line = lines.line(mark.line) if mark else None
    if mark is None:
        return f"YAML error: {bare(problem, _LIBYAML_LIMIT)}", line, GENERAL_HINT
    index = min(mark.index, len(text))
    char = text[index:index + 1]
    column = lines.column(text, index)
    context = exc.context or ""
    context_line = lines.line(exc.context_mark.line) if exc.context_mark else line

    separator = _yaml11_break_near(text, index, exc.context_mark.index if exc.context_mark else index)
    if separator is not None:
        where, code = separator
        return (f"YAML error: line {where} holds U+{code:04X}, which YAML reads as a line break",
                where, "delete the character; inside a quoted value it is kept")
    if char == "\t" or "tab character" in problem:
        tab = index if char == "\t" else text.find("\t", text.rfind("\n", 0, index) + 1)
        return _tab(text, tab if tab >= 0 else index, lines)
    if problem in ("mapping values are not allowed in this context", "could not find expected ':'"):
        first = (context_line or line or 1) if exc.context_mark else max(1, (line or 1) - _LOOK_BACK)
        missing = _missing_space(text, first, line or 1)
        if missing is not None:
            return (f"YAML error: no space after the colon at line {missing}",
                    missing, "write a space after the colon of a key: `key: value`")
        if problem.startswith("mapping"):
            return (f"YAML error: a second ': ' in one line at line {line}, column {column}",
                    line, "quote a value that contains ': ' (\"...\"), or put a key on a line of its own")
        return (f"YAML error: the text at line {context_line} is neither `key: value` nor a list entry",
                context_line, "write `key: value`, or quote a value that goes on over several lines")
    if context == "while scanning a quoted scalar" and ("end of stream" in problem or "document indicator" in problem):
        quote = text[exc.context_mark.index:exc.context_mark.index + 1] if exc.context_mark else '"'
        return (f"YAML error: the quote {quote} opened at line {context_line} is never closed",
                context_line, f"end the value with {quote} on the line where it starts")
    if context in _CLOSERS and problem.startswith("did not find expected"):
        opener, closer, kind = _CLOSERS[context]
        return (f"YAML error: the {kind} opened with '{opener}' at line {context_line} is not closed",
                context_line, f"close it with '{closer}' and separate its entries with ', '")
    if problem == "did not find expected key" and context == "while parsing a block mapping":
        return _unexpected_in_mapping(text, index, char, line, column)
    if problem == "found character that cannot start any token" and char:
        return (f"YAML error: a value cannot start with {quoted(char)} (line {line}, column {column})",
                line, "quote the value (\"...\")")
    if problem == "found unknown escape character":
        return (f"YAML error: unknown escape {quoted(text[index:index + 2])} in a double-quoted value at line {line}",
                line, "write \\\\ for a backslash, or quote the value with ' instead of \"")
    return f"YAML error: {bare(problem, _LIBYAML_LIMIT)}", line, GENERAL_HINT


def _yaml11_break_near(text: str, index: int, context_index: int) -> tuple[int, int] | None:
    """The editor line and code point of a NEL, LS or PS on the line(s) of an error, if there is one.

    libyaml (YAML 1.1) ends a line at them, so one in a comment, a plain value or a key breaks the line
    there; in double quotes it is kept (NEL is folded to a space).
    """
    start = text.rfind("\n", 0, min(index, context_index)) + 1
    end = text.find("\n", max(index, context_index))
    match = _YAML11_ONLY_BREAK.search(text, start, len(text) if end < 0 else end)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1, ord(match.group())


def _tab(text: str, index: int, lines: LineMap) -> tuple[str, int | None, str]:
    line = text.count("\n", 0, index) + 1
    column = lines.column(text, index)
    start = text.rfind("\n", 0, index) + 1
    if text[start:index].strip(" \t") == "":
        return (f"YAML error: a tab is used for indentation at line {line}, column {column}",
                line, "indent with spaces: YAML does not allow tabs for indentation")
    return (f"YAML error: a tab where YAML expects a space at line {line}, column {column}",
            line, "replace the tab with a space")


def _missing_space(text: str, first: int, last: int) -> int | None:
    """The last line from ``first`` to ``last`` whose key is followed by no space, if any."""
    lines = text.split("\n")[first - 1:last]
    for offset in range(len(lines) - 1, -1, -1):
        if _NO_SPACE_AFTER_COLON.match(lines[offset]):
            return first + offset
    return None


def _unexpected_in_mapping(text: str, index: int, char: str, line: int | None, column: int) -> tuple[str, int | None, str]:
    before = text[text.rfind("\n", 0, index) + 1:index]
    if char == "-":
        return (f"YAML error: a list entry ('- ') at line {line} where a key was expected",
                line, "indent the list under its key, or write `key: value`")
    quote = before.rstrip()[-1:]
    if quote and quote in "\"'" and before.count(quote) % 2 == 1:
        # The quote that ends here is the first on its line: the value opened on an earlier line.
        opened = text.rfind(quote, 0, index - len(before))
        opened_line = text.count("\n", 0, opened) + 1
        return (f"YAML error: the quote {quote} opened at line {opened_line} is not closed on that line",
                opened_line, f"end the value with {quote} on the line where it starts")
    if quote and quote in "\"'":
        return (f"YAML error: text after the closing quote at line {line}, column {column}",
                line, "put the whole value inside the quotes")
    return (f"YAML error: the indentation of line {line} does not fit the lines above",
            line, "indent the keys of one mapping by the same number of spaces")
