"""Portfolio files written by the workers look as the reference path writes them: bytes, mode, links.

``write_portfolio_of`` (workers, temporary files renamed into place) must leave the folder exactly
as ``write_portfolio`` (``write_bytes_atomic`` per file) does: a new report gets what the umask
leaves of 0666, a replaced report keeps its mode, a symbolic link is written through and stays a
link, and a folder where a report should go stops everything before a file is touched.
"""

from __future__ import annotations

import gc
import os
import random
import re
import stat
from pathlib import Path

import pytest

from portfolio_support import NAMES, QUESTIONNAIRE, fsync_refusing, write_answers
from slp_assess import api
from slp_assess.errors import OutputError
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.report import ReportFormat


def state(folder: Path) -> dict[str, tuple[bool, int, bytes]]:
    """Per entry: whether it is a link, the mode and the bytes of what it (or its target) holds."""
    return {p.name: (p.is_symlink(), stat.S_IMODE(p.stat().st_mode), p.read_bytes()) for p in sorted(folder.iterdir())}


def prepare(folder: Path, elsewhere: Path, names: list[str], rng: random.Random) -> None:
    """Some of the reports exist already, with their own modes; some are links to files elsewhere."""
    folder.mkdir()
    elsewhere.mkdir()
    for name in names:
        roll = rng.random()
        if roll < 0.3:
            (folder / name).write_text("old", encoding="utf-8")
            (folder / name).chmod(rng.choice([0o600, 0o604, 0o640, 0o644, 0o660, 0o664, 0o666]))
        elif roll < 0.45:
            (elsewhere / name).write_text("old", encoding="utf-8")
            (elsewhere / name).chmod(0o640)
            (folder / name).symlink_to(elsewhere / name)


