"""Worker pools under test: their child processes, and a worker dying halfway through a result."""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path


def children(pid: int) -> set[int]:
    """Child processes of ``pid`` (workers are started from any of its threads)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found |= {int(child) for child in (task / "children").read_text().split()}
        except FileNotFoundError:  # the thread ended meanwhile
            continue
    return found


def die_halfway_through_a_result() -> None:
    """In a ``concurrent.futures`` worker, as one the kernel kills while it sends a result would.

    The pool's manager thread then reads the first part of a message whose rest never comes.
    Writes the start of a 1 MiB result into this worker's result pipe, holding its lock, and die."""
    frame = sys._getframe()
    while frame is not None and "result_queue" not in frame.f_locals:
        frame = frame.f_back
    if frame is not None:
        queue = frame.f_locals["result_queue"]
        lock = getattr(queue, "_wlock", None)
        if lock is not None:
            lock.acquire()  # as in the middle of put(): every other worker now waits for it
        os.write(queue._writer.fileno(), struct.pack("!i", 1 << 20) + b"\x80" * 100)
    os._exit(9)
