"""Generated answer files in the forms planners and survey exports write: the fast path and the reference agree.

Each test generates (seeded) answer files from the bundled examples and runs them through the fast
path (``slp score``/``slp report`` as shipped) and the reference path (``loading.load_answer_file``
with the fast reader switched off, and the models built from it): the same bytes out, the same
error lines, the same exit code.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from answer_styles import SOURCES, answer_bytes, sources
from slp_assess import api, fastscore
from slp_assess.aggregate import Assessment, assessment_of
from slp_assess.api import Loaded
from slp_assess.batch import Mode, _Receiver, _Scorer, collect_files, error_record, score_file
from slp_assess.cli.app import app
from slp_assess.compact import ExpandedFile, ScoredFile
from slp_assess.errors import InvalidInputError
from slp_assess.fastscore import Fallback, fast_answers
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.results import FileError, ScoreResult
from slp_assess.output import ScoreFormatChoice
from slp_assess.output.interface import Record
from slp_assess.portfolio import group_assessments, partnership_key, partnership_score
from slp_assess.report import ReportFormat
from slp_assess.scoring import plan_for

runner = CliRunner()


def _run(args: list[str]) -> tuple[int, bytes, str]:
    result = runner.invoke(app, args, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def _reader_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file read by ``loading.load_answer_file``, as the reference path reads it."""

    def decline(*args: object, **kwargs: object) -> None:
        raise Fallback("the reference path is being tested")

    monkeypatch.setattr(fastscore, "fast_answers", decline)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- the questionnaire named as ID or ID@VERSION ---------------------------------------------------


def _named_folder(rng: random.Random, folder: Path) -> None:
    """Answer files of two partnerships naming their questionnaire as ``ID`` (with ``version:``) or ``ID@VERSION``."""
    v1 = [p for p in SOURCES if p.parent.name == "v1"]
    folder.mkdir()
    for index in range(rng.randint(4, 9)):
        text = rng.choice(v1 if index < 3 else SOURCES).read_text(encoding="utf-8")
        qid = re.search(r"^questionnaire: (\S+)$", text, re.MULTILINE)
        version = re.search(r'^version: "(\S+)"$', text, re.MULTILINE)
        assert qid and version
        # Earlier versions are bundled as ID@VERSION too (the current one only as ID).
        spelling = rng.choice([qid[1], f"{qid[1]}@{version[1]}", f"'{qid[1]}@{version[1]}'"]) if version[1] == "1.0" else qid[1]
        text = text.replace(qid[0], f"questionnaire: {spelling}", 1)
        text = re.sub(r"^partnership: .*$", f"partnership: {rng.choice(['Lindenau', 'Ahrbach'])}", text, count=1, flags=re.MULTILINE)
        (folder / f"{index:02d}.yaml").write_text(text, encoding="utf-8")


def _reference_groups(folder: Path) -> list[tuple[str, str, str, int]]:
    catalog = QuestionnaireCatalog()
    assessments = []
    for path in sorted(folder.glob("*.yaml")):
        answers, questionnaire = load_answer_file(path, catalog)
        assessments.append(assessment_of(answers, questionnaire, str(path)))
    return [(*key, len(group)) for key, group in group_assessments(assessments).items()]


@pytest.mark.parametrize("seed", range(6))
def test_a_questionnaire_named_with_its_version_is_one_report_with_the_others(tmp_path, monkeypatch, seed):
    """``questionnaire: slp-readiness@1.0`` is the questionnaire ``slp-readiness`` 1.0 for report and --group-by alike.

    Reports grouped by the name as written: ``slp report`` failed with a traceback (KeyError), and
    with 50 files and more made a second report of the same partnership, while ``slp score --group-by``
    counted both spellings as one partnership.
    """
    rng = random.Random(seed)
    folder = tmp_path / "answers"
    _named_folder(rng, folder)
    expected = _reference_groups(folder)

    code, grouped, _ = _run(["score", str(folder), "--group-by", "partnership", "--format", "json"])
    assert code == 0
    rows = [(r["partnership"], r["questionnaire"]["id"], r["questionnaire"]["version"], r["respondents"]) for r in json.loads(grouped)]
    assert rows == expected

    code, _, _ = _run(["report", str(folder), "--format", "json", "-o", f"{tmp_path / 'fast'}/"])
    assert code == 0
    reports = [json.loads(data) for name, data in _files(tmp_path / "fast").items() if not name.startswith("index.")]
    assert sorted((r["meta"]["partnership"], r["meta"]["questionnaire"]["id"], r["meta"]["questionnaire"]["version"], r["respondent_count"])
                  for r in reports) == sorted(expected)

    if seed == 0:  # the worker processes that keep what they loaded (50 files and more) group alike
        monkeypatch.setattr("slp_assess.batch.POOL_MIN_FILES", 2)
        monkeypatch.setattr("slp_assess.batch.default_jobs", lambda: 2)
        code, _, _ = _run(["report", str(folder), "--format", "json", "-o", f"{tmp_path / 'workers'}/"])
        assert code == 0
        assert _files(tmp_path / "workers") == _files(tmp_path / "fast")
    _reader_off(monkeypatch)
    assert _run(["report", str(folder), "--format", "json", "-o", f"{tmp_path / 'reference'}/"])[0] == 0
    assert _files(tmp_path / "reference") == _files(tmp_path / "fast")
    assert _run(["score", str(folder), "--group-by", "partnership", "--format", "json"])[1] == grouped


