"""A portfolio loaded and written by workers that keep their files (``api.loading_for_portfolio``).

Each worker keeps the files it loaded; a partnership's report is written by the worker holding most
of its files, which reads the others again. The files are shuffled, so nearly every partnership is
split across chunks and workers, and some are invalid: the portfolio, the errors and the keys must be
exactly what ``load_assessments`` and ``write_portfolio`` give.
"""

from __future__ import annotations

import errno
import os
import pickle
import random
import re
import stat
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from portfolio_support import NAMES, QUESTIONNAIRE, fsync_refusing, write_answers
from slp_assess import api, resident
from slp_assess.assess.manifest import Manifest, ManifestNote, write_manifest
from slp_assess.cli.app import app
from slp_assess.errors import InvalidInputError, OutputError, Problem, WorkerError
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.report import ReportFormat
from worker_support import children, die_halfway_through_a_result

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
# An exception in a pool's own thread (as Python 3.11's raises on a cancelled task of a broken pool)
# would be printed under the command's error line: here it fails the test.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
CATALOG = QuestionnaireCatalog.with_files([QUESTIONNAIRE])


def _portfolio(folder: Path, rng: random.Random) -> None:
    """Answer files of many partnerships in shuffled order, a few invalid, one workshop folder with notes."""
    staging = folder / "staging"
    staging.mkdir(parents=True)
    partnerships = [f"{rng.choice(NAMES)} {n}" for n in range(rng.randint(6, 14))] * rng.randint(1, 3)
    write_answers(staging, rng, partnerships)
    files = sorted(staging.iterdir())
    rng.shuffle(files)
    for position, path in enumerate(files):
        path.rename(folder / f"{position:03d}-{path.name}")
    staging.rmdir()
    # Another questionnaire, here and there for the same partnership: reports named by both.
    examples = sorted((REPO / "examples" / "lindenau").glob("*.yaml"))
    partnership = rng.choice([*partnerships, "Lindenau"])
    for path in rng.sample(examples, rng.randint(0, len(examples))):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        (folder / f"{rng.randrange(len(files)):03d}-{path.name}").write_text(
            yaml.safe_dump({**data, "partnership": partnership}, allow_unicode=True), encoding="utf-8")
    shared = yaml.safe_load(sorted(folder.iterdir())[0].read_text(encoding="utf-8"))
    for n in range(rng.randint(1, 4)):
        broken = rng.choice(["questionnaire: report-mini\nversion: '1.0'\nanswers: [\n",
                             "questionnaire: report-mini\nversion: '1.0'\nanswers:\n  no.such.item: '3'\n"])
        (folder / f"{rng.randrange(len(files)):03d}-broken-{n}.yaml").write_text(broken, encoding="utf-8")
    workshop = folder / "workshop"
    workshop.mkdir()
    (workshop / "extra.yaml").write_text(yaml.safe_dump(shared, allow_unicode=True), encoding="utf-8")
    write_manifest(workshop, Manifest(questionnaire=shared["questionnaire"], version=str(shared["version"]),
                                      partnership=shared["partnership"], language="de",
                                      notes=[ManifestNote(item=None, text="Notiz <der> Sitzung")]))


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (stat.S_IMODE(p.stat().st_mode), p.read_bytes()) for p in sorted(folder.iterdir())}


def _reference(answers: Path, out: Path, fmt: ReportFormat) -> api.Loaded:
    loaded = api.load_assessments([answers], CATALOG, jobs=1)
    reports = api.build_reports(loaded, generated=api.report_date())
    api.write_portfolio(out, reports, fmt, "de", generated=api.report_date())
    return loaded


@pytest.fixture
def few_files_make_a_pool(monkeypatch):
    monkeypatch.setattr("slp_assess.batch.POOL_MIN_FILES", 2)


