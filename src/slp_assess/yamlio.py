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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

from slp_assess.errors import InvalidInputError
from slp_assess.yamlcheck import check_tree

_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)

_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping names the same key twice."""


class StrictLoader(_BaseLoader):
    """Safe loader that rejects duplicate keys and reads ``yes``/``no``/``on``/``off`` as text.

    Scale keys such as ``yes`` and ``no`` must stay strings; YAML 1.1 would turn them into
    booleans behind the user's back.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r} (first at line {seen[key].start_mark.line + 1})",
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


@dataclass
class YamlDocument:
    """A parsed document together with its node tree, for locating lines later."""

    path: str
    data: Any
    root: yaml.Node | None

    def line_of(self, location: Sequence[str | int]) -> int | None:
        """1-based line of the deepest node reachable along ``location``."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in location:
            if isinstance(node, yaml.MappingNode):
                match = next((kv for kv in node.value if kv[0].value == str(part)), None)
                if match is None:
                    break
                line = match[0].start_mark.line + 1
                node = match[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _line_after(before: str) -> int:
    """The line a character is on, given the text before it.

    Counts libyaml's line breaks once \\r is normalised (see read_text), as its error marks do.
    """
    return 1 + sum(before.count(brk) for brk in ("\n", "\x85", "\u2028", "\u2029"))


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
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlDocument(path, None, None)
        check_tree(root, path)
        data = loader.construct_document(root)
    except yaml.reader.ReaderError as exc:
        message, char_line = _reader_problem(exc, text)
        raise InvalidInputError.single(path, message, char_line, "delete the character or retype the text around it") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _one_line(exc.problem or exc.context or "invalid YAML")
        hint = "keep one entry per key" if isinstance(exc, DuplicateKeyError) else "fix the YAML syntax"
        raise InvalidInputError.single(path, f"YAML error: {problem}", mark.line + 1 if mark else None, hint) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError.single(path, f"YAML error: {_one_line(exc)}", None, "fix the YAML syntax") from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, root)


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