@pytest.mark.parametrize("seed", range(12))
def test_worker_portfolio_files_match_the_reference(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    # Workers build even these few partnerships, one per task.
    monkeypatch.setattr("slp_assess.portfolio_writer.POOL_MIN_REPORTS", 2)
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", 1)
    answers = tmp_path / "answers"
    answers.mkdir()
    write_answers(answers, rng, rng.sample(NAMES, rng.randint(2, len(NAMES))))
    loaded = api.load_assessments([answers], QuestionnaireCatalog.with_files([QUESTIONNAIRE]))
    fmt = rng.choice([ReportFormat.MD, ReportFormat.HTML, ReportFormat.JSON])
    reports = api.build_reports(loaded, generated=api.report_date())
    names = [*api.portfolio_names(reports, fmt), "index.html", "index.md"]
    umask = rng.choice([0o022, 0o027, 0o077, 0o002])
    previous = os.umask(umask)
    try:
        results = {}
        for path in ("fast", "reference"):
            prepare(tmp_path / path, tmp_path / f"{path}-elsewhere", names, random.Random(seed))
            if path == "fast":
                api.write_portfolio_of(tmp_path / path, loaded, fmt, "de", generated=api.report_date(), jobs=rng.choice([1, 2]))
            else:
                api.write_portfolio(tmp_path / path, reports, fmt, "de", generated=api.report_date())
            results[path] = (state(tmp_path / path), state(tmp_path / f"{path}-elsewhere"))
    finally:
        os.umask(previous)
    assert results["fast"] == results["reference"]
    assert any(mode == 0o666 & ~umask for _, mode, _ in results["fast"][0].values())


@pytest.mark.parametrize("seed", range(4))
def test_a_folder_in_a_reports_place_touches_nothing(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.setattr("slp_assess.portfolio_writer.POOL_MIN_REPORTS", 2)
    answers = tmp_path / "answers"
    answers.mkdir()
    write_answers(answers, rng, rng.sample(NAMES, 4))
    loaded = api.load_assessments([answers], QuestionnaireCatalog.with_files([QUESTIONNAIRE]))
    reports = api.build_reports(loaded)
    names = [*api.portfolio_names(reports, ReportFormat.MD), "index.html", "index.md"]
    out = tmp_path / "out"
    prepare(out, tmp_path / "elsewhere", names, rng)
    (out / rng.choice(names)).unlink(missing_ok=True)
    blocked = rng.choice([n for n in names if not (out / n).exists()] or names[:1])
    (out / blocked).mkdir()
    before = {p.name: (p.is_dir() or p.read_bytes()) for p in out.iterdir()}
    with pytest.raises(OutputError, match="it is a folder"):
        api.write_portfolio_of(out, loaded, ReportFormat.MD, "de", jobs=rng.choice([1, 2]))
    assert {p.name: (p.is_dir() or p.read_bytes()) for p in out.iterdir()} == before


@pytest.mark.parametrize("seed", range(6))
def test_a_report_the_disk_refuses_stops_everything_and_leaves_nothing(tmp_path, monkeypatch, seed):
    """Reports are fsynced by threads while the next one renders; a failed fsync is still the command's error."""
    import errno

    rng = random.Random(seed)
    monkeypatch.setattr("slp_assess.portfolio_writer.POOL_MIN_REPORTS", 2)
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", rng.choice([1, 3, 8]))
    answers = tmp_path / "answers"
    answers.mkdir()
    write_answers(answers, rng, rng.sample(NAMES, rng.randint(3, len(NAMES))))
    loaded = api.load_assessments([answers], QuestionnaireCatalog.with_files([QUESTIONNAIRE]))
    reports = api.build_reports(loaded)
    names = [*api.portfolio_names(reports, ReportFormat.HTML), "index.html", "index.md"]
    out = tmp_path / "out"
    prepare(out, tmp_path / "elsewhere", names, rng)
    before = state(out)
    failing = rng.choice(names)
    monkeypatch.setattr("slp_assess.portfolio_writer.os.fsync", fsync_refusing(out, failing))
    with pytest.raises(OutputError, match=re.escape(f"cannot write {out / failing}: {os.strerror(errno.EIO)}")):
        api.write_portfolio_of(out, loaded, ReportFormat.HTML, "de", jobs=rng.choice([1, 2]))
    assert state(out) == before


def test_the_index_is_prepared_while_the_reports_are_written_and_gets_every_row_in_order(tmp_path, monkeypatch):
    """The main process waits for the workers: the index's rows are validated and its renderers made meanwhile."""
    from slp_assess import portfolio_writer
    from slp_assess.portfolio_writer import PortfolioJob, write_portfolio_files

    answers = tmp_path / "answers"
    answers.mkdir()
    write_answers(answers, random.Random(3), NAMES[:5])
    loaded = api.load_assessments([answers], QuestionnaireCatalog.with_files([QUESTIONNAIRE]))
    groups = api.report_groups(loaded)
    job = PortfolioJob(folder=tmp_path / "out", groups=groups, names=[f"p{n}.md" for n in range(len(groups))],
                       fmt=ReportFormat.MD, lang="de", template_dir=None, anonymize=False, generated=None, generator="g")
    events: list[str] = []

    def run_shares(job, given, keep):
        for share in reversed(given):  # shares may come back in any order
            events.append("share")
            keep(portfolio_writer._write_share(share))

    def index_texts(rows):
        # With every row held here and nothing else running, the collector would only walk them again and again.
        events.append("index" if not gc.isenabled() else "index, collector on")
        assert [row.href for row in rows] == list(job.names)
        return {"index.md": "index"}

    def prepare_index():
        events.append("prepared" if not gc.isenabled() else "prepared, collector on")

    monkeypatch.setattr(portfolio_writer, "REPORTS_PER_TASK", 1)
    assert gc.isenabled()
    written = write_portfolio_files(job, 0, index_texts, run_shares, prepare_index=prepare_index)
    assert gc.isenabled()
    assert len(groups) == 5
    assert events == ["share", "prepared", "share", "share", "share", "share", "index"]
    assert [p.name for p in written] == [*job.names, "index.md"]
