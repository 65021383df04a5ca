"""Fast readers for answer files: the same data as ``yamlio.parse_yaml``, or ``Fallback``.

Two readers, tried in order:

* ``read_block_yaml`` handles the plain block style that `slp assess`, `slp template` and most
  editors and generators write (``key: value`` lines, quoted or plain scalars, one-line flow
  mappings and lists) in pure Python, without building a node tree: about twice as fast as libyaml
  composing. Plain scalars are resolved and constructed by StrictLoader's own resolver and
  constructors, so ``2026-03-18`` is a date and ``yes`` stays text, exactly as in the reference.
  It reads only text made of characters it provably reads as libyaml does (``is_vetted``), and
  anything outside its subset (anchors, tags, block sequences of collections, multi-line scalars,
  escapes, comments in odd places, deep nesting) raises ``Fallback`` rather than guessing.
* ``compose_yaml_data`` lets libyaml compose the document with a cached resolver and applies the
  reference path's own tree check (``yamlcheck.check_tree``) before converting it.

``tests/test_reader_differential.py`` compares both readers with the reference on generated files.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

from slp_assess.errors import InvalidInputError
from slp_assess.yamlcheck import MAP_TAG as _MAP
from slp_assess.yamlcheck import MAX_DEPTH, SCALAR_TAGS, check_tree
from slp_assess.yamlcheck import SEQ_TAG as _SEQ
from slp_assess.yamlcheck import STR_TAG as _STR
from slp_assess.yamlio import StrictLoader

_SIMPLE_SCALAR_TAGS = SCALAR_TAGS - {_STR}
_CACHE_LIMIT = 20_000
# Well below the tree check's limit: deeper files go to libyaml and that check.
_MAX_BLOCK_DEPTH = MAX_DEPTH // 2
# libyaml refuses implicit keys longer than 1024 characters; longer keys go to libyaml.
_MAX_KEY_LENGTH = 128


class Fallback(Exception):
    """The fast path cannot handle this file; use the reference path."""


class _CachedResolveLoader(StrictLoader):
    """StrictLoader whose tag resolution is memoised (the regex matching dominates composing).

    StrictLoader has no path resolvers, so the per-node descend/ascend hooks do nothing; they are
    replaced by no-ops that skip the Python-level checks.
    """

    _resolved: dict[tuple[type, Any, Any], str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        key = (kind, value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]  # untyped in PyYAML's stubs
            if len(self._resolved) < _CACHE_LIMIT:
                self._resolved[key] = tag
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


assert not StrictLoader.yaml_path_resolvers  # the no-op hooks above rely on this

_constructor = StrictLoader("")
_scalars: dict[tuple[str, str], Any] = {}


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    key = (tag, node.value)
    try:
        return _scalars[key]
    except KeyError:
        pass
    if tag not in _SIMPLE_SCALAR_TAGS:
        raise Fallback(tag)
    try:
        value = StrictLoader.yaml_constructors[tag](_constructor, node)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:  # e.g. 2026-13-45
        raise Fallback("scalar") from exc
    if len(_scalars) < _CACHE_LIMIT:
        _scalars[key] = value
    return value


def _convert(node: yaml.Node) -> Any:
    """Data of a composed node, as StrictLoader would construct it; Fallback for anything unusual."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        return _scalar(node)  # type: ignore[arg-type]  # a ScalarNode, as type() said
    if kind is yaml.MappingNode:
        if node.tag != _MAP:
            raise Fallback(node.tag)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise Fallback("complex key")
            key = key_node.value if key_node.tag == _STR else _scalar(key_node)
            if key in result:
                raise Fallback("duplicate key")
            result[key] = value_node.value if type(value_node) is yaml.ScalarNode and value_node.tag == _STR else _convert(value_node)
        return result
    if kind is yaml.SequenceNode:
        if node.tag != _SEQ:
            raise Fallback(node.tag)
        return [_convert(item) for item in node.value]
    raise Fallback(str(kind))  # pragma: no cover - composer yields only these three kinds


def compose_yaml_data(text: str) -> Any:
    """The data of a one-document YAML text via libyaml; raises Fallback on anything but plain, valid YAML."""
    try:
        loader = _CachedResolveLoader(text)
    except UnicodeEncodeError as exc:  # lone surrogates
        raise Fallback("not encodable") from exc
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise Fallback("YAML error") from exc
    finally:
        loader.dispose()
    if root is None:
        raise Fallback("empty document")
    try:
        check_tree(root, "")
    except InvalidInputError as exc:
        raise Fallback("refused by the tree check") from exc
    return _convert(root)


