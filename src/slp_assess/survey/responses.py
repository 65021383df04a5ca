"""Read a sheet of survey responses (CSV or XLSX) into a header and rows of text cells.

What spreadsheets and survey tools write in practice is detected, not configured: UTF-8 with or
without a byte order mark, UTF-16 with one (Excel's "Unicode text"), else Windows-1252 (cp1252,
Excel's CSV on German Windows); ``;`` (Excel with German settings), ``,`` or tab as delimiter, and
Excel's ``sep=;`` first line. An .xlsx file is recognised by its content, whatever its name.

Formulas are never evaluated: an xlsx formula cell becomes a :class:`Formula`, which the importer
refuses where the column is imported (paste values instead). A CSV cell holds no formula, only
text: one starting with ``=`` (a comment such as ``=> siehe Protokoll``) is imported as written,
and escaped where it is written out again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slp_assess.errors import InvalidInputError, UsageError
from slp_assess.oneline import listed, quoted
from slp_assess.survey.xlsxcells import NotPlain, sheet_texts

DELIMITERS = (";", ",", "\t")
_SNIFF_RECORDS = 50
_ZIP_MAGIC = b"PK\x03\x04"
# Excel's first line naming the delimiter; whatever line break the file uses.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SEP_LINE = re.compile(r"[ \t]*sep=([^\r\n])[ \t]*(?:\r\n|\r|\n|$)", re.IGNORECASE)


class Formula(str):
    """A cell holding a formula, kept as its text."""

    __slots__ = ()


@dataclass
class Sheet:
    """A sheet of responses.

    Attributes:
        path: the file read.
        columns: column names from the header row, made unique (a repeated name gets `` (2)``).
        rows: (row number as a spreadsheet shows it, cells) for every row below the header;
            cells are text, ``""`` when empty, one per column.
        ragged: (row number, cell count) of rows with more cells than the header has.
        misdelimited: (row number, delimiter) of CSV rows that hold one cell where the header has
            several, and whose text another delimiter would split.
        dialect: how the file was read, e.g. ``csv; utf-8-sig ;`` or ``xlsx Sheet1``.
    """

    path: Path
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    ragged: list[tuple[int, int]] = field(default_factory=list)
    misdelimited: list[tuple[int, str]] = field(default_factory=list)
    dialect: str = ""


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_sheet(path: Path, sheet_name: str | None = None) -> Sheet:
    """Read a response sheet; raise InvalidInputError with the file and what is wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise InvalidInputError.single(path, f"cannot read: {exc.strerror}") from None
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, data, sheet_name)
    if sheet_name is not None:
        raise UsageError("--sheet works with .xlsx files only")
    return _read_csv(path, data)


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    text, encoding = _decoded(path, data)
    if "\x00" in text:  # after a byte order mark too: no spreadsheet writes one into a cell
        raise InvalidInputError.single(path, f"line {line_of(text, text.index(chr(0)))}: a zero byte (NUL) in the text: a damaged file?",
                                       hint="save it again from the spreadsheet program as 'CSV UTF-8' or as .xlsx")
    return text, encoding


def line_of(text: str, index: int) -> int:
    """The 1-based line of ``text[index]``, with a line ending as the csv module sees one (CR LF, LF or a lone CR)."""
    return len(_LINE_BREAK.findall(text, 0, index)) + 1


