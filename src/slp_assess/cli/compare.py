"""`slp compare`: progress of one partnership between two assessments."""

from __future__ import annotations

from pathlib import Path

import typer

from slp_assess import api
from slp_assess.batch import refuse_input_as_output
from slp_assess.cli.app import app, print_error, wrote
from slp_assess.cli.report import FORMATS_HELP, choose_format, emit
from slp_assess.comparison import compare, refuse_other_version
from slp_assess.errors import ExitCode, UsageError
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.report import AggregateReport
from slp_assess.oneline import quoted
from slp_assess.outpath import refuse_folder_as_file
from slp_assess.report import ReportFormat


def _side(path: Path, catalog: QuestionnaireCatalog, lang: str, generated: str | None) -> AggregateReport:
    loaded = api.load_assessments([path], catalog)
    for problem in loaded.invalid:
        print_error(problem)
    if loaded.invalid:
        raise typer.Exit(ExitCode.INVALID_INPUT)
    reports = api.build_reports(loaded, lang=lang, generated=generated)
    if len(reports) != 1:
        found = "no answer files" if not reports else f"{len(reports)} partnerships"
        raise UsageError(f"{path}: expected the answer files of one partnership, found {found}")
    return reports[0]


@app.command(name="compare")
def compare_command(
    old: Path = typer.Argument(..., metavar="OLD", help="Earlier assessment: an answer file or a folder of them."),
    new: Path = typer.Argument(..., metavar="NEW", help="Later assessment of the same partnership."),
    output_format: ReportFormat | None = typer.Option(None, "--format", "-f", metavar="FORMAT", help=FORMATS_HELP),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help="File to write; default or '-': standard output."),
    lang: str = typer.Option("de", "--lang", envvar="SLP_LANG", metavar="LANG", help="Language: de or en."),
    template_dir: Path | None = typer.Option(None, "--template-dir", metavar="DIR", help="Folder of Jinja2 templates overriding the bundled ones (sandboxed)."),
    questionnaires: list[Path] = typer.Option([], "--questionnaire", "-q", metavar="FILE", help="Extra questionnaire file(s) the answer files refer to."),
) -> None:
    """Compare two assessments of one partnership: change per factor and overall, changed factors first."""
    api.check_lang(lang)
    refuse_folder_as_file(output, "-o", f"vergleich.{(output_format or ReportFormat.MD).value}")
    fmt = choose_format(output_format, output)
    refuse_input_as_output(output, [old, new, *questionnaires])
    catalog = QuestionnaireCatalog.with_files(questionnaires)
    generated = api.report_date()
    before = _side(old, catalog, lang, generated)
    after = _side(new, catalog, lang, generated)
    if before.meta.questionnaire.id != after.meta.questionnaire.id:
        raise UsageError(
            f"OLD uses questionnaire {quoted(before.meta.questionnaire.id)}, NEW {quoted(after.meta.questionnaire.id)}: "
            "only assessments with the same questionnaire can be compared"
        )
    refuse_other_version(before.meta.questionnaire, after.meta.questionnaire, "OLD", "NEW")
    if before.meta.partnership != after.meta.partnership:
        raise UsageError(
            f"OLD is about {quoted(before.meta.partnership)}, NEW about {quoted(after.meta.partnership)}: "
            "compare two assessments of the same partnership"
        )
    renderer = fmt.to_renderer(lang, template_dir)
    comparison = compare(before, after)
    emit(renderer.render_compare(comparison), output, renderer, comparison.generated, lambda path: wrote(path, lang))
