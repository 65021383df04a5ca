"""The Python API: the pipeline functions every command is a shell over.

load → validate → score → aggregate → render, for notebooks and scripts as for the CLI::

    from pathlib import Path
    from slp_assess import api

    catalog = api.QuestionnaireCatalog()
    loaded = api.load_assessments([Path("examples/lindenau")], catalog)
    [report] = api.build_reports(loaded, lang="de")
    report.overall.score, [p.factor_title for p in report.priorities]

Nothing here prints or exits: invalid files come back as problems (``Loaded.invalid``, the error
records of ``score_files``) or are raised, all in one ``InvalidInputError`` (``aggregate``, which
would otherwise report on fewer respondents than were given); files written come back as paths.
For notebooks, ``score_files`` and ``aggregate`` give plain dicts and ``to_dataframe`` a pandas
DataFrame; ``export_survey``, ``import_responses`` and ``suggest_map`` connect online surveys.
A worked example: ``docs/api.md``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slp_assess import __version__
from slp_assess.aggregate import Assessment
from slp_assess.assess.manifest import MANIFEST_NAME, read_manifest
from slp_assess.atomic import write_bytes_atomic, write_text_atomic
from slp_assess.batch import collect_files
from slp_assess.collector import loading_many_objects
from slp_assess.errors import InvalidInputError, OutputError, UsageError
from slp_assess.i18n import check_language
from slp_assess.loading import QuestionnaireCatalog, load_questionnaire_file, parse_model, resolve_questionnaire
from slp_assess.migration import MigrationResult, migrate_answers
from slp_assess.models.answers import AnswerFile, partnership_name
from slp_assess.models.questionnaire import Questionnaire, split_reference
from slp_assess.models.report import AggregateReport, IndexRow, PortfolioIndex
from slp_assess.models.results import FileError, ScoreResult
from slp_assess.naming import source_date, unique_stems
from slp_assess.oneline import bare, listed, quoted
from slp_assess.output.interface import Record, record_dict
from slp_assess.portfolio import PartnershipKey, group_assessments, group_by_partnership, index_row
from slp_assess.report import ReportFormat
from slp_assess.reportdata import build_report, finish_report, shown_name
from slp_assess.validation import check_answers
from slp_assess.yamlio import read_yaml

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped]

    from slp_assess.compact import ScoredFile
    from slp_assess.report.interface import ReportRenderer
    from slp_assess.resident import ResidentFiles
    from slp_assess.survey.export import SurveyFormat
    from slp_assess.survey.importer import ImportResult
    from slp_assess.survey.mapping import ImportMap
    from slp_assess.survey.suggest import Draft
    from slp_assess.yamlio import YamlDocument

__all__ = [
    "GENERATOR", "Assessment", "Loaded", "QuestionnaireCatalog", "aggregate", "build_reports", "check_lang", "export_survey",
    "group_records", "import_into", "import_responses", "load_assessments", "loading_for_portfolio", "load_questionnaire", "migrate_file", "render_reports",
    "partnerships", "report_date", "score_files", "suggest_map", "to_dataframe", "write_imported", "write_portfolio",
    "write_portfolio_of",
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
    session_notes: dict[PartnershipKey, list[tuple[str | None, str]]] = field(default_factory=dict)
    # Set by ``loading_for_portfolio``: the assessments are kept by its worker processes, not here.
    resident: ResidentFiles | None = None


def check_lang(lang: str) -> str:
    """Refuse a language the tool's texts do not exist in."""
    return check_language(lang)


def load_assessments(paths: list[Path], catalog: QuestionnaireCatalog, jobs: int | None = None) -> Loaded:
    """Load, validate and score every answer file under ``paths``; invalid files are collected, not fatal.

    Files are read by the fast path (the reference path decides whatever it declines, so results and
    error messages are the reference path's); ``jobs`` worker processes (default: one per CPU) share
    the work when there are many files. What is loaded is then kept out of the cyclic garbage
    collector's way (see ``slp_assess.collector``).
    """
    return _load_collected(collect_files(paths), paths, catalog, jobs)


