"""The interface every ``slp score`` output format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TextIO

from slp_assess.models.results import FileError, ScoreResult

Record = ScoreResult | FileError


class ScoreFormat(ABC):
    """Writes score records to a text stream; streaming formats write as records arrive."""

    @abstractmethod
    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Write all records to ``stream``."""


def record_dict(record: Record) -> dict[str, object]:
    """The JSON-ready form of a record, the same in every machine format."""
    if isinstance(record, FileError):
        return {"file": record.file, "error": True, "errors": [e.model_dump() for e in record.errors]}
    return record.model_dump(mode="json")
