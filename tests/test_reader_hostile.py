"""Hostile YAML never gives a traceback: each file becomes an error record with its line; the batch goes on.

Every class of input is generated (seeded) into a folder next to one valid answer file and run
through `slp score`, `slp validate` and `slp report` as a user would.
"""

from __future__ import annotations

import json
import os
import random
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli.app import app
from slp_assess.errors import InvalidInputError
from slp_assess.fastyaml import Fallback, load_yaml_data
from slp_assess.yamlcheck import MAX_DEPTH
from slp_assess.yamlio import parse_yaml

CORE = Path(__file__).parent / "fixtures" / "core"
MINI = str(CORE / "mini.yaml")
VALID = (CORE / "answers-city.yaml").read_text(encoding="utf-8")
runner = CliRunner()

# Lines of the valid file whose value may be replaced: (index, "key: " prefix).
_VALUE_LINES = [
    (index, line[: line.index(":") + 2])
    for index, line in enumerate(VALID.splitlines())
    if ": " in line and not line.startswith(("questionnaire", "version"))
]


def _with_value(rng: random.Random, fragment: str) -> tuple[str, int]:
    """The valid file with one value replaced by ``fragment``, and that line's number."""
    lines = VALID.splitlines()
    index, prefix = rng.choice(_VALUE_LINES)
    lines[index] = prefix + fragment
    return "\n".join(lines) + "\n", index + 1


def _with_line(rng: random.Random, line: str) -> tuple[str, int]:
    """The valid file with ``line`` added at the top level, after a random top-level entry."""
    lines = VALID.splitlines()
    tops = [i for i, text in enumerate(lines) if text and not text.startswith(" ")]
    index = rng.choice(tops[2:]) + 1
    while index < len(lines) and lines[index].startswith(" "):
        index += 1
    lines.insert(index, line)
    return "\n".join(lines) + "\n", index + 1


def _name(rng: random.Random) -> str:
    return rng.choice(["foerderprogramm", "partner_name", "x", "datum.heute", "Landkreis"])


def placeholders(rng: random.Random) -> tuple[str, int]:
    braces = rng.choice(["{{ %s }}", "{{%s}}", "{{ %s }} "]) % _name(rng)
    if rng.random() < 0.8:
        return _with_value(rng, braces + rng.choice(["", "  # ausfüllen"]))
    return _with_line(rng, f"{braces}: x")


def complex_keys(rng: random.Random) -> tuple[str, int]:
    key = rng.choice(["[a, b]", "{a: 1}", "[]", "{}", "[[x]]"])
    if rng.random() < 0.5:
        text, line = _with_line(rng, f"? {key}")
        lines = text.splitlines()
        lines.insert(line, ": 1")
        return "\n".join(lines) + "\n", line
    return _with_line(rng, f"{key}: 1")


_CORE_TAGS = ["!!map", "!!seq", "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp"]
_NODES = {"scalar": ["X", "4", "'text'"], "mapping": ["{a: 1}", "{}"], "sequence": ["[a, b]", "[]"]}
_FITS = {"scalar": {"!!str"}, "mapping": {"!!map"}, "sequence": {"!!seq"}}


def wrong_kind_tags(rng: random.Random) -> tuple[str, int]:
    kind = rng.choice(list(_NODES))
    tag = rng.choice([t for t in _CORE_TAGS if t not in _FITS[kind] and (kind != "scalar" or t in ("!!map", "!!seq"))])
    return _with_value(rng, f"{tag} {rng.choice(_NODES[kind])}")


_BAD_SCALARS = {
    "!!int": ["abc", "1.5", "''", "0x"], "!!float": ["x", "1,5", "nan"], "!!bool": ["maybe", "yes", "1"],
    "!!timestamp": ["foo", "2026-13-45", "2026-02-30"], "!!null": ["x", "0"],
}
_UNSUPPORTED = ["!!set {a}", "!!binary aGk=", "!foo x", "!!python/object/apply:os.system ['true']", "!!omap [{a: 1}]",
                "!!pairs [{a: 1}]", "!<tag:example.com,2026:x> y", "!!python/name:os.system x"]


