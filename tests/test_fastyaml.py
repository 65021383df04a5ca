"""The block-style reader gives exactly the reference reader's data, or declines (Fallback) — never something else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slp_assess.errors import InvalidInputError
from slp_assess.fastyaml import Fallback, read_block_yaml
from slp_assess.yamlio import parse_yaml

REPO = Path(__file__).resolve().parents[1]

TRICKY = [
    "4", "n/a", "yes", "no", "on", "off", "null", "~", "", "2026-03-18", "2026-03-18 10:00:00", "1e3", "0x10", "012",
    ".5", "a #b", "a#b", "it's", "a: b", "a:b", "-x", "- x", '"q"', "#c", " lead", "trail ", "x,y", "{a}", "[a]",
    "ä ß „zitat“", "3.0", "true", "True", "FALSE", "NULL", ".inf", "-.inf", ".nan", "1_000", "0o7", "+1", "-1", "?",
    "?x", ":x", "x:", "&a", "*a", "!t", "|", ">", "%", "@", "`", "a\\b", "tab\there", "Stadt Lindenau, Amt 3", "value",
    "1\u00a0", "\u3000x", "a\u2003", "x\x85y", "a\u2028b", "\ufeffbom", "ctl\x07", "del\x7f", "\ufffe", "emoji \U0001f600",
    "2026-13-45", "9" * 5000, "{{ x }}",
]
KEYS = ["questionnaire", "answers", "note", "value", "a.b.c", "success.eye_level.equal_say", "x-1", "k_2", "1", "true", "null"]


def _styled(draw, text: str) -> str:
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text.replace('"', '\\"') + '"'
    return text


@st.composite
def documents(draw) -> str:
    lines: list[str] = []

    def mapping(indent: int, depth: int) -> None:
        for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4)):
            pad = " " * indent
            kind = draw(st.sampled_from(["scalar", "scalar", "nested", "flowmap", "flowseq", "blockseq", "empty"]))
            if kind == "nested" and depth < 2:
                lines.append(f"{pad}{key}:" + draw(st.sampled_from(["", "  # comment"])))
                mapping(indent + draw(st.sampled_from([2, 4])), depth + 1)
            elif kind == "flowmap":
                entries = [f"{k}: {_styled(draw, draw(st.sampled_from(TRICKY)))}" for k in draw(st.lists(st.sampled_from(KEYS), max_size=3))]
                lines.append(f"{pad}{key}: {{{', '.join(entries)}}}")
            elif kind == "flowseq":
                items = [_styled(draw, draw(st.sampled_from(TRICKY))) for _ in range(draw(st.integers(0, 3)))]
                lines.append(f"{pad}{key}: [{', '.join(items)}]")
            elif kind == "blockseq":
                lines.append(f"{pad}{key}:")
                item_pad = " " * (indent + draw(st.sampled_from([0, 2])))
                lines.extend(f"{item_pad}- {_styled(draw, draw(st.sampled_from(TRICKY)))}" for _ in range(draw(st.integers(1, 3))))
            elif kind == "empty":
                lines.append(f"{pad}{key}:")
            else:
                comment = draw(st.sampled_from(["", " # note", "  #x"]))
                lines.append(f"{pad}{key}: {_styled(draw, draw(st.sampled_from(TRICKY)))}{comment}")
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["", "# comment", "   ", "  # indented comment"])))

    mapping(0, 0)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def _reference(text: str):
    try:
        return parse_yaml(text, "f.yaml").data
    except InvalidInputError:
        return Fallback


@settings(max_examples=1500, deadline=None)
@given(documents())
def test_block_reader_agrees_with_strict_loader_or_declines(text):
    expected = _reference(text)
    try:
        data = read_block_yaml(text)
    except Fallback:
        return
    assert expected is not Fallback, "the reference rejects this document, so the block reader must decline"
    assert data == expected
    # Same types, not just equal values (1 == 1.0 == True in Python).
    assert repr(data) == repr(expected)


def test_real_answer_files_take_the_block_reader():
    files = [*REPO.glob("examples/**/*.yaml"), *(REPO / "tests" / "fixtures").glob("**/answers*.yaml")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert read_block_yaml(text) == _reference(text), path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date: 2026-03-18\n", {"date": dt.date(2026, 3, 18)}),
        ("a: yes\nb: on\nc: true\n", {"a": "yes", "b": "on", "c": True}),
        ("answers:\n  x.y: {value: n/a, note: \"a, b: c\"}\n", {"answers": {"x.y": {"value": "n/a", "note": "a, b: c"}}}),
        ("context:\n  c.x:\n  - a\n  - 'b'\n", {"context": {"c.x": ["a", "b"]}}),
        ("a:\nb: 1\n", {"a": None, "b": 1}),
    ],
)
def test_examples(text, expected):
    assert read_block_yaml(text) == expected == _reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  text\n", "a: \"esc\\n\"\n", "a: b\n  c\n", "- a\n", "a:\n\tb: 1\n",
        "a: {value: 1\u00a0}\n", "a: x\x85b: 1\n", "a: x\u2028b: 1\n", "\ufeffa: 1\n", "a: x\x01\n", "a: 2026-13-45\n",
        "k" * 200 + ": 1\n", "".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "k: x\n",
    ],
)
def test_declines_what_it_does_not_handle(text):
    with pytest.raises(Fallback):
        read_block_yaml(text)
