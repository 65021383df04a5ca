"""`slp score`'s fast path reads every generated answer file exactly as `validate`/`report` do.

Both levels are compared on seeded generated files (see ``answer_generator``):

* text: ``fastyaml.load_yaml_data`` against ``yamlio.parse_yaml``: the same data (same types), or
  the fast reader declines and the reference refuses the file;
* file: ``fastscore.fast_score`` (what `slp score` runs per file) against ``batch.score_file`` (the
  reference path of `validate` and `report`): the same result, or the fast path declines and the
  reference gives an error record.

``SLP_DIFF_FILES`` sets how many files are generated for each level beyond the sweep (default 300);
``SLP_DIFF_FILES=42000 pytest tests/test_reader_differential.py -s`` is the long run whose figures
are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import os
import random
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from answer_generator import SLOTS, SPECIAL_CODE_POINTS, generated_text, random_code_point
from slp_assess.batch import score_file
from slp_assess.errors import InvalidInputError
from slp_assess.fastscore import CompiledQuestionnaire, Fallback, fast_score
from slp_assess.fastyaml import is_vetted, load_yaml_data, read_block_yaml
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.results import FileError, ScoreResult
from slp_assess.yamlio import parse_yaml

CORE = Path(__file__).parent / "fixtures" / "core"
RANDOM_FILES = int(os.environ.get("SLP_DIFF_FILES", "300"))


def _reference(text: str) -> tuple[str, Any]:
    try:
        data = parse_yaml(text, "f.yaml").data
    except InvalidInputError as exc:
        assert len(exc.problems) == 1 and "\n" not in exc.problems[0].message
        return "error", None
    return ("data", data) if isinstance(data, dict) else ("error", None)


def _fast(text: str) -> tuple[str, Any]:
    try:
        return "data", load_yaml_data(text)
    except Fallback:
        return "declined", None


def _line_reader_takes(text: str) -> bool:
    try:
        read_block_yaml(text)
    except Fallback:
        return False
    return True


def _compare_text(text: str, tally: dict[str, int]) -> None:
    expected_kind, expected = _reference(text)
    kind, data = _fast(text)
    context = f"text: {text!r}"
    if expected_kind == "error":
        assert kind == "declined", context
    else:
        assert kind == "data", context
        assert repr(data) == repr(expected), context  # repr: 1, 1.0 and True differ
    tally[expected_kind] += 1
    tally["line reader"] += _line_reader_takes(text)


def _sweep_cases() -> list[tuple[int, str]]:
    return [(code, slot) for code in SPECIAL_CODE_POINTS for slot in SLOTS]


def _report(what: str, tally: dict[str, int]) -> None:
    sys.stdout.write(f"\n{what}: " + ", ".join(f"{key} {value}" for key, value in tally.items()) + "\n")


def test_every_special_code_point_in_every_position_reads_alike():
    rng = random.Random(20260318)
    tally = {"files": 0, "data": 0, "error": 0, "line reader": 0}
    for code, slot in _sweep_cases():
        _compare_text(generated_text(rng, code, slot), tally)
        tally["files"] += 1
    _report("text sweep", tally)
    # Both outcomes and the line reader are exercised, not just one side.
    assert tally["data"] > tally["files"] // 4 and tally["error"] > tally["files"] // 4
    assert tally["line reader"] > tally["files"] // 8


def test_random_code_points_and_structures_read_alike():
    rng = random.Random(42)
    tally = {"files": 0, "data": 0, "error": 0, "line reader": 0}
    for _ in range(RANDOM_FILES):
        text = generated_text(rng, random_code_point(rng), rng.choice(SLOTS))
        if rng.random() < 0.2:  # several characters in several places
            text = generated_text(rng, random_code_point(rng), rng.choice(SLOTS))
        _compare_text(text, tally)
        tally["files"] += 1
    _report("text random", tally)
    assert tally["data"] and tally["error"] and tally["line reader"]


def _as_json(outcome: dict[str, Any] | FileError | ScoreResult) -> dict[str, Any]:
    if isinstance(outcome, dict):
        outcome = ScoreResult.model_validate(outcome)
    return outcome.model_dump(mode="json")


def _file_bytes(rng: random.Random, text: str) -> bytes:
    data = text.encode("utf-8", "surrogatepass")  # lone surrogates make the file invalid UTF-8, on purpose
    roll = rng.random()
    if roll < 0.15:
        data = data.replace(b"\n", b"\r\n")
    elif roll < 0.2:
        data = b"\xef\xbb\xbf" + data
    elif roll < 0.25:
        cut = rng.randrange(len(data) + 1)
        data = data[:cut] + rng.choice((b"\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", b"\xc0\xaf")) + data[cut:]
    return data


def test_slp_score_per_file_path_equals_the_reference_path(tmp_path):
    catalog = QuestionnaireCatalog.with_files([CORE / "mini.yaml"])
    compiled: dict[int, CompiledQuestionnaire] = {}
    rng = random.Random(7)
    cases = [(code, slot) for code, slot in _sweep_cases() if rng.random() < 0.1]
    cases += [(random_code_point(rng), rng.choice(SLOTS)) for _ in range(RANDOM_FILES)]
    tally = {"files": 0, "scored": 0, "error records": 0, "fast path": 0}
    for index, (code, slot) in enumerate(cases):
        path = tmp_path / f"{index}.yaml"
        path.write_bytes(_file_bytes(rng, generated_text(rng, code, slot)))
        reference = _as_json(score_file(path, catalog))
        try:
            fast: dict[str, Any] | None = fast_score(path, catalog.get, compiled)
        except Fallback:
            fast = None
        context = f"U+{code:04X} in {slot}: {path.read_bytes()!r}"
        if fast is None:
            assert "errors" in reference, context
        else:
            assert _as_json(fast) == reference, context
            tally["fast path"] += 1
        tally["error records" if "errors" in reference else "scored"] += 1
        tally["files"] += 1
        path.unlink()
    _report("files", tally)
    assert tally["scored"] > tally["files"] // 5 and tally["error records"] > tally["files"] // 5
    assert tally["fast path"] == tally["scored"]


def test_vetted_characters_are_ordinary_content_for_libyaml_and_for_python():
    """The premise of ``is_vetted``, checked on every code point.

    In ASCII only the newline and printable characters pass; the line reader handles each of them
    explicitly. No non-ASCII character that passes is a space or a line break to Python
    (str.strip/splitlines/isspace, regex ``\\s``) or to libyaml, and libyaml reads each as itself.
    """
    import re

    assert [c for c in map(chr, range(0x80)) if is_vetted(c)] == ["\n", *map(chr, range(0x20, 0x7F))]
    space = re.compile(r"\s")
    vetted = [chr(code) for code in range(0x80, 0x110000) if is_vetted(chr(code))]
    assert len(vetted) > 100_000
    for char in vetted:
        where = f"U+{ord(char):04X}"
        assert not char.isspace() and space.match(char) is None and char not in "\x85\u2028\u2029\ufeff", where
        assert len(f"a{char}b".splitlines()) == 1 and f" {char} ".strip() == char, where
        assert unicodedata.category(char)[0] in "LMNPS", where
    text = "".join(vetted)
    assert yaml.load(f"a: x{text}x\n", Loader=yaml.CSafeLoader) == {"a": f"x{text}x"}  # noqa: S506
    assert yaml.load(f"a: '{text}'\n", Loader=yaml.CSafeLoader) == {"a": text}  # noqa: S506


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: x\x85b: 1\n", {"a": "x", "b": 1}),  # NEL is a line break for libyaml
        ("a: x\u2028b: 1\n", {"a": "x", "b": 1}),
        ("a: {value: 1\u00a0}\n", {"a": {"value": "1\u00a0"}}),  # YAML trims only space and tab
        ("a: {value: 1\u3000, note: x}\n", {"a": {"value": "1\u3000", "note": "x"}}),
        ("a: b\u2003\n", {"a": "b\u2003"}),
    ],
)
def test_examples_from_the_issue_read_as_libyaml_reads_them(text, expected):
    assert load_yaml_data(text) == expected == parse_yaml(text, "f").data


@pytest.mark.parametrize("char", ["\x01", "\x7f", "\x9f", "\ufffe", "\uffff", "\x08"])
def test_characters_yaml_forbids_are_refused_by_both_paths(char):
    text = f"questionnaire: mini\npartnership: a{char}b\n"
    with pytest.raises(Fallback):
        load_yaml_data(text)
    with pytest.raises(InvalidInputError) as caught:
        parse_yaml(text, "f.yaml")
    problem = caught.value.problems[0]
    assert problem.line == 2 and f"U+{ord(char):04X}" in problem.message
