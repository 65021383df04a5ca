"""A command that writes one file, given a folder (a path ending in / or an existing folder), says so: exit 3.

Every option that names one file to write is tried with generated folder names, new ones with a trailing
slash and existing ones with or without it; the error is one line naming the option and suggesting a file
in that folder, and nothing is written. The same commands given a file name write it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app

REPO = Path(__file__).resolve().parents[1]
LINDENAU = str(REPO / "examples" / "lindenau")
EARLIER = str(REPO / "examples" / "lindenau-2025")
SHEET = str(REPO / "tests" / "fixtures" / "survey" / "kobo-elbtal.csv")
runner = CliRunner()

# Each command with the option that names its one output file, and a file name it accepts.
FILE_OPTIONS = {
    "compare": (["compare", EARLIER, LINDENAU, "-f", "html"], "-o", "vergleich.html"),
    "compare-md": (["compare", EARLIER, LINDENAU], "-o", "vergleich.md"),
    "score": (["score", LINDENAU], "-o", "ergebnisse.json"),
    "score-csv": (["score", LINDENAU, "-f", "csv"], "--output", "ergebnisse.csv"),
    "export": (["export", "slp-quickcheck", "--to", "limesurvey"], "-o", "umfrage.txt"),
    "export-xlsx": (["export", "slp-quickcheck", "--to", "xlsform"], "-o", "umfrage.xlsx"),
    "schema": (["schema", "answers"], "-o", "answers.schema.json"),
    "template": (["template", "slp-quickcheck"], "--output", "antworten.yaml"),
    "import-map": (["import", SHEET, "-q", "slp-readiness"], "--suggest-map", "map.yaml"),
}
NAME_PARTS = ["out", "Berichte", "ä ö", "x.md", "2026-03", "a b", "ergebnis.json", "-dash", "Ünïcödé", "."]


def _folder_name(rng: random.Random) -> str:
    return "".join(rng.sample(NAME_PARTS, rng.randint(1, 3))).lstrip("-.") or "out"


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("command", sorted(FILE_OPTIONS))
def test_a_folder_where_one_file_is_written_is_a_usage_error(tmp_path, monkeypatch, command, seed):
    rng = random.Random(f"{command}-{seed}")
    args, option, _ = FILE_OPTIONS[command]
    monkeypatch.chdir(tmp_path)
    name = _folder_name(rng)
    existing = rng.random() < 0.5
    if existing:
        (tmp_path / name).mkdir(parents=True)
    given = name + ("/" if not existing or rng.random() < 0.5 else "")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = runner.invoke(app, [*args, option, given], env={"SOURCE_DATE_EPOCH": "1774000000"})
    assert result.exit_code == 3, (given, result.output)
    line = result.stderr
    assert len(line.splitlines()) == 1 and "Traceback" not in result.output
    named = "-o" if option == "--output" else option
    assert line.startswith(f"error: {named} {given} is a folder") and f"e.g. {named} {Path(given)}/" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    if existing:
        assert list((tmp_path / name).iterdir()) == []


@pytest.mark.parametrize("command", sorted(FILE_OPTIONS))
def test_a_file_name_is_written(tmp_path, command):
    args, option, file_name = FILE_OPTIONS[command]
    target = tmp_path / "sub" / file_name
    target.parent.mkdir()
    result = runner.invoke(app, [*args, option, str(target)], env={"SOURCE_DATE_EPOCH": "1774000000"})
    assert result.exit_code == 0, result.output
    assert target.is_file() and target.stat().st_size > 0
