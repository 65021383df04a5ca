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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from slp_assess import __version__
from slp_assess.aggregate import Assessment, assessment_of
from slp_assess.assess import store
from slp_assess.assess.manifest import MANIFEST_NAME, read_manifest
from slp_assess.atomic import write_text_atomic
from slp_assess.batch import collect_files
from slp_assess.errors import InvalidInputError, UsageError
from slp_assess.i18n import LANGUAGES
from slp_assess.loading import QuestionnaireCatalog, load_answer_file, parse_model
from slp_assess.migration import MigrationResult, migrate_answers
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.report import AggregateReport, PortfolioIndex
from slp_assess.naming import slug, source_date
from slp_assess.output.interface import Record
from slp_assess.portfolio import PartnershipKey, group_assessments, group_by_partnership, index_row
from slp_assess.report import ReportFormat
from slp_assess.reportdata import build_report
from slp_assess.validation import check_answers
from slp_assess.yamlio import read_yaml

__all__ = [
    "GENERATOR", "Assessment", "Loaded", "QuestionnaireCatalog", "build_reports", "check_lang", "group_records",
    "load_assessments", "migrate_file", "render_reports", "report_date", "write_portfolio",
]

GENERATOR = f"slp-assess {__version__}"


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
    session_notes: dict[PartnershipKey, list[tuple[str | None, str]]] = field(default_factory=dict)


def check_lang(lang: str) -> str:
    """Refuse a language the tool's texts do not exist in."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


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
    _read_session_notes(paths, loaded)
    return loaded


def _read_session_notes(paths: list[Path], loaded: Loaded) -> None:
    """A workshop folder's own notes (from its manifest), for its partnership's report; each manifest once."""
    seen: set[Path] = set()
    for folder in (p for p in paths if p.is_dir()):
        for path in sorted(folder.rglob(MANIFEST_NAME)):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            try:
                manifest = read_manifest(path.parent)
            except InvalidInputError as exc:
                loaded.invalid.append(exc)
                continue
            if manifest is not None and manifest.notes:
                key = (manifest.partnership, manifest.questionnaire, manifest.version)
                loaded.session_notes.setdefault(key, []).extend((n.item, n.text) for n in manifest.notes)


def report_date() -> str | None:
    """The report date from ``SOURCE_DATE_EPOCH`` (reproducible builds), never from the clock."""
    day = source_date()
    return day.isoformat() if day else None


def build_reports(
    loaded: Loaded, *, lang: str = "de", anonymize: bool = False, generated: str | None = None
) -> list[AggregateReport]:
    """One report per partnership (and questionnaire version), sorted by partnership."""
    check_lang(lang)
    reports = []
    for key, group in group_assessments(loaded.assessments).items():
        _, qid, version = key
        reports.append(build_report(loaded.questionnaires[f"{qid}@{version}"], group, lang=lang, anonymize=anonymize,
                                    generated=generated, generator=GENERATOR, session_notes=loaded.session_notes.get(key, [])))
    return reports


def render_reports(reports: list[AggregateReport], fmt: ReportFormat, lang: str, template_dir: Path | None = None) -> list[str]:
    """The text of each report in one format."""
    renderer = fmt.to_renderer(lang, template_dir)
    return [renderer.render(r) for r in reports]


def portfolio_names(reports: list[AggregateReport], fmt: ReportFormat) -> list[str]:
    """A file name per report, from the partnership's name."""
    names: list[str] = []
    for r in reports:
        base = slug(r.meta.partnership, "partnership")
        name = f"{base}{fmt.suffix}" if f"{base}{fmt.suffix}" not in names else f"{base}-{slug(r.meta.questionnaire.id)}{fmt.suffix}"
        names.append(name)
    return names


def write_portfolio(
    folder: Path, reports: list[AggregateReport], fmt: ReportFormat, lang: str,
    template_dir: Path | None = None, generated: str | None = None,
) -> list[Path]:
    """One report per partnership plus ``index.html``/``index.md`` in ``folder``; the paths written.

    Everything is rendered before anything is written, so a template error leaves no half portfolio.
    """
    names = portfolio_names(reports, fmt)
    texts = dict(zip(names, render_reports(reports, fmt, lang, template_dir), strict=True))
    index = PortfolioIndex(
        language=lang, generated=generated, generator=GENERATOR,
        rows=[index_row(r, name) for name, r in zip(names, reports, strict=True)],
    )
    index_formats = [ReportFormat.HTML, ReportFormat.MD] + ([ReportFormat.JSON] if fmt is ReportFormat.JSON else [])
    for index_fmt in index_formats:
        texts[f"index{index_fmt.suffix}"] = index_fmt.to_renderer(lang, template_dir).render_index(index)
    written = []
    for name, text in texts.items():
        write_text_atomic(folder / name, text)
        written.append(folder / name)
    return written


@dataclass
class MigratedFile:
    """One answer file taken to the current questionnaire version (or found already there).

    Attributes:
        result: what was kept, renamed, re-scaled and dropped; None when the file was already current.
        backup: the copy of the original (``NAME.yaml.vVERSION.bak``), None on a dry run.
    """

    path: Path
    result: MigrationResult | None
    backup: Path | None
    version: str


def migrate_file(path: Path, catalog: QuestionnaireCatalog, to_version: str | None = None, *,
                 lang: str = "en", dry_run: bool = False) -> MigratedFile:
    """Carry an answer file over to its questionnaire's current version, keeping the original as ``.bak``.

    The file is checked against its own version where that version is known (bundled ``ID@VERSION``
    or given), so a migration never starts from answers that were invalid to begin with.
    """
    doc = read_yaml(path)
    answers = parse_model(doc, AnswerFile, "answer file")
    own = catalog.get(answers.questionnaire, answers.version)
    if own is None:
        raise InvalidInputError.single(path, f"unknown questionnaire {answers.questionnaire!r}", doc.line_of(("questionnaire",)),
                                       "pass the questionnaire file with --questionnaire")
    if own.version == answers.version and (problems := check_answers(answers, own, doc)):
        raise InvalidInputError(problems)
    target = catalog.get(answers.questionnaire)
    assert target is not None  # ``own`` was found under the same id
    if to_version is not None and target.version != to_version:
        raise UsageError(f"questionnaire {target.id!r} is available in version {target.version}, not {to_version}")
    if answers.version == target.version:
        return MigratedFile(path, None, None, target.version)
    result = migrate_answers(answers, target, lang)
    backup = None
    if not dry_run:
        backup = store.backup(path, answers.version)
        body = store.render(result.answers, "").split("\n", 1)[1]
        header = f"# Migrated by slp migrate from version {answers.version} to {target.version}; the original is {backup.name}.\n"
        write_text_atomic(path, header + body)
    return MigratedFile(path, result, backup, target.version)


def is_folder_output(output: str | None) -> bool:
    """Whether ``-o`` names a folder: an existing one, a path ending in ``/``, or one without a suffix."""
    if output is None or output == "-":
        return False
    path = Path(output)
    return path.is_dir() or output.endswith(("/", os.sep)) or not path.suffix


def group_records(records: Iterable[Record], catalog: QuestionnaireCatalog) -> Iterator[Record]:
    """One aggregated ``score`` record per partnership; error records pass through."""
    return group_by_partnership(records, lambda file: load_answer_file(Path(file), catalog))
