"""Common hand-editing mistakes get a message that names the mistake, its line and the fix, not libyaml's words.

Each test breaks a generated, valid answer file at a random line the way people do: a tab for
indentation, no space after a colon, a quote left open, a list bracket left open.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slp_assess.errors import InvalidInputError
from slp_assess.loading import QuestionnaireCatalog, load_answer_file

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _items() -> list[str]:
    q = QuestionnaireCatalog().get("slp-quickcheck")
    assert q is not None
    return [item.id for _, item in q.items()]


ITEMS = _items()


def _valid_lines(count: int) -> list[str]:
    return ["questionnaire: slp-quickcheck", 'version: "2.0"', "partnership: P", "respondent:", "  name: Anna Weber",
            "  role: stadt", "answers:", *(f'  {item}: "{index % 5}"' for index, item in enumerate(ITEMS[:count]))]


def _error(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "a.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_answer_file(path, QuestionnaireCatalog())
    [problem] = caught.value.problems
    assert "\n" not in problem.format()
    return problem.format()[len(str(path)) + 1:]


@SETTINGS
@given(st.integers(1, 12), st.data(), st.sampled_from(["\t", "\t  ", "  \t", " \t "]))
def test_a_tab_used_for_indentation(tmp_path: Path, count: int, data: st.DataObject, indent: str) -> None:
    lines = _valid_lines(count)
    at = data.draw(st.sampled_from([i for i, line in enumerate(lines) if line.startswith("  ")]))
    lines[at] = indent + lines[at].lstrip(" ")
    column = indent.index("\t") + 1
    assert _error(tmp_path, lines) == (f"{at + 1}: YAML error: a tab is used for indentation at line {at + 1}, column {column} "
                                       "(hint: indent with spaces: YAML does not allow tabs for indentation)")


@SETTINGS
@given(st.integers(1, 12), st.data())
def test_no_space_after_a_colon(tmp_path: Path, count: int, data: st.DataObject) -> None:
    lines = _valid_lines(count)
    at = data.draw(st.sampled_from([i for i, line in enumerate(lines) if ": " in line]))
    lines[at] = lines[at].replace(": ", ":", 1)
    message = _error(tmp_path, lines)
    if at == len(lines) - 1 and lines[at - 1].endswith(":"):
        # The only entry of its mapping: valid YAML (the text `id:"3"`), refused as not a mapping.
        assert message.startswith(f"{at}: ") and message.endswith("(hint: write a space after the colon: `key: value`)")
    else:
        assert message == f"{at + 1}: YAML error: no space after the colon at line {at + 1} (hint: write a space after the colon of a key: `key: value`)"


@SETTINGS
@given(st.integers(1, 12), st.data())
def test_a_quote_left_open(tmp_path: Path, count: int, data: st.DataObject) -> None:
    lines = _valid_lines(count)
    at = data.draw(st.sampled_from([i for i, line in enumerate(lines) if line.endswith('"')]))
    lines[at] = lines[at][:-1]
    message = _error(tmp_path, lines)
    assert message.startswith(f'{at + 1}: YAML error: the quote " opened at line {at + 1} is ')
    assert message.endswith('(hint: end the value with " on the line where it starts)')


@SETTINGS
@given(st.integers(1, 12), st.data())
def test_a_list_left_open(tmp_path: Path, count: int, data: st.DataObject) -> None:
    lines = [*_valid_lines(count), "context:", "  context.barriers: [konkurrenz_einwohner, ungleiche_kraft"]
    lines[-1:-1] = data.draw(st.lists(st.sampled_from(["  # a comment", ""]), max_size=3))
    lines += [f"  {key}: x" for key in data.draw(st.lists(st.sampled_from(["context.partners", "context.notes"]), unique=True))]
    at = next(i for i, line in enumerate(lines) if "[" in line)
    assert _error(tmp_path, lines) == (f"{at + 1}: YAML error: the list opened with '[' at line {at + 1} is not closed "
                                       "(hint: close it with ']' and separate its entries with ', ')")


def test_a_key_run_into_its_value_in_braces(tmp_path: Path) -> None:
    lines = [*_valid_lines(2), f'  {ITEMS[5]}: {{value: "3", note:"x"}}']
    with pytest.raises(InvalidInputError) as caught:
        path = tmp_path / "a.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        load_answer_file(path, QuestionnaireCatalog())
    [problem] = caught.value.problems
    assert (problem.line, problem.message, problem.hint) == (10, "unknown key 'note:\"x\"'", "write a space after the colon: `key: value`")
