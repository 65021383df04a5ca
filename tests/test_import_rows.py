"""slp import, row by row: gaps in the side or partnership column, two columns for one target, duplicates
next to other errors, incomplete LimeSurvey responses and cells that merely look like formulas."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.cli import app
from slp_assess.loading import load_questionnaire
from slp_assess.survey.responses import column_letter
from survey_sheets import kobo_table, respondents, write_csv, write_xlsx

runner = CliRunner()
QID = "slp-quickcheck"


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(QID)


def _table(q, count: int, seed: int) -> list[list[str]]:
    return kobo_table(api.export_survey(q, "xlsform"), q, respondents(q, count, seed=seed))


def _column(table: list[list[str]], name: str) -> int:
    return next(i for i, h in enumerate(table[0]) if h.split("/")[-1] == name)


def _import(sheet: Path, out: Path, *extra: str):
    return runner.invoke(app, ["import", str(sheet), "-q", QID, "-o", str(out), *extra])


def _errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


# --- an empty side or partnership cell -------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_an_empty_side_or_partnership_cell_is_named_unless_the_map_sets_a_default(tmp_path, q, seed):
    rng = random.Random(seed)
    table = _table(q, 8, seed)
    columns = {"slp_side": _column(table, "slp_side"), "slp_partnership": _column(table, "slp_partnership")}
    emptied = {(rng.randrange(1, len(table)), rng.choice(list(columns))) for _ in range(rng.randrange(1, 5))}
    for row, name in emptied:
        table[row][columns[name]] = rng.choice(["", "  "])
    kind = rng.choice(["csv", "xlsx"])
    sheet = write_csv(tmp_path / "s.csv", table) if kind == "csv" else write_xlsx(tmp_path / "s.xlsx", table)
    result = _import(sheet, tmp_path / "out")
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    errors = _errors(result)
    assert len(errors) == len(emptied), errors
    for row, name in emptied:
        what = "the side is required (respondent.role)" if name == "slp_side" else "the partnership is required (partnership)"
        column = column_letter(columns[name])
        assert any(f"row {row + 1}, column {column} " in e and f"{what}: the cell is empty" in e for e in errors), (row, name, errors)
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text("columns: {}\ndefaults:\n  role: other\n  partnership: Elbtal\n", encoding="utf-8")
    done = _import(sheet, tmp_path / "out", "--map", str(defaults))
    assert done.exit_code == 0, done.stderr
    rows = api.import_responses(sheet, q, defaults).rows
    for row, name in emptied:
        answers = rows[row - 1].answers
        assert (answers.respondent.role if name == "slp_side" else answers.partnership) == ("other" if name == "slp_side" else "Elbtal")


def test_a_merged_partnership_cell_is_named_for_the_rows_below_its_first(tmp_path, q):
    table = _table(q, 4, 2)
    column = _column(table, "slp_partnership")
    path = write_xlsx(tmp_path / "merged.xlsx", table)
    workbook = load_workbook(path)
    sheet = workbook.active
    sheet.merge_cells(start_row=2, start_column=column + 1, end_row=4, end_column=column + 1)
    workbook.save(path)
    errors = _errors(_import(path, tmp_path / "out"))
    assert [e.split(": ", 2)[2].split(",")[0] for e in errors] == ["row 3", "row 4"], errors
    assert all("a merged cell holds its text in its first row only" in e for e in errors)


# --- two columns for one target ---------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_two_columns_for_one_target_are_named_before_any_row(tmp_path, q, seed):
    from slp_assess.survey.fields import SurveyFields

    rng = random.Random(seed)
    table = _table(q, 3, seed)
    codes = {target.spelled(): code for code, target in SurveyFields(q).limesurvey_codes.items()}
    item = rng.choice([i.id for _, i in q.items()])
    first = _column(table, rng.choice([item, "slp_side"]))
    name = table[0][first].split("/")[-1]
    how = rng.choice(["code", "map"])
    extra = codes[name if name != "slp_side" else "respondent.role"] if how == "code" else "Frage B"
    for n, row in enumerate(table):
        row.append(extra if n == 0 else "")  # an empty duplicate too: which one counts is not for the column order to decide
    map_args: tuple[str, ...] = ()
    if how == "map":
        map_file = tmp_path / "map.yaml"
        map_file.write_text(f'columns:\n  "Frage B": {name if name != "slp_side" else "respondent.role"}\n', encoding="utf-8")
        map_args = ("--map", str(map_file))
    sheet = write_csv(tmp_path / "s.csv", table)
    result = _import(sheet, tmp_path / "out", *map_args)
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    [error] = _errors(result)
    assert f"row 1, column {column_letter(len(table[0]) - 1)} ({extra!r}): this column and column {column_letter(first)} ({table[0][first]!r}) both go to" in error
    assert ("in the map line 2" in error) == (how == "map")


# --- a duplicate next to other problems ---------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_a_duplicate_is_reported_also_when_either_row_has_another_problem(tmp_path, q, seed):
    rng = random.Random(seed)
    table = _table(q, 6, seed)
    item = _column(table, q.items()[0][1].id)
    uuid = _column(table, "_uuid")
    original = rng.randrange(1, len(table))
    copy = list(table[original])
    by = rng.choice(["uuid", "name"])
    if by == "name":
        copy[uuid] = "uuid:another"
        copy[_column(table, "slp_name")] = copy[_column(table, "slp_name")] or "Anna Weber"
        table[original][_column(table, "slp_name")] = copy[_column(table, "slp_name")]
    table.append(copy)
    spoiled = rng.choice([[original], [len(table) - 1], [original, len(table) - 1]])
    for row in spoiled:
        table[row][item] = f"vielleicht {row}"
    result = _import(write_csv(tmp_path / "s.csv", table), tmp_path / "out")
    errors = _errors(result)
    assert result.exit_code == 2
    assert any(f"row {len(table)}: the same respondent as row {original + 1}" in e for e in errors), errors
    for row in spoiled:
        assert any(f"row {row + 1}, column {column_letter(item)} " in e and f"'vielleicht {row}'" in e for e in errors), errors
    assert len(errors) == len(spoiled) + 1


# --- cells that only look like formulas ---------------------------------------------------------

EQUALS_TEXTS = ["=> siehe Protokoll vom 3.2.", "=SUMME(A1:A3)", "==", "= gleich wie oben", "=1+1", "=HYPERLINK(\"http://x\")"]


@pytest.mark.parametrize("seed", range(4))
def test_a_csv_cell_starting_with_equals_is_text_and_written_out_safely(tmp_path, q, seed):
    rng = random.Random(seed)
    table = _table(q, 5, seed)
    first = q.items()[0][1].id
    columns = [_column(table, f"{first}__note"), _column(table, "slp_name")]
    typed = {}
    for row in range(1, len(table)):
        column = rng.choice(columns)
        typed[row, column] = table[row][column] = rng.choice(EQUALS_TEXTS) + f" {row}"
    sheet = write_csv(tmp_path / "s.csv", table)
    out = tmp_path / "out"
    result = _import(sheet, out)
    assert result.exit_code == 0, result.stderr
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0
    rows = api.import_responses(sheet, q).rows
    for (row, column), text in typed.items():
        answers = rows[row - 1].answers
        assert (answers.answers[first].note if column == columns[0] else answers.respondent.name) == text


def test_an_xlsx_formula_is_still_refused(tmp_path, q):
    table = _table(q, 3, 1)
    path = write_xlsx(tmp_path / "f.xlsx", table)
    workbook = load_workbook(path)
    workbook.active.cell(row=3, column=_column(table, "slp_name") + 1).value = "=A1"
    workbook.save(path)
    [error] = _errors(_import(path, tmp_path / "out"))
    assert "row 3, column" in error and "a formula ('=A1'); slp import never evaluates formulas" in error


# --- the round trip for answer labels that begin like a formula -------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_labels_starting_with_a_formula_character_survive_the_round_trip(tmp_path, seed):
    import re

    rng = random.Random(seed)
    verdict = Path(__file__).parent / "fixtures" / "verdict" / "questionnaire.yaml"

    def prefixed(match: re.Match) -> str:
        return f'label: {{de: "{rng.choice("+-=@") + rng.choice(["", "+", " "])}{match.group(1)}", en: "{rng.choice("+-=@")}{match.group(2)}"}}'

    text = verdict.read_text(encoding="utf-8")
    agreement = text.index("  agreement:"), text.index("  status:")
    block = re.sub(r"label: \{de: ([^,]+), en: ([^}]+)\}", prefixed, text[agreement[0]:agreement[1]])
    path = tmp_path / "q.yaml"
    path.write_text(text[: agreement[0]] + block + text[agreement[1]:], encoding="utf-8")
    q = api.load_questionnaire(str(path))
    labels = {o.key: o.label["de"] for o in q.scales["agreement"].options}
    exported = api.export_survey(q, "limesurvey").decode("utf-8")
    assert all(f"'{label}" in exported for label in labels.values())
    people = respondents(q, 6, seed=seed)
    table = kobo_table(api.export_survey(q, "xlsform"), q, people)
    items = q.item_index()
    for column, header in enumerate(table[0]):
        name = header.split("/")[-1]
        if name in items and items[name].scale == "agreement":
            for row in table[1:]:
                row[column] = f"'{labels[row[column]]}" if row[column] in labels else row[column]  # as LimeSurvey shows it
    sheet = write_csv(tmp_path / "s.csv", table)
    result = runner.invoke(app, ["import", str(sheet), "-q", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert [r.answers.model_dump() for r in api.import_responses(sheet, q).rows] == [p.answers.model_dump() for p in people]
