"""JSON Schemas: generated from the models, committed without drift, and true to the real files."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.loading import load_questionnaire
from slp_assess.schemas import DRAFT, SCHEMA_DIR, SchemaChoice, answers_schema_for, available, dumps, generate
from slp_assess.yamlio import read_yaml

REPO = Path(__file__).resolve().parents[1]
CORE = Path(__file__).parent / "fixtures" / "core"
runner = CliRunner()


def _as_json(value: Any) -> Any:
    """YAML dates become ISO strings, as in JSON."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _load(path: Path) -> Any:
    return _as_json(read_yaml(path).data)


def _answer_files() -> list[Path]:
    return [p for p in sorted((REPO / "examples").rglob("*.y*ml")) if "sections" not in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("choice", available(), ids=lambda c: c.value)
def test_committed_schema_matches_the_models(choice):
    committed = SCHEMA_DIR / choice.file_name
    assert committed.exists(), "run: python -m slp_assess.schemas --write"
    assert committed.read_text(encoding="utf-8") == dumps(generate(choice)), (
        f"{committed.name} differs from the models: run `python -m slp_assess.schemas --write` and commit"
    )


def test_no_stale_schema_files():
    assert {p.name for p in SCHEMA_DIR.glob("*.schema.json")} == {c.file_name for c in available()}


@pytest.mark.parametrize("choice", available(), ids=lambda c: c.value)
def test_schemas_are_valid_draft_2020_12(choice):
    schema = generate(choice)
    assert schema["$schema"] == DRAFT and schema["$id"].endswith(choice.file_name)
    Draft202012Validator.check_schema(schema)


def test_every_choice_maps_to_a_model_or_says_why():
    for choice in SchemaChoice:
        model = choice.model()
        assert model is not None or choice is SchemaChoice.REPORT


@pytest.mark.parametrize("path", sorted((REPO / "questionnaires").glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_questionnaires_follow_the_schema(path):
    validator = Draft202012Validator(generate(SchemaChoice.QUESTIONNAIRE))
    assert [e.message for e in validator.iter_errors(_load(path))] == []


def test_example_answer_files_follow_the_schemas():
    files = _answer_files() + [CORE / "answers-city.yaml", CORE / "answers-rural.yaml"]
    if not _answer_files():
        pytest.skip("no example answer files in examples/ yet")
    generic = Draft202012Validator(generate(SchemaChoice.ANSWERS))
    for path in files:
        data = _load(path)
        assert [e.message for e in generic.iter_errors(data)] == [], path
        if data["questionnaire"] in ("slp-readiness", "slp-quickcheck"):
            specific = Draft202012Validator(answers_schema_for(load_questionnaire(data["questionnaire"])))
            assert [e.message for e in specific.iter_errors(data)] == [], path


def test_template_is_valid_against_both_answer_schemas():
    q = load_questionnaire("slp-quickcheck")
    text = runner.invoke(app, ["template", "slp-quickcheck"]).stdout
    assert text.startswith("# yaml-language-server: $schema=https://")
    data = _as_json(yaml.safe_load(text))
    for schema in (generate(SchemaChoice.ANSWERS), answers_schema_for(q)):
        assert [e.message for e in Draft202012Validator(schema).iter_errors(data)] == []


def test_specialised_schema_knows_ids_and_keys():
    q = load_questionnaire("slp-quickcheck")
    schema = answers_schema_for(q, "en")
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    item = next(i for _, i in q.items() if not i.required)
    good = {"questionnaire": q.id, "version": q.version, "answers": {item.id: "n/a"}}
    assert not list(validator.iter_errors(good))
    assert not list(validator.iter_errors({**good, "answers": {item.id: {"value": 4, "note": "x"}}}))
    assert list(validator.iter_errors({**good, "answers": {item.id: "7"}}))
    assert list(validator.iter_errors({**good, "answers": {"no.such.item": "4"}}))
    assert list(validator.iter_errors({**good, "questionnaire": "other"}))
    assert schema["properties"]["answers"]["anyOf"][0]["properties"][item.id]["description"].startswith(item.text["en"])


def test_invalid_files_are_rejected_by_the_schema():
    validator = Draft202012Validator(generate(SchemaChoice.ANSWERS))
    assert list(validator.iter_errors({"questionnaire": "x", "version": "1", "unknown": 1}))
    assert list(validator.iter_errors({"questionnaire": "x"}))
    qvalidator = Draft202012Validator(generate(SchemaChoice.QUESTIONNAIRE))
    good = _load(CORE / "mini.yaml")
    assert not list(qvalidator.iter_errors(good))
    assert list(qvalidator.iter_errors({**good, "colour": "blue"}))
    assert list(qvalidator.iter_errors({k: v for k, v in good.items() if k != "sections"}))


def test_schema_command_prints_and_writes(tmp_path):
    result = runner.invoke(app, ["schema", "questionnaire"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == generate(SchemaChoice.QUESTIONNAIRE)
    out = tmp_path / "answers.json"
    result = runner.invoke(app, ["schema", "answers", "--questionnaire", str(CORE / "mini.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert "success.eye_level.equal_say" in schema["properties"]["answers"]["anyOf"][0]["properties"]
    assert runner.invoke(app, ["schema", "result", "-q", "slp-quickcheck"]).exit_code == 3
    assert runner.invoke(app, ["schema", "nonsense"]).exit_code == 3
    assert runner.invoke(app, ["schema", "answers", "-q", "no-such-questionnaire"]).exit_code == 3


def test_regenerating_is_a_no_op(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", f"from pathlib import Path; from slp_assess.schemas import write_all; write_all(Path({str(tmp_path)!r}))"],
        check=True, capture_output=True, text=True,
    )
    assert result.returncode == 0
    for path in tmp_path.iterdir():
        assert path.read_text(encoding="utf-8") == (SCHEMA_DIR / path.name).read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", range(6))
def test_an_existing_output_is_kept_without_force(tmp_path, seed):
    """As `slp template` and `slp export`: `-o` onto an existing file (filled-in answers) needs --force."""
    rng = random.Random(seed)
    kind = rng.choice([choice.value for choice in SchemaChoice])
    target = tmp_path / rng.choice(("answers.yaml", "schema.json", "x", "ä ö.json"))
    before = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
    target.write_bytes(before)
    extra = ["-q", "slp-quickcheck"] if kind == "answers" and rng.random() < 0.5 else []
    result = runner.invoke(app, ["schema", kind, *extra, "-o", str(target)])
    assert result.exit_code == 3, result.output
    assert result.stderr == f"error: {target} exists: use --force to overwrite it\n"
    assert target.read_bytes() == before
    forced = runner.invoke(app, ["schema", kind, *extra, "-o", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(target.read_text(encoding="utf-8"))["$schema"].startswith("https://json-schema.org/")
