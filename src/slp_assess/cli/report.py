"""`slp report`: partnership reports (Markdown, HTML, JSON, PDF) and a portfolio index."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import typer

from slp_assess import api
from slp_assess.atomic import StreamedFile, write_bytes_atomic, write_text_atomic
from slp_assess.batch import refuse_input_as_output
from slp_assess.cli.app import ClosedPipe, StreamError, app, log, print_error, repeated_line, similar_lines, wrote
from slp_assess.comparison import refuse_other_version
from slp_assess.errors import ExitCode, OutputError, UsageError
from slp_assess.i18n import message
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.report import AggregateReport, IndexRow
from slp_assess.models.results import QuestionnaireRef
from slp_assess.oneline import listed, quoted
from slp_assess.report import ReportFormat
from slp_assess.report.interface import ReportRenderer

FORMATS_HELP = "md, html, json or pdf; default: from -o's suffix, else md."


def choose_format(chosen: ReportFormat | None, output: str | None) -> ReportFormat:
    """``--format``, else the output file's suffix, else Markdown; an unknown suffix is a usage error.

    A report is never written in a format the file name does not promise (Markdown in ``out.docx``).
    """
    if chosen:
        return chosen
    suffix = Path(output).suffix if output and output != "-" else ""
    if not suffix:
        return ReportFormat.MD
    known = {f.suffix: f for f in ReportFormat}
    if suffix.lower() in known:
        return known[suffix.lower()]
    supported = ", ".join(f.suffix for f in ReportFormat)
    raise UsageError(f"-o {output}: unknown suffix {quoted(suffix)}; use {supported} or name the format with --format ({', '.join(ReportFormat)})")


# Says what was written: a report file, or the folder of a portfolio (``slp assess`` words it in the session's language).
Announce = Callable[[str], None]


def emit(text: str, output: str | None, renderer: ReportRenderer | None, date: str | None, announce: Announce) -> None:
    """Write to stdout (no ``-o`` or ``-o -``) or atomically to a file; a binary format as its bytes.

    ``announce``: what to call with the file written (``wrote FILE`` in the command's language).
    """
    if renderer is not None and renderer.binary:
        _emit_bytes(renderer.to_bytes(text, date), output, announce)
        return
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_text_atomic(Path(output), text)
    announce(output)


def _emit_bytes(data: bytes, output: str | None, announce: Announce) -> None:
    if output is not None and output != "-":
        write_bytes_atomic(Path(output), data)
        announce(output)
        return
    if sys.stdout.isatty():
        raise UsageError("a PDF is not for the terminal: write it with -o report.pdf (or redirect standard output)")
    sys.stdout.flush()
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise ClosedPipe from None
    except OSError as exc:
        raise StreamError("standard output", exc) from None


@app.command()
def report(
    paths: list[Path] = typer.Argument(..., metavar="FILE_OR_DIR", help="Answer files, or folders searched recursively."),
    output_format: ReportFormat | None = typer.Option(None, "--format", "-f", metavar="FORMAT", help=FORMATS_HELP),
    output: str | None = typer.Option(None, "--output", "-o", metavar="PATH", help="File, or folder for several partnerships; default or '-': standard output."),
    lang: str = typer.Option("de", "--lang", envvar="SLP_LANG", metavar="LANG", help="Language of the report: de or en."),
    template_dir: Path | None = typer.Option(None, "--template-dir", metavar="DIR", help="Folder of Jinja2 templates overriding the bundled ones (sandboxed)."),
    anonymize: bool = typer.Option(False, "--anonymize", help="Leave out names, organisations and file names, and the participants' notes and free-text answers (see --keep-notes)."),
    keep_notes: bool = typer.Option(False, "--keep-notes", help="With --anonymize, keep the notes and free-text answers. They are printed as written: names in them are your responsibility."),
    previous: Path | None = typer.Option(None, "--previous", metavar="OLD_DIR_OR_FILE", help="Answer files of an earlier assessment: its scores are shown beside today's, per partnership."),
    questionnaires: list[Path] = typer.Option([], "--questionnaire", "-q", metavar="FILE", help="Extra questionnaire file(s) the answer files refer to."),
) -> None:
    """Write a report per partnership: one respondent, or all respondents aggregated.

    Files of several partnerships need `-o FOLDER`: one report each plus index.html and index.md.
    Invalid files are reported on stderr (exit 2); reports of the valid files are still written.
    A PDF (`-o report.pdf` or `--format pdf`) is printed by Chromium or Google Chrome.
    """
    refuse_input_as_output(output, [*paths, *questionnaires, *([previous] if previous else [])])
    catalog = QuestionnaireCatalog.with_files(questionnaires)
    invalid = write_reports(paths, catalog, output_format, output, lang, template_dir, anonymize,
                            previous=previous, keep_notes=keep_notes)
    if invalid:
        sys.stderr.write(message("cli.invalid_left_out", lang, count=invalid) + "\n")
        raise typer.Exit(ExitCode.INVALID_INPUT)


def write_reports(
    paths: list[Path],
    catalog: QuestionnaireCatalog,
    output_format: ReportFormat | None,
    output: str | None,
    lang: str,
    template_dir: Path | None = None,
    anonymize: bool = False,
    *,
    previous: Path | None = None,
    keep_notes: bool = False,
    announce: Announce | None = None,
) -> int:
    """Load, aggregate and render reports to ``output``; print the invalid files; return how many there were.

    Shared by `slp report` and `slp assess --report`; ``announce`` (see ``emit``) replaces the ``wrote`` lines.
    """
    api.check_lang(lang)
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"{template_dir}: no such template folder")
    folder = api.is_folder_output(output)
    fmt = choose_format(output_format, None if folder else output)
    if folder:
        # The workers that load the files keep them and write the reports.
        with api.loading_for_portfolio(paths, catalog) as loaded:
            return _write_loaded(loaded, paths, catalog, fmt, output, lang, template_dir, anonymize, previous, keep_notes, announce)
    return _write_loaded(api.load_assessments(paths, catalog), paths, catalog, fmt, output, lang, template_dir, anonymize,
                         previous, keep_notes, announce)


def _write_loaded(loaded: api.Loaded, paths: list[Path], catalog: QuestionnaireCatalog, fmt: ReportFormat,
                  output: str | None, lang: str, template_dir: Path | None, anonymize: bool, previous: Path | None,
                  keep_notes: bool, announce: Announce | None) -> int:
    folder = api.is_folder_output(output)
    for problem in loaded.invalid:
        print_error(problem)
    generated = api.report_date()
    partnerships = api.partnerships(loaded)
    similar_lines(partnerships, lang)
    if not partnerships:
        if loaded.invalid:
            raise typer.Exit(ExitCode.INVALID_INPUT)
        raise UsageError(f"no answer files (*.yaml, *.yml) found in: {', '.join(map(str, paths))}")
    if len(partnerships) > 1 and not folder:
        _refuse_single_output(output, partnerships)
    earlier = _earlier(previous, catalog, lang, generated, api.report_keys(loaded)) if previous is not None else []
    if folder:
        target = Path(output or ".")

        def name_repeated(rows: list[IndexRow]) -> None:
            for row in rows:
                if row.repeated_respondents:
                    repeated_line(row.partnership, row.questionnaire, row.repeated_respondents, lang)

        written = api.write_portfolio_of(target, loaded, fmt, lang, template_dir, generated, anonymize=anonymize,
                                         keep_notes=keep_notes, earlier=earlier, on_index=name_repeated)
        count = sum(1 for path in written if path.stem != api.INDEX_STEM)
        if announce is not None:
            announce(str(target))
        else:
            log(message("cli.wrote_portfolio", lang, count=count, folder=target))
    else:
        announce = announce or (lambda path: wrote(path, lang))
        [report] = api.build_reports(loaded, lang=lang, anonymize=anonymize, generated=generated, keep_notes=keep_notes,
                                     earlier=earlier)
        if report.summary.repeated_respondents:
            repeated_line(report.meta.partnership, report.meta.questionnaire_title, len(report.summary.repeated_respondents), lang)
        renderer = fmt.to_renderer(lang, template_dir)
        if renderer.binary or output is None or output == "-":
            emit(renderer.render(report), output, renderer, report.meta.generated, announce)
        else:
            # Straight into the file, piece by piece: the report of a large partnership (15 MB of
            # HTML at 10,000 respondents) is never held whole in memory, nor its bytes beside it.
            with StreamedFile(Path(output)) as handle:
                handle.writelines(renderer.render_pieces(report))
            announce(output)
    return len(loaded.invalid)


def _earlier(path: Path, catalog: QuestionnaireCatalog, lang: str, generated: str | None,
             wanted: set[tuple[str, str, str]]) -> list[AggregateReport]:
    """The reports of the earlier assessment(s) in ``path``; an invalid file there is an error, as in `slp compare`.

    ``wanted`` are the (partnership, questionnaire id, version) of today's reports; one of them must
    be there, and an earlier report of another version of the same questionnaire is refused.
    """
    loaded = api.load_assessments([path], catalog)
    if loaded.invalid:
        for problem in loaded.invalid:
            print_error(problem)
        raise typer.Exit(ExitCode.INVALID_INPUT)
    earlier = api.build_reports(loaded, lang=lang, generated=generated)
    if not earlier:
        raise UsageError(f"--previous {path}: no answer files (*.yaml, *.yml) found")
    today = {(partnership, qid): QuestionnaireRef(id=qid, version=version) for partnership, qid, version in wanted}
    for report in earlier:
        if (now := today.get((report.meta.partnership, report.meta.questionnaire.id))) is not None:
            refuse_other_version(report.meta.questionnaire, now, f"--previous {path}", "today's files")
    if not any((r.meta.partnership, r.meta.questionnaire.id) in today for r in earlier):
        found = listed(sorted({r.meta.partnership for r in earlier}))
        raise UsageError(f"--previous {path}: no earlier assessment of the same partnership and questionnaire (found {found})")
    return earlier


def _refuse_single_output(output: str | None, partnerships: list[str]) -> None:
    """Several reports cannot share one file: a usage error, or exit 4 when a file stands where the folder would be.

    There is a report per partnership and questionnaire, so one partnership can make several.
    """
    names = list(dict.fromkeys(partnerships))
    shown = ", ".join(quoted(name) for name in names[:3]) + (", …" if len(names) > 3 else "")
    if output not in (None, "-") and not Path(output).suffix and Path(output).exists():
        raise OutputError(f"cannot write {len(partnerships)} reports ({shown}) into {output}: it is a file, not a folder")
    if len(names) == len(partnerships):
        raise UsageError(f"the files belong to {len(partnerships)} partnerships ({shown}): use -o FOLDER for one report each")
    raise UsageError(f"the files make {len(partnerships)} reports, one per partnership and questionnaire ({shown}): "
                     "use -o FOLDER for one report each")
