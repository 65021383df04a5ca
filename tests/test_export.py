"""slp export: the XLSForm is accepted by pyxform (and ODK Validate), the LimeSurvey structure follows
LimeSurvey's documented columns and row classes, and neither writes a cell a spreadsheet reads as a formula."""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.errors import UsageError
from slp_assess.loading import load_questionnaire, load_questionnaire_file
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.resources import bundled_questionnaires
from slp_assess.survey.fields import FORMULA_STARTS, limesurvey_code
from slp_assess.survey.limesurvey import COLUMNS, ROW_CLASSES, build_limesurvey
from slp_assess.survey.xlsform import build_xlsform

pyxform = pytest.importorskip("pyxform.xls2xform")
pandas = pytest.importorskip("pandas")

FIXTURES = Path(__file__).parent / "fixtures"
QUESTIONNAIRES = [FIXTURES / "verdict" / "questionnaire.yaml", FIXTURES / "core" / "mini.yaml"]
XF = "{http://www.w3.org/2002/xforms}"
runner = CliRunner()
# The base columns of LimeSurvey's tsvSurveyExport() (application/helpers/export_helper.php), in order.
LIMESURVEY_BASE = ["id", "related_id", "class", "type/scale", "name", "relevance", "text", "help", "language",
                   "validation", "mandatory", "other", "default", "same_default"]


def _questionnaire(path: Path) -> Questionnaire:
    return load_questionnaire_file(path)


def _xform(q: Questionnaire) -> ET.Element:
    warnings: list[str] = []
    # ODK Validate (bundled with pyxform) runs where Java is installed.
    result = pyxform.convert(build_xlsform(q), warnings=warnings, validate=shutil.which("java") is not None, file_type=".xlsx")
    assert warnings == []
    return ET.fromstring(result.xform)


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.parent.name)
def test_xlsform_is_accepted_by_pyxform_with_names_choices_languages_notes_and_hints(path):
    q = _questionnaire(path)
    root = _xform(q)
    data = root.find(f".//{XF}instance/{XF}data")
    assert data.get("id") == q.id and data.get("version") == q.version
    names = {element.tag.removeprefix(XF) for element in data.iter()}
    for _, item in q.items():
        assert item.id in names and f"{item.id}__note" in names
    assert {c.id for c in q.context} <= names
    assert {"slp_partnership", "slp_name", "slp_organisation", "slp_side", "slp_date"} <= names
    translations = {t.get("lang"): t for t in root.iter(f"{XF}translation")}
    assert set(translations) == {"Deutsch (de)", "English (en)"}
    assert translations["Deutsch (de)"].get("default") == "true()"
    texts = {lang: {t.get("id"): "".join(t.itertext()) for t in tr.iter(f"{XF}text")} for lang, tr in translations.items()}
    for factor, item in q.items():
        label_id = f"/data/{factor.id}/{item.id}:label"
        assert texts["Deutsch (de)"][label_id] == item.text["de"] and texts["English (en)"][label_id] == item.text["en"]
        if item.help:
            assert texts["English (en)"][f"/data/{factor.id}/{item.id}:hint"] == item.help["en"]
    lists = {inst.get("id"): [n.text for n in inst.iter(f"{XF}name")] for inst in root.iter(f"{XF}instance") if inst.get("id")}
    binds = {b.get("nodeset"): b for b in root.iter(f"{XF}bind")}
    controls = {c.get("ref"): c for c in root.iter() if c.get("ref")}
    for factor, item in q.items():
        keys = [o.key for o in q.scales[item.scale].options]
        itemset = controls[f"/data/{factor.id}/{item.id}"].find(f"{XF}itemset").get("nodeset")
        offered = lists[re.search(r"instance\('([^']+)'\)", itemset).group(1)]
        assert offered == (keys if item.required else [*keys, "n/a"]), item.id
        assert binds[f"/data/{factor.id}/{item.id}__note"].get("type") == "string"
    assert lists["slp_side"] == ["stadt", "landkreis", "gemeinde", "land", "other"]
    assert binds["/data/slp_side"].get("required") == "true()"
    assert binds["/data/slp_date"].get("type") == "date"
    for question in q.context:
        if question.type != "text":
            assert [o.key for o in question.options] in lists.values()