@pytest.mark.parametrize("seed", range(6))
def test_the_resident_portfolio_is_the_reference_portfolio(tmp_path, monkeypatch, few_files_make_a_pool, seed):
    rng = random.Random(seed)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", rng.choice([1, 2, 8]))
    answers = tmp_path / "answers"
    _portfolio(answers, rng)
    fmt = rng.choice([ReportFormat.HTML, ReportFormat.MD, ReportFormat.JSON])
    umask = os.umask(rng.choice([0o022, 0o027, 0o077, 0o002]))
    try:
        reference = _reference(answers, tmp_path / "reference", fmt)
        with api.loading_for_portfolio([answers], CATALOG, jobs=rng.choice([2, 3])) as loaded:
            assert loaded.resident is not None and loaded.assessments == []
            assert [str(e) for e in loaded.invalid] == [str(e) for e in reference.invalid]
            assert loaded.session_notes == reference.session_notes
            assert api.partnerships(loaded) == api.partnerships(reference)
            assert api.report_keys(loaded) == api.report_keys(reference)
            api.write_portfolio_of(tmp_path / "resident", loaded, fmt, "de", generated=api.report_date())
    finally:
        os.umask(umask)
    assert _files(tmp_path / "resident") == _files(tmp_path / "reference")


def _keep_nothing(first: int, paths: list[str]) -> list:
    """Load as the workers do, then forget every file: each report reads all of its files again."""
    loaded = resident.__dict__["_real_load_chunk"](first, paths)
    resident._kept.clear()
    return loaded


def test_reports_read_again_what_no_worker_kept(tmp_path, monkeypatch, few_files_make_a_pool):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    answers = tmp_path / "answers"
    _portfolio(answers, random.Random(99))
    _reference(answers, tmp_path / "reference", ReportFormat.HTML)
    monkeypatch.setitem(resident.__dict__, "_real_load_chunk", resident._load_chunk)
    monkeypatch.setattr(resident, "_load_chunk", _keep_nothing)
    with api.loading_for_portfolio([answers], CATALOG, jobs=2) as loaded:
        api.write_portfolio_of(tmp_path / "resident", loaded, ReportFormat.HTML, "de", generated=api.report_date())
    assert _files(tmp_path / "resident") == _files(tmp_path / "reference")


def test_a_file_changed_before_it_is_read_again_stops_the_portfolio(tmp_path, monkeypatch, few_files_make_a_pool):
    answers = tmp_path / "answers"
    _portfolio(answers, random.Random(5))
    monkeypatch.setitem(resident.__dict__, "_real_load_chunk", resident._load_chunk)
    monkeypatch.setattr(resident, "_load_chunk", _keep_nothing)
    out = tmp_path / "out"
    with api.loading_for_portfolio([answers], CATALOG, jobs=2) as loaded:
        changed = Path(loaded.resident.files[min(loaded.resident.keys)])
        data = yaml.safe_load(changed.read_text(encoding="utf-8"))
        changed.write_text(yaml.safe_dump({**data, "partnership": "Anderswo"}), encoding="utf-8")
        with pytest.raises(InvalidInputError, match="changed while the reports were written"):
            api.write_portfolio_of(out, loaded, ReportFormat.MD, "de")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("seed", range(4))
def test_a_report_the_disk_refuses_stops_the_resident_portfolio(tmp_path, monkeypatch, few_files_make_a_pool, seed):
    rng = random.Random(seed)
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", rng.choice([1, 3]))
    answers = tmp_path / "answers"
    _portfolio(answers, rng)
    names = api.portfolio_names(api.build_reports(api.load_assessments([answers], CATALOG, jobs=1)), ReportFormat.HTML)
    failing = rng.choice(names)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr("slp_assess.portfolio_writer.os.fsync", fsync_refusing(out, failing))  # before the workers are forked
    with api.loading_for_portfolio([answers], CATALOG, jobs=2) as loaded, pytest.raises(OutputError, match=re.escape(
            f"cannot write {out / failing}: {os.strerror(errno.EIO)}")):
        api.write_portfolio_of(out, loaded, ReportFormat.HTML, "de")
    assert list(out.iterdir()) == []


def _die_loading(first: int, paths: list[str]) -> list:
    if first > 0:
        os._exit(9)  # as the kernel's OOM killer would end it
    return resident.__dict__["_real_load_chunk"](first, paths)


