"""`--jobs N`: a worker process that dies is reported (exit 5), never waited for forever.

Workers are killed with SIGKILL, as the kernel's out-of-memory killer does. Every wait is bounded
(an alarm in-process, a timeout on subprocesses), so a regression fails instead of hanging.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from slp_assess.batch import POOL_MIN_FILES, score_files_parallel
from slp_assess.errors import ExitCode, WorkerError
from worker_support import children, die_halfway_through_a_result

CORE = Path(__file__).parent / "fixtures" / "core"
MINI = CORE / "mini.yaml"
DIED = "error: a worker process died (killed or out of memory): the output is incomplete\n"

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds worker processes in /proc"),
    # An exception in the pool's own thread would be printed under the command's error line.
    pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning"),
]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("batch")
    texts = [(CORE / name).read_text(encoding="utf-8") for name in ("answers-city.yaml", "answers-rural.yaml", "bad-answers.yaml")]
    files = []
    for index in range(POOL_MIN_FILES * 40):
        path = folder / f"{index:04d}.yaml"
        path.write_text(texts[index % len(texts)], encoding="utf-8")
        files.append(path)
    return files


@pytest.mark.parametrize("seed", range(4))
def test_a_killed_worker_ends_the_batch_with_worker_error(batch, bounded, seed):
    rng = random.Random(seed)
    encode = rng.random() < 0.5
    before = children(os.getpid())
    records = score_files_parallel(batch, [MINI], jobs=2, encode=encode)
    received = [next(records) for _ in range(rng.randint(1, 40))]
    workers = sorted(children(os.getpid()) - before)
    assert workers, "no worker process found"
    os.kill(rng.choice(workers), signal.SIGKILL)
    with pytest.raises(WorkerError, match="a worker process died"):
        received.extend(records)
    assert len(received) < len(batch)
    # Nothing is left for the interpreter's exit to wake: Python 3.11 wakes a pool's manager thread
    # there without the pool's lock, which raced the thread closing its pipe (a traceback at exit).
    assert not _managers_left_awake()
    # The remaining workers are gone too: nothing keeps running in the background.
    assert not (children(os.getpid()) - before)


def _half_sent_chunk(paths: list[str], mode: object) -> list:
    from slp_assess import batch

    if paths[0].endswith("0128.yaml"):
        die_halfway_through_a_result()
    return batch.__dict__["_real_score_chunk"](paths, mode)


@pytest.mark.parametrize("encode", [False, True])
def test_a_worker_killed_while_sending_ends_the_batch_with_worker_error(batch, bounded, monkeypatch, encode):
    """Its half-sent result would keep the pool waiting for the rest forever, and the interpreter for the pool."""
    from slp_assess import batch as batch_module

    monkeypatch.setitem(batch_module.__dict__, "_real_score_chunk", batch_module._score_chunk)
    monkeypatch.setattr(batch_module, "_score_chunk", _half_sent_chunk)
    before = children(os.getpid())
    with pytest.raises(WorkerError, match="a worker process died"):
        list(score_files_parallel(batch, [MINI], jobs=2, encode=encode))
    assert not _managers_left_awake()
    assert not (children(os.getpid()) - before)


def _managers_left_awake() -> list:
    """The process pools' manager threads still running, that the interpreter would wake at its exit."""
    from concurrent.futures import process

    return [thread for thread, wakeup in list(process._threads_wakeups.items()) if thread.is_alive() and not wakeup._closed]


def test_a_batch_without_deaths_is_complete(batch, bounded):
    records = list(score_files_parallel(batch, [MINI], jobs=2, encode=True))
    assert [r.file for r in records] == [str(p) for p in batch]


@pytest.mark.parametrize(("output_format", "seed"), [("jsonl", 1), ("json", 2)])
def test_the_command_says_so_and_exits_5(batch, output_format, seed):
    rng = random.Random(seed)
    process = subprocess.Popen(
        [sys.executable, "-m", "slp_assess", "score", str(batch[0].parent), "-q", str(MINI), "--jobs", "2",
         "--format", output_format],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        for _ in range(rng.randint(1, 20)):
            process.stdout.readline()  # the command is scoring now, and its workers exist
        workers = sorted(children(process.pid))
        assert workers, "no worker process found"
        os.kill(rng.choice(workers), signal.SIGKILL)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == ExitCode.WORKER_DIED
    assert err.decode().endswith(DIED)
    assert "Traceback" not in err.decode()
    assert out.count(b"\n") < len(batch)
