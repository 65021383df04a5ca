"""`slp score`: score many answer files."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, TextIO, cast

import typer

from slp_assess.atomic import StreamedFile
from slp_assess.batch import (
    POOL_MIN_FILES,
    Mode,
    collect_some_file_names,
    default_jobs,
    refuse_input_as_output,
    score_files_parallel,
)
from slp_assess.cli.app import app, debug, print_error, repeated_line, similar_lines, wrote
from slp_assess.cli.progress import progress_bar
from slp_assess.errors import ExitCode, InvalidInputError, Problem, UsageError
from slp_assess.i18n import check_language, message, pick
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.results import FileError, ScoreResult
from slp_assess.outpath import refuse_folder_as_file
from slp_assess.output import CsvDialect, GroupBy, ScoreFormatChoice
from slp_assess.output.interface import EncodedRecord, Record


@app.command()
def score(
    paths: list[Path] = typer.Argument(..., metavar="FILE_OR_DIR", help="Answer files, or folders searched recursively for *.yaml/*.yml."),
    output_format: ScoreFormatChoice | None = typer.Option(None, "--format", "-f", metavar="FORMAT", help="table, json, jsonl, csv or xlsx (needs -o); default: table on a terminal, json otherwise."),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to this file (replaced only once complete); default or '-': standard output."),
    fail_under: float | None = typer.Option(None, "--fail-under", min=0, max=100, metavar="SCORE", help="Exit 1 if any file's overall score is below this (0 to 100)."),
    questionnaires: list[Path] = typer.Option([], "--questionnaire", "-q", metavar="FILE", help="Extra questionnaire file(s) the answer files refer to."),
    lang: str = typer.Option("de", "--lang", envvar="SLP_LANG", metavar="LANG", help="Language of labels in the table: de or en."),
    group_by: GroupBy | None = typer.Option(None, "--group-by", metavar="partnership", help="One row per partnership, respondents aggregated as in `slp report`."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, metavar="N", help="Worker processes; default: one per CPU; 1 scores in this process. Batches under 50 files always score in this process."),
    csv_raw: bool = typer.Option(False, "--csv-raw", help="CSV for programs: text cells exactly as given. By default a cell starting with = + - @, a tab or a carriage return gets a leading ' so that spreadsheets do not run it as a formula, and control characters are written as \\x1b."),
    csv_dialect: CsvDialect | None = typer.Option(None, "--csv-dialect", metavar="DIALECT", help="rfc4180 (default: comma, decimal point) or excel-de (semicolon, decimal comma, UTF-8 BOM: opens directly in German Excel)."),
) -> None:
    """Score answer files, one result (or error record) per file.

    Exit codes: 0 all good, 1 --fail-under not met by some file, 2 some file invalid, 3 usage error,
    4 output cannot be written, 5 a worker process died.
    """
    check_language(lang)
    to_file = output not in (None, "-")
    chosen = output_format or (ScoreFormatChoice.TABLE if sys.stdout.isatty() and not to_file else ScoreFormatChoice.JSON)
    if csv_raw and chosen is not ScoreFormatChoice.CSV:
        raise UsageError("--csv-raw only applies to --format csv")
    if csv_dialect is not None and chosen is not ScoreFormatChoice.CSV:
        raise UsageError("--csv-dialect only applies to --format csv")
    if chosen is ScoreFormatChoice.XLSX and not to_file:
        raise UsageError("--format xlsx writes a workbook, not text: name the file with -o FILE.xlsx")
    refuse_folder_as_file(output, "-o", "ergebnisse.txt" if chosen is ScoreFormatChoice.TABLE else f"ergebnisse.{chosen.value}")
    refuse_input_as_output(output, [*paths, *questionnaires])
    catalog = QuestionnaireCatalog.with_files(questionnaires)
    files = collect_some_file_names(paths)
    outcome = _Outcome(fail_under, grouped=group_by is not None, lang=lang, catalog=catalog)
    workers = jobs or default_jobs()
    debug(message("score.verbose", lang, files=len(files), processes=workers if len(files) >= POOL_MIN_FILES else 1,
                  format=chosen.value))
    formatter = chosen.to_format(lang, catalog, csv_raw, csv_dialect, grouped=group_by is not None, files=files)
    if group_by:
        # The workbook lists respondents as well as partnerships; the other formats only partnerships.
        mode = Mode.RECORD_AND_TALLY if formatter.binary else Mode.TALLY
    else:
        mode = Mode.ENCODED if formatter.accepts_encoded else Mode.RECORD
    with progress_bar(len(files)) as advance:
        scored = score_files_parallel(files, questionnaires, workers, catalog, advance, mode=mode)
        # Closed on any exit, a closed pipe included, so the worker processes stop at once.
        with closing(scored):
            records: Iterator[Any] = scored
            if group_by is GroupBy.PARTNERSHIP:
                from slp_assess.api import group_records

                records = group_records(_unpaired(records) if mode is Mode.RECORD_AND_TALLY else records, catalog)
            watched = outcome.watch(records)
            if to_file:
                with StreamedFile(Path(str(output)), binary=formatter.binary) as handle:
                    if formatter.binary:
                        formatter.write_binary(watched, handle)
                    else:
                        formatter.write(watched, cast(TextIO, handle))
            else:
                formatter.write(watched, sys.stdout)
    sys.stdout.flush()
    similar_lines(outcome.partnerships, lang)
    if to_file:
        wrote(output, lang)
    raise typer.Exit(outcome.exit_code())


def _unpaired(pairs: Iterator[tuple[Record, Any]]) -> Iterator[Any]:
    """Each file's record, then its compact form for the aggregate (none for an invalid file)."""
    for record, tally in pairs:
        yield record
        if tally is not None:
            yield tally