def _load_collected(files: list[Path], paths: list[Path], catalog: QuestionnaireCatalog, jobs: int | None) -> Loaded:
    from slp_assess.batch import Mode, default_jobs, score_files_parallel

    loaded = Loaded()
    outcomes = score_files_parallel(files, [], jobs or default_jobs(), catalog, mode=Mode.ASSESSMENT)
    with loading_many_objects(), closing(outcomes):
        for outcome in outcomes:
            if isinstance(outcome, InvalidInputError):
                loaded.invalid.append(outcome)
                continue
            ref = outcome.result.questionnaire
            key = f"{ref.id}@{ref.version}"
            if key not in loaded.questionnaires:
                questionnaire = catalog.get(ref.id, ref.version)
                assert questionnaire is not None
                loaded.questionnaires[key] = questionnaire
            loaded.assessments.append(outcome)
    _read_session_notes(paths, loaded)
    return loaded


@contextmanager
def loading_for_portfolio(paths: list[Path], catalog: QuestionnaireCatalog, jobs: int | None = None) -> Iterator[Loaded]:
    """``load_assessments`` for ``write_portfolio_of``: with many files, the assessments stay in the workers.

    Inside the block the worker processes that loaded the files keep them, and ``write_portfolio_of``
    has them build and write the reports (see ``slp_assess.resident``): the same files, byte for
    byte, without sending every loaded file to this process. ``loaded.assessments`` is then empty;
    ``partnerships``, ``report_keys`` and ``write_portfolio_of`` work as for any ``Loaded``. With few
    files, one job or no ``fork``, this is ``load_assessments``.
    """
    import multiprocessing

    from slp_assess.batch import POOL_MIN_FILES, chunk_size, default_jobs
    from slp_assess.resident import ResidentPool

    jobs = jobs or default_jobs()
    files = collect_files(paths)
    if jobs <= 1 or len(files) < POOL_MIN_FILES or "fork" not in multiprocessing.get_all_start_methods():
        yield _load_collected(files, paths, catalog, jobs)
        return
    pool = ResidentPool(jobs, catalog)
    try:
        resident, invalid = pool.load(files, chunk_size(len(files), jobs))
        loaded = Loaded(invalid=invalid, resident=resident)
        _read_session_notes(paths, loaded)
        yield loaded
    finally:
        pool.close()


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
                key = (partnership_name(manifest.partnership), manifest.questionnaire, manifest.version)
                loaded.session_notes.setdefault(key, []).extend((n.item, n.text) for n in manifest.notes)


def report_date() -> str | None:
    """The report date from ``SOURCE_DATE_EPOCH`` (reproducible builds), never from the clock."""
    day = source_date()
    return day.isoformat() if day else None


def build_reports(
    loaded: Loaded, *, lang: str = "de", anonymize: bool = False, generated: str | None = None, keep_notes: bool = False,
    earlier: Sequence[AggregateReport] = (),
) -> list[AggregateReport]:
    """One report per partnership (and questionnaire version), sorted by partnership.

    ``anonymize`` leaves out names and, unless ``keep_notes``, the notes (free text may name people).
    ``earlier`` reports of the same partnerships put their scores beside today's (``--previous``).
    """
    check_lang(lang)
    return [
        finish_report(build_report(questionnaire, group, lang=lang, anonymize=anonymize, generated=generated,
                                   generator=GENERATOR, session_notes=notes), anonymize, keep_notes, earlier)
        for questionnaire, group, notes in report_groups(loaded)
    ]


