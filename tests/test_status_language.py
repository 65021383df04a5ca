"""The status lines of the non-interactive commands (`wrote …`, `N of M file(s) invalid`, sides in the
score table) are in the language chosen: by the command's --lang, by `slp --lang`, or by SLP_LANG;
German, the tool's default, when none is chosen. Every command is run in every way of choosing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli.app import app

REPO = Path(__file__).resolve().parents[1]
LINDENAU = REPO / "examples" / "lindenau"
runner = CliRunner()
# Words of the English status lines that no German one has.
ENGLISH = re.compile(r"\bwrote\b|\binvalid\b|file\(s\)|left out|report\(s\)|index to|\((other|district)\)")
GERMAN = re.compile(r"geschrieben|ungültig|Datei\(en\)|ausgelassen|Bericht\(e\)|\((Sonstige|Landkreis)\)")
COMMANDS = ["score", "score-table", "validate", "report", "report-invalid", "portfolio", "compare", "export", "schema", "template"]
# How a language is chosen; with none chosen, it is German.
CHOICES = [(chosen, lang) for chosen in ("flag", "global", "env") for lang in ("de", "en")] + [("default", "de")]


def _broken(folder: Path) -> Path:
    path = folder / "kaputt.yaml"
    path.write_text((LINDENAU / "andrea-vogt.yaml").read_text(encoding="utf-8").replace('goals_adopted: "3"', 'goals_adopted: "ja"'),
                    encoding="utf-8")
    return path


def _commands(tmp: Path) -> dict[str, tuple[list[str], bool]]:
    """Each command with arguments that make it print a status line, and whether it takes --lang itself."""
    mixed = tmp / "mixed"
    shutil.copytree(LINDENAU, mixed)
    _broken(mixed)
    return {
        "score": (["score", str(LINDENAU), "-f", "csv", "-o", str(tmp / "s.csv")], True),
        "score-table": (["score", str(LINDENAU / "lukas-brandt.yaml"), str(LINDENAU / "andrea-vogt.yaml"), "-f", "table"], True),
        "validate": (["validate", str(LINDENAU / "andrea-vogt.yaml"), str(_broken(tmp))], True),
        "report": (["report", str(LINDENAU), "-o", str(tmp / "r.md")], True),
        "report-invalid": (["report", str(mixed), "-o", str(tmp / "r2.md")], True),
        "portfolio": (["report", str(REPO / "examples"), "-o", str(tmp / "mappe")], True),
        "compare": (["compare", str(LINDENAU), str(REPO / "examples" / "lindenau-2025"), "-o", str(tmp / "c.md")], True),
        "export": (["export", "slp-quickcheck", "--to", "xlsform", "-o", str(tmp / "e.xlsx"), "--force"], True),
        "schema": (["schema", "answers", "-o", str(tmp / "schema.json")], True),
        "template": (["template", "slp-quickcheck", "-o", str(tmp / "t.yaml"), "--force"], True),
    }


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("chosen", "lang"), CHOICES)
def test_status_lines_are_in_the_language_chosen(tmp_path, command, chosen, lang):
    args, own_flag = _commands(tmp_path)[command]
    env = {"COLUMNS": "200", "SLP_LANG": None}
    if chosen == "flag":
        args = [*args, "--lang", lang] if own_flag else ["--lang", lang, *args]
    elif chosen == "global":
        args = ["--lang", lang, *args]
    elif chosen == "env":
        env["SLP_LANG"] = lang
    result = runner.invoke(app, args, env=env)
    assert result.exit_code in (0, 2), result.output
    # Error lines are the validator's (English) problems; the status lines are what is checked.
    status = "\n".join(line for line in result.stderr.splitlines() if not line.startswith("error: "))
    shown = status + (result.stdout if command == "score-table" else "")
    assert shown.strip()
    if lang == "de":
        assert not ENGLISH.search(shown), shown
        assert GERMAN.search(shown), shown
    else:
        assert not GERMAN.search(shown), shown
        assert ENGLISH.search(shown), shown


@pytest.mark.parametrize(("lang", "expected"), [("de", ["Lukas Brandt (Sonstige)", "Andrea Vogt (Landkreis)"]),
                                                ("en", ["Lukas Brandt (other)", "Andrea Vogt (district)"])])
def test_the_score_table_names_sides_by_their_label(lang, expected):
    result = runner.invoke(app, ["score", str(LINDENAU / "lukas-brandt.yaml"), str(LINDENAU / "andrea-vogt.yaml"), "-f", "table",
                                 "--lang", lang], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for person in expected:
        assert person in result.stdout
    assert "(landkreis)" not in result.stdout


@pytest.mark.parametrize("args", [["validate", str(LINDENAU / "andrea-vogt.yaml")], ["export", "slp-quickcheck", "--to", "limesurvey"]])
def test_a_language_the_tool_does_not_speak_is_a_usage_error(args):
    result = runner.invoke(app, [*args, "--lang", "fr"])
    assert result.exit_code == 3 and result.stderr == "error: unknown language 'fr': use one of de, en\n"
    # SLP_LANG is only a default: a command that prints no language-bound line does not refuse it.
    assert runner.invoke(app, args, env={"SLP_LANG": "fr"}).exit_code == 0
