"""`slp compare` and `slp report --previous` refuse answers given to two versions of a questionnaire."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.models.questionnaire import version_order

FIXTURES = Path(__file__).parent / "fixtures" / "report"
REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _versions(seed: int) -> tuple[str, str]:
    """Two different versions, in either order, with the orderings "1.10" after "1.9" and "2.0" after both."""
    rng = random.Random(seed)
    pool = ["1.0", "1.1", "1.9", "1.10", "2.0", "2.0.1", "10.0"]
    old, new = rng.sample(pool, 2)
    return old, new


def _assessment(tmp_path: Path, source: str, version: str) -> tuple[Path, Path]:
    """The report-mini questionnaire as ``version``, and the answers of ``source`` given to it."""
    questionnaire = tmp_path / f"questionnaire-{version}.yaml"
    text = (FIXTURES / "questionnaire.yaml").read_text(encoding="utf-8")
    questionnaire.write_text(text.replace('version: "1.0"', f'version: "{version}"', 1), encoding="utf-8")
    folder = tmp_path / f"{source}-{version}"
    folder.mkdir()
    for path in (FIXTURES / source).glob("*.yaml"):
        answers = path.read_text(encoding="utf-8")
        (folder / path.name).write_text(re.sub(r'^version: .*$', f'version: "{version}"', answers, count=1, flags=re.M),
                                        encoding="utf-8")
    return questionnaire, folder


def _assert_refused(result, old: str, new: str) -> None:
    assert result.exit_code == 3, result.output
    [line] = result.stderr.splitlines()
    assert f"version {old}" in line and f"version {new}" in line
    older = min(old, new, key=version_order)
    assert line.endswith(f"run `slp migrate` on the files of version {older} first")


@pytest.mark.parametrize("seed", range(8))
def test_compare_refuses_two_versions(tmp_path, seed):
    old, new = _versions(seed)
    q_old, before = _assessment(tmp_path, "elbtal-2025", old)
    q_new, after = _assessment(tmp_path, "elbtal", new)
    result = runner.invoke(app, ["compare", str(before), str(after), "-q", str(q_old), "-q", str(q_new)])
    _assert_refused(result, old, new)
    assert result.stdout == ""


@pytest.mark.parametrize("seed", range(8))
def test_report_previous_refuses_another_version(tmp_path, seed):
    old, new = _versions(seed)
    q_old, before = _assessment(tmp_path, "elbtal-2025", old)
    q_new, after = _assessment(tmp_path, "elbtal", new)
    out = tmp_path / "bericht.md"
    result = runner.invoke(app, ["report", str(after), "--previous", str(before), "-o", str(out),
                                 "-q", str(q_old), "-q", str(q_new)])
    _assert_refused(result, old, new)
    assert not out.exists()


def test_the_same_version_still_compares(tmp_path):
    q, before = _assessment(tmp_path, "elbtal-2025", "1.1")
    _, after = _assessment(tmp_path, "elbtal", "1.1")
    assert runner.invoke(app, ["compare", str(before), str(after), "-q", str(q)]).exit_code == 0
    result = runner.invoke(app, ["report", str(after), "--previous", str(before), "-q", str(q)])
    assert result.exit_code == 0, result.output
    assert "vorher" in result.stdout


def test_a_bundled_version_one_file_against_version_two(tmp_path):
    v1only = tmp_path / "v1only"
    v1only.mkdir()
    shutil.copy(REPO / "tests" / "fixtures" / "v1" / "readiness-katrin-berger.yaml", v1only)
    result = runner.invoke(app, ["compare", str(v1only), str(REPO / "examples" / "lindenau")])
    _assert_refused(result, "1.0", "2.0")
    assert "'slp-readiness'" in result.stderr
