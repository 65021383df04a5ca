"""slp import against hostile input, generated: whatever the bytes, the result is either answer files or
exit 2 with one error line naming the file, never a traceback, and nothing written on an error.

Classes: CSV text the csv module refuses (a cell past its field size limit, an unclosed quote,
lone CR line ends, a NUL after a byte order mark); workbooks missing parts or naming a sheet the
archive lacks; respondent names that make unsafe or overlong file names.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.cli import app
from slp_assess.loading import load_questionnaire
from slp_assess.naming import DEVICE_NAMES
from slp_assess.survey.writer import ImportedFile, file_names
from survey_sheets import kobo_table, respondents, write_csv, write_xlsx

runner = CliRunner()
QID = "slp-quickcheck"
FIELD_LIMIT = 131072


@pytest.fixture(scope="module")
def table():
    q = load_questionnaire(QID)
    return kobo_table(api.export_survey(q, "xlsform"), q, respondents(q, 6, seed=5))


def _import(sheet: Path, out: Path):
    result = runner.invoke(app, ["import", str(sheet), "-q", QID, "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), (sheet.name, repr(result.exception))
    return result


def _refused_in_one_line(result, sheet: Path, out: Path) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2, (sheet.name, result.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"error: {sheet}: "), (sheet.name, result.stderr)
    assert not out.exists()
    return lines[0]


def _hostile_csv(rng: random.Random, table: list[list[str]]) -> tuple[bytes, str]:
    """(CSV bytes, what is wrong with them) for one generated case; "" when they are fine."""
    rows = [row[:] for row in table]
    body = rng.randrange(1, len(rows))
    column = rng.randrange(len(rows[0]))
    kind = rng.choice(["huge", "huge_header", "unclosed", "lone_cr", "nul", "fine"])
    ending = "\r" if kind == "lone_cr" else rng.choice(["\r\n", "\n", "\r"])
    delimiter = rng.choice([";", ",", "\t"])
    if kind == "huge":
        rows[body][column] = rng.choice("xy ;,") * (FIELD_LIMIT + rng.randrange(1, 5000))
    elif kind == "huge_header":
        rows[0][column] = "h" * (FIELD_LIMIT + rng.randrange(1, 5000))
    buffer = io.StringIO()
    # Python 3.11's writer leaves a line break unquoted that is not in its line terminator.
    quoting = csv.QUOTE_MINIMAL if ending == "\r\n" else csv.QUOTE_ALL
    csv.writer(buffer, delimiter=delimiter, lineterminator=ending, quoting=quoting).writerows(rows)
    text = buffer.getvalue()
    if kind == "unclosed":
        cut = text.index(ending, rng.randrange(len(text) // 3, len(text) // 2))
        text = text[:cut] + ending + '"' + "z" * (FIELD_LIMIT + 10) + ending + text[cut + len(ending):]
    if kind == "nul":
        at = rng.randrange(len(text))
        text = text[:at] + "\x00" + text[at:]
    encoding = rng.choice(["utf-8-sig", "utf-8", "utf-16"]) if kind == "nul" else rng.choice(["utf-8-sig", "utf-8"])
    if kind == "nul" and encoding == "utf-8":
        encoding = "utf-8-sig"
    return text.encode(encoding), "" if kind in ("fine", "lone_cr") else kind


@pytest.mark.parametrize("seed", range(4))
def test_csv_the_csv_module_refuses_is_one_line_with_exit_2(tmp_path, table, seed):
    rng = random.Random(seed)
    for n in range(12):
        data, wrong = _hostile_csv(rng, table)
        sheet, out = tmp_path / f"s{n}.csv", tmp_path / f"out{n}"
        sheet.write_bytes(data)
        result = _import(sheet, out)
        if not wrong:
            assert result.exit_code == 0, result.stderr
            assert len(list(out.iterdir())) == len(table) - 1
            continue
        line = _refused_in_one_line(result, sheet, out)
        if wrong == "nul":
            assert "zero byte" in line and re.search(r": line \d+: ", line), line
        else:
            assert re.search(rf": line \d+: a cell longer than {FIELD_LIMIT} characters", line), line


# --- workbooks with parts missing or damaged -----------------------------------------------------

def _without_sheets(name: str, data: bytes) -> bytes | None:
    return re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data, flags=re.S) if name == "xl/workbook.xml" else data


DAMAGES = {
    "sheet part missing": lambda name, data: None if name.startswith("xl/worksheets/") else data,
    "no sheets in workbook.xml": _without_sheets,
    "workbook.xml missing": lambda name, data: None if name == "xl/workbook.xml" else data,
    "content types missing": lambda name, data: None if name == "[Content_Types].xml" else data,
    "relationships missing": lambda name, data: None if name.endswith(".rels") else data,
    "sheet cut in half": lambda name, data: data[: len(data) // 2] if name.startswith("xl/worksheets/") else data,
    "workbook.xml cut": lambda name, data: data[: len(data) // 3] if name == "xl/workbook.xml" else data,
    "content type wrong": lambda name, data: data.replace(b"sheet.main+xml", b"template.main+xml") if name == "[Content_Types].xml" else data,
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_workbook_with_parts_missing_is_one_line_with_exit_2_or_reads(tmp_path, table, damage):
    good = write_xlsx(tmp_path / "good.xlsx", table)
    rng = random.Random(damage)
    with zipfile.ZipFile(good) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    for n in range(3):
        rng.shuffle(parts)  # the order of parts in the archive must not matter
        sheet, out = tmp_path / f"bad{n}.xlsx", tmp_path / f"out{n}"
        with zipfile.ZipFile(sheet, "w") as target:
            for name, data in parts:
                if (changed := DAMAGES[damage](name, data)) is not None:
                    target.writestr(name, changed)
        result = _import(sheet, out)
        if result.exit_code != 0:
            _refused_in_one_line(result, sheet, out)


def test_a_truncated_workbook_is_one_line_with_exit_2(tmp_path, table):
    data = write_xlsx(tmp_path / "good.xlsx", table).read_bytes()
    rng = random.Random(3)
    for n in range(10):
        sheet, out = tmp_path / f"cut{n}.xlsx", tmp_path / f"out{n}"
        sheet.write_bytes(data[: rng.randrange(4, len(data))])
        _refused_in_one_line(_import(sheet, out), sheet, out)


# --- file names made from respondent names -------------------------------------------------------

_PIECES = ["/", "\\", "..", ".", "\x00", "\x07", "\t", "\r", "=", "+", "-", "@", "CON", "nul", "com1", "Ä", "ß", "\u202e",
           "日本", "😀", " ", "anna", "Anna", "x" * 90, "Ö" * 60, "stadt-row-2"]


def _hostile_name(rng: random.Random) -> str | None:
    if rng.random() < 0.1:
        return None
    return "".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 8)))


@pytest.mark.parametrize("seed", range(30))
def test_file_names_from_any_names_are_safe_short_and_unique(seed):
    rng = random.Random(seed)
    several = rng.random() < 0.5
    files = [ImportedFile(row, _hostile_name(rng) if several else "Elbtal", _hostile_name(rng), "stadt", "")
             for row in range(2, 2 + rng.randrange(1, 40))]
    files = [ImportedFile(f.row, f.partnership or "", f.name, f.role, f.text) for f in files]
    names = file_names(files)
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*\.yaml", name), name
        assert len(name.encode()) <= 100, name
        assert name.removesuffix(".yaml") not in DEVICE_NAMES
    assert file_names(files) == names  # the same sheet gives the same names


def test_respondents_with_very_long_names_are_written(tmp_path, table):
    rows = [row[:] for row in table]
    column = rows[0].index(next(c for c in rows[0] if c.endswith("slp_name")))
    rng = random.Random(8)
    for row in rows[1:]:
        row[column] = " ".join(rng.choice(["Maximiliane", "Müller-Lüdenscheidt", "von", "Ä" * 40]) for _ in range(rng.randrange(20, 60)))
    sheet, out = write_csv(tmp_path / "long.csv", rows), tmp_path / "out"
    result = _import(sheet, out)
    assert result.exit_code == 0, result.stderr
    assert len(list(out.iterdir())) == len(rows) - 1
