"""Score many answer files: one bad file yields an error record, never stops the rest.

Files are scored in input order, in this process or, for large batches, by a pool of worker
processes; either way records stream out one by one, so memory stays flat however many files.
"""

from __future__ import annotations

import gc
import os
import stat
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from slp_assess.errors import InvalidInputError, Problem, UsageError, WorkerError
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.results import FileError, FileErrorDetail, ScoreResult
from slp_assess.output.interface import EncodedRecord, Record, encode_record
from slp_assess.scoring import ScoringPlan, plan_for, score_answers

if TYPE_CHECKING:
    from concurrent.futures import Future

    from slp_assess.compact import AssessmentBuilder
    from slp_assess.fastscore import CompiledQuestionnaire

ANSWER_SUFFIXES = (".yaml", ".yml")
# Below this many files a worker pool costs more to start than it saves.
POOL_MIN_FILES = 50
# Chunks in flight per worker: enough to keep workers busy, few enough to bound memory.
CHUNKS_IN_FLIGHT = 4
WORKER_DIED = "a worker process died (killed or out of memory): the output is incomplete"
T = TypeVar("T")
# How often a wait for workers looks whether one of them died.
DEATH_CHECK_SECONDS = 0.25

def collect_files(inputs: Iterable[Path]) -> list[Path]:
    """Expand directories recursively to their YAML files; keep given files as they are.

    The files are sorted (as paths: a folder's files before its subfolders' files with later
    names), so output depends neither on the file system's order nor on the order of the
    arguments: the respondents of a report, and who becomes "Person 1" when it is anonymized, are
    the same however the files are given. A file given twice (also as part of a folder given) is
    read once: it is one respondent.
    """
    return [Path(name) for name in collect_file_names(inputs)]


def collect_file_names(inputs: Iterable[Path]) -> list[str]:
    """``collect_files`` as text: ``str`` of each path, a third of the memory of ``Path`` objects.

    Worker processes are forked with whatever the main process holds, and each then counts it in its
    memory: at 50,000 files, 60 MiB for the paths alone.
    """
    inputs = list(inputs)
    files: list[str] = []
    for path in inputs:
        if path.is_dir():
            root = str(path)  # as Path writes it: no "./", no doubled or trailing separators
            found: list[str] = []
            for folder, _, names in os.walk(root):
                # os.walk(".") yields "." and "./sub"; Path(".", "sub", name) is "sub/name".
                base = folder[2:] if root == "." and folder.startswith("." + os.sep) else "" if folder == "." else folder
                prefix = base.rstrip(os.sep) + os.sep if base else ""  # the root "/" ends in a separator already
                found.extend(prefix + name for name in names if name.endswith(ANSWER_SUFFIXES))
            # Sorted as Path.parts would sort them, without making a Path of each: that is slow for 10,000 files.
            files.extend(sorted(found, key=lambda name: name.split(os.sep)))  # noqa: PTH206
        elif path.exists():
            files.append(str(path))
        else:
            raise UsageError(f"{path}: no such file or directory")
    return files if len(inputs) < 2 else _once_each_sorted(files)


def _once_each_sorted(names: list[str]) -> list[str]:
    """``names`` sorted as paths, each file once (of several spellings of one file, the first in that order)."""
    seen: set[str] = set()
    once = []
    here = os.getcwd()  # noqa: PTH109  # text, not Path: see collect_file_names
    for name in sorted(names, key=lambda name: name.split(os.sep)):  # noqa: PTH206
        # normpath, not realpath: "a.yaml" and "./a.yaml" are one file without a system call per file.
        where = os.path.normpath(os.path.join(here, name))  # noqa: PTH118
        if where not in seen:
            seen.add(where)
            once.append(name)
    return once


def collect_some_files(inputs: Sequence[Path]) -> list[Path]:
    """:func:`collect_files`, refusing inputs that hold no answer file at all (a usage error)."""
    return [Path(name) for name in collect_some_file_names(inputs)]


def collect_some_file_names(inputs: Sequence[Path]) -> list[str]:
    """:func:`collect_file_names`, refusing inputs that hold no answer file at all (a usage error)."""
    files = collect_file_names(inputs)
    if not files:
        raise UsageError(f"no answer files (*.yaml, *.yml) found in: {', '.join(map(str, inputs))}")
    return files


