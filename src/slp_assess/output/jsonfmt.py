"""JSON array and JSON Lines output."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from slp_assess.output.interface import Record, ScoreFormat, record_dict


def _dumps(record: Record) -> str:
    return json.dumps(record_dict(record), ensure_ascii=False, sort_keys=False)


class JsonFormat(ScoreFormat):
    """A JSON array, written element by element so memory stays flat."""

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Write ``[ ... ]`` with one record per line."""
        stream.write("[")
        for index, record in enumerate(records):
            stream.write(",\n" if index else "\n")
            stream.write(_dumps(record))
        stream.write("\n]\n")


class JsonLinesFormat(ScoreFormat):
    """One JSON object per line, flushed as each file is scored."""

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Write one line per record."""
        for record in records:
            stream.write(_dumps(record) + "\n")
            stream.flush()