def test_required_items_offer_no_na_choice():
    q = _questionnaire(FIXTURES / "core" / "mini.yaml")
    survey = {row["name"]: row for row in _sheet_rows(build_xlsform(q), "survey")}
    choices = _sheet_rows(build_xlsform(q), "choices")
    for _, item in q.items():
        list_name = survey[item.id]["type"].split(" ", 1)[1]
        names = [c["name"] for c in choices if c["list_name"] == list_name]
        assert ("n/a" in names) is not item.required
        na = [c for c in choices if c["list_name"] == list_name and c["name"] == "n/a"]
        if na:
            assert na[0]["label::Deutsch (de)"] == "kann ich nicht beurteilen"


def _sheet_rows(data: bytes, name: str) -> list[dict[str, str]]:
    rows = list(load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True))
    return [{h: ("" if v is None else v) for h, v in zip(rows[0], row, strict=True)} for row in rows[1:]]


def test_xlsform_sheets_columns_and_bytes_are_reproducible(monkeypatch):
    q = _questionnaire(QUESTIONNAIRES[0])
    data = build_xlsform(q)
    assert data == build_xlsform(q)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in workbook["survey"][1]]
    assert header[:2] == ["type", "name"] and "label::Deutsch (de)" in header and "hint::English (en)" in header
    assert _sheet_rows(data, "settings") == [{"form_title": q.title["de"], "form_id": q.id, "version": q.version, "default_language": "Deutsch (de)"}]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773792000")
    assert build_xlsform(q) == build_xlsform(q)


def _with_texts(q: Questionnaire, text: str) -> Questionnaire:
    data = q.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["sections"][0]["factors"][0]["items"][0]["text"] = {"de": text, "en": text}
    data["sections"][0]["factors"][0]["items"][0]["help"] = {"de": text, "en": text}
    return Questionnaire.model_validate(data)


@settings(deadline=None, max_examples=40)
@given(start=st.sampled_from(FORMULA_STARTS), rest=st.text(min_size=1, max_size=20))
def test_no_exported_cell_starts_like_a_formula(start, rest):
    q = _with_texts(_questionnaire(QUESTIONNAIRES[0]), start + rest)
    workbook = load_workbook(io.BytesIO(build_xlsform(q)))
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)), cell.value
    for row in csv.reader(io.StringIO(build_limesurvey(q).decode("utf-8-sig")), delimiter="\t"):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row


def test_a_key_that_reads_as_a_formula_cannot_be_exported():
    data = _questionnaire(QUESTIONNAIRES[0]).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["scales"]["agreement"]["options"][0]["key"] = "-1"
    with pytest.raises(UsageError, match="'-1' starts with '-'"):
        build_xlsform(Questionnaire.model_validate(data))


def _structure(q: Questionnaire):
    return pandas.read_csv(io.BytesIO(build_limesurvey(q)), sep="\t", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.parent.name)
def test_limesurvey_structure_follows_the_documented_columns_and_row_classes(path):
    q = _questionnaire(path)
    data = build_limesurvey(q)
    assert data.startswith("\ufeff".encode())  # as LimeSurvey's own export: UTF-8 with BOM
    frame = _structure(q)
    assert list(frame.columns) == [*LIMESURVEY_BASE, "assessment_value"] == list(COLUMNS)
    assert set(frame["class"]) <= set(ROW_CLASSES)
    settings = dict(zip(frame[frame["class"] == "S"]["name"], frame[frame["class"] == "S"]["text"], strict=True))
    assert settings["language"] == q.default_language and settings["additional_languages"] == "en"
    titles = frame[(frame["class"] == "SL") & (frame["name"] == "surveyls_title")]
    assert dict(zip(titles["language"], titles["text"], strict=True)) == q.title
    per_language = {lang: frame[frame["language"] == lang] for lang in q.languages}
    shapes = {lang: [(kind, qid, name if kind in ("Q", "SQ", "A") else "", scale)
                     for kind, qid, name, scale in zip(part["class"], part["id"], part["name"], part["type/scale"], strict=True) if kind != "SL"]
              for lang, part in per_language.items()}
    assert shapes["de"] == shapes["en"]  # the same structure in every language, same ids and codes
    questions = per_language["de"][per_language["de"]["class"] == "Q"]
    codes = list(questions["name"])
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,19}", code), code
    for answers in _answers_by_question(per_language["de"]).values():
        assert all(re.fullmatch(r"[A-Za-z0-9]{1,5}", a) for a in answers) and len(set(answers)) == len(answers)