_resolver = _CachedResolveLoader("")


# Characters that start something the block reader does not handle in a plain scalar.
_PLAIN_START_REJECT = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Runs of newlines and printable ASCII; what is left once they are removed is looked at character by character.
_PRINTABLE_ASCII = re.compile(r"[\n -~]+")
_VETTED_CATEGORIES = frozenset("LMNPS")
_vetted_chars: dict[str, bool] = {}


def is_vetted(text: str) -> bool:
    """Whether the block reader may read this text: newlines, printable ASCII and vetted characters only.

    Vetted: letters, marks, numbers, punctuation and symbols (Unicode categories L, M, N, P, S).
    libyaml treats all of them as ordinary content, and so does every string operation in this
    module; excluded are controls (tab, CR, NEL), separators (NBSP and other spaces, LS, PS),
    format characters (BOM), private-use, unassigned and surrogate code points.
    """
    for char in set(_PRINTABLE_ASCII.sub("", text)):
        vetted = _vetted_chars.get(char)
        if vetted is None:
            vetted = unicodedata.category(char)[0] in _VETTED_CATEGORIES
            if len(_vetted_chars) < _CACHE_LIMIT:
                _vetted_chars[char] = vetted
        if not vetted:
            return False
    return True


def _plain(value: str) -> Any:
    if value[0] in _PLAIN_START_REJECT or ": " in value or " #" in value or value.endswith(":"):
        raise Fallback("plain scalar")
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    return _scalar(yaml.ScalarNode(tag, value))


def _flow_tokens(text: str) -> list[tuple[str, Any]]:
    """Tokens of a one-line flow collection: ("p", punctuation) or ("s", scalar value)."""
    tokens: list[tuple[str, Any]] = []
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == " ":
            i += 1
        elif depth == 0 and tokens:
            if c != "#":
                raise Fallback("text after a flow collection")
            break
        elif c in "{[":
            depth += 1
            tokens.append(("p", c))
            i += 1
        elif c in "}]":
            depth -= 1
            tokens.append(("p", c))
            i += 1
        elif c in ",:":
            tokens.append(("p", c))
            i += 1
        elif c == "'":
            match = re.compile(r"'((?:[^']|'')*)'").match(text, i)
            if match is None:
                raise Fallback("flow single-quoted scalar")
            tokens.append(("s", match.group(1).replace("''", "'")))
            i = match.end()
        elif c == '"':
            end = text.find('"', i + 1)
            if end < 0 or "\\" in text[i:end]:
                raise Fallback("flow double-quoted scalar")
            tokens.append(("s", text[i + 1:end]))
            i = end + 1
        else:
            j = i
            while j < n and text[j] not in ",{}[]" and not (text[j] == ":" and (j + 1 == n or text[j + 1] in " ,{}[]")):
                if text[j] == "#" and text[j - 1] == " ":
                    raise Fallback("comment inside a flow collection")
                j += 1
            tokens.append(("s", _plain(text[i:j].rstrip(" "))))
            i = j
    if depth != 0 or not tokens:
        raise Fallback("unbalanced flow collection")
    return tokens


def _flow(text: str) -> Any:
    """A one-line flow mapping or sequence of scalars: ``{value: "4", note: "x"}``, ``[a, b]``."""
    tokens = _flow_tokens(text)
    opener, closer = ("{", "}") if tokens[0] == ("p", "{") else ("[", "]")
    if tokens[0] != ("p", opener) or tokens[-1] != ("p", closer):
        raise Fallback("flow collection")
    inner = tokens[1:-1]
    if opener == "[":
        values, separators = inner[0::2], inner[1::2]
        if any(kind != "s" for kind, _ in values) or any(sep != ("p", ",") for sep in separators) or len(separators) >= max(len(values), 1):
            raise Fallback("flow sequence")
        return [value for _, value in values]
    result: dict[Any, Any] = {}
    for index in range(0, len(inner), 4):
        entry = inner[index:index + 4]
        if len(entry) < 3 or entry[0][0] != "s" or entry[1] != ("p", ":") or entry[2][0] != "s":
            raise Fallback("flow mapping")
        if (len(entry) == 4 and entry[3] != ("p", ",")) or (len(entry) == 4 and index + 4 >= len(inner)):
            raise Fallback("flow mapping")
        key = entry[0][1]
        if not isinstance(key, str) or key in result or len(key) > _MAX_KEY_LENGTH:
            raise Fallback("flow mapping key")
        result[key] = entry[2][1]
    return result


