"""A questionnaire file that is not there is a usage error (exit 3) saying so, in every command that takes one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.cli import app
from slp_assess.errors import UsageError

REPO = Path(__file__).resolve().parents[1]
LINDENAU = str(REPO / "examples" / "lindenau")
runner = CliRunner()


def _missing_path(rng: random.Random, folder: Path) -> str:
    """A path meant as a questionnaire file that does not exist: odd names, folders, suffixes."""
    stem = "".join(rng.choice("abcxyz-_ äöü.") for _ in range(rng.randrange(1, 12))).strip() or "q"
    name = stem + rng.choice((".yaml", ".yml", ".YAML", ".json"))
    where = rng.choice(("", "sub/", "sub/deeper/", f"{folder}/", f"{folder}/gone/"))
    return where + name


# Each command with the place the questionnaire goes.
COMMANDS = (
    lambda q: ["score", LINDENAU, "-q", q],
    lambda q: ["report", LINDENAU, "-q", q],
    lambda q: ["validate", LINDENAU, "-q", q],
    lambda q: ["compare", LINDENAU, LINDENAU, "-q", q],
    lambda q: ["questionnaires", q],
    lambda q: ["questionnaires", "show", q],
    lambda q: ["template", q],
    lambda q: ["schema", "answers", "-q", q],
    lambda q: ["export", q, "--to", "xlsform", "-o", "survey.xlsx"],
)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("command", range(len(COMMANDS)))
def test_a_missing_questionnaire_file_is_exit_3_saying_so(tmp_path, monkeypatch, seed, command):
    monkeypatch.chdir(tmp_path)
    missing = _missing_path(random.Random(seed * 100 + command), tmp_path)
    result = runner.invoke(app, COMMANDS[command](missing))
    assert result.exit_code == 3, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {missing}: no such questionnaire file: check the path")
    assert "unknown questionnaire" not in line
    assert not (tmp_path / "survey.xlsx").exists()


def test_a_folder_given_as_questionnaire_is_named_a_folder(tmp_path):
    result = runner.invoke(app, ["template", str(tmp_path)])
    assert result.exit_code == 3
    assert "a folder, not a questionnaire file" in result.stderr


def test_an_unknown_id_is_still_an_unknown_questionnaire():
    result = runner.invoke(app, ["template", "slp-nosuch"])
    assert result.exit_code == 3
    assert "unknown questionnaire 'slp-nosuch'" in result.stderr


@pytest.mark.parametrize("reference", ["nosuch.yaml", "gone/q.yml", Path("gone/q.yaml")])
def test_the_api_says_the_file_does_not_exist(reference):
    with pytest.raises(UsageError, match="no such questionnaire file"):
        api.load_questionnaire(reference)
