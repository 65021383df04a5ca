"""Saving an openpyxl workbook so that the same content gives the same bytes.

openpyxl stamps the clock in three places: ``dcterms:created`` (when the workbook object is made),
``dcterms:modified`` (``Workbook.save`` sets it just before writing) and the date of every zip entry.
:func:`save_workbook` writes the workbook itself, with openpyxl's ``ExcelWriter`` and a zip archive
that dates every entry, and both document dates, by :func:`document_time`: the day of
``SOURCE_DATE_EPOCH`` when it is set, else a fixed day, never the clock.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from typing import IO, Any

from slp_assess.naming import source_date

# The earliest date a zip entry can carry; also the document date when SOURCE_DATE_EPOCH is not set.
ZIP_EPOCH = dt.datetime(1980, 1, 1)


def document_time() -> dt.datetime:
    """The time written into workbooks: midnight of ``SOURCE_DATE_EPOCH``'s day, else 1980-01-01."""
    day = source_date()
    return dt.datetime(day.year, day.month, day.day) if day else ZIP_EPOCH


class StampedZipFile(zipfile.ZipFile):
    """A zip archive being written whose entries all carry one date and the same permissions.

    ``ZipFile.writestr`` with a name dates the entry now, ``ZipFile.write`` by the file's mtime;
    both are given an explicit ``ZipInfo`` here instead.
    """

    def __init__(self, file: Any, when: dt.datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        # A zip entry cannot be dated before 1980 (SOURCE_DATE_EPOCH=0 is 1970).
        self.stamp = max(when, ZIP_EPOCH).timetuple()[:6]

    def _entry(self, name: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, date_time=self.stamp)
        entry.compress_type = self.compression
        entry.external_attr = 0o644 << 16
        return entry

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None, compresslevel: int | None = None) -> None:
        source_path = Path(filename)
        entry = self._entry(str(arcname if arcname is not None else source_path.name))
        # The size up front lets the archive choose ZIP64 for a sheet of more than 4 GB.
        entry.file_size = source_path.stat().st_size
        with source_path.open("rb") as source, self.open(entry, "w") as target:
            shutil.copyfileobj(source, target, 1 << 16)


def save_workbook(workbook: Any, handle: IO[bytes]) -> None:
    """Write ``workbook`` (openpyxl, write-only or not) to ``handle`` with no trace of the clock."""
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

    when = document_time()
    workbook.properties.created = workbook.properties.modified = when
    workbook.properties.creator = "slp-assess"
    # What Workbook.save does, without its `properties.modified = now`; the writer closes the archive.
    ExcelWriter(workbook, StampedZipFile(handle, when)).save()
