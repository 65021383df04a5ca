"""`slp score`'s table and --verbose line use the current words (Kernanforderungen) in the chosen language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app

LINDENAU = str(Path(__file__).resolve().parents[1] / "examples" / "lindenau")
runner = CliRunner()
HEADER = {"de": "Kernanf. nicht erfüllt", "en": "Key req. not met"}


def _words(text: str) -> str:
    """The table's text without its box characters, one space between words."""
    return " ".join(re.sub(r"[┏┓┗┛┃━┳┻╋┡┩╇│└┘┴┼─┌┐├┤┬]", " ", text).split())


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("width", ["80", "120", "200"])
def test_the_table_names_key_requirements_not_blockers(lang, grouped, width):
    args = ["score", LINDENAU, "-f", "table", "--lang", lang, *(["--group-by", "partnership"] if grouped else [])]
    result = runner.invoke(app, args, env={"COLUMNS": width})
    assert result.exit_code == 0, result.output
    words = _words(result.stdout)
    assert not re.search(r"Blockade|Blocker", words, re.IGNORECASE)
    header = [line for line in result.stdout.splitlines() if "┃" in line]
    assert all(word in _words("\n".join(header)) for word in HEADER[lang].split())


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_verbose_line_speaks_the_language(lang):
    result = runner.invoke(app, ["--verbose", "--lang", lang, "score", LINDENAU, "-f", "json"])
    assert result.exit_code == 0, result.output
    expected = {"de": "8 Datei(en) werden mit 1 Prozess(en) bewertet, Format json",
                "en": "scoring 8 file(s) with 1 process(es), format json"}[lang]
    assert expected in result.stderr.splitlines()
