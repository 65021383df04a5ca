"""YAML reading with line numbers, duplicate-key errors and YAML 1.2 booleans.

libyaml's C parser is used where available. Documents are composed to a node tree first
so that, only when something is wrong, a dotted location can be mapped back to its line. The
tree is checked (``yamlcheck``) before anything is constructed from it, and every failure,
from an unreadable file to a stray control character, becomes one ``InvalidInputError`` with
the file, the line and a one-line message.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

from slp_assess.errors import InvalidInputError
from slp_assess.oneline import bare, quoted
from slp_assess.yamlcheck import check_tree
from slp_assess.yamlsyntax import explain

_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)

_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping names the same key twice."""


class StrictLoader(_BaseLoader):
    """Safe loader that rejects duplicate keys and reads ``yes``/``no``/``on``/``off`` as text.

    Scale keys such as ``yes`` and ``no`` must stay strings; YAML 1.1 would turn them into
    booleans behind the user's back.
    """

    # Editors' line numbers for this text (see LineMap); set by parse_yaml once the loader is made.
    line_map: LineMap

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {quoted(key)} (first at line {getattr(self, 'line_map', SAME_LINES).of(seen[key])})",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


StrictLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    StrictLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(0, ("tag:yaml.org,2002:bool", _YAML12_BOOL))
StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_mapping)


class LineMap:
    """Line numbers as editors and grep count them, from libyaml's.

    libyaml (YAML 1.1) also ends a line at NEL (U+0085), LS (U+2028) and PS (U+2029), so after a note
    holding one of them its marks are a line ahead; only ``\\n`` ends a line here (``read_text`` has
    turned ``\\r`` into it). Built once per document, in one pass, and only when such a character occurs.
    """

    def __init__(self, text: str = "") -> None:
        # newlines[n]: how many of libyaml's first n line breaks are real ones (\n); None: all are.
        self._newlines: list[int] | None = None
        if any(char in text for char in _YAML11_ONLY_BREAKS):
            count, newlines = 0, [0]
            for match in _YAML11_BREAK.finditer(text):
                count += match.group() == "\n"
                newlines.append(count)
            self._newlines = newlines

    def line(self, yaml_line: int) -> int:
        """The 1-based editor line of libyaml's 0-based line ``yaml_line``."""
        newlines = self._newlines
        if newlines is None:
            return yaml_line + 1
        return newlines[min(yaml_line, len(newlines) - 1)] + 1

    def of(self, node: yaml.Node) -> int:
        """The 1-based editor line where ``node`` starts."""
        return self.line(node.start_mark.line)

    def column(self, text: str, index: int) -> int:
        """The 1-based column of the character at ``index`` in ``text``."""
        return index - text.rfind("\n", 0, index)


_YAML11_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
_YAML11_BREAK = re.compile("[\n\x85\u2028\u2029]")
SAME_LINES = LineMap()


class Located(NamedTuple):
    """Where a dotted location is: the line, the path with keys as written, and the data's own keys."""

    line: int | None
    written: tuple[str | int, ...]
    keys: tuple[Any, ...]


# Per mapping: its keys (the constructed key, then its repr as pydantic names non-text keys in an
# error location, then the key as written) -> (key node, value node, value, constructed key).
_Entries = dict[Any, tuple[yaml.Node, yaml.Node, Any, Any]]
_NO_KEY = object()


def _as_text(part: Any) -> str | int:
    return part if isinstance(part, str | int) else repr(part)


@dataclass
class YamlDocument:
    """A parsed document together with its node tree, for locating lines later."""

    path: str
    data: Any
    root: yaml.Node | None
    lines: LineMap = SAME_LINES
    # id(mapping node) -> its entries; built the first time a location passes through the mapping,
    # so that locating thousands of problems costs one pass over the document, not one per problem.
    _entries: dict[int, _Entries] = field(default_factory=dict, repr=False)

    def line_of(self, location: Sequence[Any]) -> int | None:
        """1-based line of the deepest node reachable along ``location``."""
        return self.locate(location).line

    def locate(self, location: Sequence[Any]) -> Located:
        """The deepest node reachable along ``location``: its line, the keys as written and as read.

        A part of ``location`` may be a key as read (``None``, a date), as pydantic names it in an
        error (``'None'``, ``'datetime.date(2026, 1, 1)'``) or as written in the file (``null``).
        """
        node, value = self.root, self.data
        line = self.lines.of(node) if node is not None else None
        written: list[str | int] = []
        keys: list[Any] = []
        for index, part in enumerate(location):
            if isinstance(node, yaml.MappingNode):
                entry = self._mapping_entries(node, value).get(part)
                if entry is None:
                    return Located(line, (*written, *map(_as_text, location[index:])), (*keys, *location[index:]))
                key_node, node, value, key = entry
                line = self.lines.of(key_node)
                written.append(key_node.value)
                keys.append(part if key is _NO_KEY else key)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                value = value[part] if isinstance(value, list) and part < len(value) else None
                line = self.lines.of(node)
                written.append(part)
                keys.append(part)
            else:
                return Located(line, (*written, *map(_as_text, location[index:])), (*keys, *location[index:]))
        return Located(line, tuple(written), tuple(keys))

    def _mapping_entries(self, node: yaml.MappingNode, value: Any) -> _Entries:
        entries = self._entries.get(id(node))
        if entries is None:
            entries = self._entries[id(node)] = {}
            # The constructed mapping keeps the nodes' order (duplicates and merge keys are refused).
            if isinstance(value, dict) and len(value) == len(node.value):
                pairs = list(zip(node.value, value.items(), strict=True))
            else:
                pairs = [(kv, (_NO_KEY, None)) for kv in node.value]
            for (key_node, value_node), (key, item) in pairs:
                if key is not _NO_KEY:
                    entries.setdefault(key, (key_node, value_node, item, key))
            for (key_node, value_node), (key, item) in pairs:
                if key is not _NO_KEY and not isinstance(key, str):
                    entries.setdefault(repr(key), (key_node, value_node, item, key))
            for (key_node, value_node), (key, item) in pairs:
                entries.setdefault(key_node.value, (key_node, value_node, item, key))
        return entries


