"""`slp report`: partnership reports (Markdown, HTML, JSON) and a portfolio index."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import typer

from slp_assess import __version__
from slp_assess.aggregate import Assessment, aggregate
from slp_assess.atomic import write_text_atomic
from slp_assess.batch import collect_files
from slp_assess.cli.app import app, log, print_error
from slp_assess.errors import ExitCode, InvalidInputError, UsageError
from slp_assess.i18n import LANGUAGES
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.report import AggregateReport, PortfolioIndex
from slp_assess.naming import slug, source_date
from slp_assess.output.interface import Record
from slp_assess.portfolio import group_assessments, group_by_partnership, index_row
from slp_assess.report import ReportFormat
from slp_assess.scoring import score_answers

GENERATOR = f"slp-assess {__version__}"


@dataclass
class Loaded:
    """Valid assessments with their questionnaires, and how many files were invalid."""

    assessments: list[Assessment] = field(default_factory=list)
    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)
    invalid: int = 0


def load_assessments(paths: list[Path], catalog: QuestionnaireCatalog) -> Loaded:
    """Load and score every file; invalid ones are reported on stderr and counted, not fatal."""
    loaded = Loaded()
    for path in collect_files(paths):
        try:
            answers, questionnaire = load_answer_file(path, catalog)
        except InvalidInputError as exc:
            print_error(exc)
            loaded.invalid += 1
            continue
        loaded.questionnaires[questionnaire.id] = questionnaire
        loaded.assessments.append(Assessment(answers, score_answers(answers, questionnaire, str(path))))
    return loaded


def report_date() -> str | None:
    """The report date from ``SOURCE_DATE_EPOCH`` (reproducible builds), never from the clock."""
    day = source_date()
    return day.isoformat() if day else None


def check_lang(lang: str) -> str:
    """Reject languages the report texts do not exist in."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


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


def _is_folder(output: str | None) -> bool:
    if output is None or output == "-":
        return False
    path = Path(output)
    return path.is_dir() or output.endswith(("/", os.sep)) or not path.suffix


@app.command()
def report(
    paths: list[Path] = typer.Argument(..., metavar="FILE_OR_DIR...", help="Answer files, or folders searched recursively."),
    output_format: ReportFormat | None = typer.Option(None, "--format", "-f", help="md, html or json; default: from -o's suffix, else md."),
    output: str | None = typer.Option(None, "--output", "-o", help="File, or folder for several partnerships; default or '-': standard output."),
    lang: str = typer.Option("de", "--lang", envvar="SLP_LANG", help="Language of the report: de or en."),
    template_dir: Path | None = typer.Option(None, "--template-dir", help="Folder of Jinja2 templates overriding the bundled ones (sandboxed)."),
    anonymize: bool = typer.Option(False, "--anonymize", help="Leave out names, organisations and file names."),
    questionnaires: list[Path] = typer.Option([], "--questionnaire", "-q", help="Extra questionnaire file(s) the answer files refer to."),
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
    """Load, aggregate and render reports to ``output``; return how many files were invalid.

    Shared by `slp report` and `slp assess --report`.
    """
    check_lang(lang)
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"{template_dir}: no such template folder")
    loaded = load_assessments(paths, catalog)
    groups = group_assessments(loaded.assessments)
    if not groups:
        if loaded.invalid:
            raise typer.Exit(ExitCode.INVALID_INPUT)
        raise UsageError("no answer files found")
    folder = _is_folder(output)
    if len(groups) > 1 and not folder:
        names = "; ".join(p or "(unnamed)" for p, _ in groups)
        raise UsageError(f"the files belong to {len(groups)} partnerships ({names}): use -o FOLDER for one report each")
    fmt = choose_format(output_format, None if folder else output)
    renderer = fmt.to_renderer(lang, template_dir)
    generated = report_date()
    reports = [
        aggregate(loaded.questionnaires[qid], group, lang=lang, anonymize=anonymize, generated=generated, generator=GENERATOR)
        for (_, qid), group in groups.items()
    ]
    if folder:
        _write_portfolio(Path(output or "."), reports, fmt, lang, template_dir, generated)
    else:
        emit(renderer.render(reports[0]), output)
    return loaded.invalid


def _write_portfolio(
    folder: Path, reports: list[AggregateReport], fmt: ReportFormat, lang: str, template_dir: Path | None, generated: str | None
) -> None:
    # Render everything first: a template error must not leave half a portfolio behind.
    renderer = fmt.to_renderer(lang, template_dir)
    names: list[str] = []
    for r in reports:
        base = slug(r.meta.partnership, "partnership")
        name = f"{base}{fmt.suffix}" if f"{base}{fmt.suffix}" not in names else f"{base}-{slug(r.meta.questionnaire.id)}{fmt.suffix}"
        names.append(name)
    texts = {name: renderer.render(r) for name, r in zip(names, reports, strict=True)}
    index = PortfolioIndex(
        language=lang, generated=generated, generator=GENERATOR,
        rows=[index_row(r, name) for name, r in zip(names, reports, strict=True)],
    )
    index_formats = [ReportFormat.HTML, ReportFormat.MD] + ([ReportFormat.JSON] if fmt is ReportFormat.JSON else [])
    for index_fmt in index_formats:
        texts[f"index{index_fmt.suffix}"] = index_fmt.to_renderer(lang, template_dir).render_index(index)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        write_text_atomic(folder / name, text)
    log(f"wrote {len(reports)} report(s) and an index to {folder}")


def group_records(records: Iterable[Record], catalog: QuestionnaireCatalog) -> Iterator[Record]:
    """One aggregated ``score`` record per partnership; error records pass through."""
    return group_by_partnership(records, lambda file: load_answer_file(Path(file), catalog))
