"""The direct .xlsx cell reader (survey/xlsxcells.py) gives exactly what openpyxl's read-only mode gives.

Differential: generated worksheets (seeded) with the awkward cases, written as XML into a workbook
openpyxl made (its styles, date formats, epoch), are read both ways and compared cell by cell;
where the direct reader declines (shared formulas, DTDs), openpyxl reads the sheet instead.
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from slp_assess import api
from slp_assess.errors import InvalidInputError
from slp_assess.survey import responses, xlsxcells
from slp_assess.survey.responses import cell_text, read_sheet
from slp_assess.survey.xlsxcells import NotPlain, sheet_texts

sys.path.insert(0, str(Path(__file__).parent))
from survey_sheets import kobo_table, respondents, write_xlsx  # noqa: E402

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
TEXTS = ["Anna", "a_x000D_b", "x005F_x000D_", "  mit Leerzeichen  ", "trifft eher zu", "ß ä ö ü", "1.0", "=kein Formel", "Zeile 1\nZeile 2", "", "<&>", "007"]
NUMBERS = ["1", "0", "4", "1.0", "2.5", "-0", "1E3", "1e-2", "007", "45000", "45000.5", "0.25", "123456789012"]


def _template(epoch_1904: bool, dates: bool = True) -> tuple[bytes, dict[str, int]]:
    """A workbook from openpyxl with a date, a duration and a plain number style (or only the last); their style ids."""
    workbook = Workbook()
    if epoch_1904:
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    formats = ["General", "yyyy-mm-dd", "[h]:mm:ss", "0.00", "dd.mm.yyyy hh:mm"] if dates else ["General", "0.00"]
    for column, fmt in enumerate(formats, start=1):
        sheet.cell(1, column, 1).number_format = fmt
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    reread = load_workbook(io.BytesIO(data), read_only=True)
    dates, durations = reread._date_formats, reread._timedelta_formats
    plain = next(i for i in range(1, 10) if i not in dates)
    if not dates:
        return data, {"plain": plain}
    return data, {"date": min(dates - durations), "duration": min(durations), "plain": plain, "datetime": max(dates - durations)}


def _cell(rng: random.Random, ref: str, strings: list[str], styles: dict[str, int]) -> tuple[str, str]:
    """(kind, XML) of one random cell."""
    kind = rng.choice(["shared", "shared", "inline", "inline", "number", "number", "empty", "bool", "error", "str",
                       "formula", "date", "duration", "datetime", "iso", "runs", "styled", "blank_v"])
    if kind in ("date", "duration", "datetime") and kind not in styles:
        kind = "number"  # a workbook without date styles: the direct reader's short way for whole numbers
    text = rng.choice(TEXTS)
    attrs = f' r="{ref}"' if ref else ""
    if kind == "shared":
        strings.append(f"<t xml:space=\"preserve\">{escape(text)}</t>")
        return kind, f'<c{attrs} t="s"><v>{len(strings) - 1}</v></c>'
    if kind == "runs":  # rich text in the shared strings, a phonetic hint (not part of the value)
        strings.append(f'<r><t>{escape(text)}</t></r><r><rPr><b/></rPr><t xml:space="preserve"> fett</t></r><rPh sb="0" eb="1"><t>x</t></rPh>')
        return kind, f'<c{attrs} t="s"><v>{len(strings) - 1}</v></c>'
    if kind == "inline":
        inner = rng.choice([f"<t>{escape(text)}</t>", "<t/>", "", f"<r><t>{escape(text)}</t></r><r><t>!</t></r>"])
        return kind, f'<c{attrs} t="inlineStr"><is>{inner}</is></c>' if inner or rng.random() < 0.5 else f'<c{attrs} t="inlineStr"/>'
    if kind == "number":
        number_type = rng.choice(["", ' t="n"'])
        return kind, f'<c{attrs}{number_type}><v>{rng.choice(NUMBERS)}</v></c>'
    if kind == "styled":
        return kind, f'<c{attrs} s="{styles["plain"]}"><v>{rng.choice(NUMBERS)}</v></c>'
    if kind == "empty":
        extra = rng.choice(["", ' s="1"', ' t="s"'])
        return kind, f'<c{attrs}{extra}/>'
    if kind == "blank_v":
        return kind, f'<c{attrs}><v></v></c>'
    if kind == "bool":
        return kind, f'<c{attrs} t="b"><v>{rng.choice("01")}</v></c>'
    if kind == "error":
        return kind, f'<c{attrs} t="e"><v>#N/A</v></c>'
    if kind == "str":  # a formula's cached text
        return kind, f'<c{attrs} t="str"><f>CONCAT("a";"b")</f><v>ab</v></c>' if rng.random() < 0.5 else f'<c{attrs} t="str"><v> {escape(text)} </v></c>'
    if kind == "formula":  # with a cached value; a shared one makes the direct reader decline
        formulas = ["<f>SUM(A1:A2)</f>", "<f/>"] + (['<f t="shared" ref="A1:A3" si="0">$A$1+1</f>'] if ref else [])  # openpyxl needs the ref
        formula = rng.choice(formulas)
        return kind, f"<c{attrs}>{formula}<v>3</v></c>"
    if kind == "iso":
        return kind, f'<c{attrs} t="d"><v>{rng.choice(["2026-03-18", "2026-03-18T10:30:00"])}</v></c>'
    value = rng.choice(["45000", "45000.5", "0.25", "1.75", "0"])
    return kind, f'<c{attrs} s="{styles[kind]}"><v>{value}</v></c>'


def _sheet_xml(rng: random.Random, styles: dict[str, int]) -> tuple[str, list[str]]:
    """A worksheet with sparse rows and columns, cells with and without references, maybe a dimension."""
    strings: list[str] = []
    rows = []
    number = 0
    width = rng.randrange(1, 9)
    for _ in range(rng.randrange(1, 12)):
        number += rng.choice([1, 1, 1, 2, 4])
        cells, column = [], 0
        for _ in range(rng.randrange(0, width + 1)):
            column += rng.choice([1, 1, 1, 2, 3])
            with_ref = rng.random() < 0.85
            cells.append(_cell(rng, f"{get_column_letter(column)}{number}" if with_ref else "", strings, styles)[1])
        row_ref = f' r="{number}"' if rng.random() < 0.9 else ""
        rows.append(f'<row{row_ref} spans="1:{width}">{"".join(cells)}</row>')
    dimension = ""
    if rng.random() < 0.6:
        dimension = f'<dimension ref="A1:{get_column_letter(rng.randrange(1, width + 3))}{rng.randrange(1, number + 3)}"/>'
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{_MAIN}">{dimension}<sheetData>{"".join(rows)}</sheetData></worksheet>'
    return xml, strings


def _workbook(template: bytes, sheet_xml: str, strings: list[str]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode("utf-8")
            elif name == "[Content_Types].xml" and strings:
                data = data.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_STRINGS_TYPE}"/></Types>'.encode())
            target.writestr(name, data)
        if strings:
            items = "".join(f"<si>{s}</si>" for s in strings)
            target.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}" count="{len(strings)}">{items}</sst>')
    return out.getvalue()


def _both(data: bytes) -> tuple[list[list[str]] | None, list[list[str]]]:
    """(direct reader's rows or None where it declines, openpyxl's rows), both as cell texts."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheet = workbook[workbook.sheetnames[0]]
    try:
        direct: list[list[str]] | None = sheet_texts(workbook, sheet, cell_text)
    except NotPlain:
        direct = None
    reference = [[cell_text(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    workbook.close()
    return direct, reference


def test_generated_worksheets_read_as_openpyxl_reads_them():
    templates = {(epoch, dates): _template(epoch, dates) for epoch in (False, True) for dates in (False, True)}
    compared = declined = 0
    for seed in range(300):
        rng = random.Random(seed)
        template, styles = templates[rng.random() < 0.3, rng.random() < 0.6]
        xml, strings = _sheet_xml(rng, styles)
        direct, reference = _both(_workbook(template, xml, strings))
        if direct is None:
            assert 't="shared"' in xml, f"seed {seed}: declined a sheet without shared formula"
            declined += 1
            continue
        assert direct == reference, f"seed {seed}\n{xml}"
        assert [type(c) for row in direct for c in row] == [type(c) for row in reference for c in row]  # Formula stays Formula
        compared += 1
    assert compared > 200 and declined > 10


@pytest.mark.parametrize("seed", range(3))
def test_survey_exports_read_the_same_both_ways(tmp_path, seed, monkeypatch):
    q = api.load_questionnaire("slp-readiness")
    table = kobo_table(api.export_survey(q, "xlsform"), q, respondents(q, 30, seed=seed))
    rng = random.Random(seed)
    for row in table[1:]:  # awkward texts where answers are: numbers as text, spaces, a formula-looking text
        row[rng.randrange(len(row))] = rng.choice(TEXTS)
    path = write_xlsx(tmp_path / "responses.xlsx", table)
    direct, reference = _both(path.read_bytes())
    assert direct is not None and direct == reference
    fast = read_sheet(path)

    def declined(*_: object) -> list[list[str]]:
        raise NotPlain("forced")

    monkeypatch.setattr(responses, "sheet_texts", declined)
    assert read_sheet(path) == fast


def test_a_sheet_declaring_a_dtd_is_declined(tmp_path):
    # openpyxl (defusedxml) already refuses such a workbook when it opens it; the direct reader
    # checks again rather than rely on that.
    body = f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row></sheetData></worksheet>'
    for prolog in ['<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "x">]>\n', "<!-- c --><!DOCTYPE worksheet>"]:
        with pytest.raises(NotPlain, match="document type"):
            xlsxcells._without_doctype(io.BytesIO((prolog + body).encode()))
    plain = '<?xml version="1.0"?>\n<!-- made by hand -->' + body
    assert xlsxcells._without_doctype(io.BytesIO(plain.encode())).read() == plain.encode()
    invalid = tmp_path / "dtd.xlsx"
    template, _ = _template(False)
    invalid.write_bytes(_workbook(template, '<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "x">]>\n' + body, []))
    with pytest.raises(InvalidInputError, match="not a readable .xlsx"):
        read_sheet(invalid)
