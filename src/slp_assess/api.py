"""The Python API: the pipeline functions every command is a shell over.

load → validate → score → aggregate → render, for notebooks and scripts as for the CLI::

    from pathlib import Path
    from slp_assess import api

    catalog = api.QuestionnaireCatalog()
    loaded = api.load_assessments([Path("examples/lindenau")], catalog)
    [report] = api.build_reports(loaded, lang="de")
    report.overall.score, [p.factor_title for p in report.priorities]

Nothing here prints or exits: invalid files come back as problems, files written as paths.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from slp_assess import __version__
from slp_assess.aggregate import Assessment, assessment_of
from slp_assess.atomic import write_text_atomic
from slp_assess.batch import collect_files
from slp_assess.errors import InvalidInputError, OutputError
from slp_assess.i18n import check_language
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.report import AggregateReport, PortfolioIndex
from slp_assess.naming import source_date, unique_stems
from slp_assess.output.interface import Record
from slp_assess.portfolio import group_assessments, group_by_partnership, index_row
from slp_assess.report import ReportFormat
from slp_assess.reportdata import build_report

__all__ = [
    "GENERATOR", "Assessment", "Loaded", "QuestionnaireCatalog", "build_reports", "check_lang", "group_records",
    "load_assessments", "render_reports", "report_date", "write_portfolio",
]

GENERATOR = f"slp-assess {__version__}"
# index.html, index.md (and index.json) of a portfolio; no report may take this name.
INDEX_STEM = "index"


@dataclass
class Loaded:
    """Valid assessments with their questionnaires, and the problems of the invalid files.

    Attributes:
        questionnaires: by ``ID@VERSION``.
        invalid: one error per invalid file, each holding every problem of that file.
    """

    assessments: list[Assessment] = field(default_factory=list)
    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)
    invalid: list[InvalidInputError] = field(default_factory=list)


def check_lang(lang: str) -> str:
    """Refuse a language the tool's texts do not exist in."""
    return check_language(lang)


def load_assessments(paths: list[Path], catalog: QuestionnaireCatalog) -> Loaded:
    """Load, validate and score every answer file under ``paths``; invalid files are collected, not fatal."""
    loaded = Loaded()
    for path in collect_files(paths):
        try:
            answers, questionnaire = load_answer_file(path, catalog)
        except InvalidInputError as exc:
            loaded.invalid.append(exc)
            continue
        loaded.questionnaires[f"{questionnaire.id}@{questionnaire.version}"] = questionnaire
        loaded.assessments.append(assessment_of(answers, questionnaire, str(path)))
    return loaded


def report_date() -> str | None:
    """The report date from ``SOURCE_DATE_EPOCH`` (reproducible builds), never from the clock."""
    day = source_date()
    return day.isoformat() if day else None


def build_reports(
    loaded: Loaded, *, lang: str = "de", anonymize: bool = False, generated: str | None = None
) -> list[AggregateReport]:
    """One report per partnership (and questionnaire version), sorted by partnership."""
    check_lang(lang)
    return [
        build_report(loaded.questionnaires[f"{qid}@{version}"], group, lang=lang, anonymize=anonymize,
                     generated=generated, generator=GENERATOR)
        for (_, qid, version), group in group_assessments(loaded.assessments).items()
    ]


def render_reports(reports: list[AggregateReport], fmt: ReportFormat, lang: str, template_dir: Path | None = None) -> list[str]:
    """The text of each report in one format."""
    renderer = fmt.to_renderer(lang, template_dir)
    return [renderer.render(r) for r in reports]


def portfolio_names(reports: list[AggregateReport], fmt: ReportFormat) -> list[str]:
    """A file name per report, from its partnership's name.

    Names are unique, at most 80 characters before the suffix and never ``index``; a partnership with
    reports for several questionnaires gets the questionnaire in each name.
    """
    per_partnership = Counter(r.meta.partnership for r in reports)
    names = [
        r.meta.partnership if per_partnership[r.meta.partnership] == 1
        else f"{r.meta.partnership} {r.meta.questionnaire.id} {r.meta.questionnaire.version}"
        for r in reports
    ]
    return [f"{stem}{fmt.suffix}" for stem in unique_stems(names, "partnership", reserved=(INDEX_STEM,))]


def write_portfolio(
    folder: Path, reports: list[AggregateReport], fmt: ReportFormat, lang: str,
    template_dir: Path | None = None, generated: str | None = None,
) -> list[Path]:
    """One report per partnership plus ``index.html``/``index.md`` in ``folder``; the paths written.

    Everything is rendered before anything is written, so a template error leaves no half portfolio.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write the reports into {folder}: it is a file, not a folder")
    names = portfolio_names(reports, fmt)
    texts = dict(zip(names, render_reports(reports, fmt, lang, template_dir), strict=True))
    index = PortfolioIndex(
        language=lang, generated=generated, generator=GENERATOR,
        rows=[index_row(r, name) for name, r in zip(names, reports, strict=True)],
    )
    index_formats = [ReportFormat.HTML, ReportFormat.MD] + ([ReportFormat.JSON] if fmt is ReportFormat.JSON else [])
    for index_fmt in index_formats:
        texts[f"{INDEX_STEM}{index_fmt.suffix}"] = index_fmt.to_renderer(lang, template_dir).render_index(index)
    written = []
    for name, text in texts.items():
        write_text_atomic(folder / name, text)
        written.append(folder / name)
    return written


def is_folder_output(output: str | None) -> bool:
    """Whether ``-o`` names a folder: an existing one, a path ending in ``/``, or a new path without a suffix.

    An existing file without a suffix (``-o results``, ``-o /dev/null``) is a file: one report can go
    there; several partnerships need a folder.
    """
    if output is None or output == "-":
        return False
    path = Path(output)
    if path.is_dir() or output.endswith(("/", os.sep)):
        return True
    return not path.suffix and not path.exists()


def group_records(records: Iterable[Record], catalog: QuestionnaireCatalog) -> Iterator[Record]:
    """One aggregated ``score`` record per partnership; error records pass through."""
    return group_by_partnership(records, lambda file: load_answer_file(Path(file), catalog))