def _answers_by_question(frame) -> dict[str, list[str]]:
    """Read the rows as TSVImportSurvey() does: an answer belongs to the question before it."""
    found: dict[str, list[str]] = {}
    current = ""
    for kind, name in zip(frame["class"], frame["name"], strict=True):
        if kind == "Q":
            current = name
            found[current] = []
        elif kind == "A":
            found[current].append(name)
    return found


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.parent.name)
def test_limesurvey_items_read_back_by_proximity_with_their_answers_and_points(path):
    q = _questionnaire(path)
    frame = _structure(q)
    german = frame[frame["language"] == "de"]
    items = iter(q.items())
    rows = list(german.itertuples(index=False))
    for position, row in enumerate(rows):
        if row[2] != "Q" or row[3] != "O":
            continue
        _, item = next(items)
        assert row[6] == item.text["de"]
        answers = [r for r in rows[position + 1:] if r[2] in ("A", "Q", "G")]
        answers = answers[: next((i for i, r in enumerate(answers) if r[2] != "A"), len(answers))]
        options = q.scales[item.scale].options
        assert [r[6] for r in answers] == [o.label["de"] for o in options] + ([] if item.required else ["kann ich nicht beurteilen"])
        assert [r[14] for r in answers[: len(options)]] == [str(int(o.points)) for o in options]
    assert next(items, None) is None


@settings(deadline=None)
@given(st.lists(st.from_regex(r"[a-z0-9][a-z0-9_\-]{0,15}(\.[a-z0-9][a-z0-9_\-]{0,15}){0,3}", fullmatch=True), min_size=1, max_size=40))
def test_limesurvey_codes_are_valid_and_unique_for_any_ids(ids):
    taken: set[str] = set()
    codes = [limesurvey_code(i, taken) for i in dict.fromkeys(ids)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,19}", code) and code not in {"this", "self", "that", "time"}


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_export_command_writes_refuses_to_overwrite_and_needs_a_file_for_xlsx(tmp_path):
    q = str(QUESTIONNAIRES[0])
    out = tmp_path / "umfrage.xlsx"
    result = _run("export", q, "--to", "xlsform", "-o", str(out))
    assert result.exit_code == 0 and result.stderr == f"{out} geschrieben\n"
    assert load_workbook(out).sheetnames == ["survey", "choices", "settings"]
    again = _run("export", q, "--to", "xlsform", "-o", str(out))
    assert again.exit_code == 3 and "exists: use --force" in again.stderr
    assert _run("export", q, "--to", "xlsform", "-o", str(out), "--force").exit_code == 0
    no_file = _run("export", q, "--to", "xlsform")
    assert no_file.exit_code == 3 and "give a file with -o" in no_file.stderr
    text = _run("export", q, "--to", "limesurvey")
    assert text.exit_code == 0 and text.stdout_bytes == build_limesurvey(_questionnaire(QUESTIONNAIRES[0]))
    assert _run("export", q, "--to", "spss").exit_code == 3
    assert _run("export", "no-such-questionnaire", "--to", "limesurvey").exit_code == 3


@pytest.mark.parametrize("qid", sorted(bundled_questionnaires()))
def test_bundled_questionnaires_export_in_both_formats(qid):
    q = load_questionnaire(qid)
    _xform(q)
    assert len(_answers_by_question(_structure(q))) >= len(q.items())


def test_score_start_up_does_not_load_the_spreadsheet_libraries():
    import subprocess
    import sys

    core = Path(__file__).parent / "fixtures" / "core"
    code = ("import sys\nfrom slp_assess.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('openpyxl', 'pandas', 'pyxform') if m in sys.modules), file=sys.stderr)")
    args = ["score", str(core / "answers-city.yaml"), "-q", str(core / "mini.yaml"), "--format", "json"]
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    assert result.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("seed", range(3))
def test_an_output_suffix_that_does_not_fit_the_format_is_refused(tmp_path, seed):
    rng = random.Random(seed)
    expected = {"xlsform": ".xlsx", "limesurvey": ".txt"}
    for fmt, suffix in expected.items():
        for wrong in rng.sample([".txt", ".xlsx", ".csv", ".xls", ".lss", "", ".XLSX.bak"], 4):
            if wrong.lower() == suffix:
                continue
            out = tmp_path / f"umfrage{wrong}"
            result = _run("export", "slp-quickcheck", "--to", fmt, "-o", str(out))
            assert result.exit_code == 3, (fmt, wrong, result.output)
            assert result.stderr.count("\n") == 1 and f"--to {fmt} writes a {suffix} file" in result.stderr, result.stderr
            assert not out.exists()
        ok = tmp_path / f"gut{rng.choice([suffix, suffix.upper()])}"
        assert _run("export", "slp-quickcheck", "--to", fmt, "-o", str(ok)).exit_code == 0 and ok.exists()
