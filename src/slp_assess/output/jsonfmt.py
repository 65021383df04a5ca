"""JSON array and JSON Lines output."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from slp_assess.output.interface import Record, ScoreFormat, record_json

_dumps = record_json


class JsonFormat(ScoreFormat):
    """A JSON array, written element by element so memory stays flat."""

    accepts_encoded = True

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Write ``[ ... ]`` with one record per line."""
        stream.write("[")
        for index, record in enumerate(records):
            stream.write(",\n" if index else "\n")
            stream.write(_dumps(record))
        stream.write("\n]\n")


class JsonLinesFormat(ScoreFormat):
    """One JSON object per line, flushed as each file is scored."""

    accepts_encoded = True

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Write one line per record."""
        for record in records:
            stream.write(_dumps(record) + "\n")
            stream.flush()