def refuse_input_as_output(output: str | None, inputs: Iterable[Path | str]) -> None:
    """A usage error when ``-o`` is one of the files read (an answer file, a questionnaire, one in a folder read).

    ``slp report answers.yaml -f md -o answers.yaml`` would replace the answers with their report:
    the one copy of a workshop's answers lost to a slip of the keyboard. Compared as files, not as
    names: ``./a.yaml``, ``a.yaml`` and a link to it are the same file. Costs nothing unless ``-o``
    names a file that exists.
    """
    if output is None or output == "-":
        return
    try:
        target = Path(output).stat()
    except (OSError, ValueError):
        return  # nothing there yet (or a name no file can have): it cannot be an input
    if not stat.S_ISREG(target.st_mode):
        return  # /dev/null, a pipe: writing there takes nothing away
    identity = (target.st_dev, target.st_ino)
    for given in inputs:
        path = Path(given)
        names = collect_file_names([path]) if path.is_dir() else [str(path)]
        for name in names:
            try:
                found = Path(name).stat()
            except OSError:
                continue
            if (found.st_dev, found.st_ino) == identity:
                shown = name if name == str(path) else f"{name}, in {path}"
                raise UsageError(f"-o {output} is a file this command reads ({shown}): write the output to another file")


def error_record(file: str, error: InvalidInputError) -> FileError:
    """Turn an exception into the error record emitted in place of a result."""
    return FileError(
        file=file,
        errors=[FileErrorDetail(line=p.line, message=p.message if not p.location else f"{p.location}: {p.message}", hint=p.hint) for p in error.problems],
    )


def score_file(path: Path, catalog: QuestionnaireCatalog) -> ScoreResult | FileError:
    """Score one file, or describe why it cannot be scored (the reference path)."""
    try:
        answers, questionnaire = load_answer_file(path, catalog)
    except InvalidInputError as exc:
        return error_record(str(path), exc)
    return score_answers(answers, questionnaire, str(path))


class Mode(StrEnum):
    """What a scored file comes back as.

    ``RECORD``: a ``ScoreResult`` or ``FileError``; ``ENCODED``: an ``EncodedRecord`` (JSON made where
    the file was scored); ``TALLY``: a compact ``ScoredFile`` for ``--group-by`` (or a ``FileError``);
    ``ASSESSMENT``: an ``Assessment`` with its answers, for reports (or an ``InvalidInputError``);
    ``RECORD_AND_TALLY``: a pair of the record and the ``ScoredFile`` (None for an invalid file).
    """

    RECORD = "record"
    ENCODED = "encoded"
    TALLY = "tally"
    ASSESSMENT = "assessment"
    RECORD_AND_TALLY = "record+tally"


class _Scorer:
    """Scores files by the fast path, falling back to the reference path for anything it declines."""

    def __init__(self, catalog: QuestionnaireCatalog) -> None:
        from slp_assess.fastscore import fast_answers

        self.catalog = catalog
        self._fast_answers = fast_answers
        self._compiled: dict[int, CompiledQuestionnaire] = {}

    def __call__(self, path: Path) -> dict[str, Any] | FileError | ScoreResult:
        """A result as a plain dict (fast path), or a model (reference path)."""
        try:
            answers, compiled = self._fast_answers(path, self.catalog.get, self._compiled)
        except Exception:  # noqa: BLE001 - whatever the reason, the reference path decides
            return score_file(path, self.catalog)
        return compiled.plan.score(answers, str(path))

    def answers(self, path: Path) -> tuple[dict[str, Any], AnswerFile, ScoringPlan]:
        """Result dict, answers and scoring plan of a valid file; raises InvalidInputError for another."""
        try:
            answers, compiled = self._fast_answers(path, self.catalog.get, self._compiled)
            plan = compiled.plan
        except Exception:  # noqa: BLE001 - whatever the reason, the reference path decides
            answers, questionnaire = load_answer_file(path, self.catalog)
            plan = plan_for(questionnaire)
        return plan.score(answers, str(path)), answers, plan

    def outcome(self, path: Path, mode: Mode) -> Any:
        """What a worker sends back for ``path`` in ``mode`` (only what pickles cheaply)."""
        if mode is Mode.RECORD:
            return self(path)
        if mode is Mode.ENCODED:
            record = _as_record(self(path))
            assert not isinstance(record, EncodedRecord)
            return encode_record(record)
        try:
            result, answers, plan = self.answers(path)
        except InvalidInputError as exc:
            if mode is Mode.ASSESSMENT:
                return _Invalid(exc.problems)
            return error_record(str(path), exc) if mode is Mode.TALLY else (error_record(str(path), exc), None)
        if mode in (Mode.TALLY, Mode.RECORD_AND_TALLY):
            from slp_assess.compact import scored_file

            tally = scored_file(result, answers, plan)
            return tally if mode is Mode.TALLY else (result, tally)
        return _Payload(result, answers.model_dump(exclude_unset=True))