def test_a_worker_dying_while_loading_is_exit_5(tmp_path, monkeypatch, few_files_make_a_pool):
    answers = tmp_path / "answers"
    _portfolio(answers, random.Random(3))
    monkeypatch.setattr("slp_assess.batch.default_jobs", lambda: 2)
    monkeypatch.setitem(resident.__dict__, "_real_load_chunk", resident._load_chunk)
    monkeypatch.setattr(resident, "_load_chunk", _die_loading)
    with pytest.raises(WorkerError), api.loading_for_portfolio([answers], CATALOG):
        pass
    result = runner.invoke(app, ["report", str(answers), "-q", str(QUESTIONNAIRE), "-o", f"{tmp_path / 'out'}/"])
    assert result.exit_code == 5
    assert "worker process died" in result.stderr
    assert not (tmp_path / "out").exists()


def _half_sent_load(first: int, paths: list[str]) -> list:
    if first > 0:
        die_halfway_through_a_result()
    return resident.__dict__["_real_load_chunk"](first, paths)


def _half_sent_share(indexes: list[int]) -> list:
    from slp_assess import portfolio_writer

    if 2 in indexes:
        die_halfway_through_a_result()
    return portfolio_writer.__dict__["_real_write_share"](indexes)


@pytest.mark.parametrize("where", ["loading", "writing", "writing-forked"])
def test_a_worker_killed_while_sending_is_a_worker_error_and_leaves_nothing(tmp_path, monkeypatch, few_files_make_a_pool,
                                                                           bounded, where):
    """Its half-sent result would keep the pool waiting for the rest forever, and the interpreter for the pool."""
    from slp_assess import portfolio_writer

    monkeypatch.setattr("slp_assess.portfolio_writer.POOL_MIN_REPORTS", 2)
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", 1)
    answers = tmp_path / "answers"
    _portfolio(answers, random.Random(8))
    if where == "loading":
        monkeypatch.setitem(resident.__dict__, "_real_load_chunk", resident._load_chunk)
        monkeypatch.setattr(resident, "_load_chunk", _half_sent_load)
    else:
        monkeypatch.setitem(portfolio_writer.__dict__, "_real_write_share", portfolio_writer._write_share)
        monkeypatch.setattr(portfolio_writer, "_write_share", _half_sent_share)
    out = tmp_path / "out"
    before = children(os.getpid())
    with pytest.raises(WorkerError, match="a worker process died"):
        if where == "writing-forked":  # the portfolio writer's own workers, forked after loading here
            api.write_portfolio_of(out, api.load_assessments([answers], CATALOG, jobs=1), ReportFormat.HTML, "de", jobs=2)
        else:
            with api.loading_for_portfolio([answers], CATALOG, jobs=2) as loaded:
                api.write_portfolio_of(out, loaded, ReportFormat.HTML, "de")
    assert not (children(os.getpid()) - before)
    assert not out.exists() or list(out.iterdir()) == []


def test_the_command_writes_the_resident_portfolio(tmp_path, monkeypatch, few_files_make_a_pool):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    monkeypatch.setattr("slp_assess.batch.default_jobs", lambda: 2)
    answers = tmp_path / "answers"
    _portfolio(answers, random.Random(11))
    reference = _reference(answers, tmp_path / "reference", ReportFormat.HTML)
    result = runner.invoke(app, ["report", str(answers), "-q", str(QUESTIONNAIRE), "--format", "html", "-o", f"{tmp_path / 'out'}/"])
    assert result.exit_code == 2  # the invalid files are left out, and named
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) >= len(reference.invalid)
    assert _files(tmp_path / "out") == _files(tmp_path / "reference")