def _one_line(text: object) -> str:
    # libyaml's words, which name what it met in the file as written
    return bare(" ".join(str(text).split()), 200)


def _line_after(before: str) -> int:
    """The line a character is on, given the text before it (only \\n ends a line, see ``LineMap``)."""
    return 1 + before.count("\n")


def _reader_problem(exc: yaml.reader.ReaderError, text: str) -> tuple[str, int]:
    """A one-line message naming the character as U+XXXX, and its 1-based line."""
    char = exc.character if isinstance(exc.character, int) else ord(exc.character)
    if isinstance(exc.character, int):  # libyaml: a byte offset into the UTF-8 encoded text
        before = text.encode("utf-8", "surrogatepass")[: exc.position].decode("utf-8", "replace")
    else:  # pragma: no cover - PyYAML's pure-Python reader counts characters
        before = text[: exc.position]
    line = _line_after(before)
    if char < 0x20 or 0x7F <= char <= 0x9F:
        kind = "control character"
    elif char in (0xFFFE, 0xFFFF):
        kind = "noncharacter"
    else:  # pragma: no cover - libyaml refuses nothing else in text that Python could decode
        kind = f"character ({_one_line(exc.reason)})"
    return f"YAML error: {kind} U+{char:04X} is not allowed", line


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse one YAML document; raise InvalidInputError naming file and line on bad YAML.

    ``yamlcheck.check_tree`` refuses aliases, odd keys and tags, and deep nesting first.
    """
    try:
        loader = StrictLoader(text)  # encodes the text for libyaml: lone surrogates fail here
    except UnicodeEncodeError as exc:
        message = f"YAML error: character U+{ord(text[exc.start]):04X} is not allowed (a lone surrogate)"
        raise InvalidInputError.single(path, message, _line_after(text[: exc.start]), "delete the character") from None
    lines = LineMap(text)
    loader.line_map = lines
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlDocument(path, None, None, lines)
        check_tree(root, path, lines.of)
        data = loader.construct_document(root)
    except yaml.reader.ReaderError as exc:
        message, char_line = _reader_problem(exc, text)
        raise InvalidInputError.single(path, message, char_line, "delete the character or retype the text around it") from None
    except DuplicateKeyError as exc:
        line = lines.line(exc.problem_mark.line) if exc.problem_mark else None
        raise InvalidInputError.single(path, f"YAML error: {_one_line(exc.problem)}", line, "keep one entry per key") from None
    except yaml.MarkedYAMLError as exc:
        raise InvalidInputError.single(path, *explain(exc, text, lines)) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError.single(path, f"YAML error: {_one_line(exc)}", None, "fix the YAML syntax") from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, root, lines)


_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _not_regular(path: Path, mode: int) -> InvalidInputError:
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "a special file")
    return InvalidInputError.single(path, f"cannot read {kind}: answer and questionnaire files must be regular files", hint="pass regular files only")


def read_text(path: Path) -> str:
    """The text of a regular UTF-8 file, with \\r\\n and \\r read as \\n; InvalidInputError otherwise.

    FIFOs, sockets and devices are refused before opening: opening a FIFO waits for a writer, forever.
    """
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        # O_NONBLOCK: should the path become a FIFO after the check, opening still returns at once.
        with os.fdopen(os.open(path, os.O_RDONLY | _O_NONBLOCK), "rb") as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise _not_regular(path, mode)
            data = stream.read()
    except OSError as exc:
        raise InvalidInputError.single(path, f"cannot read file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"file is not UTF-8 text (byte 0x{data[exc.start]:02X} cannot be decoded)"
        raise InvalidInputError.single(path, message, line, "save it as UTF-8") from None
    if "\r" in text:  # as text mode reads it, so both paths see the same lines
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_yaml(path: Path) -> YamlDocument:
    """Read and parse a YAML file."""
    return parse_yaml(read_text(path), str(path))