# --- every YAML form of answer files, file by file and folder by folder ------------------------------

GENERATED_FILES = 300


def _model_tree(value: Any) -> Any:
    """A model's fields as set (``model_fields_set``) and as read, down to every nested model."""
    if isinstance(value, BaseModel):
        return type(value).__name__, sorted(value.model_fields_set), {k: _model_tree(v) for k, v in value.__dict__.items()}
    if isinstance(value, dict):
        return {repr(k): _model_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_model_tree(v) for v in value]
    return type(value).__name__, repr(value)


def _record_json(record: dict[str, Any] | ScoreResult | FileError) -> str:
    if isinstance(record, dict):
        record = ScoreResult.model_validate(record)
    return record.model_dump_json()


def _reference_assessment(path: Path, catalog: QuestionnaireCatalog) -> Assessment | InvalidInputError:
    try:
        answers, questionnaire = load_answer_file(path, catalog)
    except InvalidInputError as exc:
        return exc
    return assessment_of(answers, questionnaire, str(path))


def _compare_one(path: Path, catalog: QuestionnaireCatalog, scorer: _Scorer) -> str:
    """What the fast path made of the file ("fast" or "declined"), having checked it against the reference."""
    try:
        fast_answers(path, catalog.get, {})
        took = "fast"
    except Fallback:
        took = "declined"
    context = f"{path.read_bytes()!r}"
    # slp score: the record of each file.
    assert _record_json(scorer(path)) == _record_json(score_file(path, catalog)), context
    # slp report: the assessment (answers as read, result, item scores), or the same problems.
    reference = _reference_assessment(path, catalog)
    fast = _Receiver(catalog, Mode.ASSESSMENT)(scorer.outcome(path, Mode.ASSESSMENT))
    tally = scorer.outcome(path, Mode.TALLY)
    if isinstance(reference, InvalidInputError):
        assert isinstance(fast, InvalidInputError) and fast.problems == reference.problems, context
        assert isinstance(tally, FileError), context
        return took + " invalid"
    assert _model_tree(fast.answers) == _model_tree(reference.answers), context
    assert _model_tree(fast.result) == _model_tree(reference.result), context
    assert fast.item_scores == reference.item_scores, context
    # slp score --group-by: the compact form of the file.
    assert isinstance(tally, ScoredFile), context
    ref = reference.result.questionnaire
    expanded = ExpandedFile(tally, plan_for(catalog.get(ref.id, ref.version)))  # type: ignore[arg-type]
    for name in ("file", "side", "phase", "date", "item_scores", "factor_scores", "scored"):
        assert getattr(expanded, name) == getattr(reference, name), f"{name}: {context}"
    assert tally.key == partnership_key(reference), context
    return took + " valid"


def test_answer_files_in_every_yaml_form_give_the_same_results_on_both_paths(tmp_path):
    """Block scalars, escapes, tags, anchors, explicit keys, flow style over lines, numbers and dates in every
    form, comments anywhere, document markers, CR and CRLF, BOM, stray characters, varied data (see
    ``answer_styles``): ``slp score``'s record, ``slp report``'s assessment and ``--group-by``'s compact
    form are the reference path's, or both refuse the file with the same problems."""
    rng = random.Random(20261128)
    catalog = QuestionnaireCatalog()
    scorer = _Scorer(catalog)
    bases = sources()
    tally: dict[str, int] = {}
    for index in range(GENERATED_FILES):
        path = tmp_path / f"{index}.yaml"
        path.write_bytes(answer_bytes(rng, bases))
        outcome = _compare_one(path, catalog, scorer)
        tally[outcome] = tally.get(outcome, 0) + 1
    sys.stdout.write(f"\ngenerated answer files: {tally}\n")
    # Both kinds of file are exercised, and valid files are read by the fast path, not left to the reference.
    assert tally.get("fast valid", 0) > GENERATED_FILES // 3 and tally.get("declined invalid", 0) > GENERATED_FILES // 5
    assert tally.get("declined valid", 0) < GENERATED_FILES // 20


def _reference_outputs(folder: Path) -> tuple[bytes, bytes, Loaded]:
    """``score --format json`` and ``score --group-by partnership --format json`` as the reference functions make them."""
    catalog = QuestionnaireCatalog()
    records: list[Record] = []
    loaded = Loaded()
    for path in collect_files([folder]):
        outcome = _reference_assessment(path, catalog)
        if isinstance(outcome, InvalidInputError):
            records.append(error_record(str(path), outcome))
            loaded.invalid.append(outcome)
            continue
        records.append(outcome.result)
        loaded.assessments.append(outcome)
        ref = outcome.result.questionnaire
        loaded.questionnaires[f"{ref.id}@{ref.version}"] = catalog.get(ref.id, ref.version)  # type: ignore[assignment]
    grouped: list[Record] = [r for r in records if isinstance(r, FileError)]
    for (partnership, qid, version), group in group_assessments(loaded.assessments).items():
        grouped.append(partnership_score(loaded.questionnaires[f"{qid}@{version}"], partnership, group))
    outputs = []
    for chosen in (records, grouped):
        out = io.StringIO(newline="")
        ScoreFormatChoice.JSON.to_format("de", catalog).write(chosen, out)
        outputs.append(out.getvalue().encode())
    return outputs[0], outputs[1], loaded


