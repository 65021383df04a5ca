"""`slp score` into spreadsheets: xlsx (opened with openpyxl) and both CSV dialects (read with pandas).

Every number and text must come back as the JSON output has it: scores as numbers with one decimal,
levels and names as text, whatever characters the names hold.
"""

from __future__ import annotations

import json
import string
from pathlib import Path

import openpyxl
import pandas
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.cli.app import app
from slp_assess.output.rows import BASE_COLUMNS

REPO = Path(__file__).resolve().parents[1]
LINDENAU = REPO / "examples" / "lindenau"
runner = CliRunner()


def _json(*args: str) -> list[dict]:
    result = runner.invoke(app, ["score", *args, "--format", "json"])
    return json.loads(result.stdout)


def _rows(sheet) -> list[dict]:
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_xlsx_has_respondents_with_real_numbers_frozen_header_and_widths(tmp_path):
    out = tmp_path / "scores.xlsx"
    result = runner.invoke(app, ["score", str(LINDENAU), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    expected = _json(str(LINDENAU))
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["respondents"]
    sheet = workbook["respondents"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width >= 30 and sheet.column_dimensions["D"].width >= 20
    rows = _rows(sheet)
    assert [r["file"] for r in rows] == [e["file"] for e in expected]
    for row, record in zip(rows, expected, strict=True):
        assert row["overall_score"] == record["overall"]["score"]
        assert row["overall_level"] == record["overall"]["level"]
        assert row["role"] == record["respondent"]["role"]
        for factor in record["factors"]:
            assert row[factor["id"]] == factor["score"]
    score_cells = [row[BASE_COLUMNS.index("overall_score")] for row in sheet.iter_rows(min_row=2)]
    assert {(c.data_type, c.number_format) for c in score_cells} == {("n", "0.0")}
    level_cells = [row[BASE_COLUMNS.index("overall_level")] for row in sheet.iter_rows(min_row=2)]
    assert {c.data_type for c in level_cells} == {"s"}


def test_xlsx_with_group_by_adds_a_sheet_of_partnerships(tmp_path):
    out = tmp_path / "scores.xlsx"
    folders = [str(LINDENAU), str(REPO / "examples" / "lindenau-2025")]
    result = runner.invoke(app, ["score", *folders, "--group-by", "partnership", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["respondents", "partnerships"]
    respondents, partnerships = _rows(workbook["respondents"]), _rows(workbook["partnerships"])
    assert len(respondents) == len(_json(*folders))
    grouped = _json(*folders, "--group-by", "partnership")
    assert [(r["partnership"], r["respondent"], r["overall_score"]) for r in partnerships] == [
        (g["partnership"], g["respondent"]["name"], g["overall"]["score"]) for g in grouped
    ]


def test_xlsx_needs_an_output_file():
    result = runner.invoke(app, ["score", str(LINDENAU), "--format", "xlsx"])
    assert result.exit_code == 3
    assert "-o FILE.xlsx" in result.stderr


def test_xlsx_into_a_folder_that_cannot_be_made_is_exit_4(tmp_path):
    (tmp_path / "file").write_text("")
    result = runner.invoke(app, ["score", str(LINDENAU), "--format", "xlsx", "-o", str(tmp_path / "file" / "x.xlsx")])
    assert result.exit_code == 4
    assert result.stderr.startswith(f"error: cannot write {tmp_path / 'file' / 'x.xlsx'}")


# Names as people type them, many starting like a formula or an Excel error, some with control characters.
typed = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)
name_text = st.one_of(
    typed, st.tuples(st.sampled_from(["=", "+", "-", "@", "=HYPERLINK(", "#N/A", "#DIV/0!"]), typed).map("".join),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=name_text, partnership=name_text, organisation=name_text)
def test_xlsx_never_turns_a_name_into_a_formula(tmp_path_factory, name, partnership, organisation):
    folder = tmp_path_factory.mktemp("names")
    data = yaml.safe_load((LINDENAU / "katrin-berger.yaml").read_text(encoding="utf-8"))
    data["partnership"] = partnership
    data["respondent"].update(name=name, organisation=organisation)
    (folder / "one.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [expected] = _json(str(folder))
    out = folder / "scores.xlsx"
    result = runner.invoke(app, ["score", str(folder), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["respondents"]
    [row] = _rows(sheet)
    # Control characters (C0 but tab and line feed, DEL, C1) show as \xNN, as in CSV.
    shown = {key: "".join(f"\\x{ord(c):02x}" if (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F) and c not in "\t\n" else c for c in value or "") or None
             for key, value in (("respondent", expected["respondent"]["name"]), ("partnership", expected["partnership"]),
                                ("organisation", expected["respondent"]["organisation"]))}
    assert (row["respondent"], row["partnership"], row["organisation"]) == (
        shown["respondent"], shown["partnership"], shown["organisation"])
    assert not [cell for cell in next(sheet.iter_rows(min_row=2)) if cell.data_type == "f"]


def test_csv_dialects_read_back_with_pandas(tmp_path):
    expected = _json(str(LINDENAU))
    plain, german = tmp_path / "plain.csv", tmp_path / "de.csv"
    assert runner.invoke(app, ["score", str(LINDENAU), "--format", "csv", "-o", str(plain)]).exit_code == 0
    assert runner.invoke(app, ["score", str(LINDENAU), "--format", "csv", "--csv-dialect", "excel-de", "-o", str(german)]).exit_code == 0
    assert german.read_bytes().startswith(b"\xef\xbb\xbffile;questionnaire;")
    assert b"\r\n" in german.read_bytes() and b"\r\n" not in plain.read_bytes()
    frames = [
        pandas.read_csv(plain, dtype={"version": str}),
        pandas.read_csv(german, sep=";", decimal=",", encoding="utf-8-sig", dtype={"version": str}),
    ]
    for frame in frames:
        assert list(frame["file"]) == [e["file"] for e in expected]
        assert list(frame["overall_score"]) == [e["overall"]["score"] for e in expected]
        assert list(frame["version"]) == [e["questionnaire"]["version"] for e in expected]
        for factor in expected[0]["factors"]:
            column = [e_factor["score"] for e in expected for e_factor in e["factors"] if e_factor["id"] == factor["id"]]
            assert [None if pandas.isna(v) else v for v in frame[factor["id"]]] == column
    assert frames[0].equals(frames[1])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(string.ascii_letters + "äöüß;,\"' =+-@\t", max_size=15), raw=st.booleans())
def test_excel_de_cells_round_trip_and_stay_neutralised(tmp_path_factory, name, raw):
    folder = tmp_path_factory.mktemp("de")
    data = yaml.safe_load((LINDENAU / "katrin-berger.yaml").read_text(encoding="utf-8"))
    data["respondent"]["name"] = name
    (folder / "one.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = folder / "de.csv"
    args = ["score", str(folder), "--format", "csv", "--csv-dialect", "excel-de", "-o", str(out)]
    assert runner.invoke(app, args + (["--csv-raw"] if raw else [])).exit_code == 0
    frame = pandas.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    expected = name if raw or not name.startswith(("=", "+", "-", "@", "\t")) else "'" + name
    assert frame["respondent"][0] == expected


def test_csv_dialect_needs_csv():
    result = runner.invoke(app, ["score", str(LINDENAU), "--format", "json", "--csv-dialect", "excel-de"])
    assert result.exit_code == 3
    assert result.stderr == "error: --csv-dialect only applies to --format csv\n"


def test_fail_under_with_group_by_judges_partnerships_in_the_workbook_too(tmp_path):
    [partnership] = _json(str(LINDENAU), "--group-by", "partnership")
    respondents = _json(str(LINDENAU))
    lowest = min(r["overall"]["score"] for r in respondents)
    assert lowest < partnership["overall"]["score"]  # a threshold between them tells the two apart
    threshold = (lowest + partnership["overall"]["score"]) / 2
    for fmt in (["--format", "xlsx", "-o", str(tmp_path / "g.xlsx")], ["--format", "json"]):
        result = runner.invoke(app, ["score", str(LINDENAU), "--group-by", "partnership", "--fail-under", str(threshold), *fmt])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["score", str(LINDENAU), "--fail-under", str(threshold), *fmt])
        assert result.exit_code == 1


def test_spreadsheet_columns_are_the_factors_of_the_questionnaires_the_files_answer(tmp_path):
    # Own questionnaire only: no empty columns of the bundled questionnaires; a bundled file adds its own.
    import csv as csv_module
    import io
    import shutil

    from typer.testing import CliRunner

    from slp_assess.cli import app

    core = Path(__file__).parent / "fixtures" / "core"
    run = CliRunner().invoke
    own = run(app, ["score", str(core / "answers-city.yaml"), "-q", str(core / "mini.yaml"), "--format", "csv"])
    header = next(csv_module.reader(io.StringIO(own.stdout)))
    assert header[11:] == ["success.eye_level", "success.leadership", "financing.transparency", "error"]
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(core / "answers-city.yaml", mixed / "a.yaml")
    shutil.copy(Path(__file__).parents[1] / "examples" / "quickcheck-lindenau.yaml", mixed / "b.yaml")
    both = run(app, ["score", str(mixed), "-q", str(core / "mini.yaml"), "--format", "csv"])
    rows = list(csv_module.DictReader(io.StringIO(both.stdout)))
    assert rows[1]["discovery.goals"] != "" and rows[0]["discovery.goals"] == ""