@dataclass(frozen=True, slots=True)
class _Payload:
    """A valid file for a report: its result dict and its answers as data (cheaper to send than models)."""

    result: dict[str, Any]
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Invalid:
    problems: list[Problem]


def _as_record(outcome: dict[str, Any] | FileError | ScoreResult) -> Record:
    if isinstance(outcome, dict):
        return ScoreResult.model_validate(outcome)
    return outcome


class _Receiver:
    """Turns what workers send back into what the caller asked for, in the main process."""

    def __init__(self, catalog: QuestionnaireCatalog, mode: Mode) -> None:
        self.catalog = catalog
        self.mode = mode
        self._builder: AssessmentBuilder | None = None

    def __call__(self, outcome: Any) -> Any:
        if self.mode is Mode.RECORD:
            return _as_record(outcome)
        if self.mode is Mode.RECORD_AND_TALLY:
            record, tally = outcome
            return _as_record(record), tally
        if isinstance(outcome, _Invalid):
            return InvalidInputError(outcome.problems)
        if isinstance(outcome, _Payload):
            if self._builder is None:
                from slp_assess.compact import AssessmentBuilder

                self._builder = AssessmentBuilder()
            ref = outcome.result["questionnaire"]
            questionnaire = self.catalog.get(ref["id"], ref["version"])
            assert questionnaire is not None and questionnaire.version == ref["version"]  # the worker's catalog has the same files
            return self._builder.assessment(outcome.result, outcome.answers, plan_for(questionnaire))
        return outcome


def score_files(files: Iterable[Path | str], catalog: QuestionnaireCatalog, encode: bool = False, mode: Mode | None = None) -> Iterator[Any]:
    """Score files one after another in this process, in the given order.

    With ``encode``, records come as ``EncodedRecord`` (JSON text) for the streaming formats; ``mode``
    asks for another form (see ``Mode``).
    """
    mode = mode or (Mode.ENCODED if encode else Mode.RECORD)
    scorer = _Scorer(catalog)
    receive = _Receiver(catalog, mode)
    for path in files:
        yield receive(scorer.outcome(Path(path), mode))


# --- worker pool -------------------------------------------------------------------------------

_worker_scorer: _Scorer | None = None


def _init_worker(extra: dict[str, Questionnaire]) -> None:
    global _worker_scorer
    _worker_scorer = _Scorer(QuestionnaireCatalog(extra=extra))
    # What the worker inherited (every imported module) lives as long as it does: out of the cyclic
    # collector's way, a collection examines only what the files being scored made (8-12 % faster).
    gc.freeze()


def _score_chunk(paths: list[str], mode: Mode) -> list[Any]:
    assert _worker_scorer is not None
    # Encoding and compacting here, in parallel, leaves the main process little to do.
    return [_worker_scorer.outcome(Path(p), mode) for p in paths]


