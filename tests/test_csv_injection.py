"""CSV cells a spreadsheet would run as formulas are neutralised (OWASP) and control characters shown as
``\\xNN``; `--csv-raw` keeps them as given."""

from __future__ import annotations

import csv
import io
import json
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.batch import score_file
from slp_assess.cli import app
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.results import Blocker, FileError, FileErrorDetail, RespondentRef, ScoreResult
from slp_assess.output.csvfmt import BASE_COLUMNS, FORMULA_STARTS, CsvFormat, number

CORE = Path(__file__).parent / "fixtures" / "core"
runner = CliRunner()

# Text as people type it, with a fair share starting with a formula character.
plain_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=25)
cell_text = st.one_of(plain_text, st.tuples(st.sampled_from(FORMULA_STARTS), plain_text).map("".join))


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _expected(text: str, raw: bool) -> str:
    if raw:
        return text
    shown = "".join(f"\\x{ord(c):02x}" if c not in "\t\n" and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) else c for c in text)
    return f"'{shown}" if shown.startswith(FORMULA_STARTS) else shown


@pytest.fixture(scope="module")
def scored() -> ScoreResult:
    result = score_file(CORE / "answers-rural.yaml", QuestionnaireCatalog.with_files([CORE / "mini.yaml"]))
    assert isinstance(result, ScoreResult) and result.overall.blockers
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    file=cell_text, partnership=cell_text, name=cell_text, organisation=cell_text, item=cell_text,
    factor_id=cell_text, error_file=cell_text, error=cell_text, raw=st.booleans(),
)
def test_text_cells_are_neutralised_and_round_trip(scored, file, partnership, name, organisation, item, factor_id, error_file, error, raw):
    record = scored.model_copy(update={
        "file": file, "partnership": partnership,
        "respondent": RespondentRef(name=name, organisation=organisation, role="land"),
        "overall": scored.overall.model_copy(update={"blockers": [Blocker(item=item, factor="f", score=25.0)]}),
        "factors": [scored.factors[0].model_copy(update={"id": factor_id}), *scored.factors[1:]],
    })
    broken = FileError(file=error_file, errors=[FileErrorDetail(line=None, message=error)])
    out = io.StringIO()
    CsvFormat(raw=raw, factor_ids=[f.id for f in record.factors]).write([record, broken], out)
    header, row, error_row = _read(out.getvalue())
    assert header[len(BASE_COLUMNS)] == _expected(factor_id, raw)
    cells = dict(zip(BASE_COLUMNS, row, strict=False))
    assert cells["file"] == _expected(file, raw)
    assert cells["partnership"] == _expected(partnership, raw)
    assert cells["respondent"] == _expected(name, raw)
    assert cells["organisation"] == _expected(organisation, raw)
    assert cells["blockers"] == _expected(item, raw)
    assert (error_row[0], error_row[-1]) == (_expected(error_file, raw), _expected(error, raw))
    # The numbers are ours: never touched.
    assert cells["overall_score"] == number(scored.overall.score)
    assert row[len(BASE_COLUMNS)] == number(scored.factors[0].score)
    if not raw:
        assert not [cell for cell in header + row + error_row if cell.startswith(FORMULA_STARTS)]


# Names that survive a YAML file unchanged; file names that a file system takes.
yaml_text = st.text(st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), max_size=20)
yaml_cell = st.one_of(yaml_text, st.tuples(st.sampled_from(FORMULA_STARTS), yaml_text).map("".join))
file_stem = st.tuples(st.sampled_from(["=", "+", "-", "@", ""]), st.text(string.ascii_letters + "=+-@ ()", max_size=12)).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(st.tuples(file_stem, yaml_cell, yaml_cell, yaml_cell), min_size=1, max_size=4, unique_by=lambda p: p[0]))
def test_answer_files_with_formula_names_give_a_safe_csv(tmp_path_factory, monkeypatch, people):
    folder = tmp_path_factory.mktemp("answers")
    monkeypatch.chdir(folder)
    template = yaml.safe_load((CORE / "answers-city.yaml").read_text(encoding="utf-8"))
    files = []
    for stem, partnership, name, organisation in people:
        data = {**template, "partnership": partnership, "respondent": {"name": name, "organisation": organisation, "role": "stadt"}}
        path = Path(f"{stem}.yaml")  # relative, so the file cell starts with the name itself
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        files.append(str(path))
    common = ["score", "-q", str(CORE / "mini.yaml"), "--", *files]
    records = json.loads(runner.invoke(app, [*common[:3], "--format", "json", *common[3:]]).stdout)
    for raw in (False, True):
        result = runner.invoke(app, [*common[:3], "--format", "csv", *(["--csv-raw"] if raw else []), *common[3:]])
        assert result.exit_code == 0, result.output
        header, *rows = _read(result.stdout)
        assert len(rows) == len(records)
        for row, record in zip(rows, records, strict=True):
            cells = dict(zip(header, row, strict=False))
            assert cells["file"] == _expected(record["file"], raw)
            assert cells["partnership"] == _expected(record["partnership"], raw)
            assert cells["respondent"] == _expected(record["respondent"]["name"] or "", raw)
            assert cells["organisation"] == _expected(record["respondent"]["organisation"] or "", raw)
            if not raw:
                assert not [cell for cell in row if cell.startswith(FORMULA_STARTS)]


def test_csv_raw_needs_the_csv_format():
    result = runner.invoke(app, ["score", str(CORE / "answers-city.yaml"), "-q", str(CORE / "mini.yaml"), "--format", "json", "--csv-raw"])
    assert result.exit_code == 3
    assert result.stderr == "error: --csv-raw only applies to --format csv\n"
