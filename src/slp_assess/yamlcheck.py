"""Checks on a composed YAML node tree, shared by every reader of answer and questionnaire files.

libyaml composes a document in C, so PyYAML hooks such as ``compose_node`` never run; what a file
may contain is therefore checked on the composed tree, before anything is constructed from it.
Both the reference path (``yamlio.parse_yaml``) and the fast path of ``slp score``
(``fastyaml.compose_yaml_data``) call ``check_tree``, so they refuse exactly the same files.

Refused, each as one ``InvalidInputError`` with file and line:

* aliases (a node reached twice), in answer files and questionnaires alike: the files are
  short and written by people, and one rule for every file keeps every reader the same; it also
  ends alias bombs and recursive aliases before anything expands them;
* collections nested deeper than ``MAX_DEPTH``;
* mapping keys that are lists or mappings (``? [a, b]``, or a ``{{ placeholder }}`` left in);
* tags other than the core scalar, mapping and sequence tags, or on the wrong kind of node;
* scalars whose tag does not fit the value (``!!int abc``, ``date: 2026-13-45``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from slp_assess.errors import InvalidInputError
from slp_assess.oneline import bare, quoted

MAX_DEPTH = 64

_CORE = "tag:yaml.org,2002:"
STR_TAG = _CORE + "str"
MAP_TAG = _CORE + "map"
SEQ_TAG = _CORE + "seq"
SCALAR_TAGS = frozenset(_CORE + name for name in ("str", "null", "bool", "int", "float", "timestamp"))
_KIND_NAMES = {yaml.ScalarNode: "a single value", yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}
_KIND_TAGS = {yaml.MappingNode: MAP_TAG, yaml.SequenceNode: SEQ_TAG}
_REMOVE_TAG = "remove the tag"

# (tag, value) -> (problem, hint) or None; scalars repeat a lot across files (dates, numbers).
_scalar_problems: dict[tuple[str, str], tuple[str, str] | None] = {}
_CACHE_LIMIT = 20_000
_CACHED_VALUE_LENGTH = 64
_loader: Any = None


def short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:int`` as ``!!int``; other tags as written."""
    # A tag may hold any character, written as a %-escape (`!<%0A>`).
    return bare("!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _strict_loader() -> Any:
    global _loader
    if _loader is None:
        from slp_assess.yamlio import StrictLoader  # yamlio imports this module

        _loader = StrictLoader("")
    return _loader


def _scalar_problem(node: yaml.ScalarNode) -> tuple[str, str] | None:
    """Why the scalar cannot be read as its tag says, as (problem, hint), or None."""
    tag = node.tag
    if tag == STR_TAG:
        return None
    key = (tag, node.value)
    if key in _scalar_problems:
        return _scalar_problems[key]
    problem: tuple[str, str] | None = None
    if tag == _CORE + "merge":
        problem = ("merge keys (<<) are not supported", "write the keys out")
    elif tag == _CORE + "value":
        problem = ("'=' is not supported as a value", "quote it")
    elif tag in _KIND_TAGS.values():
        problem = (f"tag {short_tag(tag)} does not fit {_KIND_NAMES[yaml.ScalarNode]}", _REMOVE_TAG)
    elif tag not in SCALAR_TAGS:
        problem = (f"unsupported tag {short_tag(tag)}", _REMOVE_TAG)
    elif not _fits(tag, node):
        problem = (f"{quoted(node.value, 40)} is not a valid {short_tag(tag)}", "correct the value or remove the tag")
    if len(_scalar_problems) < _CACHE_LIMIT and len(node.value) <= _CACHED_VALUE_LENGTH:
        _scalar_problems[key] = problem
    return problem


def _fits(tag: str, node: yaml.ScalarNode) -> bool:
    """Whether an untagged scalar with this text would get this tag (an int may be a float), and constructs."""
    loader = _strict_loader()
    implicit = loader.resolve(yaml.ScalarNode, node.value, (True, False))
    if implicit != tag and not (tag == _CORE + "float" and implicit == _CORE + "int"):
        return False
    try:
        loader.yaml_constructors[tag](loader, node)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, yaml.YAMLError):
        return False  # e.g. date 2026-13-45, or an int longer than Python converts
    return True


def _collection_tag_problem(node: yaml.CollectionNode) -> tuple[str, str] | None:
    expected = _KIND_TAGS[type(node)]
    if node.tag == expected:
        return None
    if node.tag in SCALAR_TAGS or node.tag in _KIND_TAGS.values():
        return f"tag {short_tag(node.tag)} does not fit {_KIND_NAMES[type(node)]}", _REMOVE_TAG
    return f"unsupported tag {short_tag(node.tag)}", _REMOVE_TAG


def _complex_key(path: str, mapping: yaml.MappingNode, key: yaml.Node, line_of: Callable[[yaml.Node], int]) -> InvalidInputError:
    # `x: {{ name }}` composes as a flow mapping whose only key is the flow mapping {name: null}.
    if (
        isinstance(key, yaml.MappingNode)
        and len(key.value) == 1
        and isinstance(key.value[0][0], yaml.ScalarNode)
        and mapping.flow_style
        and len(mapping.value) == 1
    ):
        name = key.value[0][0].value
        return InvalidInputError.single(
            path, f"template placeholder {{{{ {bare(name)} }}}} left in the file", line_of(key), "replace it with an answer, or quote it"
        )
    what = "a list" if isinstance(key, yaml.SequenceNode) else "a mapping"
    return InvalidInputError.single(path, f"{what} used as a key", line_of(key), "keys must be single values")


def check_tree(root: yaml.Node, path: str, line_of: Callable[[yaml.Node], int] = _line) -> None:
    """Refuse what no reader should construct (see the module docstring); iterative, so never deep.

    ``line_of``: a node's 1-based line as editors count it (``yamlio.LineMap.of``); libyaml's by default.
    """
    seen: set[int] = set()
    # (node, depth of collections above it, the node where it is used: its key, or the list holding it)
    stack: list[tuple[yaml.Node, int, yaml.Node]] = [(root, 0, root)]
    while stack:
        node, depth, used_at = stack.pop()
        if id(node) in seen:
            raise InvalidInputError.single(
                path,
                f"the value from line {line_of(node)} is repeated by an alias (*name); aliases are not allowed",
                line_of(used_at),
                "write the value out where it is needed",
            )
        seen.add(id(node))
        problem = _scalar_problem(node) if type(node) is yaml.ScalarNode else _collection_tag_problem(node)  # type: ignore[arg-type]  # not a scalar, so a collection
        if problem:
            raise InvalidInputError.single(path, problem[0], line_of(node), problem[1])
        if type(node) is yaml.ScalarNode:
            continue
        depth += 1
        if depth > MAX_DEPTH:
            raise InvalidInputError.single(
                path, f"values nested more than {MAX_DEPTH} levels deep", line_of(node), "flatten the structure"
            )
        if type(node) is yaml.MappingNode:
            for key, value in reversed(node.value):  # reversed: the first problem in the file is found first
                if type(key) is not yaml.ScalarNode:
                    raise _complex_key(path, node, key, line_of)
                stack.append((value, depth, key))
                stack.append((key, depth, key))
        else:
            stack.extend((item, depth, node) for item in reversed(node.value))