def chunk_size(files: int, jobs: int) -> int:
    """Files per task: small enough to stream and balance, large enough to amortise messaging."""
    return max(4, min(64, files // (jobs * 8) or 1))


def score_files_parallel(
    files: Sequence[Path | str],
    questionnaire_paths: Sequence[Path],
    jobs: int,
    catalog: QuestionnaireCatalog | None = None,
    on_done: Callable[[int], None] | None = None,
    encode: bool = False,
    mode: Mode | None = None,
) -> Generator[Any, None, None]:
    """Score files with ``jobs`` worker processes; records come back in input order as they finish.

    ``catalog`` (default: the bundled questionnaires and those in ``questionnaire_paths``) is handed
    to each worker. With ``jobs`` <= 1 or fewer than ``POOL_MIN_FILES`` files, scoring happens in
    this process.
    ``on_done(n)`` is called after every ``n`` records, e.g. to advance a progress bar.
    With ``encode``, records come as ``EncodedRecord`` (JSON made where they were scored); ``mode``
    asks for another form (see ``Mode``).
    Raises ``WorkerError`` when a worker process dies; the records yielded before are complete.
    """
    mode = mode or (Mode.ENCODED if encode else Mode.RECORD)
    catalog = catalog or QuestionnaireCatalog.with_files(list(questionnaire_paths))
    if jobs <= 1 or len(files) < POOL_MIN_FILES:
        for record in score_files(files, catalog, mode=mode):
            yield record
            if on_done:
                on_done(1)
        return
    yield from _score_in_workers(files, jobs, on_done, _Receiver(catalog, mode))


def _score_in_workers(
    files: Sequence[Path | str],
    jobs: int,
    on_done: Callable[[int], None] | None,
    receive: _Receiver,
) -> Iterator[Any]:
    # A process pool executor, unlike multiprocessing.Pool, notices a worker that died (SIGKILL, the
    # kernel's OOM killer) and fails every pending task instead of waiting for it forever; one killed
    # while sending a result it does not notice, hence result_unless_a_worker_died.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = chunk_size(len(files), jobs)
    chunks = ([str(p) for p in files[start : start + size]] for start in range(0, len(files), size))
    executor = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(receive.catalog.extra,))
    broken = False
    try:
        pending: deque[Future[list[Any]]] = deque()
        for chunk in chunks:
            pending.append(executor.submit(_score_chunk, chunk, receive.mode))
            if len(pending) >= jobs * CHUNKS_IN_FLIGHT:
                yield from _drain(result_unless_a_worker_died(pending.popleft(), [executor]), receive, on_done)
        while pending:
            yield from _drain(result_unless_a_worker_died(pending.popleft(), [executor]), receive, on_done)
    except (BrokenProcessPool, WorkerError):
        broken = True
        raise WorkerError(WORKER_DIED) from None
    finally:
        if broken:
            abandon(executor)
        else:
            # Also when the consumer stops early (a closed pipe): queued chunks are dropped, not scored.
            executor.shutdown(wait=True, cancel_futures=True)


def result_unless_a_worker_died(future: Future[T], executors: Sequence[Any]) -> T:
    """``future.result()``; ``WorkerError`` as soon as a worker process of ``executors`` is found dead.

    The executor notices a dead worker itself, except one killed while it was sending a result: its
    manager thread then waits for the rest of that message, and the result, forever.
    """
    from concurrent.futures import TimeoutError as FuturesTimeout

    while True:
        try:
            return future.result(timeout=DEATH_CHECK_SECONDS)
        except FuturesTimeout:
            if a_worker_died(executors):
                raise WorkerError(WORKER_DIED) from None


def a_worker_died(executors: Sequence[Any]) -> bool:
    """Whether a worker process of any of ``executors`` has ended (they end only with their pool, or killed)."""
    return any(process.exitcode is not None for executor in executors for process in workers_of(executor))


def abandon(executor: Any) -> None:
    """End a process pool one of whose workers died, without waiting for anything that may never end.

    After a worker died, Python 3.11's executor can block in shutdown on the survivors (a worker
    killed while holding the call queue leaves it locked): they are ended, not waited for. A worker
    killed while sending a result leaves half a message in the result pipe, which the manager thread
    would wait to complete forever (and the interpreter for that thread at exit): with the last
    writing end closed, it reads the end of the pipe instead, and stops.
    """
    survivors = workers_of(executor)
    for process in survivors:
        process.kill()
    for process in survivors:
        process.join(timeout=5)  # reaped, so nothing is left behind
    writer = getattr(getattr(executor, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()
    manager = getattr(executor, "_executor_manager_thread", None)
    # Not cancel_futures: the manager thread fails every pending task itself, and Python 3.11's
    # raises in that thread on a task cancelled meanwhile.
    executor.shutdown(wait=False)
    if manager is not None:
        # With no worker left and its result pipe closed, the manager thread ends at once. Ended, it
        # is not woken at the interpreter's exit any more: Python 3.11 wakes it there without the
        # pool's lock, and a wake-up racing the thread closing its pipe printed a traceback under the
        # command's last line ("Bad file descriptor").
        manager.join(timeout=5)


def workers_of(executor: Any) -> list[Any]:
    """The worker processes of a process pool executor (its private table; empty if that ever changes)."""
    processes = getattr(executor, "_processes", None)
    return list(processes.values()) if isinstance(processes, dict) else []


def _drain(outcomes: list[Any], receive: _Receiver, on_done: Callable[[int], None] | None) -> Iterator[Any]:
    for outcome in outcomes:
        yield receive(outcome)
    if on_done:
        on_done(len(outcomes))


def default_jobs() -> int:
    """Number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