class _Outcome:
    """Watches records as they stream past to decide the exit code."""

    def __init__(self, fail_under: float | None, grouped: bool = False, lang: str = "de",
                 catalog: QuestionnaireCatalog | None = None) -> None:
        self.fail_under = fail_under
        self.lang = lang
        self.catalog = catalog or QuestionnaireCatalog()
        self.partnerships: list[str] = []  # of the rows with --group-by, for names written nearly alike
        # With --group-by the threshold applies to partnerships, not to the respondents listed too.
        self.grouped = grouped
        self.invalid = 0
        self.below = 0

    def watch(self, records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            self._note(record)
            yield record

    def _note(self, record: Record) -> None:
        if isinstance(record, EncodedRecord):
            errors, score = record.errors, record.overall_score
        elif isinstance(record, FileError):
            errors, score = tuple(record.errors), None
        elif self.grouped and type(record) is ScoreResult:
            return
        else:  # a ScoreResult, or a PartnershipScore (its subclass) with --group-by
            errors, score = (), record.overall.score
            # A PartnershipScore (not imported for that: plain `score` starts without the report models).
            if repeated := getattr(record, "repeated_respondents", 0):
                # Named by its title, as `slp report` names it (the questionnaire scored these files).
                q = self.catalog.get(record.questionnaire.id, record.questionnaire.version)
                title = pick(q.title, self.lang) if q else f"{record.questionnaire.id} {record.questionnaire.version}"
                repeated_line(record.partnership, title, repeated, self.lang)
            if self.grouped and getattr(record, "respondents", None) is not None:
                self.partnerships.append(record.partnership)
        if errors:
            self.invalid += 1
            # As `slp validate` prints them: file, line, what is wrong and what to do about it.
            print_error(InvalidInputError([Problem(record.file, error.line, error.message, error.hint) for error in errors]))
        elif self.fail_under is not None and (score is None or score < self.fail_under):
            self.below += 1

    def exit_code(self) -> int:
        if self.invalid:
            return ExitCode.INVALID_INPUT
        if self.below:
            return ExitCode.BELOW_THRESHOLD
        return ExitCode.OK
