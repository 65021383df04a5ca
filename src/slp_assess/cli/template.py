"""`slp template`: write a blank, commented answer file."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from slp_assess.answer_template import answer_template
from slp_assess.atomic import write_text_atomic
from slp_assess.cli.app import app, log
from slp_assess.errors import UsageError
from slp_assess.loading import load_questionnaire
from slp_assess.schemas import ANSWERS_SCHEMA_URL


@app.command()
def template(
    questionnaire: str = typer.Argument("slp-readiness", help="Bundled questionnaire id or a questionnaire file."),
    lang: str | None = typer.Option(None, "--lang", envvar="SLP_LANG", help="de or en; default: the questionnaire's default language."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write; default: standard output."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
    schema_url: str = typer.Option(ANSWERS_SCHEMA_URL, "--schema-url", help="JSON Schema named in the first line for editor completion, e.g. a local file from `slp schema answers -q ID -o FILE`; empty: none."),
) -> None:
    """Write a blank answer file; every question appears as a comment above its entry."""
    q = load_questionnaire(questionnaire)
    language = lang or q.default_language
    if language not in q.languages:
        raise UsageError(f"questionnaire {q.id!r} has no language {language!r}: use one of {', '.join(q.languages)}")
    text = answer_template(q, language, schema_url or None)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    if output.exists() and not force:
        raise UsageError(f"{output} exists: use --force to overwrite it")
    write_text_atomic(output, text)
    log(f"wrote {output}")