def bad_scalar_tags(rng: random.Random) -> tuple[str, int]:
    if rng.random() < 0.6:
        tag = rng.choice(list(_BAD_SCALARS))
        return _with_value(rng, f"{tag} {rng.choice(_BAD_SCALARS[tag])}")
    return _with_value(rng, rng.choice(_UNSUPPORTED))


DEPTHS = [MAX_DEPTH + 1, 250, 1_000, 10_000]
STYLES = ["flow sequence", "flow mapping", "block sequence", "mixed"]


def deep_nesting(rng: random.Random, depth: int | None = None, style: str | None = None) -> tuple[str, int]:
    depth = depth or rng.choice(DEPTHS)
    style = style or rng.choice(STYLES)
    if style == "flow sequence":
        fragment = "[" * depth + "]" * depth
    elif style == "flow mapping":
        fragment = "{a: " * depth + "x" + "}" * depth
    elif style == "block sequence":
        fragment = "\n" + "- " * depth + "x"
    else:
        fragment = "[{a: " * (depth // 2) + "x" + "}]" * (depth // 2)
    text, line = _with_line(rng, "deep: " + fragment)
    return text, line + (1 if style == "block sequence" else 0)


def block_mapping_nesting(rng: random.Random) -> tuple[str, int]:
    depth = rng.choice([MAX_DEPTH + 1, 250])
    lines = [" " * level + f"k{level}:" for level in range(depth)]
    lines[-1] += " x"
    text, line = _with_line(rng, "\n".join(lines))
    return text, line + MAX_DEPTH  # the root mapping is level 1, so the mapping of k64 is one too deep


def alias_bombs(rng: random.Random) -> tuple[str, int]:
    width = rng.choice([9, 10])
    names = "abcdefghij"
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['lol'] * width)}]"]
    lines += [f"{name}: &{name} [{', '.join(['*' + previous] * width)}]" for previous, name in zip(names, names[1:], strict=False)]
    text, line = _with_line(rng, "bomb:\n  " + "\n  ".join(lines))
    return text, line + 2  # the first alias is on the second line of the bomb


def scalar_aliases(rng: random.Random) -> tuple[str, int]:
    text = VALID.replace("partnership: Testpartnerschaft", "partnership: &p Testpartnerschaft")
    lines = text.splitlines()
    index = rng.randrange(lines.index("answers:") + 1, len(lines))
    lines.insert(index, "  success.extra: *p" if lines[index].startswith(" ") else "extra: *p")
    return "\n".join(lines) + "\n", index + 1


_FORBIDDEN = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0), 0xFFFE, 0xFFFF]


def reader_errors(rng: random.Random) -> tuple[str, int]:
    lines = VALID.splitlines()
    index = rng.randrange(len(lines))
    cut = rng.randrange(len(lines[index]) + 1)
    lines[index] = lines[index][:cut] + chr(rng.choice(_FORBIDDEN)) + lines[index][cut:]
    return "\n".join(lines) + "\n", index + 1


CLASSES: dict[str, Callable[[random.Random], tuple[str, int]]] = {
    "placeholder": placeholders,
    "complex key": complex_keys,
    "wrong-kind tag": wrong_kind_tags,
    "bad scalar tag": bad_scalar_tags,
    "deep nesting": deep_nesting,
    "deep block mapping": block_mapping_nesting,
    "alias bomb": alias_bombs,
    "alias": scalar_aliases,
    "reader error": reader_errors,
}


def _folder(tmp_path: Path, generate: Callable[[random.Random], tuple[str, int]], seed: int, count: int = 12) -> dict[str, int]:
    """A folder with the valid file and ``count`` hostile ones; returns file name -> expected line."""
    rng = random.Random(seed)
    (tmp_path / "a-valid.yaml").write_text(VALID, encoding="utf-8")
    expected = {}
    for index in range(count):
        text, line = generate(rng)
        name = f"hostile-{index:02d}.yaml"
        (tmp_path / name).write_text(text, encoding="utf-8")
        expected[name] = line
    return expected


