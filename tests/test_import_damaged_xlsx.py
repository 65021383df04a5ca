"""A damaged .xlsx (edited by hand or by a broken exporter) is one error line with exit 2, never a
traceback: openpyxl raises all kinds of exceptions on cells it cannot read."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from slp_assess import api
from slp_assess.cli import app
from slp_assess.loading import load_questionnaire
from slp_assess.survey.responses import column_letter
from survey_sheets import kobo_table, respondents, write_xlsx

runner = CliRunner()

# Cells that no spreadsheet program writes, each breaking a different part of openpyxl's reader.
DAMAGED_CELLS = [
    '<c r="ZZZZZ{row}"><v>1</v></c>',            # a column beyond XFD
    '<c r="A{row}" t="n"><v>abc</v></c>',        # a number that is not one
    '<c r="A{row}" t="d"><v>kein Datum</v></c>',  # a date that is not one
    '<c r="A{row}" t="b"><v>vielleicht</v></c>',  # a boolean that is not one
    '<c r="A{row}" t="n"><v>1e999999x</v></c>',
]


def _damage(good: Path, bad: Path, cell: str, rng: random.Random) -> None:
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                rows = [int(r) for r in re.findall(r'<row r="(\d+)"', text)]
                row = rng.choice(rows[1:])
                damaged = cell.format(row=row)
                text = re.sub(rf'(<row r="{row}"[^>]*>)', lambda m, d=damaged: m.group(1) + d, text, count=1)
                data = text.encode("utf-8")
            target.writestr(info, data)


def test_a_damaged_cell_anywhere_is_one_error_line_with_exit_2(tmp_path):
    q = load_questionnaire("slp-quickcheck")
    good = write_xlsx(tmp_path / "good.xlsx", kobo_table(api.export_survey(q, "xlsform"), q, respondents(q, 6, seed=3)))
    assert runner.invoke(app, ["import", str(good), "-q", "slp-quickcheck", "-o", str(tmp_path / "ok")]).exit_code == 0
    rng = random.Random(11)
    for n in range(20):
        cell = DAMAGED_CELLS[n % len(DAMAGED_CELLS)]
        bad = tmp_path / f"bad-{n}.xlsx"
        _damage(good, bad, cell, rng)
        result = runner.invoke(app, ["import", str(bad), "-q", "slp-quickcheck", "-o", str(tmp_path / f"out-{n}")])
        assert result.exit_code == 2, (cell, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: sheet ") and "cannot be read" in lines[0], (cell, result.stderr)
        assert not (tmp_path / f"out-{n}").exists()


def _with_dimension(good: Path, bad: Path, ref: str) -> None:
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert count == 1
            target.writestr(info, data)


def test_an_outdated_dimension_record_loses_no_row_and_no_column(tmp_path):
    # Tools that append rows without updating <dimension ref=…> exist; openpyxl's read-only mode
    # would stop at the recorded size and the rows past it would vanish without a word.
    q = load_questionnaire("slp-quickcheck")
    rng = random.Random(41)
    for case in range(6):
        people = respondents(q, rng.randrange(3, 9), seed=case)
        table = kobo_table(api.export_survey(q, "xlsform"), q, people)
        good = write_xlsx(tmp_path / f"good{case}.xlsx", table)
        last_row = rng.randrange(1, len(table))  # 1 = the header alone
        last_column = column_letter(rng.randrange(len(table[0]) // 2, len(table[0])))
        ref = rng.choice([f"A1:{column_letter(len(table[0]) - 1)}{last_row}", f"A1:{last_column}{len(table)}", "A1"])
        bad = tmp_path / f"dim{case}.xlsx"
        _with_dimension(good, bad, ref)
        out = tmp_path / f"out{case}"
        result = runner.invoke(app, ["import", str(bad), "-q", "slp-quickcheck", "-o", str(out)])
        assert result.exit_code == 0, (ref, result.stderr)
        assert len(list(out.iterdir())) == len(people), ref
        assert [r.answers.model_dump() for r in api.import_responses(bad, q).rows] == [p.answers.model_dump() for p in people]