# One line of the block subset: a comment or blank line, ``key: value`` or ``- value``, where value is
# single-quoted, double-quoted without escapes, a one-line flow collection, or plain; then an optional comment.
# Written without lazy quantifiers: a backtracking pattern here cost more than libyaml's whole parse.
_LINE = re.compile(
    r"(?P<indent> *)(?:(?P<dash>- )|(?P<key>[A-Za-z0-9_][A-Za-z0-9_.\-]*):(?= |$))? *"
    r"(?:'(?P<single>(?:[^']|'')*)'(?: +#.*)? *"
    r"|\"(?P<double>[^\"\\]*)\"(?: +#.*)? *"
    r"|(?P<flow>[{\[].*)"
    r"|(?P<plain>[^ '\"{\[#&*!|>%@`?:,\]}\-][^#]*)(?P<comment>#.*)?"
    r"|(?:#.*)?)"
)
_KEY_IS_TEXT: dict[str, bool] = {}
_PLAIN_VALUES: dict[str, Any] = {}


def _plain_value(text: str) -> Any:
    value = _PLAIN_VALUES.get(text, _PLAIN_VALUES)
    if value is _PLAIN_VALUES:
        value = _plain(text)
        if len(_PLAIN_VALUES) < _CACHE_LIMIT:
            _PLAIN_VALUES[text] = value
    return value


def _key_is_text(key: str) -> bool:
    known = _KEY_IS_TEXT.get(key)
    if known is None:
        known = _resolver.resolve(yaml.ScalarNode, key, (True, False)) == _STR and len(key) <= _MAX_KEY_LENGTH
        if len(_KEY_IS_TEXT) < _CACHE_LIMIT:
            _KEY_IS_TEXT[key] = known
    return known


def read_block_yaml(text: str) -> dict[str, Any]:
    """The top-level mapping of a plain block-style document; Fallback for anything else."""
    if text.startswith(("%", "---")) or not is_vetted(text):
        raise Fallback("outside the block subset")
    root: dict[str, Any] = {}
    # Open mappings as (indentation, mapping); a key ending its line opens a child on the next line.
    stack: list[tuple[int, dict[str, Any]]] = [(0, root)]
    pending: tuple[dict[str, Any], str, int] | None = None
    sequence: tuple[int, list[Any]] | None = None  # an open block sequence of scalars
    match_line = _LINE.fullmatch
    for line in text.split("\n"):
        m = match_line(line)
        if m is None:
            raise Fallback("not a line of the block subset")
        indent_text, dash, key, single, double, flow, plain, comment = m.groups()
        if single is not None:
            value: Any = single.replace("''", "'")
        elif double is not None:
            value = double
        elif flow is not None:
            value = _flow(flow)
        elif plain is not None:
            if comment is not None and not plain.endswith(" "):
                raise Fallback("'#' inside a plain scalar")
            value = _plain_value(plain.rstrip(" "))
        else:
            value = _NOTHING
        indent = len(indent_text)
        if dash is not None:
            if value is _NOTHING or flow is not None:
                raise Fallback("sequence item")
            if pending is not None and indent >= pending[2]:
                parent, parent_key, _ = pending
                pending, sequence = None, (indent, [])
                parent[parent_key] = sequence[1]
            elif sequence is None or sequence[0] != indent:
                raise Fallback("sequence item")
            sequence[1].append(value)
            continue
        if key is None:
            if value is not _NOTHING:
                raise Fallback("a value without a key")
            continue  # blank or comment line
        sequence = None
        if pending is not None:
            parent, parent_key, parent_indent = pending
            pending = None
            if indent > parent_indent:
                if len(stack) >= _MAX_BLOCK_DEPTH:
                    raise Fallback("deep nesting")
                child: dict[str, Any] = {}
                parent[parent_key] = child
                stack.append((indent, child))
        while stack[-1][0] > indent:
            stack.pop()
            if not stack:
                raise Fallback("indentation")
        if stack[-1][0] != indent:
            raise Fallback("indentation")
        mapping = stack[-1][1]
        if key in mapping or not _key_is_text(key):
            raise Fallback("key")
        if value is _NOTHING:
            mapping[key] = None  # becomes a mapping or list if deeper lines follow
            pending = (mapping, key, indent)
        else:
            mapping[key] = value
    if not root:
        raise Fallback("empty")
    return root


_NOTHING = object()


def load_yaml_data(text: str) -> Any:
    """The data of an answer file: the block reader where it applies, else libyaml."""
    try:
        return read_block_yaml(text)
    except Fallback:
        return compose_yaml_data(text)
