"""What a new user meets first: empty folders, a wrong language, the help, the README's set-up."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
import typer.core
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.assess.store import default_out
from slp_assess.cli import COMMAND_MODULES, app
from slp_assess.i18n import LANGUAGES

REPO = Path(__file__).resolve().parents[1]
CORE = Path(__file__).parent / "fixtures" / "core"
LINDENAU = str(REPO / "examples" / "lindenau")
runner = CliRunner()


# --- a folder without answer files -------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("command", [["validate"], ["score", "--format", "json"], ["report"]])
def test_a_folder_without_answer_files_is_a_usage_error(tmp_path, seed, command):
    rng = random.Random(seed)
    folder = tmp_path / "antworten"
    folder.mkdir()
    for index in range(rng.randint(0, 5)):  # empty, or only files that are not answer files
        where = folder / "unter" if rng.random() < 0.5 else folder
        where.mkdir(exist_ok=True)
        (where / f"notiz-{index}{rng.choice(['.txt', '.md', '.yaml.bak', '.json', ''])}").write_text("x", encoding="utf-8")
    result = runner.invoke(app, [*command, str(folder)])
    assert result.exit_code == 3, result.output
    assert result.stderr == f"error: no answer files (*.yaml, *.yml) found in: {folder}\n"
    assert result.stdout == ""


# --- an unknown language -----------------------------------------------------------------------

LANG_COMMANDS = {
    "score": ["score", str(CORE / "answers-city.yaml"), "-q", str(CORE / "mini.yaml"), "--format", "json"],
    "score table": ["score", str(CORE / "answers-city.yaml"), "-q", str(CORE / "mini.yaml"), "--format", "table"],
    "report": ["report", LINDENAU],
    "compare": ["compare", LINDENAU, LINDENAU],
    "template": ["template", "slp-quickcheck"],
    "schema": ["schema", "answers", "-q", "slp-quickcheck"],
    "questionnaires show": ["questionnaires", "show", "slp-quickcheck"],
}
unknown_language = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8).filter(
    lambda lang: lang not in LANGUAGES and not lang.startswith("-") and lang.strip() == lang
)


def _refused(result, lang: str) -> None:
    assert result.exit_code == 3, (lang, result.output)
    assert result.stderr == f"error: unknown language {lang!r}: use one of de, en\n"
    assert result.stdout == ""


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lang=st.one_of(st.sampled_from(["fr", "DE", "en-GB", "de_DE", "english"]), unknown_language))
@pytest.mark.parametrize("name", LANG_COMMANDS)
def test_every_command_refuses_an_unknown_language(name, lang):
    command = LANG_COMMANDS[name]
    _refused(runner.invoke(app, [*command, "--lang", lang]), lang)
    _refused(runner.invoke(app, command, env={"SLP_LANG": lang}), lang)
    _refused(runner.invoke(app, ["--lang", lang, *command]), lang)


def test_the_global_option_is_refused_for_any_command():
    _refused(runner.invoke(app, ["--lang", "fr", "validate", str(CORE / "mini.yaml")]), "fr")
    # SLP_LANG only matters to commands that speak a language; validate does not.
    assert runner.invoke(app, ["validate", str(CORE / "mini.yaml")], env={"SLP_LANG": "fr"}).exit_code == 0


# --- help --------------------------------------------------------------------------------------

TYPE_MARKER = re.compile(r"<(bool|str|int|float|path|file|text|list\[[^>]*\]|[a-z]+ range|[\w|]+)>", re.IGNORECASE)


def _help_commands() -> list[list[str]]:
    return [[], *([name] for name in COMMAND_MODULES), ["questionnaires", "show"]]


def _declared_help(args: list[str]) -> list[str]:
    """The help texts written for a command: its docstring and every parameter's help."""
    from typer.main import get_command

    command = get_command(app)
    for name in args:
        command = command.commands[name]  # type: ignore[attr-defined]
    texts = [command.help or ""]
    texts += [getattr(param, "help", None) or "" for param in command.params]
    return texts


@pytest.mark.parametrize("rich", [True, False])
@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("args", _help_commands(), ids=lambda a: " ".join(a) or "slp")
def test_help_has_no_type_markers_and_no_cut_words(monkeypatch, args, rich, width):
    monkeypatch.setattr(typer.core, "HAS_RICH", rich)
    # COLUMNS for rich; click's layout is pinned to 80 columns under CliRunner unless given a width.
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": str(width)}, terminal_width=width)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert not TYPE_MARKER.search(text), TYPE_MARKER.search(text)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    # Every word written in a help text appears whole (a line may break after a hyphen).
    joined = re.sub(r"-\n[\s│]*", "-", re.sub(r"[│╭╮╰╯─]", " ", text))
    shown = set(joined.split())
    for help_text in _declared_help(args):
        for word in help_text.split():
            assert word in shown or word in joined, (word, text)


# --- the README --------------------------------------------------------------------------------


def test_readme_names_the_files_assess_writes_and_how_to_call_slp():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = default_out("slp-quickcheck", "Anna Weber", dt.date(2026, 3, 18)).name
    assert example == "slp-quickcheck-anna-weber-2026-03-18.yaml"
    assert f"e.g. `{example}`" in readme
    assert f"slp assess --resume {example}" in readme
    setup = readme[readme.index("```sh"):readme.index("## What it does")]
    assert ". .venv/bin/activate" in setup and "pipx install ." in setup
