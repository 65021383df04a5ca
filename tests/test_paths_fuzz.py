"""Generated answer files in the forms planners and survey exports write: the fast path and the reference agree.

Each test generates (seeded) answer files from the bundled examples and runs them through the fast
path (``slp score``/``slp report`` as shipped) and the reference path (``loading.load_answer_file``
with the fast reader switched off, and the models built from it): the same bytes out, the same
error lines, the same exit code.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess import fastscore
from slp_assess.aggregate import assessment_of
from slp_assess.cli.app import app
from slp_assess.fastscore import Fallback
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.portfolio import group_assessments

REPO = Path(__file__).resolve().parents[1]
# Answer files of every bundled questionnaire and version: 2.0 examples, 1.0 fixtures.
SOURCES = sorted([*REPO.glob("examples/**/*.yaml"), *(REPO / "tests" / "fixtures" / "v1").glob("*.yaml")])
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
