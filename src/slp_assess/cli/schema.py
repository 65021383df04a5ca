"""`slp schema`: print the JSON Schema of a file format, generated from the models."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from slp_assess.cli.app import app, status_language, wrote
from slp_assess.errors import UsageError
from slp_assess.i18n import check_language
from slp_assess.oneline import quoted
from slp_assess.outpath import refuse_folder_as_file
from slp_assess.schemas import SchemaChoice


@app.command()
def schema(
    kind: SchemaChoice = typer.Argument(..., metavar="KIND", help="questionnaire, answers, result (of `slp score`), report (data of `slp report`) or map (of `slp import --map`)."),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help="File to write; default: standard output."),
    questionnaire: str | None = typer.Option(None, "--questionnaire", "-q", metavar="ID_OR_FILE", help="answers only: specialise to this questionnaire (id or file) for completion of item ids and scale keys."),
    lang: str | None = typer.Option(None, "--lang", envvar="SLP_LANG", metavar="LANG", help="Language of the descriptions with --questionnaire."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Print a JSON Schema (draft 2020-12) for editors and other tools.

    Point an editor at it with a first line `# yaml-language-server: $schema=` followed by the schema's URL or file.
    """
    from slp_assess.atomic import write_text_atomic
    from slp_assess.schemas import answers_schema_for, dumps, generate

    if lang is not None:
        check_language(lang)
    refuse_folder_as_file(output, "-o", f"{kind.value}.schema.json")
    # As `slp template` and `slp export`: `-o answers.yaml` by mistake must not replace filled-in answers.
    if output not in (None, "-") and Path(output).exists() and not force:
        raise UsageError(f"{output} exists: use --force to overwrite it")
    if questionnaire is not None:
        if kind is not SchemaChoice.ANSWERS:
            raise UsageError("--questionnaire works with `slp schema answers` only")
        from slp_assess.loading import load_questionnaire

        q = load_questionnaire(questionnaire)
        if lang is not None and lang not in q.languages:
            raise UsageError(f"questionnaire {quoted(q.id)} has no language {quoted(lang)}: use one of {', '.join(q.languages)}")
        document = answers_schema_for(q, lang)
    else:
        try:
            document = generate(kind)
        except LookupError as exc:
            raise UsageError(str(exc)) from None
    text = dumps(document)
    if output is None or output == "-":
        sys.stdout.write(text)
    else:
        write_text_atomic(Path(output), text)
        wrote(output, status_language(lang))