def _invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("kind", list(CLASSES))
def test_score_gives_an_error_record_with_the_line_and_goes_on(tmp_path, kind):
    expected = _folder(tmp_path, CLASSES[kind], seed=len(kind))
    result = _invoke("score", str(tmp_path), "-q", MINI, "--format", "json", "--jobs", "1")
    assert result.exit_code == 2
    records = {Path(r["file"]).name: r for r in json.loads(result.stdout)}
    assert records.pop("a-valid.yaml")["overall"]["score"] is not None
    assert set(records) == set(expected)
    for name, record in records.items():
        [error] = record["errors"]
        assert error["line"] == expected[name], (name, error)
        assert error["message"] and "\n" not in error["message"], (name, error)
        assert f"error: {tmp_path / name}:{expected[name]}: " in result.stderr


@pytest.mark.parametrize("kind", list(CLASSES))
def test_validate_and_report_name_each_file_and_line(tmp_path, kind):
    expected = _folder(tmp_path, CLASSES[kind], seed=len(kind) + 1, count=6)
    validated = _invoke("validate", str(tmp_path), "-q", MINI)
    assert validated.exit_code == 2
    assert f"ok: {tmp_path / 'a-valid.yaml'}" in validated.stdout
    errors = [line for line in validated.stderr.splitlines() if line.startswith("error: ")]
    assert sorted(errors) == sorted(e for e in errors if any(f"{tmp_path / n}:{line}: " in e for n, line in expected.items()))
    assert {n for n in expected if any(f"{tmp_path / n}:" in e for e in errors)} == set(expected)
    reported = _invoke("report", str(tmp_path), "-q", MINI, "--format", "json")
    assert reported.exit_code == 2
    assert json.loads(reported.stdout)["meta"]["partnership"] == "Testpartnerschaft"
    assert f"{len(expected)} ungültige Datei(en) ausgelassen" in reported.stderr


def test_group_by_keeps_valid_json_when_a_file_has_a_forbidden_character(tmp_path):
    expected = _folder(tmp_path, reader_errors, seed=3, count=3)
    result = _invoke("score", str(tmp_path), "-q", MINI, "--format", "json", "--group-by", "partnership")
    assert result.exit_code == 2
    records = json.loads(result.stdout)
    assert [r["partnership"] for r in records if "overall" in r] == ["Testpartnerschaft"]
    assert sorted(Path(r["file"]).name for r in records if "errors" in r) == sorted(expected)


@pytest.mark.parametrize("make", ["fifo", "socket"])
def test_a_fifo_or_socket_named_yaml_is_an_error_record_not_a_hang(tmp_path, make):
    import socket

    (tmp_path / "a-valid.yaml").write_text(VALID, encoding="utf-8")
    special = tmp_path / "b-special.yaml"
    if make == "fifo":
        os.mkfifo(special)
        # Should anything open the FIFO for reading, this writer lets it go on (and the test fail) instead of hanging.
        stop = threading.Event()
        threading.Thread(target=_release_readers, args=(special, stop), daemon=True).start()
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(special))
    try:
        score = _invoke("score", str(tmp_path), "-q", MINI, "--format", "json")
        validate = _invoke("validate", str(tmp_path), "-q", MINI)
        report = _invoke("report", str(tmp_path), "-q", MINI, "--format", "json")
    finally:
        if make == "fifo":
            stop.set()
        else:
            server.close()
    what = "named pipe" if make == "fifo" else "socket"
    assert score.exit_code == validate.exit_code == report.exit_code == 2
    records = {Path(r["file"]).name: r for r in json.loads(score.stdout)}
    assert records["a-valid.yaml"]["overall"]["score"] is not None
    assert what in records["b-special.yaml"]["errors"][0]["message"]
    assert f"error: {special}: cannot read a {what}" in validate.stderr and f"ok: {tmp_path / 'a-valid.yaml'}" in validate.stdout
    assert json.loads(report.stdout)["meta"]["partnership"] == "Testpartnerschaft"
    assert f"error: {special}: cannot read a {what}" in report.stderr


