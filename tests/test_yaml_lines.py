"""Every line number printed for a YAML file is the line an editor shows, and keys are named as written.

Generated files put keys that YAML reads as no text (``null``, ``true``, dates, numbers) at random
lines, and NEL, LS and PS (which libyaml counts as line breaks, editors and grep do not) into notes,
labels and comments above the line a problem is on: answer files, questionnaires and map files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess import fastscore
from slp_assess.cli.app import app
from slp_assess.errors import InvalidInputError
from slp_assess.fastscore import Fallback
from slp_assess.loading import QuestionnaireCatalog, load_answer_file, load_questionnaire_file, parse_model
from slp_assess.survey.mapping import ImportMap
from slp_assess.yamlio import read_yaml

runner = CliRunner()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = ["questionnaire: slp-quickcheck", 'version: "2.0"', "partnership: P"]
# Keys YAML constructs as something other than text; no two are equal once read (true == 1, so no 1).
ODD_KEYS = ["null", "~", "true", "False", "2026-01-01", "2026-02-03 10:00:00", "12", "-7", "1.5", ".inf", "0o17", "1_000"]
ODD_KEYS_DISTINCT = ["null", "true", "False", "2026-01-01", "2026-02-03 10:00:00", "12", "-7", "1.5", ".inf", "0o17"]
YAML11_BREAKS = ["\u2028", "\u2029", "\x85"]


def _valid_items() -> list[str]:
    q = QuestionnaireCatalog().get("slp-quickcheck")
    assert q is not None
    return [item.id for _, item in q.items()]


ITEMS = _valid_items()


def _errors(path: Path) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        load_answer_file(path, QuestionnaireCatalog())
    return [p.format() for p in caught.value.problems]


@SETTINGS
@given(st.lists(st.sampled_from(ODD_KEYS_DISTINCT), min_size=1, max_size=5, unique=True),
       st.lists(st.sampled_from(["item", "blank", "comment"]), max_size=6), st.randoms(use_true_random=False),
       st.sampled_from(["answers", "context"]))
def test_a_key_that_is_not_text_is_named_as_written_at_its_line(tmp_path: Path, odd: list[str], fillers: list[str], rng, where: str) -> None:
    body = [(f'  {key}: "3"', key) for key in odd] + [
        (f'  {rng.choice(ITEMS)}: "2"' if kind == "item" else "" if kind == "blank" else "  # a comment", None) for kind in fillers]
    rng.shuffle(body)
    unique: list[tuple[str, str | None]] = []
    for line, key in body:  # one answer per item id
        if key is None and line.strip().endswith('"2"') and any(line == other for other, _ in unique):
            continue
        unique.append((line, key))
    lines = [*HEADER, f"{where}:", *(line for line, _ in unique)]
    path = tmp_path / "a.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = _errors(path)
    for line, key in unique:
        if key is None:
            continue
        number = lines.index(line) + 1
        expected = f"{path}:{number}: {where}.{key}: "
        assert any(e.startswith(expected) for e in errors), (expected, errors)
    assert not any("datetime" in e or ".None" in e for e in errors)


def test_keys_of_the_qa_report(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text("\n".join([*HEADER, "answers:", '  discovery.goals.typo: "3"', "", '  null: "3"', '  true: "4"', '  2026-01-01: "4"']) + "\n",
                    encoding="utf-8")
    errors = _errors(path)
    assert [e.split(": Input")[0] for e in errors if "valid string" in e] == [
        f"{path}:7: answers.null", f"{path}:8: answers.true", f"{path}:9: answers.2026-01-01"]
    # Collected with the rest: the misspelt item id is still reported.
    assert any(e.startswith(f"{path}:5: answers.discovery.goals.typo: unknown item id") for e in errors)


def _reader_off(monkeypatch) -> None:
    def decline(*args, **kwargs):
        raise Fallback("the reference path is being tested")

    monkeypatch.setattr(fastscore, "fast_answers", decline)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_fast_and_reference_readers_report_odd_keys_alike(tmp_path: Path, monkeypatch, fmt: str) -> None:
    for index, key in enumerate(ODD_KEYS):
        (tmp_path / f"f{index:02}.yaml").write_text("\n".join([*HEADER, "answers:", f'  {ITEMS[0]}: "3"', f'  {key}: "4"']) + "\n",
                                                    encoding="utf-8")
    fast = runner.invoke(app, ["score", str(tmp_path), "-f", fmt])
    _reader_off(monkeypatch)
    reference = runner.invoke(app, ["score", str(tmp_path), "-f", fmt])
    assert fast.exit_code == reference.exit_code == 2
    assert fast.stdout == reference.stdout and fast.stderr == reference.stderr
    if fmt == "json":
        lines = [error["line"] for record in json.loads(fast.stdout) for error in record["errors"]]
        assert lines == [6] * len(ODD_KEYS)


def _quoted_with_breaks(rng, kind: str) -> str:
    text = "".join(rng.choice(["a", " ", "ö", *YAML11_BREAKS]) for _ in range(rng.randint(1, 12)))
    return '"' + text + '"' if kind == "double" else "'" + text + "'"


def _lines_with_breaks(rng, count: int) -> list[str]:
    """Answer lines whose quoted notes hold NEL, LS or PS (in flow or block style)."""
    lines = []
    for item in rng.sample(ITEMS, count):
        note = _quoted_with_breaks(rng, rng.choice(["double", "single"]))
        if rng.random() < 0.5:
            lines.append(f'  {item}: {{value: "3", note: {note}}}')
        else:
            lines += [f"  {item}:", '    value: "3"', f"    note: {note}"]
    return lines


@SETTINGS
@given(st.integers(1, 8), st.randoms(use_true_random=False),
       st.sampled_from(["unknown id", "duplicate key", "tab", "bad option"]))
def test_nel_ls_ps_above_a_problem_do_not_move_its_line(tmp_path: Path, count: int, rng, problem: str) -> None:
    lines = [*HEADER, "answers:", *_lines_with_breaks(rng, count)]
    first_item = lines[4].split(":")[0].strip()
    bad = {"unknown id": '  discovery.goals.typo: "4"', "duplicate key": f'  {first_item}: "4"',
           "tab": f'\t{first_item}x: "4"', "bad option": f'  {ITEMS[-1]}: "99"'}[problem]
    if problem == "bad option" and any(line.startswith(f"  {ITEMS[-1]}:") for line in lines):
        bad = '  discovery.goals.typo: "4"'
    lines.append(bad)
    path = tmp_path / "a.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = _errors(path)
    assert any(e.startswith(f"{path}:{len(lines)}: ") for e in errors), errors
    assert all(f"{path}:{n}:" not in e for e in errors for n in range(len(lines) + 1, len(lines) + 40))
    if problem == "duplicate key":
        assert "(first at line 5)" in errors[0]
    if problem == "tab":
        assert f"at line {len(lines)}, column 1" in errors[0]


@SETTINGS
@given(st.integers(0, 5), st.randoms(use_true_random=False))
def test_a_questionnaire_problem_below_nel_ls_ps_keeps_its_line(tmp_path: Path, extra: int, rng) -> None:
    text = (Path(__file__).parent / "fixtures" / "core" / "mini.yaml").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("title:"))
    # A source with the characters and `extra` more quoted lines holding them, then a misspelt key.
    inserted = [f"source: {_quoted_with_breaks(rng, 'double')[:-1]}{''.join(YAML11_BREAKS) * extra}\"", *("# a comment" for _ in range(extra)),
                "description_x: {de: x, en: x}"]
    lines[at + 1:at + 1] = inserted
    path = tmp_path / "q.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(path)
    [problem] = caught.value.problems
    assert problem.line == at + 2 + len(inserted) - 1 and problem.message == "unknown key 'description_x'"


def test_a_map_problem_below_nel_ls_ps_keeps_its_line(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text('columns:\n  "Name": "partner\u2028ship\x85"\n  Wer: respondent.role\nvalus: {}\n', encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        parse_model(read_yaml(path), ImportMap, "map file")
    assert [(p.line, p.message) for p in caught.value.problems] == [(4, "unknown key 'valus'")]


def test_a_yaml_error_below_nel_ls_ps_keeps_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("\n".join([*HEADER, "answers:", f'  {ITEMS[0]}: {{value: "3", note: "a\u2028b\u2029c\x85d"}}',
                               f'  {ITEMS[1]}: [unclosed', f'  {ITEMS[2]}: "3"']) + "\n", encoding="utf-8")
    [error] = _errors(path)
    assert error.startswith(f"{path}:6: YAML error: the list opened with '[' at line 6 is not closed")


@SETTINGS
@given(st.integers(0, 4), st.sampled_from(YAML11_BREAKS), st.sampled_from(["comment", "plain value", "key"]))
def test_nel_ls_ps_outside_quotes_is_named_at_its_line(tmp_path: Path, before: int, char: str, where: str) -> None:
    lines = [*HEADER, "answers:", *(f'  {item}: "3"' for item in ITEMS[:before])]
    item = ITEMS[before]
    lines.append({"comment": f'  {item}: "3"  # see{char} minutes', "plain value": f"  {item}: 3{char}4",
                  "key": f'  {item}{char}x: "3"'}[where])
    lines.append(f'  {ITEMS[before + 1]}: "2"')
    path = tmp_path / "a.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [error] = _errors(path)
    line = len(lines) - 1
    assert error == (f"{path}:{line}: YAML error: line {line} holds U+{ord(char):04X}, which YAML reads as a line break "
                     "(hint: delete the character; inside a quoted value it is kept)")
