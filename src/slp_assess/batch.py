"""Score many answer files: one bad file yields an error record, never stops the rest.

Files are scored in input order, in this process or, for large batches, by a pool of worker
processes; either way records stream out one by one, so memory stays flat however many files.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slp_assess.errors import InvalidInputError, UsageError, WorkerError
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.results import FileError, FileErrorDetail, ScoreResult
from slp_assess.output.interface import EncodedRecord, Record, encode_record
from slp_assess.scoring import score_answers

if TYPE_CHECKING:
    from slp_assess.fastscore import CompiledQuestionnaire

ANSWER_SUFFIXES = (".yaml", ".yml")
# Below this many files a worker pool costs more to start than it saves.
POOL_MIN_FILES = 50
# Chunks in flight per worker: enough to keep workers busy, few enough to bound memory.
CHUNKS_IN_FLIGHT = 4
WORKER_DIED = "a worker process died (killed or out of memory): the output is incomplete"

def collect_files(inputs: Iterable[Path]) -> list[Path]:
    """Expand directories recursively to their YAML files; keep given files as they are.

    Files inside a directory are sorted (as paths: a folder's files before its subfolders' files
    with later names) so output does not depend on the file system's order.
    """
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found = [
                Path(folder, name)
                for folder, _, names in os.walk(path)
                for name in names
                if name.endswith(ANSWER_SUFFIXES)
            ]
            # Sorting by parts gives Path order without Path.__lt__, which is slow for 10,000 files.
            files.extend(sorted(found, key=lambda p: p.parts))
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    return files


def collect_some_files(inputs: Sequence[Path]) -> list[Path]:
    """:func:`collect_files`, refusing inputs that hold no answer file at all (a usage error)."""
    files = collect_files(inputs)
    if not files:
        raise UsageError(f"no answer files (*.yaml, *.yml) found in: {', '.join(map(str, inputs))}")
    return files


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


class _Scorer:
    """Scores files by the fast path, falling back to the reference path for anything it declines."""

    def __init__(self, catalog: QuestionnaireCatalog) -> None:
        from slp_assess.fastscore import Fallback, fast_score

        self.catalog = catalog
        self._fast_score = fast_score
        self._fallback = Fallback
        self._compiled: dict[int, CompiledQuestionnaire] = {}

    def __call__(self, path: Path) -> dict[str, Any] | FileError | ScoreResult:
        """A result as a plain dict (fast path), or a model (reference path)."""
        try:
            return self._fast_score(path, self.catalog.get, self._compiled)
        except Exception:  # noqa: BLE001 - whatever the reason, the reference path decides
            return score_file(path, self.catalog)


def _as_record(outcome: dict[str, Any] | FileError | ScoreResult) -> Record:
    if isinstance(outcome, dict):
        return ScoreResult.model_validate(outcome)
    return outcome


def _finish(outcome: dict[str, Any] | FileError | ScoreResult, encode: bool) -> Record:
    record = _as_record(outcome)
    return encode_record(record) if encode else record


def score_files(files: Iterable[Path], catalog: QuestionnaireCatalog, encode: bool = False) -> Iterator[Record]:
    """Score files one after another in this process, in the given order.

    With ``encode``, records come as ``EncodedRecord`` (JSON text) for the streaming formats.
    """
    scorer = _Scorer(catalog)
    for path in files:
        yield _finish(scorer(path), encode)


# --- worker pool -------------------------------------------------------------------------------

_worker_scorer: _Scorer | None = None


def _init_worker(questionnaire_paths: list[str]) -> None:
    global _worker_scorer
    _worker_scorer = _Scorer(QuestionnaireCatalog.with_files([Path(p) for p in questionnaire_paths]))


def _score_chunk(paths: list[str], encode: bool) -> list[Any]:
    assert _worker_scorer is not None
    # Encoding here, in parallel, leaves the main process little more than writing text.
    return [_finish(_worker_scorer(Path(p)), encode) if encode else _worker_scorer(Path(p)) for p in paths]


def chunk_size(files: int, jobs: int) -> int:
    """Files per task: small enough to stream and balance, large enough to amortise messaging."""
    return max(4, min(64, files // (jobs * 8) or 1))


def score_files_parallel(
    files: Sequence[Path],
    questionnaire_paths: Sequence[Path],
    jobs: int,
    catalog: QuestionnaireCatalog | None = None,
    on_done: Callable[[int], None] | None = None,
    encode: bool = False,
) -> Generator[Record, None, None]:
    """Score files with ``jobs`` worker processes; records come back in input order as they finish.

    Each worker builds its own catalog from ``questionnaire_paths``. With ``jobs`` <= 1 or fewer
    than ``POOL_MIN_FILES`` files, scoring happens in this process (``catalog`` is used if given).
    ``on_done(n)`` is called after every ``n`` records, e.g. to advance a progress bar.
    With ``encode``, records come as ``EncodedRecord`` (JSON made where they were scored).
    Raises ``WorkerError`` when a worker process dies; the records yielded before are complete.
    """
    if jobs <= 1 or len(files) < POOL_MIN_FILES:
        records = score_files(files, catalog or QuestionnaireCatalog.with_files(list(questionnaire_paths)), encode)
        for record in records:
            yield record
            if on_done:
                on_done(1)
        return
    yield from _score_in_workers(files, questionnaire_paths, jobs, on_done, encode)


def _score_in_workers(
    files: Sequence[Path],
    questionnaire_paths: Sequence[Path],
    jobs: int,
    on_done: Callable[[int], None] | None,
    encode: bool,
) -> Iterator[Record]:
    # A process pool executor, unlike multiprocessing.Pool, notices a worker that died (SIGKILL, the
    # kernel's OOM killer) and fails every pending task instead of waiting for it forever.
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = chunk_size(len(files), jobs)
    chunks = ([str(p) for p in files[start : start + size]] for start in range(0, len(files), size))
    executor = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=([str(p) for p in questionnaire_paths],))
    broken = False
    try:
        pending: deque[Future[list[Any]]] = deque()
        for chunk in chunks:
            pending.append(executor.submit(_score_chunk, chunk, encode))
            if len(pending) >= jobs * CHUNKS_IN_FLIGHT:
                yield from _drain(pending.popleft().result(), on_done)
        while pending:
            yield from _drain(pending.popleft().result(), on_done)
    except BrokenProcessPool:
        broken = True
        raise WorkerError(WORKER_DIED) from None
    finally:
        if broken:
            # After a worker died, Python 3.11's executor can block in shutdown on the survivors
            # (a worker killed while holding the call queue leaves it locked): end them, don't wait.
            survivors = _workers(executor)
            for process in survivors:
                process.kill()
            for process in survivors:
                process.join(timeout=5)  # reaped, so nothing is left behind
            executor.shutdown(wait=False, cancel_futures=True)
        else:
            # Also when the consumer stops early (a closed pipe): queued chunks are dropped, not scored.
            executor.shutdown(wait=True, cancel_futures=True)


def _workers(executor: Any) -> list[Any]:
    """The worker processes of a process pool executor (its private table; empty if that ever changes)."""
    processes = getattr(executor, "_processes", None)
    return list(processes.values()) if isinstance(processes, dict) else []


def _drain(outcomes: list[Any], on_done: Callable[[int], None] | None) -> Iterator[Record]:
    for outcome in outcomes:
        yield outcome if isinstance(outcome, EncodedRecord) else _as_record(outcome)
    if on_done:
        on_done(len(outcomes))


def default_jobs() -> int:
    """Number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
