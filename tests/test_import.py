"""slp import: exports of the survey read back with zero configuration (round trip: the scores equal those
of answer files written directly), other sheets through a map and --suggest-map, and bad input named by
row and column."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.assess.store import render
from slp_assess.cli import app
from slp_assess.errors import InvalidInputError
from slp_assess.loading import load_questionnaire_file
from slp_assess.resources import bundled_questionnaires
from slp_assess.survey.responses import read_sheet
from survey_sheets import kobo_table, limesurvey_table, respondents, write_csv, write_xlsx

pandas = pytest.importorskip("pandas")

VERDICT = Path(__file__).parent / "fixtures" / "verdict" / "questionnaire.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def q():
    return load_questionnaire_file(VERDICT)


@pytest.fixture(scope="module")
def people(q):
    return respondents(q, 24, seed=13)


def _run(*args: str):
    return runner.invoke(app, list(args))


def _scores(folder: Path) -> list[tuple]:
    result = _run("score", str(folder), "-q", str(VERDICT), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return sorted((
        (r["partnership"], r["respondent"]["name"] or "", r["respondent"]["role"], r["date"], r["overall"]["score"], r["overall"]["level"],
         tuple((f["id"], f["score"], f["level"], f["scored"]) for f in r["factors"]), tuple(b["item"] for b in r["overall"]["blockers"]))
        for r in json.loads(result.stdout)), key=json.dumps)


def _direct(people, folder: Path) -> Path:
    folder.mkdir()
    for n, person in enumerate(people):
        (folder / f"{n}.yaml").write_text(render(person.answers, ""), encoding="utf-8")
    return folder


SHAPES = [
    ("kobo", "csv", ";", "utf-8-sig"),
    ("kobo", "xlsx", None, None),
    ("kobo", "csv", ";", "cp1252"),
    ("odk", "csv", ",", "utf-8"),
    ("limesurvey", "csv", ",", "utf-8-sig"),
    ("limesurvey", "xlsx", None, None),
    ("limesurvey", "csv", "\t", "utf-16"),
]


def _table(shape: str, q, people):
    if shape == "limesurvey":
        return limesurvey_table(api.export_survey(q, "limesurvey"), q, people)
    return kobo_table(api.export_survey(q, "xlsform"), q, people, "/" if shape == "kobo" else "-")


def _cp1252_safe(people):
    # cp1252 has no "ş" or "ı": the generator's names keep to what the encoding holds.
    return [p for p in people if all(ch not in (p.answers.respondent.name or "") for ch in "şı")]


@pytest.mark.parametrize(("shape", "kind", "delimiter", "encoding"), SHAPES, ids=lambda v: str(v))
def test_round_trip_export_fill_import_scores_equal_direct_answer_files(tmp_path, q, people, shape, kind, delimiter, encoding):
    if encoding == "cp1252":
        people = _cp1252_safe(people)
    table = _table(shape, q, people)
    sheet = tmp_path / f"responses.{kind}"
    write_xlsx(sheet, table) if kind == "xlsx" else write_csv(sheet, table, delimiter, encoding)
    result = _run("import", str(sheet), "--questionnaire", str(VERDICT), "-o", str(tmp_path / "imported"))
    assert result.exit_code == 0, result.stderr
    assert f"{len(people)} Antwortdatei(en) geschrieben" in result.stderr
    assert _scores(tmp_path / "imported") == _scores(_direct(people, tmp_path / "direct"))
    imported = api.import_responses(sheet, VERDICT)
    for row, person in zip(imported.rows, people, strict=True):
        assert row.answers.model_dump(exclude={"language"}) == person.answers.model_dump(exclude={"language"})


def test_imported_files_are_answer_files_with_unique_names_and_their_origin(tmp_path, q, people):
    sheet = write_csv(tmp_path / "kobo.csv", _table("kobo", q, people[:6] + people[:1]))
    with pytest.raises(InvalidInputError, match="row 8: the same respondent as row 2"):
        api.import_responses(sheet, q)
    sheet = write_csv(tmp_path / "kobo.csv", _table("kobo", q, people))
    written = api.write_imported(api.import_responses(sheet, q), tmp_path / "out")
    assert len({p.name for p in written}) == len(people)
    first = written[0].read_text(encoding="utf-8")
    assert first.startswith('# Imported by slp import from "kobo.csv, row 2"; check it with: slp validate\n')
    assert _run("validate", str(tmp_path / "out"), "-q", str(VERDICT)).exit_code == 0


def test_existing_answer_files_are_kept_without_force(tmp_path, q, people):
    sheet = write_csv(tmp_path / "kobo.csv", _table("kobo", q, people[:3]))
    out = tmp_path / "answers"
    assert _run("import", str(sheet), "-q", str(VERDICT), "-o", str(out)).exit_code == 0
    before = {p: p.read_bytes() for p in out.iterdir()}
    (next(iter(before))).write_text("edited by hand\n", encoding="utf-8")
    again = _run("import", str(sheet), "-q", str(VERDICT), "-o", str(out))
    assert again.exit_code == 3 and "exist in" in again.stderr and "--force" in again.stderr
    assert next(iter(before)).read_text(encoding="utf-8") == "edited by hand\n"
    assert _run("import", str(sheet), "-q", str(VERDICT), "-o", str(out), "--force").exit_code == 0
    assert {p: p.read_bytes() for p in out.iterdir()} == before


# --- CSV dialects, checked against pandas -------------------------------------------------------

DIALECTS = [(";", "utf-8-sig"), (",", "utf-8"), (";", "cp1252"), ("\t", "utf-16"), (",", "utf-8-sig")]


@pytest.mark.parametrize("seed", range(6))
def test_sheets_read_as_pandas_reads_them_in_every_dialect(tmp_path, seed):
    rng = random.Random(seed)
    cells = ["stadt", "trifft eher zu", "Müller; Groß", 'Er sagte "ja"', "Zeile 1\nZeile 2", "", "1,5", "Straße\tTab", "4"]
    table = [[f"Spalte {i} ä" for i in range(rng.randrange(2, 7))]]
    table += [[rng.choice(cells) for _ in table[0]] for _ in range(rng.randrange(1, 12))]
    for delimiter, encoding in DIALECTS:
        path = write_csv(tmp_path / "sheet.csv", table, delimiter, encoding)
        sheet = read_sheet(path)
        frame = pandas.read_csv(path, sep=delimiter, encoding=encoding, dtype=str, keep_default_na=False)
        assert sheet.columns == list(frame.columns)
        assert [cells for _, cells in sheet.rows] == [[c.strip() for c in row] for row in frame.values.tolist()]


def test_excel_sep_line_and_xlsx_by_content(tmp_path, q, people):
    table = _table("kobo", q, people[:4])
    path = write_csv(tmp_path / "excel.csv", table, ",", "utf-8")
    path.write_bytes(b"sep=,\r\n" + path.read_bytes())
    assert len(api.import_responses(path, q).rows) == 4
    renamed = tmp_path / "really-an-xlsx.csv"
    renamed.write_bytes(write_xlsx(tmp_path / "r.xlsx", table).read_bytes())
    assert len(api.import_responses(renamed, q).rows) == 4


# --- bad input: every problem named by row and column ----------------------------------------


def _problems(path: Path, q, **kwargs) -> list[str]:
    with pytest.raises(InvalidInputError) as info:
        api.import_responses(path, q, **kwargs)
    return [p.format() for p in info.value.problems]


def _column_of(table, name: str) -> int:
    return next(i for i, h in enumerate(table[0]) if h.endswith(name))


def _letter(index: int) -> str:
    from slp_assess.survey.responses import column_letter

    return column_letter(index)


@pytest.mark.parametrize("seed", range(8))
def test_unknown_answers_are_each_named_by_row_and_column(tmp_path, q, people, seed):
    rng = random.Random(seed)
    table = _table("kobo", q, people)
    item_columns = [i for i, h in enumerate(table[0]) if h.rsplit("/", 1)[-1] in q.item_index()]
    spoiled = {(rng.randrange(1, len(table)), rng.choice(item_columns)) for _ in range(rng.randrange(1, 6))}
    for row, column in spoiled:
        table[row][column] = rng.choice(["vielleicht", "sehr gut", "6", "ja!", "weiß nicht"])
    problems = _problems(write_csv(tmp_path / "bad.csv", table), q)
    assert len(problems) == len(spoiled)
    for row, column in sorted(spoiled):
        expected = f"row {row + 1}, column {_letter(column)} ({table[0][column]!r}): unknown answer {table[row][column]!r}"
        assert any(expected in p for p in problems), (expected, problems)
    assert all("hint: use one of: 1 = " in p or "hint: use one of: 0 = " in p for p in problems)


def test_wrong_encoding_is_named_with_its_line(tmp_path, q):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"Partnerschaft;Seite\nElbtal;Stadt\n" + b"Elbtal;\x81\x8d\n")
    assert _problems(path, q) == [f"{path}: line 3: byte 0x81 is neither UTF-8 nor Windows-1252 text (hint: save it from the spreadsheet program as 'CSV UTF-8' or as .xlsx)"]
    path.write_bytes("Partnerschaft;Seite\n".encode("utf-16-le"))
    assert "not a text file (a zero byte; UTF-16 without byte order mark?)" in _problems(path, q)[0]


def test_cp1252_umlauts_survive(tmp_path, q, people):
    table = _table("kobo", q, _cp1252_safe(people)[:3])
    table[1][_column_of(table, "slp_name")] = "Jürgen Groß"
    imported = api.import_responses(write_csv(tmp_path / "win.csv", table, ";", "cp1252"), q)
    assert imported.rows[0].answers.respondent.name == "Jürgen Groß"


def test_wrong_delimiter(tmp_path, q, people):
    table = _table("kobo", q, people[:4])
    pipes = tmp_path / "pipes.csv"
    pipes.write_text("\n".join("|".join(row) for row in table), encoding="utf-8")
    assert "row 1: only one column found; columns must be separated by ';', ',' or tab" in _problems(pipes, q)[0]
    plain = [table[0]] + [[cell if cell.isalnum() else "" for cell in row] for row in table[1:]]  # no quoting needed
    lines = [";".join(row) for row in plain]
    lines[2] = ",".join(plain[2])
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("\r\n".join(lines), encoding="utf-8")
    assert _problems(mixed, q) == [f"{mixed}: row 3: one cell where the header has {len(table[0])}: is this row separated by ','? (hint: save the whole sheet again with one delimiter)"]


def test_empty_sheets(tmp_path, q, people):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "the sheet is empty" in _problems(empty, q)[0]
    header_only = write_csv(tmp_path / "header.csv", _table("kobo", q, people)[:1])
    assert "row 2: no responses below the header row" in _problems(header_only, q)[0]
    workbook = Workbook()
    workbook.save(tmp_path / "empty.xlsx")
    assert "sheet 'Sheet' is empty" in _problems(tmp_path / "empty.xlsx", q)[0]


def test_formula_cells_are_refused_never_evaluated(tmp_path, q, people):
    # A CSV cell is text, never a formula (test_import_rows.py); an .xlsx formula cell is refused.
    table = _table("kobo", q, people[:4])
    column = _column_of(table, "discovery.goals.shared")
    path = write_xlsx(tmp_path / "formula.xlsx", table)
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook.active.cell(row=4, column=column + 1).value = "=1+4"  # a real formula cell, never calculated
    workbook.save(path)
    assert _problems(path, q) == [f"{path}: row 4, column {_letter(column)} ({table[0][column]!r}): a formula ('=1+4'); "
                                  "slp import never evaluates formulas (hint: copy the column and paste it as values)"]


def test_empty_row_duplicate_and_missing_columns(tmp_path, q, people):
    table = _table("kobo", q, people[:5])
    table.insert(3, [""] * len(table[0]))
    table.append([""] * len(table[0]))  # trailing empty rows are what spreadsheets leave; no problem
    duplicate = list(table[1])
    duplicate[_column_of(table, "_uuid")] = "uuid:other"
    table.insert(5, duplicate)
    problems = _problems(write_csv(tmp_path / "rows.csv", table), q)
    name = people[0].answers.respondent.name
    assert problems[0].endswith("row 4: empty row between responses (hint: delete the row)")
    assert any(f"row 6: the same respondent as row 2 ({name}, Elbtal)" in p for p in problems) or name is None
    side = _column_of(table, "slp_side")
    without_side = [row[:side] + row[side + 1:] for row in _table("kobo", q, people[:3])]
    assert _problems(write_csv(tmp_path / "noside.csv", without_side), q) == [
        f"{tmp_path / 'noside.csv'}: row 1: missing column for the respondent's side (respondent.role) "
        "(hint: add the column, map one to respondent.role, or set defaults in a map)"]


def test_a_sheet_that_is_no_export_points_to_suggest_map(tmp_path, q):
    path = write_csv(tmp_path / "forms.csv", [["ID", "Frage A"], ["1", "ja"]])
    result = _run("import", str(path), "-q", str(VERDICT), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "no column matches a question of 'verdict-mini'" in result.stderr and "--suggest-map map.yaml" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unmapped_columns_are_listed_and_refused_with_strict(tmp_path, q, people):
    table = _table("kobo", q, people[:3])
    for n, row in enumerate(table):
        row.append("Bemerkung Moderation" if n == 0 else "x")
    path = write_csv(tmp_path / "extra.csv", table)
    listed = _run("--lang", "en", "import", str(path), "-q", str(VERDICT), "-o", str(tmp_path / "a"))
    assert listed.exit_code == 0 and "Not imported (no question matches): 'Bemerkung Moderation'" in listed.stderr
    strict = _run("import", str(path), "-q", str(VERDICT), "-o", str(tmp_path / "b"), "--strict")
    assert strict.exit_code == 2
    assert f"row 1, column {_letter(len(table[0]) - 1)} ('Bemerkung Moderation'): not imported: no question matches this column (--strict)" in strict.stderr


# --- any other sheet: a map, drafted by --suggest-map ----------------------------------------


def _forms_sheet(q, people) -> list[list[str]]:
    """A Microsoft-Forms-like export: German question texts as headers, German labels as answers."""
    items = [item for _, item in q.items()]
    header = ["ID", "Startzeit", "Fertigstellungszeit", "E-Mail", "Name", "Name der Partnerschaft", "Ihre Seite",
              *(item.text["de"] for item in items), f"Anmerkung zu: {items[0].text['de']}", "Phase?", "Interne Nummer"]
    rows = [header]
    for n, person in enumerate(people):
        a = person.answers
        cells = [str(n + 1), "3/1/26 10:00:00", f"{a.date:%d.%m.%y} 10:20:00", "anonymous", a.respondent.name or "", a.partnership,
                 {"stadt": "Stadt", "landkreis": "Kreisverwaltung", "gemeinde": "Gemeinde", "land": "ländlich (ohne Angabe)", "other": "Sonstige"}[a.respondent.role]]
        for item in items:
            answer = a.answers.get(item.id)
            value = answer.value if answer else None
            scale = {o.key: o.label["de"] for o in q.scales[item.scale].options}
            cells.append("" if value is None else "Weiß ich nicht" if value == "n/a" else scale[value])
        note = a.answers.get(items[0].id)
        phase = a.context.get("context.phase")
        cells += [note.note or "" if note else "", {"findung": "Findung", "aufbau": "Aufbau", "umsetzung": "Umsetzung", "verstetigung": "Verstetigung"}.get(phase, ""), "7"]
        rows.append(cells)
    return rows


def test_suggest_map_then_fill_the_open_points_then_import(tmp_path, q, people):
    sheet = write_csv(tmp_path / "forms.csv", _forms_sheet(q, people), ";", "utf-8-sig")
    draft_path = tmp_path / "map.yaml"
    result = _run("--lang", "en", "import", str(sheet), "-q", str(VERDICT), "--suggest-map", str(draft_path))
    assert result.exit_code == 0, result.stderr
    draft = draft_path.read_text(encoding="utf-8")
    for column, target in [("Name der Partnerschaft", "partnership"), ("Ihre Seite", "respondent.role"), ("Name", "respondent.name"),
                           ("Phase?", "context.phase"), ("Fertigstellungszeit", "date"), ("Startzeit", "ignore"), ("E-Mail", "ignore"), ("ID", "id")]:
        assert f'"{column}": "{target}"' in draft or f'"{column}": {target}' in draft, column
    for _, item in q.items():
        assert f'"{item.text["de"]}": "{item.id}"' in draft
    first = q.items()[0][1]
    assert f'"Anmerkung zu: {first.text["de"]}": "note:{first.id}"' in draft
    assert '"Interne Nummer": null  # UNMATCHED' in draft
    assert '"Weiß ich nicht": null  # UNMATCHED' in draft or "Weiß ich nicht" not in json.dumps(_forms_sheet(q, people))
    assert "open point(s), marked UNMATCHED" in result.stderr
    refused = _run("import", str(sheet), "-q", str(VERDICT), "--map", str(draft_path), "-o", str(tmp_path / "out"))
    assert refused.exit_code == 2
    line = draft.splitlines().index(next(x for x in draft.splitlines() if x.startswith('  "Interne Nummer"'))) + 1
    assert f"{draft_path}:{line}: column 'Interne Nummer' has no target yet (UNMATCHED)" in refused.stderr
    filled = draft.replace('"Interne Nummer": null', '"Interne Nummer": ignore').replace('"Weiß ich nicht": null', '"Weiß ich nicht": "n/a"')
    filled = filled.replace('"Kreisverwaltung": null', '"Kreisverwaltung": landkreis')
    draft_path.write_text(filled, encoding="utf-8")
    done = _run("import", str(sheet), "-q", str(VERDICT), "--map", str(draft_path), "-o", str(tmp_path / "out"), "--strict")
    assert done.exit_code == 0, done.stderr
    # Notes and the barriers are not in this sheet; the scores and the phase are.
    assert _scores(tmp_path / "out") == _scores(_direct(people, tmp_path / "direct"))


def test_map_errors_name_the_map_line(tmp_path, q, people):
    sheet = write_csv(tmp_path / "forms.csv", _forms_sheet(q, people[:2]))
    bad = tmp_path / "map.yaml"
    bad.write_text('questionnaire: verdict-mini\ncolumns:\n  "Ihre Seite": respondent.side\n  "Gibt es nicht": partnership\n  "Phase?": context.phase\n',
                   encoding="utf-8")
    problems = _problems(sheet, q, map_file=bad)
    assert f"{bad}:3: column 'Ihre Seite': unknown target 'respondent.side' (did you mean 'respondent.role'?)" in problems[0]
    assert any("row 1: missing column 'Gibt es nicht' (named in" in p for p in problems)
    other = tmp_path / "other.yaml"
    other.write_text("questionnaire: slp-readiness\ncolumns: {}\n", encoding="utf-8")
    assert _run("import", str(sheet), "-q", str(VERDICT), "--map", str(other), "-o", str(tmp_path / "o")).exit_code == 3


def test_map_values_and_defaults(tmp_path, q):
    table = [["Wer", "Gemeinsame Ziele.", "Mehrfach"], ["Kreisverwaltung", "stimme zu", "Konkurrenz um Flächen; Förderabhängigkeit"]]
    sheet = write_csv(tmp_path / "hand.csv", table)
    map_file = tmp_path / "map.yaml"
    map_file.write_text(
        'columns:\n  Wer: respondent.role\n  "Gemeinsame Ziele.": discovery.goals.shared\n  Mehrfach: context.barriers\n'
        'values:\n  agreement:\n    "stimme zu": 4\n  respondent.role:\n    Kreisverwaltung: landkreis\n'
        "defaults:\n  partnership: Elbtal\n", encoding="utf-8")
    [row] = api.import_responses(sheet, q, map_file).rows
    assert row.answers.partnership == "Elbtal" and row.answers.respondent.role == "landkreis"
    assert row.answers.answers["discovery.goals.shared"].value == "4"
    assert row.answers.context["context.barriers"] == ["konkurrenz", "foerderung"]


@pytest.mark.parametrize("qid", sorted(bundled_questionnaires()))
def test_bundled_questionnaire_smoke_round_trip(tmp_path, qid):
    q = api.load_questionnaire(qid)
    people = respondents(q, 5, seed=1)
    sheet = write_csv(tmp_path / "kobo.csv", kobo_table(api.export_survey(q, "xlsform"), q, people))
    imported = api.import_responses(sheet, q)
    assert [r.answers.model_dump() for r in imported.rows] == [p.answers.model_dump() for p in people]


def test_map_file_problems_are_located_and_the_draft_follows_the_map_schema(tmp_path, q, people):
    from jsonschema import Draft202012Validator

    from slp_assess.schemas import SchemaChoice, generate
    from slp_assess.yamlio import read_yaml

    sheet = write_csv(tmp_path / "forms.csv", _forms_sheet(q, people[:3]))
    draft = tmp_path / "map.yaml"
    assert _run("import", str(sheet), "-q", str(VERDICT), "--suggest-map", str(draft)).exit_code == 0
    assert list(Draft202012Validator(generate(SchemaChoice.MAP)).iter_errors(read_yaml(draft).data)) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns: {}\ndefaults:\n  role: Stadtverwaltung\n", encoding="utf-8")
    result = _run("import", str(sheet), "-q", str(VERDICT), "--map", str(bad), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and f"{bad}:3: defaults.role: unknown side 'Stadtverwaltung'" in result.stderr


@pytest.mark.parametrize("lang", ["de", "en"])
def test_answers_as_german_or_english_labels(tmp_path, q, people, lang):
    """A "labels" export (or a hand-made sheet): option labels and side names in either language, any case."""
    from slp_assess.i18n import message, side_label

    table = _table("kobo", q, people[:8])
    items = q.item_index()
    for column, header in enumerate(table[0]):
        name = header.rsplit("/", 1)[-1]
        for row in table[1:]:
            if name in items and row[column]:
                options = {o.key: o.label[lang] for o in q.scales[items[name].scale].options}
                row[column] = options.get(row[column], message("not_applicable", lang)).upper()
            elif name == "slp_side":
                row[column] = side_label(row[column], lang)
    imported = api.import_responses(write_csv(tmp_path / "labels.csv", table), q)
    assert [r.answers.model_dump() for r in imported.rows] == [p.answers.model_dump() for p in people[:8]]


@pytest.mark.parametrize("seed", range(4))
def test_bad_rows_anywhere_write_nothing_and_are_each_named(tmp_path, q, people, seed):
    # The import renders each file as it converts its row; a bad row late in the sheet must still
    # mean that no file (not even a temporary one) is left in the folder.
    rng = random.Random(seed)
    table = _table("kobo", q, people)
    column = _column_of(table, "discovery.goals.shared")
    bad_rows = sorted(rng.sample(range(1, len(table)), rng.randrange(1, 4)))
    for row in bad_rows:
        table[row][column] = f"vielleicht {row}"
    kind = rng.choice(["csv", "xlsx"])
    sheet = write_csv(tmp_path / "bad.csv", table) if kind == "csv" else write_xlsx(tmp_path / "bad.xlsx", table)
    out = tmp_path / "out"
    out.mkdir()
    result = _run("import", str(sheet), "-q", str(VERDICT), "-o", str(out))
    assert result.exit_code == 2
    for row in bad_rows:
        assert f"row {row + 1}, column {_letter(column)} ({table[0][column]!r}): unknown answer 'vielleicht {row}'" in result.stderr
    assert list(out.iterdir()) == []



def test_a_sheet_of_10000_rows_imports_whole_and_scores_as_the_people_answered(tmp_path):
    """The size of a district-wide survey: every row becomes one answer file that scores as the person
    answered, and one bad row among 10,000 is named (the speed is in benchmarks/import.md, not here)."""
    quick = load_questionnaire_file(bundled_questionnaires()["slp-quickcheck"])
    people = respondents(quick, 10_000, seed=29)
    table = kobo_table(api.export_survey(quick, "xlsform"), quick, people)
    sheet = write_csv(tmp_path / "bezirk.csv", table, ";", "utf-8-sig")
    result = _run("import", str(sheet), "-q", "slp-quickcheck", "-o", str(tmp_path / "imported"))
    assert result.exit_code == 0, result.stderr
    assert "10000 Antwortdatei(en) geschrieben" in result.stderr
    assert len(list((tmp_path / "imported").glob("*.yaml"))) == 10_000

    def scores(folder: Path) -> list[tuple[str, float]]:
        scored = _run("score", str(folder), "--format", "jsonl")
        assert scored.exit_code == 0, scored.stderr
        return [(r["respondent"]["name"] or "", r["overall"]["score"]) for r in map(json.loads, scored.stdout.splitlines())]

    imported = scores(tmp_path / "imported")
    assert len(imported) == 10_000
    checked = random.Random(5).sample(people, 40)
    assert set(scores(_direct(checked, tmp_path / "direct"))) <= set(imported)

    first_item = quick.items()[0][1].id
    column = next(i for i, name in enumerate(table[0]) if name.split("/")[-1] == first_item)
    table[7_320][column] = "vielleicht"  # sheet row 7,321: the header is row 1
    broken = write_csv(tmp_path / "kaputt.csv", table, ";", "utf-8-sig")
    result = _run("import", str(broken), "-q", "slp-quickcheck", "-o", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert "row 7321" in result.stderr and "vielleicht" in result.stderr
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("seed", range(3))
def test_a_limesurvey_response_never_submitted_is_named_unless_incomplete_ones_are_asked_for(tmp_path, q, people, seed):
    rng = random.Random(seed)
    table = limesurvey_table(api.export_survey(q, "limesurvey"), q, people[:8])
    column = table[0].index("submitdate")
    unsent = sorted(rng.sample(range(1, len(table)), rng.randint(1, 3)))
    for n in unsent:
        table[n][column] = ""
    sheet = tmp_path / "responses.csv"
    write_csv(sheet, table, ",", "utf-8")
    refused = _run("import", str(sheet), "--questionnaire", str(VERDICT), "-o", str(tmp_path / "out"))
    assert refused.exit_code == 2, refused.output
    named = [line for line in refused.stderr.splitlines() if "never submitted" in line]
    assert [f"row {n + 1}, column B ('submitdate')" in line for line, n in zip(named, unsent, strict=True)] == [True] * len(unsent)
    assert all("--incomplete" in line for line in named)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    taken = _run("import", str(sheet), "--questionnaire", str(VERDICT), "-o", str(tmp_path / "out"), "--incomplete")
    assert taken.exit_code == 0, taken.output
    assert len(list((tmp_path / "out").glob("*.yaml"))) == len(table) - 1
    assert len(api.import_responses(sheet, VERDICT, incomplete=True).rows) == len(table) - 1
