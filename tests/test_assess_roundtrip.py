"""Every string `slp assess` writes reads back identically: all code points, every field, every reader.

The answer-file writer quotes by hand (store.yaml_quote); these tests hold it to the project's own
readers (yamlio.StrictLoader, the fast reader of `slp score`) and to `slp validate` and `slp score`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.assess import store
from slp_assess.cli import app
from slp_assess.fastyaml import load_yaml_data, read_block_yaml
from slp_assess.loading import parse_model
from slp_assess.models.answers import AnswerFile, AnswerValue, Respondent
from slp_assess.yamlio import parse_yaml

runner = CliRunner()
ENV = {"NO_COLOR": "1", "COLUMNS": "80", "SOURCE_DATE_EPOCH": "1756339200"}
MINI = str(Path(__file__).parent / "fixtures" / "core" / "mini.yaml")
# The characters the issue names, and the ones YAML readers fold or refuse.
AWKWARD = "\x7f\x80\x85\x9f\u2028\u2029\ufeff\ufffe\uffff\x00\t\r\n\x1b\"\\'#: {}[],&*!|>%@`"


def _chunks(size: int = 0x8000) -> list[str]:
    """Every code point except the surrogates, in strings of ``size``."""
    points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    return ["".join(map(chr, points[i:i + size])) for i in range(0, len(points), size)]


def _answer(value: str | None = None, note: str | None = None) -> dict[str, str]:
    # As the session builds them: a mapping without the parts that are not there.
    return AnswerValue(value=value, note=note).model_dump(exclude_none=True)


def _answer_file(text: str, item_id: str = "success.eye_level.equal_say") -> AnswerFile:
    """An answer file with ``text`` (or a part of it) in every string field the writer quotes."""
    third = max(1, len(text) // 3)
    return AnswerFile(
        questionnaire="mini",
        version=text or "1",
        partnership=text,
        respondent=Respondent(name=text, organisation=text or None, role="stadt"),
        date=dt.date(2025, 8, 28),
        language="de",
        answers={
            item_id: _answer(text or "4", text or None),
            "success.eye_level.city_dominates": _answer(text[:third] or "2"),
            "success.leadership.anchored": _answer(note=text or "x"),
        },
        context={"context.partners": text or "x", "context.stage": [text[:third], text[third:], ""]},
    )


def _read_back(text: str) -> AnswerFile:
    return parse_model(parse_yaml(text, "answers.yaml"), AnswerFile, "answer file")


def test_every_code_point_in_every_field_reads_back_identically():
    for chunk in _chunks():
        answers = _answer_file(chunk)
        text = store.render(answers, f"Resume with: {store.resume_command(Path('/tmp') / chunk[:200])}")
        assert _read_back(text) == answers, f"chunk starting at U+{ord(chunk[0]):04X}"
        assert load_yaml_data(text) == parse_yaml(text, "answers.yaml").data


@pytest.mark.parametrize("char", list(AWKWARD))
def test_each_awkward_character_alone_and_at_the_edges(char):
    for text in (char, f"a{char}", f"{char}a", f" {char} ", char * 3):
        answers = _answer_file(text)
        rendered = store.render(answers, f"Resume with: {store.resume_command(Path(text))}")
        assert _read_back(rendered) == answers
        assert load_yaml_data(rendered) == parse_yaml(rendered, "x").data


def test_plain_text_stays_readable_and_takes_the_fast_path():
    answers = _answer_file("Stadt Lindenau: „Augenhöhe“ – 100 % #1")
    text = store.render(answers, "Resume with: slp assess --resume a.yaml")
    assert 'partnership: "Stadt Lindenau: „Augenhöhe“ – 100 % #1"' in text
    assert read_block_yaml(text) == parse_yaml(text, "x").data  # no escapes: no fallback to libyaml


def test_escapes_are_yaml_escapes():
    assert store.yaml_quote('a"b\\c\nd\te\x7f\x85\u2028\ufeff\ufffe😀') == '"a\\"b\\\\c\\nd\\te\\x7f\\x85\\u2028\\ufeff\\ufffe😀"'


def test_lone_surrogates_become_the_replacement_character():
    assert store.clean_text("a\udcff\ud800b") == "a\ufffd\ufffdb"
    # One that slipped past the input boundary is written as U+FFFD too, never as invalid UTF-8.
    assert _read_back(store.render(_answer_file("x\udcffy"), "")).partnership == "x\ufffdy"


@pytest.mark.parametrize("item_id", ["true", "null", "1", "1.0", "2024-01-01", "no", "on", "0x1f", "inf"])
def test_ids_that_yaml_would_read_as_other_types_are_quoted(item_id):
    answers = _answer_file("x", item_id=item_id)
    answers = answers.model_copy(update={"questionnaire": item_id})
    text = store.render(answers, "")
    assert _read_back(text) == answers
    assert load_yaml_data(text) == parse_yaml(text, "x").data


_ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    partnership=_ANY_TEXT, name=_ANY_TEXT, organisation=_ANY_TEXT, note=_ANY_TEXT, context=_ANY_TEXT,
    entries=st.lists(_ANY_TEXT, max_size=4), path=_ANY_TEXT,
)
def test_generated_strings_in_every_field_read_back(partnership, name, organisation, note, context, entries, path):
    answers = AnswerFile(
        questionnaire="mini", version="1.0", partnership=partnership,
        respondent=Respondent(name=name, organisation=organisation or None, role="land"),
        answers={"success.eye_level.equal_say": _answer("4", note or None)},
        context={"context.partners": context or "x", "context.stage": entries},
    )
    text = store.render(answers, f"Resume with: {store.resume_command(Path(path or '.'))}")
    assert _read_back(text) == answers
    assert load_yaml_data(text) == parse_yaml(text, "x").data


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(codec=None), max_size=30))
def test_generated_strings_with_surrogates_read_back_cleaned(text):
    answers = _answer_file(text)
    read = _read_back(store.render(answers, f"Resume with: {text}"))
    assert read.partnership == store.clean_text(text)
    assert read.answers["success.eye_level.equal_say"].note == (store.clean_text(text) or None)


def _session(out: Path, partnership: str, name: str, lines: list[str], *extra: str):
    text = "".join(f"{line}\n" for line in lines)
    args = ["assess", MINI, "--out", str(out), "--partnership", partnership, "--respondent", name, "--role", "stadt", *extra]
    return runner.invoke(app, args, input=text, env=ENV)


HOSTILE = "DEL\x7f C1\x80\x9f NEL\x85 LS\u2028 PS\u2029 BOM\ufeff nonchar\ufffe\uffff ESC\x1b[31m tab\t"


def test_a_session_with_awkward_text_can_be_resumed_validated_and_scored(tmp_path):
    out = tmp_path / "odd name\n\x7f.yaml"
    first = _session(out, f"Lindenau {HOSTILE}", f"Anna {HOSTILE}", ["+", f"Notiz {HOSTILE}", "4", "2", "q"])
    assert first.exit_code == 0, first.output
    saved = _read_back(out.read_text(encoding="utf-8"))
    assert saved.partnership == f"Lindenau {HOSTILE}" and saved.respondent.name == f"Anna {HOSTILE}"
    assert saved.answers["success.eye_level.equal_say"].note == f"Notiz {HOSTILE}".strip()
    resumed = runner.invoke(app, ["assess", MINI, "--resume", str(out)], input=f"2\nn\n5\n2\n{HOSTILE}\n", env=ENV)
    assert resumed.exit_code == 0, resumed.output
    assert _read_back(out.read_text(encoding="utf-8")).context["context.partners"] == HOSTILE.strip()
    validated = runner.invoke(app, ["validate", str(out), "-q", MINI])
    assert validated.exit_code == 0, validated.output
    scored = runner.invoke(app, ["score", str(out), "-q", MINI, "--format", "json"])
    assert scored.exit_code == 0, scored.output
    row = json.loads(scored.stdout)[0]
    assert row["partnership"] == f"Lindenau {HOSTILE}" and row["respondent"]["name"] == f"Anna {HOSTILE}"


def test_invalid_utf8_typed_in_a_session_is_saved_as_the_replacement_character(tmp_path):
    out = tmp_path / "a.yaml"
    typed = b"+\nNotiz \xff\xfe Ende\n4\nq\n"
    result = runner.invoke(app, ["assess", MINI, "--out", str(out), "--partnership", "P", "--respondent", "A", "--role", "land"], input=typed, env=ENV)
    assert result.exit_code == 0, result.output
    assert _read_back(out.read_text(encoding="utf-8")).answers["success.eye_level.equal_say"].note == "Notiz \ufffd\ufffd Ende"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(partnership=_ANY_TEXT.filter(str.strip), name=_ANY_TEXT.filter(str.strip), note=_ANY_TEXT)
def test_generated_session_text_survives_resume_and_validate(tmp_path, partnership, name, note):
    out = tmp_path / "generated.yaml"
    # A typed line ends at a line break; the rest of the note would be the next answer.
    typed = note.replace("\r", " ").replace("\n", " ")
    result = _session(out, partnership, name, ["+", typed, "4", "q"], "--force")
    assert result.exit_code == 0, result.output
    saved = _read_back(out.read_text(encoding="utf-8"))
    assert (saved.partnership, saved.respondent.name) == (partnership, name)
    resumed = runner.invoke(app, ["assess", "--resume", str(out), MINI], input="q\n", env=ENV)
    assert resumed.exit_code == 0, resumed.output
    assert runner.invoke(app, ["validate", str(out), "-q", MINI]).exit_code == 0


def test_undecodable_bytes_on_the_command_line_are_saved_as_the_replacement_character(tmp_path):
    # Python hands invalid UTF-8 in arguments over as lone surrogates (os.fsdecode).
    out = tmp_path / os.fsdecode(b"odd-\xff.yaml")
    result = _session(out, os.fsdecode(b"Lindenau \xfe"), os.fsdecode(b"Anna \xff"), ["4", "q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / os.fsdecode(b"odd-\xff.yaml")).exists()
    saved = _read_back(out.read_text(encoding="utf-8"))
    assert (saved.partnership, saved.respondent.name) == ("Lindenau \ufffd", "Anna \ufffd")
    assert runner.invoke(app, ["assess", MINI, "--resume", str(out)], input="q\n", env=ENV).exit_code == 0
