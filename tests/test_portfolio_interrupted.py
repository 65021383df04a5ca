"""Ctrl-C in the middle of a portfolio: no temporary file is left, no report half replaced, one line, exit 130.

The interruption is placed by a seeded choice at the k-th write of a report (inside a worker
process or in this one) or at the k-th wait of the main process for a worker's result, where a
real Ctrl-C lands most often: the worker has written its share by then, and nobody else knows of it.
"""

from __future__ import annotations

import os
import random
from concurrent.futures import Future
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portfolio_support import NAMES, QUESTIONNAIRE, write_answers
from slp_assess import api
from slp_assess.cli.app import app
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.report import ReportFormat

runner = CliRunner()


def _interrupt_at(monkeypatch, rng: random.Random, where: str) -> None:
    calls = {"n": 0}
    wanted = rng.randint(1, 6)
    if where == "wait":
        real_result = Future.result

        def result(self: Future, timeout: float | None = None):  # type: ignore[no-untyped-def]
            value = real_result(self, timeout)  # the worker has written its share
            calls["n"] += 1
            if calls["n"] == wanted:
                raise KeyboardInterrupt
            return value

        monkeypatch.setattr(Future, "result", result)
        return
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        # Counted in each process: a forked worker starts with the count the main process had.
        calls["n"] += 1
        if calls["n"] == wanted:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr("slp_assess.portfolio_writer.os.fsync", fsync)


def _answers_and_an_old_index(tmp_path: Path, rng: random.Random) -> tuple[Path, Path]:
    """Answer files of 12 partnerships, and the output folder with the index of an earlier run."""
    answers = tmp_path / "answers"
    answers.mkdir()
    write_answers(answers, rng, [f"{rng.choice(NAMES)} {n}" for n in range(12)])
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").write_text("old index", encoding="utf-8")
    return answers, out


@pytest.mark.parametrize("seed", range(10))
def test_an_interrupted_portfolio_leaves_no_temporary_file(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.setattr("slp_assess.portfolio_writer.POOL_MIN_REPORTS", 2)
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", rng.choice([1, 2]))
    answers, out = _answers_and_an_old_index(tmp_path, rng)
    loaded = api.load_assessments([answers], QuestionnaireCatalog.with_files([QUESTIONNAIRE]))
    where = rng.choice(["wait", "write"])
    jobs = 2 if where == "wait" else rng.choice([1, 2])
    _interrupt_at(monkeypatch, rng, where)
    with pytest.raises(KeyboardInterrupt):
        api.write_portfolio_of(out, loaded, rng.choice([ReportFormat.MD, ReportFormat.HTML]), "de", jobs=jobs)
    assert sorted(p.name for p in out.iterdir()) == ["index.md"], (where, jobs)
    assert (out / "index.md").read_text(encoding="utf-8") == "old index"


@pytest.mark.parametrize("seed", range(8))
def test_an_interrupted_resident_portfolio_leaves_no_temporary_file(tmp_path, monkeypatch, seed):
    """The same with the workers that loaded the files writing the reports (``api.loading_for_portfolio``)."""
    rng = random.Random(seed)
    monkeypatch.setattr("slp_assess.batch.POOL_MIN_FILES", 2)
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", rng.choice([1, 2]))
    answers, out = _answers_and_an_old_index(tmp_path, rng)
    where = rng.choice(["wait", "write"])
    if where == "write":
        _interrupt_at(monkeypatch, rng, where)  # before the workers are forked, so that they have it
    with pytest.raises(KeyboardInterrupt), api.loading_for_portfolio(
        [answers], QuestionnaireCatalog.with_files([QUESTIONNAIRE]), jobs=2,
    ) as loaded:
        if where == "wait":
            _interrupt_at(monkeypatch, rng, where)  # a wait for written reports, not for loaded files
        api.write_portfolio_of(out, loaded, rng.choice([ReportFormat.MD, ReportFormat.HTML]), "de")
    assert sorted(p.name for p in out.iterdir()) == ["index.md"], where
    assert (out / "index.md").read_text(encoding="utf-8") == "old index"


@pytest.mark.parametrize("seed", range(3))
def test_the_command_says_it_was_interrupted_and_exits_130(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    answers = tmp_path / "answers"
    answers.mkdir()
    write_answers(answers, rng, [f"P{n}" for n in range(4)])
    _interrupt_at(monkeypatch, rng, "write")
    result = runner.invoke(app, ["report", str(answers), "-q", str(QUESTIONNAIRE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 130, result.output
    assert result.stderr.splitlines() == ["interrupted (Ctrl-C): stopped; every file is complete or as it was"]
    assert not list((tmp_path / "out").glob(".*"))


def test_write_answers_makes_what_the_tests_need(tmp_path):
    write_answers(tmp_path, random.Random(1), ["A", "B"])
    assert len(list(Path(tmp_path).glob("*.yaml"))) >= 2
