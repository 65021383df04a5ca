"""One root exception and the documented exit codes.

The CLI is the only place that turns these into exit codes; the core raises them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, Self

from slp_assess.oneline import one_line


class ExitCode(IntEnum):
    """Exit codes documented in the README."""

    OK = 0
    BELOW_THRESHOLD = 1
    INVALID_INPUT = 2
    USAGE = 3
    CANNOT_WRITE = 4
    WORKER_DIED = 5
    INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as precisely as we can.

    Attributes:
        file: the file the problem is in.
        line: 1-based YAML line, or None when unknown.
        message: what is wrong, for people.
        hint: what to do about it, or empty.
        location: dotted path inside the document, or empty.
    """

    file: str
    line: int | None
    message: str
    hint: str = ""
    location: str = ""

    def __post_init__(self) -> None:
        # Messages embed the values they are about through ``oneline.quoted``; this keeps the promise
        # of one line for any text that reaches a problem otherwise (a library's own message).
        for name in ("message", "hint", "location"):
            object.__setattr__(self, name, one_line(getattr(self, name)))

    def format(self, hint_label: str = "hint") -> str:
        """Render as one line: ``file:line: location: message (hint: hint)``; ``hint_label`` in the line's language."""
        where = f"{one_line(self.file)}:{self.line}" if self.line else one_line(self.file)
        text = f"{where}: {self.location}: {self.message}" if self.location else f"{where}: {self.message}"
        return f"{text} ({hint_label}: {self.hint})" if self.hint else text


# Every write is atomic (a temporary file renamed into place), and each command removes its temporary
# files on the way out: after a Ctrl-C, what a reader finds is whole, new or old.
INTERRUPTED_LINE = "interrupted (Ctrl-C): stopped; every file is complete or as it was"


class SlpError(Exception):
    """Root of every error slp-assess raises on purpose.

    ``language``: set where the error is written in a session's language (``slp assess``), so that
    a German session's error line starts with „Fehler“ and holds no English word.
    ``headline``: a line in that language printed above the error's own text, which then follows
    indented as technical detail (the validator's English problems of a file a session cannot read).
    """

    exit_code: ExitCode = ExitCode.INVALID_INPUT
    language: str | None = None
    headline: str | None = None

    def in_language(self, language: str) -> Self:
        """This error, marked as written in ``language``."""
        self.language = language
        return self

    def with_headline(self, headline: str, language: str) -> Self:
        """This error below ``headline``, a line written in ``language``; its own text becomes the detail."""
        self.headline = headline
        self.language = language
        return self


class InvalidInputError(SlpError):
    """An input file is unreadable or invalid; carries every problem found."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a worker process, it reaches the main process pickled: made again from its problems,
        # not from its message (the default), which would be taken for a list of problems.
        return type(self), (self.problems,), self.__dict__

    @classmethod
    def single(cls, file: str | Path, message: str, line: int | None = None, hint: str = "") -> InvalidInputError:
        """Build an error holding one problem."""
        return cls([Problem(str(file), line, message, hint)])


class UsageError(SlpError):
    """The command line asks for something impossible (unknown id, clashing options)."""

    exit_code = ExitCode.USAGE


class OutputError(SlpError):
    """An output file cannot be written (missing permission, full disk)."""

    exit_code = ExitCode.CANNOT_WRITE


class WorkerError(SlpError):
    """A worker process of ``--jobs`` died (killed, out of memory); the output is incomplete."""

    exit_code = ExitCode.WORKER_DIED
