"""A portfolio loaded by worker processes that keep its files, and written by the same workers.

``load_assessments`` sends every loaded file to the main process, and the portfolio writer then
forks workers from it to build and render the reports. For a programme of hundreds of partnerships,
sending the files and assembling them again in the main process took about a third of the loading.
Here each worker keeps the files it loaded and tells the main process only each file's partnership
(or its problems). A partnership's report is then built and written by the worker holding most of
its files, which reads any other file of it once more itself; a worker with nothing left to do
takes over another's reports the same way.

Each worker is a process pool executor of its own, so that a task reaches the worker chosen for it.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from slp_assess import portfolio_writer
from slp_assess.aggregate import Assessment
from slp_assess.batch import DEATH_CHECK_SECONDS, WORKER_DIED, a_worker_died, abandon
from slp_assess.errors import InvalidInputError, Problem, WorkerError
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.portfolio import PartnershipKey, partnership_key
from slp_assess.portfolio_writer import PortfolioJob, ShareResult

# Load chunks, and report shares, waiting in each worker's queue: enough to keep it busy.
TASKS_IN_FLIGHT = 3

Share = list[int]


@dataclass
class ResidentFiles:
    """What the main process knows of the answer files its workers keep.

    Attributes:
        files: every answer file, in the order read.
        keys: the partnership key of each valid file, by its index in ``files``.
        owners: the worker keeping each valid file, by its index.
    """

    pool: ResidentPool
    files: list[str]
    keys: dict[int, PartnershipKey] = field(default_factory=dict)
    owners: dict[int, int] = field(default_factory=dict)

    @cached_property
    def members(self) -> dict[PartnershipKey, list[int]]:
        """The files of each report, in the order read; reports sorted by partnership key (once loaded)."""
        groups: dict[PartnershipKey, list[int]] = {}
        for index in sorted(self.keys):
            groups.setdefault(self.keys[index], []).append(index)
        return dict(sorted(groups.items()))


class ResidentPool:
    """``jobs`` worker processes, each its own executor; forked from this process when made."""

    def __init__(self, jobs: int, catalog: QuestionnaireCatalog) -> None:
        context = multiprocessing.get_context("fork")
        self.abandoned = False
        self.executors = [
            ProcessPoolExecutor(1, mp_context=context, initializer=_init_worker, initargs=(catalog.extra,))
            for _ in range(jobs)
        ]

    def load(self, files: Sequence[Path | str], chunk: int) -> tuple[ResidentFiles, list[InvalidInputError]]:
        """Load ``files`` in the workers; the files they keep and the invalid files' errors, in file order."""
        resident = ResidentFiles(self, [str(f) for f in files])
        chunks = deque(range(0, len(files), chunk))
        invalid: dict[int, InvalidInputError] = {}

        def next_chunk(worker: int) -> tuple[Callable[..., Any], tuple[Any, ...]] | None:
            if not chunks:
                return None
            first = chunks.popleft()
            return _load_chunk, (first, resident.files[first : first + chunk])

        def keep(worker: int, loaded: list[tuple[int, PartnershipKey | list[Problem]]]) -> None:
            for index, outcome in loaded:
                if isinstance(outcome, tuple):
                    resident.keys[index] = outcome
                    resident.owners[index] = worker
                else:
                    invalid[index] = InvalidInputError(outcome)

        self._run(next_chunk, keep)
        return resident, [invalid[index] for index in sorted(invalid)]

    def write(self, resident: ResidentFiles, job: PortfolioJob, notes: Sequence[Sequence[Any]], shares: list[Share],
              keep: Callable[[ShareResult], None]) -> None:
        """Build, render and write the reports of ``job``, each share by one worker.

        ``notes`` are the session notes of each report. Returns once every share is written, or on
        the first failure once no worker writes any more (the shares written by then are kept too,
        so that their files can be removed).
        """
        reports = [(key, [(i, resident.files[i]) for i in files], notes[n])
                   for n, (key, files) in enumerate(resident.members.items())]
        # Each worker's own shares: the reports it holds most files of, cut into shares of the size given.
        size = max(map(len, shares), default=1)
        own: list[list[int]] = [[] for _ in self.executors]
        for n in sorted(n for share in shares for n in share):
            votes = [resident.owners[i] for i, _ in reports[n][1]]
            own[max(sorted(set(votes)), key=votes.count)].append(n)
        queues = [deque(_cut(reports_of, size)) for reports_of in own]
        configured: set[int] = set()

        def next_share(worker: int) -> tuple[Callable[..., Any], tuple[Any, ...]] | None:
            if worker not in configured:
                configured.add(worker)
                return _configure, (job, reports)
            if queues[worker]:
                return _write_share, (queues[worker].popleft(),)
            # Nothing of its own left: the last share of the longest queue (its files are read again).
            longest = max(queues, key=len)
            return (_write_share, (longest.pop(),)) if longest else None

        self._run(next_share, lambda worker, result: None if result is None else keep(result))

    def _run(self, next_task: Callable[[int], tuple[Callable[..., Any], tuple[Any, ...]] | None],
             keep: Callable[[int, Any], None]) -> None:
        """Give each worker tasks from ``next_task`` until it has none; ``keep`` each result as it comes.

        On a failure (or Ctrl-C) no new task starts, those given out end and the ones that succeeded
        are kept as well, then the failure is raised; when a worker died, every worker is ended at once.
        """
        pending: dict[Future[Any], int] = {}

        def fill(worker: int) -> None:
            while sum(1 for w in pending.values() if w == worker) < TASKS_IN_FLIGHT:
                task = next_task(worker)
                if task is None:
                    return
                function, args = task
                pending[self.executors[worker].submit(function, *args)] = worker

        try:
            for worker in range(len(self.executors)):
                fill(worker)
            while pending:
                for future in sorted(self._wait(pending, FIRST_COMPLETED), key=lambda f: pending[f]):
                    result = future.result()
                    worker = pending.pop(future)
                    keep(worker, result)
                    fill(worker)
        except BaseException as exc:
            # Nothing is cancelled: the tasks given out (a few per worker) end, or die with their worker
            # (Python 3.11's executor would fail on a cancelled task of a broken pool).
            died = isinstance(exc, BrokenProcessPool | WorkerError)
            if not died:
                try:
                    self._wait(pending, ALL_COMPLETED)
                except WorkerError:
                    died = True  # meanwhile; a Ctrl-C reaches the workers too
            if died:
                # Their files are removed by name once no worker writes any more.
                self.abandon()
            else:
                for future, worker in pending.items():
                    if future.exception() is None:
                        keep(worker, future.result())
            if isinstance(exc, BrokenProcessPool | WorkerError):
                raise WorkerError(WORKER_DIED) from None
            raise

    def _wait(self, futures: dict[Future[Any], int], until: str) -> set[Future[Any]]:
        """The futures done when the first (or every one) is; ``WorkerError`` as soon as a worker is found dead.

        An executor notices a dead worker itself, except one killed while it was sending a result:
        its manager thread then waits for the rest of that message, and the result, forever.
        """
        while True:
            done, not_done = wait(futures, timeout=DEATH_CHECK_SECONDS, return_when=until)
            if (done if until == FIRST_COMPLETED else not not_done) or not futures:
                return done
            if a_worker_died(self.executors):
                raise WorkerError(WORKER_DIED)

    def abandon(self) -> None:
        """End every worker where it is (one died): nothing is waited for that may never end."""
        self.abandoned = True
        for executor in self.executors:
            abandon(executor)

    def close(self) -> None:
        """Stop every worker (all at once: each takes a while to end)."""
        if self.abandoned:
            return
        for executor in self.executors:
            executor.shutdown(wait=False, cancel_futures=True)
        for executor in self.executors:
            executor.shutdown(wait=True)


