"""A worker process that dies halfway through sending its result, as one the kernel kills there would.

The pool's manager thread then reads the first part of a message whose rest never comes. Called from
a function run in a ``concurrent.futures`` worker process, never in the test process itself.
"""

from __future__ import annotations

import os
import struct
import sys


def die_halfway_through_a_result() -> None:
    """Write the start of a 1 MiB result into this worker's result pipe, holding its lock, and die."""
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
