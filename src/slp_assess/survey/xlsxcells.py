"""The cells of an .xlsx worksheet read straight from its XML: what openpyxl's read-only mode gives, faster.

openpyxl makes a cell object and a dict per cell and parses with defusedxml's pure-Python parser
(~9 s for the 1.5 million cells of 10,000 survey responses); this reads the same XML with the C
``iterparse`` and keeps only the cell texts (~3 s; benchmarks/import.md). Only
the loop over the cells is our own: the workbook, the sheet's part and its dimension, the shared
strings, which styles are dates, the epoch and every conversion (numbers to dates, rich text) are
openpyxl's, taken from its read-only workbook. The loop mirrors ``WorkSheetParser.parse_cell`` and
``ReadOnlyWorksheet._cells_by_row`` (openpyxl 3.1) and gives up (:class:`NotPlain`) on anything
else it meets: shared and array formulas, elements it does not know, a date out of range, any
error. The caller then reads the sheet with openpyxl; tests/test_xlsx_cells.py compares both.
"""

from __future__ import annotations

import io
import pyexpat
import re
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element, iterparse

_HEAD = 1 << 16
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT = (f"{_MAIN}{tag}" for tag in ("row", "c", "v", "f", "is", "t"))


class NotPlain(Exception):
    """The sheet holds something this reader does not mirror; read it with openpyxl."""


def sheet_texts(workbook: Any, worksheet: Any, text_of: Callable[[object, str], str]) -> list[list[str]]:
    """Rows of cell texts, as ``[[text_of(cell.value, cell.data_type) for cell in row] for row in worksheet.iter_rows()]``.

    ``workbook``/``worksheet``: openpyxl's read-only workbook and one of its sheets.
    """
    try:
        source = workbook._archive.open(worksheet._worksheet_path)
        cells = _Cells(worksheet._shared_strings, workbook._date_formats, workbook._timedelta_formats, workbook.epoch, text_of)
        max_col, max_row = worksheet.max_column, worksheet.max_row
    except Exception as exc:  # another openpyxl version: its private parts differ
        raise NotPlain(f"openpyxl internals: {exc}") from None
    try:
        with source:
            return _by_row(cells.rows(source), max_col, max_row)
    except NotPlain:
        raise
    except Exception as exc:  # openpyxl would meet the same; it reports it its own way
        raise NotPlain(f"{type(exc).__name__}: {exc}") from None


def _by_row(parsed: Iterator[tuple[int, list[tuple[int, str]]]], max_col: int | None, max_row: int | None) -> list[list[str]]:
    # ReadOnlyWorksheet._cells_by_row(min_col=1, min_row=1): missing rows filled, rows past the dimension cut.
    empty_row = [""] * max_col if max_col is not None else []
    rows: list[list[str]] = []
    counter = idx = 1
    for idx, cells in parsed:
        if max_row is not None and idx > max_row:
            break
        for _ in range(counter, idx):
            counter += 1
            rows.append(list(empty_row))
        if counter <= idx:
            rows.append(_row(cells, max_col))
            counter += 1
    if max_row is not None and max_row < idx:
        rows += [list(empty_row) for _ in range(counter, max_row + 1)]
    return rows


def _row(cells: list[tuple[int, str]], max_col: int | None) -> list[str]:
    # ReadOnlyWorksheet._get_row: as wide as the dimension, else up to the row's last cell.
    if not cells and not max_col:
        return []
    width = max_col or cells[-1][0]
    row = [""] * width
    for column, text in cells:
        if 1 <= column <= width:
            row[column - 1] = text
    return row


