"""`slp validate`: check questionnaires (and answer files) and report every problem."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from slp_assess.batch import collect_some_files
from slp_assess.cli.app import Verbosity, app, print_error, status_language
from slp_assess.errors import ExitCode, InvalidInputError
from slp_assess.i18n import check_language, message
from slp_assess.loading import QuestionnaireCatalog, load_answer_file, load_questionnaire_file
from slp_assess.oneline import one_line
from slp_assess.yamlio import read_yaml


@app.command()
def validate(
    paths: list[Path] = typer.Argument(..., metavar="FILE", help="Questionnaire or answer files, or folders of them."),
    questionnaires: list[Path] = typer.Option([], "--questionnaire", "-q", metavar="FILE", help="Questionnaire file(s) that answer files refer to."),
    lang: str | None = typer.Option(None, "--lang", metavar="LANG", help="Language of the summary line: de or en; default: SLP_LANG, else German."),
) -> None:
    """Validate questionnaire and answer files; print every problem with file, line and hint.

    A file with a top-level `sections` key is a questionnaire; one with `answers` or
    `questionnaire` is an answer file. Exit code 2 if any problem is found.
    """
    if lang is not None:  # only when given: SLP_LANG is not checked, `slp validate` needs no language
        check_language(lang)
    catalog = QuestionnaireCatalog.with_files(questionnaires)
    lang = status_language(lang)
    failed = 0
    files = collect_some_files(paths)
    for path in files:
        try:
            _validate_one(path, catalog)
        except InvalidInputError as exc:
            failed += 1
            print_error(exc)
        else:
            if not Verbosity.quiet:
                sys.stdout.write(one_line(message("validate.ok", lang, file=path)) + "\n")
    if failed:
        sys.stderr.write(message("validate.invalid", lang, failed=failed, total=len(files)) + "\n")
        raise typer.Exit(ExitCode.INVALID_INPUT)


def _validate_one(path: Path, catalog: QuestionnaireCatalog) -> None:
    data = read_yaml(path).data
    if isinstance(data, dict) and "sections" in data:
        load_questionnaire_file(path)
    else:
        load_answer_file(path, catalog)
