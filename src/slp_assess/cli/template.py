"""`slp template`: write a blank, commented answer file."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from slp_assess.answer_template import answer_template
from slp_assess.atomic import write_text_atomic
from slp_assess.cli.app import app, wrote
from slp_assess.errors import UsageError
from slp_assess.i18n import check_language
from slp_assess.loading import load_questionnaire
from slp_assess.oneline import quoted
from slp_assess.outpath import refuse_folder_as_file
from slp_assess.schemas import ANSWERS_SCHEMA_URL


@app.command()
def template(
    questionnaire: str = typer.Argument("slp-readiness", metavar="QUESTIONNAIRE", help="Bundled questionnaire id or a questionnaire file."),
    lang: str | None = typer.Option(None, "--lang", envvar="SLP_LANG", metavar="LANG", help="de or en; default: the questionnaire's default language."),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help="File to write; default: standard output."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
    schema_url: str = typer.Option(ANSWERS_SCHEMA_URL, "--schema-url", metavar="URL", show_default=False, help="JSON Schema named in the first line for editor completion; default: the published answers schema; a local file from `slp schema answers -q ID -o FILE` knows the questionnaire's item ids; empty: no schema line."),
) -> None:
    """Write a blank answer file; every question appears as a comment above its entry."""
    if lang is not None:
        check_language(lang)
    refuse_folder_as_file(output, "-o", "antworten.yaml")
    q = load_questionnaire(questionnaire)
    language = lang or q.default_language
    if language not in q.languages:
        raise UsageError(f"questionnaire {quoted(q.id)} has no language {quoted(language)}: use one of {', '.join(q.languages)}")
    text = answer_template(q, language, schema_url or None)
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    if Path(output).exists() and not force:
        raise UsageError(f"{output} exists: use --force to overwrite it")
    write_text_atomic(Path(output), text)
    wrote(output, language)
