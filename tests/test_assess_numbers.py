"""Whatever is typed where `slp assess` reads a number, the answer is the prompt's hint and the prompt again.

``²`` (AltGr+2 on a German keyboard) and digits of other scripts (``٣``) pass ``str.isdigit`` but not
``int``; they used to end the session with a traceback at a context choice and at "Wessen Notiz".
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pty_support import spawn_in_terminal
from slp_assess.assess.parsing import (
    Answer,
    Command,
    ContextAnswer,
    Invalid,
    parse_context_line,
    parse_item_line,
    parse_note_owner,
    whole_number,
)
from slp_assess.loading import load_questionnaire_file

pexpect = pytest.importorskip("pexpect")

MINI = str(Path(__file__).parent / "fixtures" / "core" / "mini.yaml")
QUESTIONNAIRE = load_questionnaire_file(Path(MINI))
# Characters Unicode calls digits or numbers that are not 0-9: superscripts, Arabic-Indic, Devanagari,
# full-width, circled, Roman numerals, fractions.
NOT_ASCII_DIGITS = "²³¹⁰₂٣۴५０７①Ⅻ½𝟠"
# Lines made of digits of any kind (where isdigit is true and int may fail), and any text at all.
digits = st.text(alphabet=st.sampled_from([*NOT_ASCII_DIGITS, *"0123456789"]), min_size=1, max_size=4)
typed = st.one_of(
    st.tuples(st.sampled_from(["", " "]), digits, st.sampled_from(["", " ", ",2", " 1"])).map("".join),
    st.text(alphabet=st.sampled_from([*NOT_ASCII_DIGITS, *"0123456789 ,;+-?bnqs\t"]) | st.characters(), max_size=12),
)


@pytest.mark.parametrize("text", [*NOT_ASCII_DIGITS, "2²", "١٢", "1 2", "", " 1", "-1", "+1"])
def test_only_the_digits_0_to_9_make_a_number(text):
    assert whole_number(text) is None


@given(st.integers(min_value=0, max_value=10**30))
def test_every_number_written_in_0_to_9_reads_back(number):
    assert whole_number(str(number)) == number


@settings(max_examples=400)
@given(typed)
def test_a_line_at_a_context_question_is_an_answer_a_command_or_a_hint(line):
    stage = QUESTIONNAIRE.context[0]
    for question in (stage, stage.model_copy(update={"type": "multiple_choice"}), QUESTIONNAIRE.context[1]):
        parsed = parse_context_line(line, question)
        assert isinstance(parsed, ContextAnswer | Command | Invalid)
        if isinstance(parsed, ContextAnswer) and question.type != "text":
            keys = {o.key for o in question.options}
            assert set([parsed.value] if isinstance(parsed.value, str) else parsed.value) <= keys


@settings(max_examples=400)
@given(typed, st.integers(min_value=1, max_value=4))
def test_a_line_at_an_item_is_an_answer_a_command_or_a_hint(line, participants):
    for item in QUESTIONNAIRE.item_index().values():
        parsed = parse_item_line(line, item, QUESTIONNAIRE.scales[item.scale], participants)
        assert isinstance(parsed, Answer | Command | Invalid)


@settings(max_examples=400)
@given(typed, st.integers(min_value=2, max_value=12))
def test_whose_note_is_a_participant_the_session_or_a_hint(line, participants):
    owner = parse_note_owner(line, participants)
    number = whole_number(line.strip())
    if number is None or number > participants:
        assert owner == Invalid("hint.note_who", {"last": participants})
    else:
        assert owner == (number - 1 if number else None)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1756339200"})
    return env


def _spawn(args: list[str], cwd: Path, log: io.StringIO):
    child = spawn_in_terminal(sys.executable, ["-m", "slp_assess", "assess", MINI, "--lang", "de", *args],
                          cwd=str(cwd), env=_env(), dimensions=(40, 100), encoding="utf-8", timeout=30)
    child.logfile_read = log
    return child


def test_superscript_and_arabic_digits_at_a_choice_and_at_whose_note_get_the_hint(tmp_path):
    log = io.StringIO()
    folder = tmp_path / "gruppe"
    child = _spawn(["--out", str(folder), "--partnership", "Lindenau", "--participants", "Anna:stadt,Jan:land"], tmp_path, log)
    child.expect_exact("> ")
    child.sendline("+")
    for wrong in ("²", "٣", "1²"):
        child.expect_exact("Wessen Notiz (0–2): ")
        child.sendline(wrong)
        child.expect_exact("Bitte eine Zahl von 0 bis 2 eingeben.")
    child.expect_exact("Wessen Notiz (0–2): ")
    child.sendline("2")
    child.expect_exact("Notiz (leer = Notiz entfernen): ")
    child.sendline("Jans Notiz")
    child.expect_exact("Notiz gespeichert")
    for line in ("3 4", "1 2", "2 3", "1 2", "1 2"):  # the five items, one line for both (the third is yes/partly/no)
        child.expect_exact("> ")
        child.sendline(line)
    child.expect_exact("Phase?")  # the first context question: a choice of two
    for wrong in ("²", "٣", "2²"):
        child.expect_exact("> ")
        child.sendline(wrong)
        child.expect_exact(f"„{wrong}“ ist keine Auswahl. Bitte 1–2 eingeben.")
    child.expect_exact("> ")
    child.sendline("2")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", log.getvalue())
    assert child.exitstatus == 0, screen
    assert "Traceback" not in screen and "ValueError" not in screen
    jan = yaml.safe_load((folder / "jan.yaml").read_text(encoding="utf-8"))
    assert jan["answers"]["success.eye_level.equal_say"] == {"value": "4", "note": "Jans Notiz"}
    assert jan["context"] == {"context.stage": "umsetzung"}
