"""Write a portfolio (one report per partnership, plus the index) with every CPU at work.

Building and rendering a partnership's report takes a few milliseconds each; for a programme of
hundreds or thousands of partnerships that is most of ``slp report DIR -o FOLDER``. Worker processes
are forked after the answers are loaded, so they read the loaded assessments without a copy being
sent; each builds and renders a share of the partnerships and writes each report to a temporary
file beside its final name. The main process receives only the index rows, renders the index and
then renames every file into place: a template error, a full disk or a dead worker leaves no half
portfolio, only the temporary files removed again.

Where ``fork`` is not available, or there are few partnerships, the same happens in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import stat
import tempfile
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from slp_assess.aggregate import Assessment
from slp_assess.atomic import _current_umask, _stat_or_none, _take_over_attributes, sync_folder, write_bytes_atomic
from slp_assess.collector import collected_afterwards
from slp_assess.errors import OutputError, WorkerError
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.report import AggregateReport, IndexRow
from slp_assess.portfolio import index_row
from slp_assess.report import ReportFormat
from slp_assess.reportdata import build_report, finish_report

# Below this many partnerships starting workers costs more than it saves.
POOL_MIN_REPORTS = 24
REPORTS_PER_TASK = 8
TASKS_IN_FLIGHT = 4


@dataclass(frozen=True)
class PortfolioJob:
    """Everything a worker needs to build, render and write its share of the reports."""

    folder: Path
    # Per report: questionnaire, assessments and the session notes of a workshop folder.
    groups: Sequence[tuple[Questionnaire, Sequence[Assessment], Sequence[Any]]]
    names: Sequence[str]
    fmt: ReportFormat
    lang: str
    template_dir: Path | None
    anonymize: bool
    generated: str | None
    generator: str
    keep_notes: bool = False
    earlier: Sequence[AggregateReport] = ()
    # Set by write_portfolio_files before the workers start: a new report gets what it leaves of 0666.
    umask: int = 0o022


# The job of the current portfolio: set before the workers are forked, so they have it without a copy.
_job: PortfolioJob | None = None


def _write_share(indexes: list[int]) -> list[tuple[int, str, dict[str, Any]]]:
    """Build, render and write the reports at ``indexes`` to temporary files: (index, temp path, index row).

    The files are not synced here: the process that renames them into place syncs each as soon as
    it learns of it (``_Syncing``), so that a worker goes on to its next share instead of waiting
    for the disk at the end of each.
    """
    assert _job is not None
    job = _job
    renderer = _renderer(job)
    done = []
    try:
        for index in indexes:
            with collected_afterwards():
                questionnaire, group, notes = job.groups[index]
                report = build_report(questionnaire, group, lang=job.lang, anonymize=job.anonymize, generated=job.generated,
                                      generator=job.generator, session_notes=list(notes))
                report = finish_report(report, job.anonymize, job.keep_notes, job.earlier)
                text = renderer.render(report)
                # A binary format (PDF) prints the rendered text; every other format is the text itself.
                data = renderer.to_bytes(text, report.meta.generated) if renderer.binary else text.encode("utf-8")
                row = index_row(report, job.names[index]).model_dump()
                temp, handle = _write_temp_unsynced(job.folder, job.names[index], data, job.umask)
                os.close(handle)
                done.append((index, temp, row))
                del report, text, data
    except BaseException:
        for _, temp, _ in done:
            Path(temp).unlink(missing_ok=True)
        raise
    return done


class _Syncing:
    """Written files on their way to the disk: each fsynced by one of a few threads.

    The reports are written by workers; this process syncs each file while the workers render the
    next ones, and concurrent fsyncs share the file system's journal commits.
    """

    THREADS = 4

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(self.THREADS)
        self.pending: list[Future[None]] = []

    def add(self, temp: str, path: Path) -> None:
        self.pending.append(self.pool.submit(_sync_file, temp, path))

    def finish(self) -> None:
        """Wait until every file is on disk; OutputError for the first that could not be written."""
        try:
            for future in self.pending:
                future.result()
        finally:
            self.pool.shutdown(wait=True)

    def abandon(self) -> None:
        """Stop: files not yet synced stay unsynced (they are removed by the caller)."""
        for future in self.pending:
            future.cancel()
        self.pool.shutdown(wait=True)


def _sync_file(temp: str, path: Path) -> None:
    try:
        handle = os.open(temp, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _sync_and_close(handle: int, path: Path) -> None:
    try:
        os.fsync(handle)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        os.close(handle)


_renderers: dict[tuple[Any, ...], Any] = {}


def _renderer(job: PortfolioJob) -> Any:
    key = (job.fmt, job.lang, job.template_dir)
    if key not in _renderers:
        _renderers[key] = job.fmt.to_renderer(job.lang, job.template_dir)
    return _renderers[key]


def _write_temp(folder: Path, name: str, data: bytes, umask: int) -> str:
    """``data`` in a temporary file beside ``folder / name``, on disk, with the mode (and owner) the file will have."""
    temp, handle = _write_temp_unsynced(folder, name, data, umask)
    try:
        _sync_and_close(handle, folder / name)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def _write_temp_unsynced(folder: Path, name: str, data: bytes, umask: int) -> tuple[str, int]:
    """``data`` written to a temporary file beside ``folder / name``: its path and its still open descriptor.

    mkstemp creates 0600: renamed as it is, every report would be private, and a report rewritten
    would lose the permissions its owner gave it, unlike a file written by ``write_bytes_atomic``.
    """
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {folder / name}: {exc.strerror or exc}") from None
    try:
        _take_over_attributes(handle, _stat_or_none(folder / name), umask)
        with os.fdopen(handle, "wb", closefd=False) as stream:
            stream.write(data)
    except BaseException as exc:  # also Ctrl-C while writing
        os.close(handle)
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {folder / name}: {exc.strerror or exc}") from None
        raise
    return temp, handle


ShareResult = list[tuple[int, str, dict[str, Any]]]
# Writes the shares of a job elsewhere (see ``slp_assess.resident``), keeping each share's result.
ShareRunner = Callable[[PortfolioJob, list[list[int]], Callable[[ShareResult], None]], None]


def write_portfolio_files(job: PortfolioJob, jobs: int, index_texts: Callable[[list[IndexRow]], dict[str, str]],
                          run_shares: ShareRunner | None = None, prepare_index: Callable[[], object] | None = None) -> list[Path]:
    """Write every report of ``job`` and the index (``index_texts`` renders it from the rows, by file name).

    Returns the paths written: the reports in the order of ``job.names``, then the index files.
    Nothing is renamed into place before everything is rendered and written. Raises ``WorkerError``
    when a worker process dies. ``run_shares`` writes the reports instead of this process or the
    workers forked from it; it returns once no share is being written any more. ``prepare_index``
    is called once the first reports are written, while the others are: what ``index_texts`` needs
    made ahead (its renderers), so that only the index itself is left for the end.
    """
    global _job
    try:
        job.folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write the reports into {job.folder}: {exc.strerror or exc}") from None
    job = replace(job, umask=_current_umask())
    _job = job
    if run_shares is None:
        # Made here, before any worker is forked: each worker finds it ready (Jinja imported, the
        # environment built) instead of making its own.
        _renderer(job)
    done: ShareResult = []
    rows: dict[int, IndexRow] = {}
    syncing = _Syncing()
    unprepared = [prepare_index] if prepare_index is not None else []

    def keep(written: ShareResult) -> None:
        # This process waits for the workers otherwise: the index's rows and renderers are made meanwhile.
        with collected_afterwards():
            done.extend(written)
            for index, temp, row in written:
                syncing.add(temp, job.folder / job.names[index])
                rows[index] = IndexRow.model_validate(row)
            while unprepared:
                unprepared.pop()()

    try:
        shares = [list(range(start, min(start + REPORTS_PER_TASK, len(job.names))))
                  for start in range(0, len(job.names), REPORTS_PER_TASK)]
        if run_shares is not None:
            run_shares(job, shares, keep)
        elif jobs > 1 and len(job.names) >= POOL_MIN_REPORTS and "fork" in multiprocessing.get_all_start_methods():
            _in_workers(shares, jobs, keep)
        else:
            for share in shares:
                keep(_write_share(share))
        syncing.finish()
        done.sort()
        files = [(temp, job.folder / job.names[index]) for index, temp, _ in done]
        # Nothing else runs while the index is rendered, and this process holds every row: left on, the
        # collector walked them again and again (the index of 500 partnerships: 60 ms instead of 22).
        with collected_afterwards():
            indexes = index_texts([rows[index] for index, _, _ in done])
        for name, text in indexes.items():
            files.append((_write_temp(job.folder, name, text.encode("utf-8"), job.umask), job.folder / name))
            done.append((len(job.names), files[-1][0], {}))  # removed like the reports should anything fail
        _move_into_place(files)
        sync_folder(job.folder)
        return [path for _, path in files]
    except BaseException as exc:
        syncing.abandon()
        # Whatever stopped the portfolio (a full disk, a dead worker, Ctrl-C while a worker's files were on
        # their way to this process), every temporary file of it goes: those this process knows of, and
        # any other, by its name (_write_temp's ".NAME.RANDOM.tmp"), once no worker writes any more.
        for _, temp, _ in done:
            Path(temp).unlink(missing_ok=True)
        _remove_temporary_files(job.folder, set(job.names))
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the reports into {job.folder}: {exc.strerror or exc}") from None
        raise
    finally:
        _job = None


def _remove_temporary_files(folder: Path, names: set[str]) -> None:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.name[1:-4].rsplit(".", 1)[0] in names:
            entry.unlink(missing_ok=True)


def _move_into_place(files: list[tuple[str, Path]]) -> None:
    """Rename each temporary file over its report, as ``write_bytes_atomic`` would replace it.

    A folder in a report's place stops everything before the first rename. A symbolic link is written
    through (the file it points to is replaced, the link stays) and a device or pipe is written
    into, by ``write_bytes_atomic`` itself: a rename would replace the link or the device.
    """
    kinds = [_stat_or_none(path) for _, path in files]
    for (_, path), existing in zip(files, kinds, strict=True):
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise OutputError(f"cannot write {path}: it is a folder")
    for (temp, path), existing in zip(files, kinds, strict=True):
        if path.is_symlink() or (existing is not None and not stat.S_ISREG(existing.st_mode)):
            write_bytes_atomic(path, Path(temp).read_bytes())
            Path(temp).unlink()
        else:
            Path(temp).replace(path)


def _in_workers(shares: list[list[int]], jobs: int, keep: Callable[[list[tuple[int, str, dict[str, Any]]]], None]) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from slp_assess.batch import WORKER_DIED, abandon, result_unless_a_worker_died

    executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    pending: deque[Future[list[tuple[int, str, dict[str, Any]]]]] = deque()
    broken = False
    try:
        for share in shares:
            pending.append(executor.submit(_write_share, share))
            if len(pending) >= jobs * TASKS_IN_FLIGHT:
                keep(result_unless_a_worker_died(pending[0], [executor]))
                pending.popleft()
        while pending:
            # Popped only once kept: interrupted while waiting, the share is still found below.
            keep(result_unless_a_worker_died(pending[0], [executor]))
            pending.popleft()
    except (BrokenProcessPool, WorkerError):
        broken = True
        raise WorkerError(WORKER_DIED) from None
    finally:
        if broken:
            # The other workers are ended where they are; the files they were writing are removed by name.
            abandon(executor)
        else:
            # Reports of tasks still running when another failed are written by then: collect them to remove them.
            executor.shutdown(wait=True, cancel_futures=True)
            for future in pending:
                if future.done() and not future.cancelled() and future.exception() is None:
                    keep(future.result())
