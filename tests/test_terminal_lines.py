"""File names reach the terminal as written: no escape sequence runs, no line break splits a message.

A seeded generator names answer files (valid and invalid) and outputs with control characters,
bidi controls, line separators and ordinary text, then runs `slp validate`, `score`, `report` and
`compare`. Every line they print must be free of such characters, show the name escaped, and the
number of lines must be what the command promises (one per file, one per error).
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli.app import app, one_line

runner = CliRunner()
REPORT_FIXTURES = Path(__file__).parent / "fixtures" / "report"
QUESTIONNAIRE = str(REPORT_FIXTURES / "questionnaire.yaml")
HOSTILE = [*map(chr, [*range(1, 0x20), 0x7F, 0x85, 0x9B]), "\u202e", "\u2066", "\u200f", "\u061c", "\u2028", "\u2029",
           "\x1b[2J", "\x1b]0;pwned\x07", "\x1b[31m"]
ORDINARY = ["Elbtal", "ä", "東京", "-", " ", "[b]", "<i>"]
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _name(rng: random.Random) -> str:
    parts = [rng.choice(HOSTILE if rng.random() < 0.5 else ORDINARY) for _ in range(rng.randint(1, 5))]
    name = "".join(parts).replace("/", "").replace("\x00", "")
    return name if any(h in name for h in HOSTILE) else name + "\x1b[1m"


def _lines(text: str) -> list[str]:
    for line in text.split("\n")[:-1]:
        assert not FORBIDDEN.search(line), repr(line)
    assert text.endswith("\n") or not text
    return text.split("\n")[:-1]


@pytest.mark.parametrize("seed", range(8))
def test_hostile_file_names_print_as_one_escaped_line(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    good = [folder / f"{_name(rng)}-{n}.yaml" for n in range(rng.randint(1, 3))]
    for n, path in enumerate(good):
        shutil.copy(sorted((REPORT_FIXTURES / "elbtal").iterdir())[n], path)
    bad = folder / f"{_name(rng)}-bad.yaml"
    bad.write_text("questionnaire: report-mini\nversion: '1.0'\npartnership: X\nanswers: [\n", encoding="utf-8")

    result = runner.invoke(app, ["validate", "-q", QUESTIONNAIRE, str(folder)])
    assert result.exit_code == 2
    assert sorted(_lines(result.stdout)) == sorted(f"ok: {one_line(str(p))}" for p in good)
    errors = _lines(result.stderr)
    assert len(errors) == 2 and errors[0].startswith(f"error: {one_line(str(bad))}:")

    result = runner.invoke(app, ["score", "-q", QUESTIONNAIRE, str(folder), "--format", "json"])
    assert result.exit_code == 2
    assert [line.split(":")[0] for line in _lines(result.stderr)] == ["error"]

    output = f"{_name(rng)}.md"
    result = runner.invoke(app, ["report", "-q", QUESTIONNAIRE, *map(str, good), "-o", output])
    assert result.exit_code == 0, result.output
    assert _lines(result.stderr) == [f"{one_line(output)} geschrieben"]
    assert Path(output).read_text(encoding="utf-8").startswith("# ")

    result = runner.invoke(app, ["compare", "-q", QUESTIONNAIRE, str(bad), str(good[0])])
    assert result.exit_code == 2
    assert len(_lines(result.stderr)) == 1


def test_one_line_leaves_ordinary_text_alone():
    text = "Stadt-Land-Partnerschaft Elbtal: ä ß 東京 [b] <i> \"q\" 'a' ✓"
    assert one_line(text) == text
    assert one_line("a\nb\x1b[31m\u202e") == "a\\x0ab\\x1b[31m\\u202e"
