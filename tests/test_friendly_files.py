"""Hand-filled answer files, tried as a new user would: forgiving where it is safe, precise where it is not."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app, load_commands
from slp_assess.loading import QuestionnaireCatalog, load_questionnaire_file

load_commands()
runner = CliRunner()
VERDICT = Path(__file__).parent / "fixtures" / "verdict" / "questionnaire.yaml"
QUESTIONNAIRE = load_questionnaire_file(VERDICT)
ITEM_IDS = list(QUESTIONNAIRE.item_index())


def _validate(tmp_path: Path, text: str):
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    return path, runner.invoke(app, ["validate", str(path), "-q", str(VERDICT)])


def _typo(word: str, rng: random.Random) -> str:
    """One keyboard slip in the last part of a dotted id: a letter dropped, doubled or swapped."""
    head, _, tail = word.rpartition(".")
    i = rng.randrange(1, len(tail) - 1)
    kind = rng.choice(["drop", "double", "swap"])
    if kind == "drop":
        tail = tail[:i] + tail[i + 1:]
    elif kind == "double":
        tail = tail[:i] + tail[i] + tail[i:]
    else:
        tail = tail[:i - 1] + tail[i] + tail[i - 1] + tail[i + 1:]
    return f"{head}.{tail}"


def test_a_misspelt_item_id_gets_did_you_mean(tmp_path):
    rng = random.Random(20261127)
    for _ in range(40):
        item_id = rng.choice(ITEM_IDS)
        typo = _typo(item_id, rng)
        if typo == item_id:
            continue
        _, result = _validate(tmp_path, f'questionnaire: verdict-mini\nversion: "2.0"\nanswers:\n  {typo}: "3"\n')
        assert result.exit_code == 2
        assert f"unknown item id '{typo}'" in result.stderr
        assert f"did you mean '{item_id}'?" in result.stderr, (typo, result.stderr)


@pytest.mark.parametrize(("written", "hint"), [
    ("trifft voll zu", "'trifft voll zu' is the label of option '5': write 5"),
    ("Fully applies", "'Fully applies' is the label of option '5': write 5"),
    ("6", "use one of: 1, 2, 3, 4, 5, n/a"),
])
def test_an_option_label_written_for_its_key_is_named(tmp_path, written, hint):
    _, result = _validate(tmp_path, f'questionnaire: verdict-mini\nversion: "2.0"\nanswers:\n  success.eye_level.equal: "{written}"\n')
    assert result.exit_code == 2
    assert hint in result.stderr


def test_an_unquoted_version_number_is_accepted(tmp_path):
    path, result = _validate(tmp_path, "questionnaire: verdict-mini\nversion: 2.0\nanswers:\n  success.eye_level.equal: 4\n")
    assert result.exit_code == 0, result.stderr
    scored = runner.invoke(app, ["score", str(path), "-q", str(VERDICT), "--format", "json"])
    assert scored.exit_code == 0 and '"version":"2.0"' in scored.stdout


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    path, result = _validate(tmp_path, (
        "questionnaire: verdict-mini\n"
        'version: "2.0"\n'
        "date: 18.03.2026\n"
        "respondent: {name: Anna, role: Rathaus}\n"
        "answers:\n"
        '  success.eye_level.equl: "3"\n'
        '  discovery.goals.shared: "9"\n'
        "  discovery.goals.written: {value: '2', notiz: 'x'}\n"
        "context:\n"
        "  context.phase: aufbaU\n"
    ))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [line.split(":")[2] for line in lines] == ["3", "4", "6", "7", "8", "10"]
    assert "write a date as YYYY-MM-DD" in lines[0]
    assert "unknown side 'Rathaus'" in lines[1]
    assert "did you mean 'success.eye_level.equal'?" in lines[2]
    assert "'9' is not an option" in lines[3]
    assert "unknown key 'notiz'" in lines[4]
    assert "did you mean 'aufbau'?" in lines[5]


def test_the_same_problems_on_the_fast_and_the_reference_path(tmp_path):
    # `slp score` (fast path, falling back) and `slp validate` (reference) report the same lines.
    path, validated = _validate(tmp_path, 'questionnaire: verdict-mini\nversion: "2.0"\nanswers:\n  success.eye_level.equl: "3"\n')
    scored = runner.invoke(app, ["score", str(path), "-q", str(VERDICT), "--format", "json"])
    assert scored.exit_code == validated.exit_code == 2
    assert "did you mean 'success.eye_level.equal'?" in validated.stderr
    assert '"hint":"did you mean \'success.eye_level.equal\'?"' in scored.stdout


def test_catalog_names_earlier_versions(tmp_path):
    assert "slp-readiness" in QuestionnaireCatalog().known_ids()
