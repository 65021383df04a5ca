"""YAML reading with line numbers, duplicate-key errors and YAML 1.2 booleans.

libyaml's C parser is used where available. Documents are composed to a node tree first
so that, only when something is wrong, a dotted location can be mapped back to its line.
"""

from __future__ import annotations

import re
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

_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping names the same key twice."""


class StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
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
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


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


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse one YAML document; raise InvalidInputError naming file and line on bad YAML."""
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        hint = "keep one entry per key" if isinstance(exc, DuplicateKeyError) else "fix the YAML syntax"
        raise InvalidInputError.single(path, f"YAML error: {problem}", line, hint) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError.single(path, f"YAML error: {exc}", None, "fix the YAML syntax") from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, root)


def read_yaml(path: Path) -> YamlDocument:
    """Read and parse a YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError.single(path, "file is not UTF-8 text", hint="save it as UTF-8") from None
    except OSError as exc:
        raise InvalidInputError.single(path, f"cannot read file: {exc.strerror}") from None
    return parse_yaml(text, str(path))