class _Cells:
    def __init__(self, shared_strings: list[str], date_styles: set[int], duration_styles: set[int], epoch: Any,
                 text_of: Callable[[object, str], str]) -> None:
        self.shared_strings, self.date_styles, self.duration_styles, self.epoch = shared_strings, date_styles, duration_styles, epoch
        self.text_of = text_of
        self.columns: dict[str, int] = {}

    def rows(self, source: Any) -> Iterator[tuple[int, list[tuple[int, str]]]]:
        """(row number, [(column, text)]) of every ``<row>``, as WorkSheetParser.parse_row numbers them."""
        strings, text, dated = self.shared_strings, self._text, bool(self.date_styles)
        row_counter = 0
        for _, element in iterparse(_without_doctype(source)):
            if element.tag != _ROW:
                continue
            number = element.get("r")
            if number is not None:
                row_counter = int(number) if number.isdigit() else _whole(float(number))
            else:
                row_counter += 1
            col_counter = 0
            cells = []
            for cell in element:
                if cell.tag != _CELL:
                    raise NotPlain(f"<{cell.tag}> in a row")
                coordinate = cell.get("r")
                col_counter = self._column(coordinate) if coordinate else col_counter + 1
                # The cells survey exports are made of, short: nothing (no value, no formula: ""), a plain
                # string inline or shared (a str: cell_text gives value.strip()) or a whole number without
                # date style (cell_text gives str(int)); any other goes through _text.
                kind = cell.get("t")
                if not len(cell):
                    cells.append((col_counter, ""))
                    continue
                if len(cell) == 1 and len(child := cell[0]) <= 1:
                    if kind == "inlineStr" and child.tag == _INLINE and len(child) == 1 and child[0].tag == _TEXT and not len(child[0]):
                        cells.append((col_counter, (child[0].text or "").strip()))
                        continue
                    if child.tag == _VALUE and (value := child.text):
                        if kind == "s":
                            cells.append((col_counter, strings[int(value)].strip()))
                            continue
                        if kind in (None, "n") and value.isdigit() and value.isascii() and not dated:
                            cells.append((col_counter, str(int(value))))
                            continue
                cells.append((col_counter, text(cell)))  # an empty one too: it widens a row without dimension
            element.clear()
            yield row_counter, cells

    def _column(self, coordinate: str) -> int:
        letters = coordinate.rstrip("0123456789")
        column = self.columns.get(letters)
        if column is None:
            if not letters.isalpha() or not letters.isupper() or len(letters) > 3 or len(letters) == len(coordinate):
                raise NotPlain(f"cell reference {coordinate!r}")
            column = 0
            for letter in letters:
                column = column * 26 + ord(letter) - 64
            self.columns[letters] = column
        return column

    def _text(self, cell: Element) -> str:
        kind = cell.get("t", "n")
        value: Any = None
        inline = formula = None
        for child in cell:
            if child.tag == _VALUE and value is None:
                value = child.text or ""
            elif child.tag == _FORMULA and formula is None:
                formula = child
            elif child.tag == _INLINE and inline is None:
                inline = child
            else:
                raise NotPlain(f"<{child.tag}> in a cell")
        value = value or None
        if kind == "inlineStr":
            value = None
        if formula is not None:
            if formula.get("t", "normal") != "normal":
                raise NotPlain("a shared, array or data table formula")
            return self.text_of("=" + (formula.text or ""), "f")
        if value is not None:
            if kind == "n":
                value = float(value) if "." in value or "E" in value or "e" in value else int(value)
                style_id = cell.get("s")
                style = int(style_id) if style_id else (0 if style_id is None else -1)  # s="" is no style id for openpyxl
                if style in self.date_styles:
                    from openpyxl.utils.datetime import from_excel  # type: ignore[import-untyped]

                    return self.text_of(from_excel(value, self.epoch, timedelta=style in self.duration_styles), "d")
            elif kind == "s":
                value = self.shared_strings[int(value)]
            elif kind == "b":
                value = bool(int(value))
            elif kind == "d":
                from openpyxl.utils.datetime import from_ISO8601

                value = from_ISO8601(value)
        elif kind == "inlineStr" and inline is not None:
            value = _inline_text(inline)
        return self.text_of(value, kind)


def _without_doctype(source: IO[bytes]) -> _Chained:
    """The sheet's XML, refused if it declares a DTD (entities): openpyxl parses with defusedxml, which
    refuses them; this parses with the C parser of the standard library (expat with its own limits
    against entity expansion), 2-3 times faster than defusedxml's, so declarations go to openpyxl."""
    if pyexpat.version_info < (2, 4, 1):  # the first expat that limits entity expansion
        raise NotPlain(f"expat {pyexpat.EXPAT_VERSION}")
    head = source.read(_HEAD)
    root = re.search(rb"<[A-Za-z_]", head)
    if root is None or b"<!" in head[: root.start()].replace(b"<!--", b""):
        raise NotPlain("a document type declaration")
    return _Chained(head, source)


class _Chained(io.RawIOBase):
    """Bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.head[: len(buffer)] if self.head else self.rest.read(len(buffer))
        self.head = self.head[len(data):]
        buffer[: len(data)] = data
        return len(data)


def _inline_text(inline: Element) -> str:
    if len(inline) == 1 and inline[0].tag == _TEXT and len(inline[0]) == 0:
        return inline[0].text or ""  # the common case: plain text, no runs
    from openpyxl.cell.text import Text  # type: ignore[import-untyped]

    return str(Text.from_tree(inline).content)


def _whole(number: float) -> int:
    if not number.is_integer():
        raise NotPlain(f"row number {number}")
    return int(number)