def report_groups(loaded: Loaded) -> list[tuple[Questionnaire, list[Assessment], list[Any]]]:
    """Per report: the questionnaire, the partnership's assessments and its session notes, sorted by partnership."""
    if loaded.resident is not None:
        raise ValueError("the assessments are kept by worker processes (loading_for_portfolio): use write_portfolio_of")
    return [
        (loaded.questionnaires[f"{qid}@{version}"], group, loaded.session_notes.get((partnership, qid, version), []))
        for (partnership, qid, version), group in group_assessments(loaded.assessments).items()
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
    keys = [(r.meta.partnership, r.meta.questionnaire.id, r.meta.questionnaire.version) for r in reports]
    return _names_of(keys, fmt)


def _names_of(keys: list[tuple[str, str, str]], fmt: ReportFormat) -> list[str]:
    per_partnership = Counter(partnership for partnership, _, _ in keys)
    names: list[str | tuple[str, str]] = [
        partnership if per_partnership[partnership] == 1 else (partnership, f"{qid} {version}")
        for partnership, qid, version in keys
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
    renderer = fmt.to_renderer(lang, template_dir)
    files: dict[str, bytes] = {}
    for name, report in zip(names, reports, strict=True):
        text = renderer.render(report)
        # A binary format (PDF) prints the rendered text; every other format is the text itself.
        files[name] = renderer.to_bytes(text, report.meta.generated) if renderer.binary else text.encode("utf-8")
    index = PortfolioIndex(
        language=lang, generated=generated, generator=GENERATOR,
        rows=[index_row(r, name) for name, r in zip(names, reports, strict=True)],
    )
    for index_fmt in _index_formats(fmt):
        files[f"{INDEX_STEM}{index_fmt.suffix}"] = index_fmt.to_renderer(lang, template_dir).render_index(index).encode("utf-8")
    written = []
    for name, data in files.items():
        write_bytes_atomic(folder / name, data)
        written.append(folder / name)
    return written


def report_keys(loaded: Loaded) -> set[tuple[str, str, str]]:
    """The (partnership as shown, questionnaire id, version) of each report ``build_reports`` would make, as in its ``meta``."""
    return {(shown_name(partnership), qid, version) for partnership, qid, version in _keys_of_reports(loaded)}


def partnerships(loaded: Loaded) -> list[str]:
    """The partnership of each report ``build_reports`` would make, in the same order (cheap: nothing is built)."""
    return [partnership for partnership, _, _ in _keys_of_reports(loaded)]


def _keys_of_reports(loaded: Loaded) -> list[PartnershipKey]:
    if loaded.resident is not None:
        return list(loaded.resident.members)
    return list(group_assessments(loaded.assessments))


def write_portfolio_of(
    folder: Path, loaded: Loaded, fmt: ReportFormat, lang: str, template_dir: Path | None = None,
    generated: str | None = None, *, anonymize: bool = False, keep_notes: bool = False,
    earlier: Sequence[AggregateReport] = (), jobs: int | None = None,
    on_index: Callable[[list[IndexRow]], None] | None = None,
) -> list[Path]:
    """``write_portfolio`` for loaded assessments: reports built, rendered and written by ``jobs`` workers.

    The same files, byte for byte, as ``write_portfolio(folder, build_reports(loaded, ...), ...)``,
    several times faster for many partnerships (see ``slp_assess.portfolio_writer``). ``on_index`` is
    given the index rows, one per report, before the index is written.
    """
    from slp_assess.batch import default_jobs
    from slp_assess.portfolio_writer import PortfolioJob, write_portfolio_files

    check_lang(lang)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write the reports into {folder}: it is a file, not a folder")
    keys = _keys_of_reports(loaded)
    resident = loaded.resident
    job = PortfolioJob(
        folder=folder, groups=report_groups(loaded) if resident is None else (), names=_names_of(keys, fmt), fmt=fmt,
        lang=lang, template_dir=template_dir, anonymize=anonymize, keep_notes=keep_notes, earlier=tuple(earlier),
        generated=generated, generator=GENERATOR,
    )

    renderers: dict[ReportFormat, ReportRenderer] = {}

    def index_renderers() -> dict[ReportFormat, ReportRenderer]:
        if not renderers:
            renderers.update((f, f.to_renderer(lang, template_dir)) for f in _index_formats(fmt))
        return renderers

    def index_texts(rows: list[IndexRow]) -> dict[str, str]:
        if on_index is not None:
            on_index(rows)
        index = PortfolioIndex(language=lang, generated=generated, generator=GENERATOR, rows=rows)
        return {f"{INDEX_STEM}{f.suffix}": renderer.render_index(index) for f, renderer in index_renderers().items()}

    if resident is None:
        return write_portfolio_files(job, jobs or default_jobs(), index_texts, prepare_index=index_renderers)
    notes = [loaded.session_notes.get(key, []) for key in keys]
    return write_portfolio_files(job, 0, index_texts,
                                 lambda job, shares, keep: resident.pool.write(resident, job, notes, shares, keep),
                                 prepare_index=index_renderers)


def _index_formats(fmt: ReportFormat) -> list[ReportFormat]:
    return [ReportFormat.HTML, ReportFormat.MD] + ([ReportFormat.JSON] if fmt is ReportFormat.JSON else [])


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
        raise InvalidInputError.single(path, f"unknown questionnaire {quoted(answers.questionnaire)}", doc.line_of(("questionnaire",)),
                                       "pass the questionnaire file with --questionnaire")
    if own.version == answers.version and (problems := check_answers(answers, own, doc)):
        raise InvalidInputError(problems)
    target = catalog.get(answers.questionnaire)
    assert target is not None  # ``own`` was found under the same id
    known = catalog.versions(target.id)
    if answers.version not in known:
        raise InvalidInputError.single(
            path, f"questionnaire {quoted(target.id)} has no version {quoted(answers.version)}, so there is nothing to migrate from "
                  f"(known: {listed(known, bare, None)})",
            doc.line_of(("version",)), "set version: to the version the answers were given to")
    if to_version is not None and target.version != to_version:
        raise UsageError(f"questionnaire {quoted(target.id)} is available in version {bare(target.version)}, not {bare(to_version)}")
    if answers.version == target.version:
        return MigratedFile(path, None, None, target.version)
    result = migrate_answers(answers, target, lang)
    backup = None
    if not dry_run:
        from slp_assess.assess import store  # the workshop's file writer: not a cost every report pays at start-up

        backup = store.backup(path, answers.version)
        body = store.render(result.answers, "").split("\n", 1)[1]
        header = f"# Migrated by slp migrate from version {bare(answers.version)} to {bare(target.version)}; the original is {bare(backup.name)}.\n"
        write_text_atomic(path, header + body)
    return MigratedFile(path, result, backup, target.version)


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


def group_records(records: Iterable[ScoredFile | ScoreResult | FileError], catalog: QuestionnaireCatalog) -> Iterator[Record]:
    """One aggregated ``score`` record per partnership; error records (and respondents' records) pass through.

    ``records`` are what ``batch.score_files_parallel(..., mode=Mode.TALLY)`` yields.
    """
    return group_by_partnership(records, catalog.get)


# --- for notebooks: plain dicts and DataFrames -----------------------------------------------

QuestionnaireRef = Questionnaire | str | Path


def load_questionnaire(reference: QuestionnaireRef) -> Questionnaire:
    """A bundled questionnaire by id (``"slp-readiness"``), or a questionnaire file, checked."""
    if isinstance(reference, Questionnaire):
        return reference
    return load_questionnaire_file(resolve_questionnaire(str(reference)))


def score_files(paths: Iterable[str | Path], questionnaires: Iterable[str | Path] = ()) -> list[dict[str, Any]]:
    """One plain dict per answer file under ``paths``, as ``slp score --format json`` writes it.

    An invalid file gives ``{"file", "error": True, "errors": [...]}`` instead of a score.
    """
    from slp_assess.batch import score_files as score_each

    catalog = QuestionnaireCatalog.with_files([Path(p) for p in questionnaires])
    return [record_dict(r) for r in score_each(collect_files([Path(p) for p in paths]), catalog)]


def aggregate(paths: Iterable[str | Path], questionnaires: Iterable[str | Path] = (), *, lang: str = "de",
              anonymize: bool = False) -> list[dict[str, Any]]:
    """One report per partnership as a plain dict, the data ``slp report --format json`` writes.

    Raises ``InvalidInputError`` holding the problems of every invalid file under ``paths``: a report
    that silently left out some respondents would look complete and be wrong.
    """
    catalog = QuestionnaireCatalog.with_files([Path(p) for p in questionnaires])
    loaded = load_assessments([Path(p) for p in paths], catalog)
    if loaded.invalid:
        raise InvalidInputError([problem for error in loaded.invalid for problem in error.problems])
    return [r.model_dump(mode="json") for r in build_reports(loaded, lang=lang, anonymize=anonymize, generated=report_date())]


def score_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """A score record flattened to one table row: who, overall score and level, one column per factor."""
    if record.get("error"):
        return {"file": record["file"], "error": "; ".join(e["message"] for e in record["errors"])}
    overall, who = record["overall"], record["respondent"]
    row = {
        "file": record["file"], "questionnaire": record["questionnaire"]["id"], "version": record["questionnaire"]["version"],
        "partnership": record["partnership"], "respondent": who["name"], "organisation": who["organisation"],
        "side": who["role"], "date": record.get("date"), "score": overall["score"], "level": overall["level"],
        "blockers": len(overall["blockers"]),
    }
    row.update({f["id"]: f["score"] for f in record["factors"]})
    return row


def to_dataframe(records: Iterable[Mapping[str, Any]]) -> pandas.DataFrame:
    """Score records (from ``score_files``) as a pandas DataFrame, one row per file (``score_row``).

    Needs the optional extra: pip install 'slp-assess[pandas]'.
    """
    try:
        import pandas
    except ModuleNotFoundError:
        raise UsageError("to_dataframe needs pandas: pip install 'slp-assess[pandas]'") from None
    return pandas.DataFrame([score_row(r) for r in records])


# --- online surveys ----------------------------------------------------------------------------


def export_survey(questionnaire: QuestionnaireRef, to: SurveyFormat | str) -> bytes:
    """The questionnaire as an XLSForm (``"xlsform"``, .xlsx bytes) or LimeSurvey structure (``"limesurvey"``, .txt)."""
    from slp_assess.survey.export import SurveyFormat, build_survey

    try:
        fmt = SurveyFormat(to)
    except ValueError:
        raise UsageError(f"unknown survey format {quoted(to)}: use one of {', '.join(SurveyFormat)}") from None
    return build_survey(load_questionnaire(questionnaire), fmt)


def import_responses(path: str | Path, questionnaire: QuestionnaireRef, map_file: str | Path | None = None, *,
                     strict: bool = False, sheet: str | None = None, incomplete: bool = False) -> ImportResult:
    """Answer files (in memory) from a sheet of survey responses; raises InvalidInputError with every problem.

    A LimeSurvey response never submitted is a problem unless ``incomplete``."""
    from slp_assess.survey.importer import import_sheet
    from slp_assess.survey.responses import read_sheet

    q = load_questionnaire(questionnaire)
    import_map, map_doc = _import_map(map_file, q)
    return import_sheet(read_sheet(Path(path), sheet), q, import_map, map_doc, strict, incomplete=incomplete)


def import_into(path: str | Path, questionnaire: QuestionnaireRef, folder: str | Path, map_file: str | Path | None = None, *,
                strict: bool = False, sheet: str | None = None, force: bool = False,
                incomplete: bool = False) -> tuple[ImportResult, list[Path]]:
    """``import_responses`` and ``write_imported`` in one pass (``slp import``): what the import found
    (its ``rows`` empty) and the paths written. Keeps each answer file as text only, not parsed."""
    from slp_assess.survey.importer import ImportedRow, import_sheet
    from slp_assess.survey.responses import read_sheet
    from slp_assess.survey.writer import ImportedFile, rendered, write_answer_files

    q = load_questionnaire(questionnaire)
    import_map, map_doc = _import_map(map_file, q)
    source = str(path)
    files: list[ImportedFile] = []

    def keep(row: ImportedRow) -> None:
        files.append(rendered(row, source))

    result = import_sheet(read_sheet(Path(path), sheet), q, import_map, map_doc, strict, on_row=keep, incomplete=incomplete)
    return result, write_answer_files(files, Path(folder), result.source, force)


def _import_map(map_file: str | Path | None, q: Questionnaire) -> tuple[ImportMap | None, YamlDocument | None]:
    from slp_assess.survey.mapping import ImportMap

    if map_file is None:
        return None, None
    map_doc = read_yaml(Path(map_file))
    import_map = parse_model(map_doc, ImportMap, "map file")
    if import_map.questionnaire is not None and split_reference(import_map.questionnaire) not in ((q.id, None), (q.id, q.version)):
        raise UsageError(f"{map_file} is a map for questionnaire {quoted(import_map.questionnaire)}, not {quoted(q.id)} {bare(q.version)}")
    return import_map, map_doc


def write_imported(result: ImportResult, folder: str | Path, *, force: bool = False) -> list[Path]:
    """Write the imported answer files into ``folder``, one per respondent; the paths written."""
    from slp_assess.survey.writer import write_answer_files

    return write_answer_files(result.rows, Path(folder), result.source, force)


def suggest_map(path: str | Path, questionnaire: QuestionnaireRef, *, sheet: str | None = None) -> Draft:
    """A draft map for a sheet that is no export of ``slp export``, with its open points."""
    from slp_assess.survey.responses import read_sheet
    from slp_assess.survey.suggest import suggest_map as draft

    return draft(read_sheet(Path(path), sheet), load_questionnaire(questionnaire))
