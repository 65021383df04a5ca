"""`slp migrate`: carry answer files over to the current questionnaire version."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from slp_assess import api
from slp_assess.batch import collect_files
from slp_assess.cli.app import app, print_error
from slp_assess.errors import ExitCode, InvalidInputError, UsageError
from slp_assess.i18n import message
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.migration import Dropped
from slp_assess.oneline import bare, one_line


@app.command()
def migrate(
    paths: list[Path] = typer.Argument(..., metavar="FILE_OR_DIR...", help="Answer files, or folders searched recursively for *.yaml/*.yml."),
    to: str | None = typer.Option(None, "--to", metavar="VERSION", help="The version to migrate to; must be the questionnaire's current one (e.g. 2.0)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    questionnaires: list[Path] = typer.Option([], "--questionnaire", "-q", metavar="FILE", help="Questionnaire file(s), old or new, the answer files refer to."),
    lang: str = typer.Option("de", "--lang", envvar="SLP_LANG", metavar="LANG", help="Language of the summary: de or en."),
) -> None:
    """Carry answer files over to the current version of their questionnaire through its shipped mapping.

    Every file is first copied to NAME.yaml.vOLD.bak; answers that cannot be carried over are listed with
    the reason. Exit codes: 0 done, 2 some file invalid (the others are still migrated), 3 usage error.
    """
    api.check_lang(lang)
    catalog = QuestionnaireCatalog.with_files(questionnaires)
    files = collect_files(paths)
    if not files:
        raise UsageError(f"no answer files (*.yaml, *.yml) found in: {', '.join(map(str, paths))}")
    invalid = 0
    for path in files:
        try:
            done = api.migrate_file(path, catalog, to, lang=lang, dry_run=dry_run)
        except InvalidInputError as exc:
            print_error(exc)
            invalid += 1
            continue
        _report(done, lang)
    if dry_run:
        sys.stdout.write(message("migrate.dry_run", lang) + "\n")
    if invalid:
        raise typer.Exit(ExitCode.INVALID_INPUT)


def _report(done: api.MigratedFile, lang: str) -> None:
    result = done.result
    if result is None:
        sys.stdout.write(one_line(message("migrate.current", lang, file=done.path, version=done.version)) + "\n")
        return
    lines = [message(
        "migrate.summary", lang, file=done.path, old=bare(result.from_version), new=done.version, kept=len(result.kept),
        renamed=len(result.renamed), rescaled=len(result.rescaled), dropped=len(result.dropped),
    )]
    lines += [message("migrate.renamed", lang, old=bare(old), new=new) for old, new in result.renamed]
    lines += [message("migrate.rescaled", lang, old=bare(old), new=new) for old, new in result.rescaled]
    lines += [" ".join([message("migrate.dropped", lang, id=bare(d.id), reason=d.reason), *_note_fate(d, lang)]) for d in result.dropped]
    if done.backup is not None:
        lines.append(message("migrate.backup", lang, path=done.backup))
    # File names, item ids and reasons come from the files: each line shown as written, never run.
    sys.stdout.write("\n".join(map(one_line, lines)) + "\n")


def _note_fate(dropped: Dropped, lang: str) -> list[str]:
    if dropped.note_to is not None:
        return [message("migrate.note_to", lang, id=dropped.note_to)]
    return [message("migrate.note_lost", lang)] if dropped.note_lost else []
