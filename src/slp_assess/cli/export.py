"""`slp export`: a questionnaire as an online survey (XLSForm for KoboToolbox/ODK, LimeSurvey)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from slp_assess.cli.app import app, status_language, wrote
from slp_assess.errors import UsageError
from slp_assess.oneline import quoted
from slp_assess.outpath import refuse_folder_as_file
from slp_assess.survey.export import SurveyFormat


@app.command()
def export(
    questionnaire: str = typer.Argument("slp-readiness", metavar="QUESTIONNAIRE", help="Bundled questionnaire id or a questionnaire file."),
    to: SurveyFormat = typer.Option(..., "--to", metavar="FORMAT", help="xlsform (KoboToolbox, ODK; .xlsx) or limesurvey (survey structure, .txt)."),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help="File to write; limesurvey also to standard output (- or none)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
    lang: str | None = typer.Option(None, "--lang", metavar="LANG", help="Language of the status line (the survey holds every language): de or en; default: SLP_LANG, else German."),
) -> None:
    """Write the questionnaire as a survey to send out before the workshop.

    Every language of the questionnaire is in the survey, with "cannot judge" as a choice, a note
    field per question, the context questions and the respondent's side, name and date. Collect the
    responses there, export them as CSV or XLSX, and read them back with `slp import`.
    """
    from slp_assess.api import export_survey
    from slp_assess.atomic import write_bytes_atomic
    from slp_assess.i18n import check_language

    if lang is not None:
        check_language(lang)
    if output is None or output == "-":
        if to.binary:
            raise UsageError(f"--to {to.value} writes an .xlsx workbook: give a file with -o, e.g. -o umfrage{to.suffix}")
        data = export_survey(questionnaire, to)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    refuse_folder_as_file(output, "-o", f"umfrage{to.suffix}")
    suffix = Path(output).suffix
    if suffix.lower() != to.suffix:
        # KoboToolbox and LimeSurvey choose their reader by the suffix: a mismatch is refused on upload.
        written = f"{quoted(suffix)}" if suffix else "no suffix"
        raise UsageError(f"{output}: --to {to.value} writes a {to.suffix} file, not {written}: use e.g. -o umfrage{to.suffix}")
    if Path(output).exists() and not force:
        raise UsageError(f"{output} exists: use --force to overwrite it")
    data = export_survey(questionnaire, to)
    write_bytes_atomic(Path(output), data)
    wrote(output, status_language(lang))
