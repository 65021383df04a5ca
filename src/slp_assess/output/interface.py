"""The interface every ``slp score`` output format implements."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TextIO

from pydantic import BaseModel

from slp_assess.models.results import FileError, FileErrorDetail, ScoreResult


@dataclass(frozen=True, slots=True)
class EncodedRecord:
    """A record already serialised to JSON where it was scored (a worker), plus what the exit code needs.

    Streaming JSON formats write ``json`` as it is, so the main process does no per-record work.
    """

    file: str
    overall_score: float | None
    errors: tuple[FileErrorDetail, ...]
    json: str


Record = ScoreResult | FileError | EncodedRecord


class ScoreFormat(ABC):
    """Writes score records to a text stream; streaming formats write as records arrive.

    Attributes:
        accepts_encoded: the format can write ``EncodedRecord``s (JSON made by workers).
        binary: the format writes bytes to a file (``write_binary``), not text to a stream.
    """

    accepts_encoded: bool = False
    binary: bool = False

    @abstractmethod
    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Write all records to ``stream``."""

    def write_binary(self, records: Iterable[Record], handle: IO[bytes]) -> None:
        """Write all records to a binary file (formats with ``binary``)."""
        raise TypeError(f"{type(self).__name__} writes text")


def record_dict(record: BaseModel) -> dict[str, object]:
    """The JSON-ready form of a record, the same in every machine format."""
    if isinstance(record, FileError):
        return {"file": record.file, "error": True, "errors": [e.model_dump() for e in record.errors]}
    return record.model_dump(mode="json")


def record_json(record: BaseModel | EncodedRecord) -> str:
    """One record as compact JSON on one line (pydantic's serialiser for results: fast)."""
    if isinstance(record, EncodedRecord):
        return record.json
    if isinstance(record, FileError):
        return json.dumps(record_dict(record), ensure_ascii=False, separators=(",", ":"))
    return record.model_dump_json()


def encode_record(record: ScoreResult | FileError) -> EncodedRecord:
    """Serialise a record where it was made, keeping what the exit code and stderr need."""
    if isinstance(record, FileError):
        return EncodedRecord(record.file, None, tuple(record.errors), record_json(record))
    return EncodedRecord(record.file, record.overall.score, (), record_json(record))
