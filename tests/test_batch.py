"""Batch scoring: the fast path equals the reference path; --jobs changes speed, never output."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slp_assess.batch import POOL_MIN_FILES, chunk_size, score_file, score_files, score_files_parallel
from slp_assess.fastscore import Fallback, load_yaml_data
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.yamlio import parse_yaml

REPO = Path(__file__).resolve().parents[1]
CORE = Path(__file__).parent / "fixtures" / "core"


def _answer_text(catalog: QuestionnaireCatalog, qid: str, rng: random.Random, broken: bool = False) -> str:
    q = catalog.get(qid)
    assert q is not None
    answers: dict[str, object] = {}
    for _, item in q.items():
        roll = rng.random()
        if roll < 0.1:
            continue
        keys = [o.key for o in q.scales[item.scale].options] + ([] if item.required else ["n/a"])
        value: object = rng.choice(keys)
        if value.isdigit() and roll < 0.3:  # type: ignore[union-attr]
            value = int(value)  # type: ignore[arg-type]  # hand-written YAML: unquoted numbers
        answers[item.id] = {"value": value, "note": "Notiz: ja"} if roll > 0.8 else value
    data = {
        "questionnaire": q.id, "version": q.version, "partnership": "P", "date": "2026-03-18",
        "respondent": {"name": "Anna", "role": rng.choice(["stadt", "land"])}, "answers": answers,
    }
    if broken:
        first = next(iter(answers), None)
        if first:
            answers[first] = "99"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace("date: '2026-03-18'", "date: 2026-03-18")


@pytest.fixture(scope="module")
def catalog() -> QuestionnaireCatalog:
    return QuestionnaireCatalog.with_files([CORE / "mini.yaml"])


def _records(files: list[Path], catalog: QuestionnaireCatalog) -> list[dict[str, object]]:
    return [r.model_dump() for r in score_files(files, catalog)]


def test_fast_path_equals_reference_on_fixtures_and_examples(catalog):
    files = sorted(CORE.glob("*.yaml")) + sorted((REPO / "examples").rglob("*.yaml"))
    assert _records(files, catalog) == [score_file(f, catalog).model_dump() for f in files]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), broken=st.booleans())
def test_fast_path_equals_reference_on_random_answers(tmp_path_factory, seed, broken):
    catalog = QuestionnaireCatalog.with_files([CORE / "mini.yaml"])
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("answers")
    files = []
    for index, qid in enumerate(["mini", *catalog.known_ids()]):
        path = folder / f"{index}.yaml"
        path.write_text(_answer_text(catalog, qid, rng, broken and index % 2 == 0), encoding="utf-8")
        files.append(path)
    assert _records(files, catalog) == [score_file(f, catalog).model_dump() for f in files]


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: on\nc: True\nd: ~\ne: 1.5\nf: 0x1F\ng: 2026-03-18\nh: '4'\ni: [1, two]\nj: {k: null}\nk: ''\n",
        "n: .inf\nm: -1_000\nt: 2026-03-18T10:00:00Z\n",
        "",
        "just text\n",
    ],
)
def test_fast_yaml_loader_matches_strict_loader(text):
    expected = parse_yaml(text, "f").data
    try:
        assert load_yaml_data(text) == expected
    except Fallback:
        assert expected is None or text == ""


@pytest.mark.parametrize(
    "text", ["a: 1\na: 2\n", "a: !!binary aGk=\n", "<<: {a: 1}\n", "a: [\n", "--- 1\n--- 2\n", "a: &x {b: 1}\nc: *x\n"]
)
def test_fast_yaml_loader_declines_what_the_reference_must_decide(text):
    with pytest.raises(Fallback):
        load_yaml_data(text)


def _batch_folder(tmp_path: Path, catalog: QuestionnaireCatalog, count: int) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    rng = random.Random(7)
    for index in range(count):
        (folder / f"{index:03d}.yaml").write_text(_answer_text(catalog, "mini", rng), encoding="utf-8")
    shutil.copy(CORE / "bad-answers.yaml", folder / "027-bad.yaml")
    (folder / "031-broken.yaml").write_text("answers: [\n", encoding="utf-8")
    return folder


def _slp(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "slp_assess", *args], capture_output=True, check=False)


@pytest.mark.parametrize("output_format", ["jsonl", "json", "csv"])
def test_jobs_change_nothing_but_speed(tmp_path, catalog, output_format):
    folder = _batch_folder(tmp_path, catalog, POOL_MIN_FILES + 10)
    common = ["score", str(folder), "-q", str(CORE / "mini.yaml"), "--format", output_format]
    one = _slp(*common, "--jobs", "1")
    two = _slp(*common, "--jobs", "2")
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    assert b"027-bad.yaml:6: " in two.stderr and b"031-broken.yaml:" in two.stderr
    if output_format == "jsonl":
        names = [yaml.safe_load(line)["file"].rsplit("/", 1)[1] for line in two.stdout.decode().splitlines()]
        assert names == sorted(p.name for p in folder.iterdir())


def test_parallel_records_stream_in_input_order(tmp_path, catalog):
    folder = _batch_folder(tmp_path, catalog, 120)
    files = sorted(folder.iterdir())
    done: list[int] = []
    records = score_files_parallel(files, [CORE / "mini.yaml"], 2, on_done=done.append)
    assert [r.file for r in records] == [str(f) for f in files]
    assert sum(done) == len(files) and len(done) > 1


def test_small_batches_and_one_job_stay_in_process(catalog, monkeypatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_context", lambda *a: pytest.fail("no pool expected"))
    files = [CORE / "answers-city.yaml"] * (POOL_MIN_FILES - 1)
    assert len(list(score_files_parallel(files, [CORE / "mini.yaml"], 4, catalog))) == POOL_MIN_FILES - 1
    assert len(list(score_files_parallel(files * 2, [CORE / "mini.yaml"], 1, catalog))) == 2 * len(files)


def test_chunk_size_bounds():
    assert chunk_size(60, 2) == 4
    assert chunk_size(10_000, 2) == 64
    assert 4 <= chunk_size(1_000, 8) <= 64


def test_benchmark_script_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_score.py"), "--files", "20", "--startup-runs", "1",
         "--keep", str(tmp_path / "files"), "--json"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    import json

    figures = json.loads(result.stdout)
    assert figures["files"] == 20 and figures["score_s"] > 0 and figures["peak_rss_single_mib"] > 0
    assert len(list((tmp_path / "files").rglob("*.yaml"))) == 20


def test_scale_benchmark_script_runs(tmp_path):
    """bench_scale.py (run by hand) still works: repeated timing runs, a sampled memory run, both ratios."""
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_scale.py"), "--files", "12", "--only", "portfolio", "groupby",
         "--repeat", "2", "--work", str(tmp_path), "--json", str(tmp_path / "figures.json")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    import json

    rows = {row["target"]: row for row in json.loads((tmp_path / "figures.json").read_text())["rows"]}
    portfolio = rows["report 2 x 6 (portfolio)"]
    assert portfolio["s"] <= portfolio["median_s"] and portfolio["ratio"] == portfolio["s"] / portfolio["parse_s"]
    assert portfolio["rss_mib"] > 0 and portfolio["cpu_s"] > 0
    assert rows["score --group-by partnership"]["vs_score"] > 0
    assert len(list((tmp_path / "portfolio-out").glob("*.html"))) == 3  # two reports and the index
