"""A progress bar on stderr for long batches: only on a terminal, only after the first second."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress

SHOW_AFTER_SECONDS = 1.0


class _LazyBar:
    """Counts finished files; starts a rich bar once the batch has run for a second."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.done = 0
        self.started = time.monotonic()
        self.progress: Progress | None = None
        self.task: Any = None

    def advance(self, count: int) -> None:
        self.done += count
        if self.progress is None:
            if not self.enabled or time.monotonic() - self.started < SHOW_AFTER_SECONDS:
                return
            from rich.console import Console  # only now: `score --format json` on a pipe never loads rich
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(
                TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("scoring", total=self.total)
        self.progress.update(self.task, completed=self.done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextmanager
def progress_bar(total: int, enabled: bool | None = None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; a bar appears on stderr if it is a terminal and the batch is slow."""
    bar = _LazyBar(total, sys.stderr.isatty() if enabled is None else enabled)
    try:
        yield bar.advance
    finally:
        bar.close()