def _cut(reports: list[int], size: int) -> Iterator[Share]:
    """``reports`` in shares of ``size``, the last ``size`` of them one by one.

    Whichever worker finishes first then takes over single reports, not a whole share, so that
    both finish at nearly the same time.
    """
    whole = max(0, len(reports) - size)
    for start in range(0, whole, size):
        yield reports[start : min(start + size, whole)]
    for n in reports[whole:]:
        yield [n]


# --- in the workers ----------------------------------------------------------------------------

_scorer: Any = None
_builder: Any = None
# The assessments this worker loaded, by file index.
_kept: dict[int, Assessment] = {}


def _init_worker(extra: dict[str, Any]) -> None:
    global _scorer, _builder
    from slp_assess.batch import _Scorer
    from slp_assess.compact import AssessmentBuilder

    _scorer = _Scorer(QuestionnaireCatalog(extra=extra))
    _builder = AssessmentBuilder()
    _kept.clear()
    # What the files make lives until the reports are written: the cyclic collector would walk it
    # again and again and free nothing (see ``slp_assess.collector``); it is turned on again, with all
    # of it frozen, when the reports begin.
    gc.freeze()
    gc.disable()


def _assessment(path: str) -> Assessment:
    result, answers, plan = _scorer.answers(Path(path))
    answers = _builder.shared(answers)
    return Assessment(answers, _builder.result(result), plan.item_scores(answers))


def _load_chunk(first: int, paths: list[str]) -> list[tuple[int, PartnershipKey | list[Problem]]]:
    loaded: list[tuple[int, PartnershipKey | list[Problem]]] = []
    for index, path in enumerate(paths, start=first):
        try:
            assessment = _kept[index] = _assessment(path)
        except InvalidInputError as exc:
            loaded.append((index, exc.problems))
            continue
        loaded.append((index, partnership_key(assessment)))
    return loaded


class _KeptGroups(Sequence[tuple[Any, list[Assessment], Sequence[Any]]]):
    """``PortfolioJob.groups`` in a worker: each report's questionnaire, assessments and notes, from what it keeps."""

    def __init__(self, reports: list[tuple[PartnershipKey, list[tuple[int, str]], Any]]) -> None:
        self.reports = reports

    def __len__(self) -> int:
        return len(self.reports)

    def __getitem__(self, n: Any) -> Any:
        (_, questionnaire_id, version), files, notes = self.reports[n]
        return _scorer.catalog.get(questionnaire_id, version), [self._kept_or_read(n, i, path) for i, path in files], notes

    def _kept_or_read(self, n: int, index: int, path: str) -> Assessment:
        found = _kept.get(index)
        if found is not None:
            return found
        try:
            assessment = _assessment(path)
            same = partnership_key(assessment) == self.reports[n][0]
        except InvalidInputError:
            same = False
        if not same:
            raise InvalidInputError([Problem(path, None, "the file changed while the reports were written",
                                             "run the command again")])
        return assessment


def _configure(job: PortfolioJob, reports: list[tuple[PartnershipKey, list[tuple[int, str]], Any]]) -> None:
    gc.freeze()
    gc.enable()
    portfolio_writer._job = replace(job, groups=_KeptGroups(reports))


def _write_share(indexes: list[int]) -> ShareResult:
    # Looked up when called, not imported: the portfolio writer's own function, as it is then.
    return portfolio_writer._write_share(indexes)