def test_the_command_writes_the_resident_portfolio_beside_an_earlier_assessment(tmp_path, monkeypatch, few_files_make_a_pool):
    """``--previous``: the earlier reports travel to the workers with the job, and show as the reference shows them."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    monkeypatch.setattr("slp_assess.batch.default_jobs", lambda: 2)
    rng = random.Random(21)
    answers = tmp_path / "answers"
    _portfolio(answers, rng)
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    write_answers(earlier, rng, [api.partnerships(api.load_assessments([answers], CATALOG, jobs=1))[1]])
    loaded = api.load_assessments([answers], CATALOG, jobs=1)
    previous = api.build_reports(api.load_assessments([earlier], CATALOG, jobs=1), generated=api.report_date())
    reports = api.build_reports(loaded, generated=api.report_date(), earlier=previous)
    assert any(r.previous for r in reports)
    api.write_portfolio(tmp_path / "reference", reports, ReportFormat.HTML, "de", generated=api.report_date())
    result = runner.invoke(app, ["report", str(answers), "-q", str(QUESTIONNAIRE), "--format", "html", "--previous", str(earlier),
                                 "-o", f"{tmp_path / 'out'}/"])
    assert result.exit_code == 2, result.stderr
    assert _files(tmp_path / "out") == _files(tmp_path / "reference")


def test_resident_assessments_cannot_be_built_here(tmp_path, few_files_make_a_pool):
    answers = tmp_path / "answers"
    _portfolio(answers, random.Random(1))
    with api.loading_for_portfolio([answers], CATALOG, jobs=2) as loaded, pytest.raises(ValueError, match="write_portfolio_of"):
        api.build_reports(loaded)


_problems = st.lists(st.builds(Problem, file=st.text(min_size=1), line=st.none() | st.integers(1, 10**6), message=st.text(),
                               hint=st.text(), location=st.text()), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(problems=_problems, language=st.sampled_from([None, "de", "en"]))
def test_an_invalid_file_error_crosses_processes_whole(problems, language):
    """A worker's InvalidInputError reaches the main process pickled: the same problems, message and language."""
    error = InvalidInputError(problems)
    if language:
        error.in_language(language)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is InvalidInputError
    assert (again.problems, str(again), again.language, again.exit_code) == (problems, str(error), language, error.exit_code)


@given(count=st.integers(0, 60), size=st.integers(1, 12))
def test_a_workers_reports_are_cut_into_shares_each_report_once_the_last_ones_single(count, size):
    reports = list(range(100, 100 + count))
    shares = list(resident._cut(reports, size))
    assert [n for share in shares for n in share] == reports
    assert all(1 <= len(share) <= size for share in shares)
    assert all(len(share) == 1 for share in shares[-size:])


def _recording_fsync(out: Path, events: list[tuple[str, bool]]):
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        written = Path(f"/proc/self/fd/{fd}").readlink()
        if written.parent == out and written.name.endswith(".tmp"):
            # Which report, and whether any report had already been renamed into place by then.
            events.append((written.name[1:].rsplit(".", 2)[0], any(not p.name.startswith(".") for p in out.iterdir())))
        real_fsync(fd)

    return fsync


@pytest.mark.parametrize("way", ["resident", "forked", "in-process"])
def test_every_report_is_on_disk_before_any_is_renamed_into_place(tmp_path, monkeypatch, few_files_make_a_pool, way):
    """The workers write without waiting for the disk; this process syncs each file before the first rename."""
    rng = random.Random(5)
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", 2)
    monkeypatch.setattr("slp_assess.portfolio_writer.POOL_MIN_REPORTS", 2)
    answers = tmp_path / "answers"
    _portfolio(answers, rng)
    out = tmp_path / "out"
    out.mkdir()
    events: list[tuple[str, bool]] = []
    monkeypatch.setattr("slp_assess.portfolio_writer.os.fsync", _recording_fsync(out, events))
    if way == "resident":
        with api.loading_for_portfolio([answers], CATALOG, jobs=2) as loaded:
            written = api.write_portfolio_of(out, loaded, ReportFormat.HTML, "de")
    else:
        loaded = api.load_assessments([answers], CATALOG, jobs=1)
        written = api.write_portfolio_of(out, loaded, ReportFormat.HTML, "de", jobs=2 if way == "forked" else 1)
    assert sorted(name for name, _ in events) == sorted(p.name for p in written)  # every file once, in this process
    assert not any(renamed for _, renamed in events)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
