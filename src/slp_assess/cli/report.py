"""`slp report`: partnership reports (Markdown, HTML, JSON) and a portfolio index."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from slp_assess import api
from slp_assess.atomic import write_text_atomic
from slp_assess.cli.app import app, log, print_error
from slp_assess.errors import ExitCode, OutputError, UsageError
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.report import ReportFormat


def choose_format(chosen: ReportFormat | None, output: str | None) -> ReportFormat:
    """``--format``, else the output file's suffix, else Markdown."""
    if chosen:
        return chosen
    suffix = Path(output).suffix.lstrip(".") if output and output != "-" else ""
    return ReportFormat(suffix) if suffix in {f.value for f in ReportFormat} else ReportFormat.MD


def emit(text: str, output: str | None) -> None:
    """Write to stdout (no ``-o`` or ``-o -``) or atomically to a file."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_text_atomic(Path(output), text)
    log(f"wrote {output}")


@app.command()
def report(
    paths: list[Path] = typer.Argument(..., metavar="FILE_OR_DIR", help="Answer files, or folders searched recursively."),
    output_format: ReportFormat | None = typer.Option(None, "--format", "-f", metavar="FORMAT", help="md, html or json; default: from -o's suffix, else md."),
    output: str | None = typer.Option(None, "--output", "-o", metavar="PATH", help="File, or folder for several partnerships; default or '-': standard output."),
    lang: str = typer.Option("de", "--lang", envvar="SLP_LANG", metavar="LANG", help="Language of the report: de or en."),
    template_dir: Path | None = typer.Option(None, "--template-dir", metavar="DIR", help="Folder of Jinja2 templates overriding the bundled ones (sandboxed)."),
    anonymize: bool = typer.Option(False, "--anonymize", help="Leave out names, organisations and file names."),
    questionnaires: list[Path] = typer.Option([], "--questionnaire", "-q", metavar="FILE", help="Extra questionnaire file(s) the answer files refer to."),
) -> None:
    """Write a report per partnership: one respondent, or all respondents aggregated.

    Files of several partnerships need `-o FOLDER`: one report each plus index.html and index.md.
    Invalid files are reported on stderr (exit 2); reports of the valid files are still written.
    """
    catalog = QuestionnaireCatalog.with_files(questionnaires)
    invalid = write_reports(paths, catalog, output_format, output, lang, template_dir, anonymize)
    if invalid:
        sys.stderr.write(f"{invalid} invalid file(s) left out\n")
        raise typer.Exit(ExitCode.INVALID_INPUT)


def write_reports(
    paths: list[Path],
    catalog: QuestionnaireCatalog,
    output_format: ReportFormat | None,
    output: str | None,
    lang: str,
    template_dir: Path | None = None,
    anonymize: bool = False,
) -> int:
    """Load, aggregate and render reports to ``output``; print the invalid files; return how many there were.

    Shared by `slp report` and `slp assess --report`.
    """
    api.check_lang(lang)
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"{template_dir}: no such template folder")
    loaded = api.load_assessments(paths, catalog)
    for problem in loaded.invalid:
        print_error(problem)
    generated = api.report_date()
    partnerships = api.partnerships(loaded)
    if not partnerships:
        if loaded.invalid:
            raise typer.Exit(ExitCode.INVALID_INPUT)
        raise UsageError(f"no answer files (*.yaml, *.yml) found in: {', '.join(map(str, paths))}")
    folder = api.is_folder_output(output)
    if len(partnerships) > 1 and not folder:
        _refuse_single_output(output, partnerships)
    fmt = choose_format(output_format, None if folder else output)
    if folder:
        target = Path(output or ".")
        written = api.write_portfolio_of(target, loaded, fmt, lang, template_dir, generated, anonymize=anonymize)
        count = sum(1 for path in written if path.stem != api.INDEX_STEM)
        log(f"wrote {count} report(s) and an index to {target}")
    else:
        reports = api.build_reports(loaded, lang=lang, anonymize=anonymize, generated=generated)
        [text] = api.render_reports(reports, fmt, lang, template_dir)
        emit(text, output)
    return len(loaded.invalid)


def _refuse_single_output(output: str | None, partnerships: list[str]) -> None:
    """Several partnerships cannot share one file: a usage error, or exit 4 when a file stands where the folder would be."""
    shown = ", ".join(repr(name) for name in partnerships[:3]) + (", …" if len(partnerships) > 3 else "")
    if output not in (None, "-") and not Path(output).suffix and Path(output).exists():
        raise OutputError(f"cannot write {len(partnerships)} reports ({shown}) into {output}: it is a file, not a folder")
    raise UsageError(f"the files belong to {len(partnerships)} partnerships ({shown}): use -o FOLDER for one report each")