def _decoded(path: Path, data: bytes) -> tuple[str, str]:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InvalidInputError.single(path, f"not valid {encoding} text although it starts with its byte order mark: byte {exc.start}") from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InvalidInputError.single(
            path, f"line {line}: not a text file (a zero byte; UTF-16 without byte order mark?)",
            hint="save it from the spreadsheet program as 'CSV UTF-8' or as .xlsx",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInputError.single(
            path, f"line {line}: byte 0x{data[exc.start]:02x} is neither UTF-8 nor Windows-1252 text",
            hint="save it from the spreadsheet program as 'CSV UTF-8' or as .xlsx",
        ) from None


def sniff_delimiter(text: str) -> str | None:
    """The delimiter that splits the first records into the same number (>1) of cells most often."""
    best: tuple[int, int, int] | None = None
    chosen = None
    for rank, delimiter in enumerate(DELIMITERS):
        records = _first_records(text, delimiter)
        if not records or records[0] < 2:
            continue
        agreeing = sum(1 for n in records if n == records[0])
        score = (agreeing, records[0], -rank)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


def _first_records(text: str, delimiter: str) -> list[int]:
    # Cell counts of the first records; a record the csv module refuses with this delimiter (an
    # oversized cell) ends the sample: the full read below reports it with its line.
    counts: list[int] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            counts.append(len(record))
            if len(counts) >= _SNIFF_RECORDS:
                break
    except csv.Error:
        pass
    return counts


def _read_csv(path: Path, data: bytes) -> Sheet:
    text, encoding = decode(path, data)
    delimiter: str | None = None
    if hint := _SEP_LINE.match(text):
        delimiter, text = hint.group(1), text[hint.end():]  # Excel's hint line
    delimiter = delimiter or sniff_delimiter(text)
    if not text.strip():
        raise InvalidInputError.single(path, "the sheet is empty: no header row, no responses", hint="export the responses again")
    if delimiter is None:
        if len(text) > csv.field_size_limit():
            _records(path, text, DELIMITERS[0])  # an oversized cell in the first rows hides the delimiter: name it
        raise InvalidInputError.single(
            path, "row 1: only one column found; columns must be separated by ';', ',' or tab",
            hint="save it from the spreadsheet program as CSV (semicolon or comma separated) or as .xlsx",
        )
    records = _records(path, text, delimiter)
    header, body = records[0], records[1:]
    sheet = Sheet(path, unique_columns(header), [], dialect=f"csv; {encoding}; {quoted(delimiter)}")
    width = len(header)
    for number, record in enumerate(body, start=2):
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            sheet.ragged.append((number, len(record)))
        elif len(record) == 1 < width and (other := next((d for d in DELIMITERS if d != delimiter and d in record[0]), None)):
            sheet.misdelimited.append((number, other))
        cells = [cell.strip() for cell in record[:width]] + [""] * (width - len(record))
        sheet.rows.append((number, cells))
    return sheet


def _records(path: Path, text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise InvalidInputError.single(
                path, f"line {reader.line_num}: a cell longer than {csv.field_size_limit()} characters (a quote \" opened and never closed?)",
                hint="close the quote, or save the sheet again from the spreadsheet program") from None
        raise InvalidInputError.single(path, f"line {reader.line_num}: not readable as CSV ({exc})", hint="save the sheet again from the spreadsheet program") from None




def unique_columns(header: list[str]) -> list[str]:
    """Header names, stripped; a blank one becomes ``column C``, a repeated one ``name (2)``."""
    names: list[str] = []
    for index, raw in enumerate(header):
        base = " ".join(str(raw).split()) or f"column {column_letter(index)}"
        name, n = base, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names


def _read_xlsx(path: Path, data: bytes, sheet_name: str | None) -> Sheet:
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # here: `slp score` never pays for it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken archive
        raise InvalidInputError.single(path, f"not a readable .xlsx workbook ({type(exc).__name__})", hint="open and save it again in the spreadsheet program") from None
    try:
        if not workbook.sheetnames:  # openpyxl leaves out a sheet the workbook names but the archive lacks
            raise InvalidInputError.single(path, "the workbook holds no worksheet (a damaged file?)", hint="open and save it again in the spreadsheet program")
        if sheet_name is not None and sheet_name not in workbook.sheetnames:
            raise UsageError(f"{path}: no sheet {quoted(sheet_name)}; the sheets are: {listed(workbook.sheetnames, quoted, None)}")
        # The first sheet: KoboToolbox, LimeSurvey and Microsoft Forms put the responses there.
        title = sheet_name or workbook.sheetnames[0]
        try:
            worksheet = workbook[title]
            # The <dimension> a file records may be outdated (a tool that added rows without updating
            # it): openpyxl would cut the sheet there. Every row and cell present is read instead.
            worksheet.reset_dimensions()
            rows = xlsx_rows(workbook, worksheet)
        except Exception as exc:  # openpyxl fails in many ways on a damaged sheet (e.g. a shared formula without a cell)
            raise InvalidInputError.single(path, f"sheet {quoted(title)} cannot be read ({type(exc).__name__}: {' '.join(str(exc).split())[:160]})", hint="open and save it again in the spreadsheet program") from None
    finally:
        workbook.close()
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise InvalidInputError.single(path, f"sheet {quoted(title)} is empty: no header row, no responses", hint="export the responses again")
    header = rows[0]
    while header and not header[-1]:
        header = header[:-1]
    width = len(header)
    sheet = Sheet(path, unique_columns(header), [], dialect=f"xlsx; sheet {quoted(title)}")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > width and any(row[width:]):
            sheet.ragged.append((number, len(row)))
        sheet.rows.append((number, row[:width] + [""] * (width - len(row))))
    return sheet


def xlsx_rows(workbook: Any, worksheet: Any) -> list[list[str]]:
    """The cell texts of an openpyxl read-only worksheet, row by row: read from the XML directly where
    :mod:`slp_assess.survey.xlsxcells` knows every element (several times faster), else by openpyxl."""
    try:
        return sheet_texts(workbook, worksheet, cell_text)
    except NotPlain:
        return [[cell_text(cell.value, cell.data_type) for cell in row] for row in worksheet.iter_rows()]


def cell_text(value: object, data_type: str) -> str:
    """The text of an .xlsx cell: numbers as written (1.0 as 1), dates as ISO dates, a formula as :class:`Formula`."""
    if value is None:
        return ""
    if data_type == "f":
        return Formula(str(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