def _release_readers(fifo: Path, stop: threading.Event) -> None:
    while not stop.wait(2.0):
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass  # no reader waiting: good


def test_bytes_that_are_not_utf8_are_located(tmp_path):
    rng = random.Random(5)
    lines = VALID.encode("utf-8").split(b"\n")
    for index in range(8):
        where = rng.randrange(len(lines) - 1)
        broken = lines.copy()
        broken[where] += rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf"])
        (tmp_path / f"{index}.yaml").write_bytes(b"\n".join(broken))
        result = _invoke("score", str(tmp_path / f"{index}.yaml"), "-q", MINI, "--format", "json")
        [record] = json.loads(result.stdout)
        assert result.exit_code == 2 and record["errors"][0]["line"] == where + 1
        assert "not UTF-8" in record["errors"][0]["message"]


def _nested(depth: int) -> str:
    return "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"  # the root mapping is the first level


@pytest.mark.parametrize("depth", [1, 2, MAX_DEPTH // 2, MAX_DEPTH - 1, MAX_DEPTH])
def test_nesting_up_to_the_limit_is_read_alike(depth):
    assert parse_yaml(_nested(depth), "f").data == load_yaml_data(_nested(depth))
    block = "".join(" " * level + f"k{level}:\n" for level in range(depth - 1)) + " " * (depth - 1) + "k: x\n"
    assert parse_yaml(block, "f").data == load_yaml_data(block)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("depth", DEPTHS)
def test_every_deep_nesting_is_refused_with_its_line(depth, style):
    text, line = deep_nesting(random.Random(depth), depth, style)
    with pytest.raises(InvalidInputError) as caught:
        parse_yaml(text, "f.yaml")
    [problem] = caught.value.problems
    assert problem.line == line and "nest" in problem.message
    with pytest.raises(Fallback):
        load_yaml_data(text)


def test_nesting_beyond_the_limit_is_refused():
    with pytest.raises(InvalidInputError, match=f"more than {MAX_DEPTH} levels"):
        parse_yaml(_nested(MAX_DEPTH + 1), "f")
    with pytest.raises(Fallback):
        load_yaml_data(_nested(MAX_DEPTH + 1))


def test_questionnaires_may_not_use_aliases_either(tmp_path):
    shared = "id: x\nscales:\n  a: &s {options: [1, 2]}\n  b: *s\nsections: []\n"
    with pytest.raises(InvalidInputError, match="value from line 3 is repeated by an alias") as caught:
        parse_yaml(shared, "q.yaml")
    assert caught.value.problems[0].line == 4
    with pytest.raises(Fallback):
        load_yaml_data(shared)
    bomb, line = alias_bombs(random.Random(1))
    (tmp_path / "q.yaml").write_text(bomb.replace("questionnaire: mini", "sections: []"), encoding="utf-8")
    for args in (["validate", str(tmp_path / "q.yaml")], ["score", MINI, "-q", str(tmp_path / "q.yaml")]):
        result = _invoke(*args)
        assert result.exit_code == 2 and f"q.yaml:{line}: the value from line {line - 1} is repeated by an alias" in result.stderr


def test_a_recursive_alias_is_refused():
    with pytest.raises(InvalidInputError, match="alias"):
        parse_yaml("a: &x [*x]\n", "q.yaml")


def test_bundled_questionnaires_still_load():
    from slp_assess.loading import load_questionnaire
    from slp_assess.resources import bundled_questionnaires

    # Earlier versions ship as ID@VERSION files; their id is the questionnaire's own.
    for name in bundled_questionnaires():
        questionnaire = load_questionnaire(name)
        assert f"{questionnaire.id}@{questionnaire.version}" == name or questionnaire.id == name
