"""Collect-all validation of questionnaires and answer files, with YAML lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from slp_assess.errors import InvalidInputError
from slp_assess.loading import load_answer_file, load_questionnaire_file
from slp_assess.yamlio import parse_yaml


def _problems(call) -> list[str]:
    with pytest.raises(InvalidInputError) as info:
        call()
    return [p.format() for p in info.value.problems]


def test_broken_questionnaire_reports_every_problem_with_line(core_fixtures):
    path = core_fixtures / "bad-questionnaire.yaml"
    lines = _problems(lambda: load_questionnaire_file(path))
    expected = [
        f"{path}:3: title: missing translation: en",
        f"{path}:7: levels.1.threshold: threshold 75 is not below the previous level's 50",
        f"{path}:10: scales.flat: all options have the same points",
        f"{path}:22: sections.0.factors.0.items.1.id: duplicate id 'one.f.a' (first used at line 21)",
        f"{path}:22: sections.0.factors.0.items.1.scale: unknown scale 'nosuchscale'",
        f"{path}:23: sections.0.factors.1: factor 'one.empty' has no items",
        f"{path}:26: sections.1: section 'two' has no factors",
    ]
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), line
        assert "(hint: " in line


def test_unknown_key_in_questionnaire_is_named_with_line(tmp_path: Path, core_fixtures):
    text = (core_fixtures / "mini.yaml").read_text(encoding="utf-8")
    path = tmp_path / "typo.yaml"
    path.write_text(text.replace("    title: {de: Erfolgsfaktoren", "    titel: {de: Erfolgsfaktoren"), encoding="utf-8")
    lines = _problems(lambda: load_questionnaire_file(path))
    assert f"{path}:22: sections.0.titel: unknown key 'titel' (hint: remove it or check the spelling of the key)" in lines
    assert any(line.startswith(f"{path}:21: sections.0.title: Field required") for line in lines)


def test_bad_answer_file_names_each_problem(core_fixtures, mini_catalog):
    path = core_fixtures / "bad-answers.yaml"
    lines = _problems(lambda: load_answer_file(path, mini_catalog))
    assert lines == [
        f"{path}:6: answers.success.eye_level.unknown_item: unknown item id 'success.eye_level.unknown_item' for "
        "questionnaire 'mini' (hint: check the spelling against `slp template`)",
        f"{path}:7: answers.success.leadership.anchored: '7' is not an option of scale 'yes_partly_no' "
        "(hint: use one of: no, partly, yes, n/a)",
        f"{path}:8: answers.financing.transparency.benefits: item 'financing.transparency.benefits' is required and "
        "cannot be answered n/a (hint: choose an option of its scale)",
    ]


def test_wrong_version_and_unknown_questionnaire(tmp_path: Path, mini_catalog):
    wrong_version = tmp_path / "v.yaml"
    wrong_version.write_text('questionnaire: mini\nversion: "2.0"\nanswers: {}\n', encoding="utf-8")
    assert _problems(lambda: load_answer_file(wrong_version, mini_catalog)) == [
        f"{wrong_version}:2: version: questionnaire 'mini' is version 1.0, the file says '2.0', a version it does not know (known: 1.0) "
        '(hint: set version: to the version the answers were given to (e.g. "1.0"), or pass that version of the questionnaire with --questionnaire)'
    ]
    unknown = tmp_path / "u.yaml"
    unknown.write_text('questionnaire: nope\nversion: "1"\n', encoding="utf-8")
    [line] = _problems(lambda: load_answer_file(unknown, mini_catalog))
    assert line.startswith(f"{unknown}:1: unknown questionnaire 'nope' (hint: use one of ")


def test_duplicate_keys_are_an_error_not_an_overwrite(tmp_path: Path, mini_catalog):
    path = tmp_path / "dup.yaml"
    path.write_text(
        'questionnaire: mini\nversion: "1.0"\nanswers:\n  success.leadership.anchored: "yes"\n'
        '  success.leadership.anchored: "no"\n',
        encoding="utf-8",
    )
    assert _problems(lambda: load_answer_file(path, mini_catalog)) == [
        f"{path}:5: YAML error: found duplicate key 'success.leadership.anchored' (first at line 4) "
        "(hint: keep one entry per key)"
    ]


def test_yaml_syntax_error_names_line(tmp_path: Path, mini_catalog):
    path = tmp_path / "syntax.yaml"
    path.write_text('questionnaire: mini\nversion: "1.0"\nanswers: [unclosed\n', encoding="utf-8")
    [line] = _problems(lambda: load_answer_file(path, mini_catalog))
    # The line where the list opens, not the end of the file where libyaml noticed.
    assert line == f"{path}:3: YAML error: the list opened with '[' at line 3 is not closed (hint: close it with ']' and separate its entries with ', ')"


def test_bare_yes_no_stay_scale_keys(tmp_path: Path, mini_catalog):
    path = tmp_path / "yes.yaml"
    path.write_text(
        'questionnaire: mini\nversion: "1.0"\nanswers:\n  success.leadership.anchored: yes\n'
        "  success.eye_level.equal_say: 4\n",
        encoding="utf-8",
    )
    answers, _ = load_answer_file(path, mini_catalog)
    assert answers.answers["success.leadership.anchored"].value == "yes"
    assert answers.answers["success.eye_level.equal_say"].value == "4"
    assert parse_yaml("a: true\nb: on\n", "x").data == {"a": True, "b": "on"}


def test_blank_entries_count_as_unanswered(tmp_path: Path, mini_catalog):
    path = tmp_path / "blank.yaml"
    path.write_text(
        'questionnaire: mini\nversion: "1.0"\nanswers:\n  success.leadership.anchored:\ncontext:\n  context.partners:\n',
        encoding="utf-8",
    )
    answers, _ = load_answer_file(path, mini_catalog)
    assert answers.answers == {}
    assert answers.context == {}


def test_invalid_context_answers(tmp_path: Path, mini_catalog):
    path = tmp_path / "ctx.yaml"
    path.write_text(
        'questionnaire: mini\nversion: "1.0"\ncontext:\n  context.stage: [findung, umsetzung]\n  context.nope: x\n',
        encoding="utf-8",
    )
    lines = _problems(lambda: load_answer_file(path, mini_catalog))
    assert lines[0].startswith(f"{path}:4: context.context.stage: this question takes a single choice")
    assert lines[1].startswith(f"{path}:5: context.context.nope: unknown context question 'context.nope'")


def test_a_short_title_needs_every_language(tmp_path):
    from slp_assess.errors import InvalidInputError
    from slp_assess.loading import load_questionnaire_file

    text = (Path(__file__).parent / "fixtures" / "core" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("title: {de: Führungsebene, en: Leadership}", "title: {de: Führungsebene, en: Leadership}\n        short_title: {de: Führung}", 1)
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match="short_title: missing translation: en"):
        load_questionnaire_file(path)
