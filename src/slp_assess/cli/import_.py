"""`slp import`: survey responses (CSV/XLSX) -> one answer file per respondent."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from slp_assess.cli.app import app, log
from slp_assess.errors import UsageError
from slp_assess.oneline import listed, quoted
from slp_assess.outpath import refuse_folder_as_file


@app.command("import")
def import_(
    responses: Path = typer.Argument(..., metavar="RESPONSES", help="Responses as .csv or .xlsx (one row per respondent)."),
    questionnaire: str = typer.Option(..., "--questionnaire", "-q", metavar="ID", help="Bundled questionnaire id or a questionnaire file."),
    map_file: Path | None = typer.Option(None, "--map", metavar="FILE", help="Map file: column -> item id or header field, answer text -> key."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="DIR", help="Folder for the answer files."),
    suggest: str | None = typer.Option(None, "--suggest-map", metavar="FILE", help="Write a draft map for this sheet to FILE (- for standard output) instead of importing."),
    strict: bool = typer.Option(False, "--strict", help="Columns that match no question are an error, not only listed."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing answer files."),
    incomplete: bool = typer.Option(False, "--incomplete", help="LimeSurvey: also import responses never submitted (empty submitdate)."),
    sheet: str | None = typer.Option(None, "--sheet", metavar="NAME", help=".xlsx: the worksheet to read; default: the first."),
    lang: str = typer.Option("de", "--lang", envvar="SLP_LANG", metavar="LANG", help="Language of the summary: de or en."),
) -> None:
    """Turn survey responses into answer files, ready for `slp score` and `slp report`.

    Exports of `slp export` (KoboToolbox, ODK, LimeSurvey; CSV or XLSX) need no configuration;
    any other sheet (Microsoft Forms, SoSci Survey, a hand-made table) needs a map: draft one with
    --suggest-map. Every problem is reported with its row and column, and then nothing is written
    (exit 2). Existing answer files are kept unless --force is given (exit 3).
    """
    from slp_assess import api
    from slp_assess.i18n import message

    api.check_lang(lang)
    if suggest is not None:
        if output is not None or map_file is not None:
            raise UsageError("--suggest-map drafts a map and imports nothing: leave out -o and --map")
        refuse_folder_as_file(suggest, "--suggest-map", "map.yaml")
        draft = api.suggest_map(responses, questionnaire, sheet=sheet)
        if suggest == "-":
            sys.stdout.write(draft.text)
        else:
            if Path(suggest).exists() and not force:
                raise UsageError(f"{suggest} exists: use --force to overwrite it")
            from slp_assess.atomic import write_text_atomic

            write_text_atomic(Path(suggest), draft.text)
            log(message("import.map_written", lang, path=suggest, open=draft.open_points))
        return
    if output is None:
        raise UsageError("give the folder for the answer files with -o, e.g. -o antworten/ (or draft a map with --suggest-map)")
    result, written = api.import_into(responses, questionnaire, output, map_file, strict=strict, sheet=sheet, force=force,
                                     incomplete=incomplete)
    log(message("import.wrote", lang, count=len(written), folder=output))
    if result.metadata:
        log(message("import.metadata", lang, columns=_listed(result.metadata)))
    if result.unmapped:
        log(message("import.unmapped", lang, columns=_listed(result.unmapped)))
    if result.without_column:
        log(message("import.no_column", lang, ids=", ".join(result.without_column)))


def _listed(columns: list[str]) -> str:
    return listed(columns, quoted, None)