@pytest.mark.parametrize("seed", range(4))
def test_folders_of_such_files_give_the_same_bytes_on_both_paths(tmp_path, monkeypatch, seed):
    """``slp score`` (JSON, CSV, --group-by) and ``slp report --format json`` over a folder of generated files:
    the same bytes and exit code with the fast reader and without it, and as the reference functions make them;
    ``api.score_files`` and ``api.aggregate`` give the same data."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    rng = random.Random(seed)
    bases = sources()
    folder = tmp_path / "answers"
    catalog = QuestionnaireCatalog()
    for index in range(rng.randint(6, 14)):
        path = folder / f"side-{index % 2}" / f"{index:02d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(answer_bytes(rng, bases))
        # Odd seeds: valid files only, so that every report is written (and api.aggregate, which refuses invalid files, runs).
        while seed % 2 and isinstance(_reference_assessment(path, catalog), InvalidInputError):
            path.write_bytes(answer_bytes(rng, bases))
    commands = [["score", str(folder), "--format", "json"], ["score", str(folder), "--format", "csv"],
                ["score", str(folder), "--group-by", "partnership", "--format", "json"]]
    out = tmp_path / "reports"

    def outputs() -> list[Any]:
        found: list[Any] = [_run(args) for args in commands]
        found.append(_run(["report", str(folder), "--format", "json", "-o", f"{out}/"]))
        found.append(_files(out) if out.exists() else {})
        # The Python API gives what the commands write.
        assert api.score_files([folder]) == json.loads(found[0][1])
        if found[3][0] == 0:
            reports = [json.loads(data) for name, data in found[4].items() if not name.startswith("index.")]
            assert sorted(map(repr, api.aggregate([folder]))) == sorted(map(repr, reports))
        return found

    fast = outputs()
    ref_score, ref_grouped, loaded = _reference_outputs(folder)
    expected_code = 2 if loaded.invalid else 0
    assert (fast[0][0], fast[0][1]) == (expected_code, ref_score)
    assert (fast[2][0], fast[2][1]) == (expected_code, ref_grouped)
    if loaded.assessments:
        written = api.write_portfolio(tmp_path / "reference", api.build_reports(loaded, generated=api.report_date()), ReportFormat.JSON, "de",
                                      generated=api.report_date())
        assert fast[4] == {p.name: p.read_bytes() for p in written}
    for path in list(out.iterdir()) if out.exists() else []:
        path.unlink()
    _reader_off(monkeypatch)
    assert outputs() == fast


# --- unanswered items, written every way ------------------------------------------------------------

BLANKS = ["", "~", "null", "''", '""', "{}", "{value: null}", "{value: ~}", "{value: }", "{note: offen}", "{value: null, note: offen}", "{note: null}",
          "{value: null, note: null}", "\n    value: null", "\n    value:", "\n    note: offen"]


def _blank_answers(rng: random.Random, folder: Path) -> None:
    folder.mkdir()
    for index in range(rng.randint(3, 8)):
        lines = rng.choice(SOURCES).read_text(encoding="utf-8").split("\n")
        end = lines.index("context:") if "context:" in lines else len(lines)
        items = [n for n in range(lines.index("answers:") + 1, end) if re.match(r"^  [a-z_]+\.[a-z_.]+: ", lines[n])]
        for n in rng.sample(items, k=rng.randint(3, 12)):
            lines[n] = lines[n][: lines[n].index(": ")] + ": " + rng.choice(BLANKS)
        (folder / f"{index}.yaml").write_text("\n".join(lines).replace(": \n", ":\n"), encoding="utf-8")


@pytest.mark.parametrize("seed", range(5))
def test_unanswered_items_written_any_way_are_read_as_the_reference_reads_them(tmp_path, seed):
    """``item:``, ``item: {}``, ``item: {value: null}``, ``item: {note: ...}``: the answers ``api.load_assessments`` gives
    (and reports are built from) are the reference path's, down to which fields are set.

    Answers without a note were shared by their value alone, so `{}` and `{value: null}` in the files of one
    report became the same model: the one read first, whichever fields it had set.
    """
    rng = random.Random(seed)
    folder = tmp_path / "answers"
    _blank_answers(rng, folder)
    catalog = QuestionnaireCatalog()
    loaded = api.load_assessments([folder], catalog, jobs=1)
    assert not loaded.invalid
    reference = [_reference_assessment(path, catalog) for path in collect_files([folder])]
    assert [_model_tree(a.answers) for a in loaded.assessments] == [_model_tree(a.answers) for a in reference]  # type: ignore[union-attr]
