"""The start-up caches (checked questionnaires, compiled templates) and streaming output.

A cache may only save time: what is read from it equals what reading the source gives, an edited
source is read again, a damaged or foreign entry is ignored, and user templates are never cached.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from slp_assess import api, cache
from slp_assess.batch import Mode, collect_file_names, score_files
from slp_assess.loading import QuestionnaireCatalog, load_questionnaire_file
from slp_assess.models.results import ScoreResult
from slp_assess.output.csvfmt import CsvFormat
from slp_assess.output.jsonfmt import JsonLinesFormat
from slp_assess.portfolio import group_by_partnership
from slp_assess.report import ReportFormat
from slp_assess.report.environment import build_environment
from slp_assess.resources import bundled_questionnaires

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
LINDENAU = REPO / "examples" / "lindenau"


@pytest.fixture
def cache_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SLP_CACHE_DIR", str(folder))
    return folder


QUESTIONNAIRES = [*bundled_questionnaires().values(), *sorted(FIXTURES.rglob("*questionnaire*.yaml")), FIXTURES / "core" / "mini.yaml"]


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.name)
def test_a_cached_questionnaire_equals_the_one_read(cache_folder, path):
    try:
        fresh = load_questionnaire_file(path)
    except Exception:  # noqa: BLE001 - fixtures of invalid questionnaires are never cached
        assert not list(cache_folder.rglob("*.json"))
        return
    assert len(list((cache_folder / "questionnaires").glob("*.json"))) == 1
    cached = load_questionnaire_file(path)
    assert cached is not fresh and cached == fresh
    assert cached.model_dump() == fresh.model_dump()


def test_an_edited_questionnaire_is_read_again(cache_folder, tmp_path):
    path = tmp_path / "mini.yaml"
    text = (FIXTURES / "core" / "mini.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = load_questionnaire_file(path)
    assert 'version: "1.0"' in text
    path.write_text(text.replace('version: "1.0"', 'version: "7.1"', 1), encoding="utf-8")
    assert load_questionnaire_file(path).version == "7.1"
    path.write_text(text, encoding="utf-8")
    assert load_questionnaire_file(path) == first
    assert len(list((cache_folder / "questionnaires").glob("*.json"))) == 2


def test_a_damaged_entry_is_ignored_and_replaced(cache_folder):
    path = FIXTURES / "core" / "mini.yaml"
    fresh = load_questionnaire_file(path)
    [entry] = (cache_folder / "questionnaires").glob("*.json")
    entry.write_text('{"id": "broken"', encoding="utf-8")
    assert load_questionnaire_file(path) == fresh
    assert load_questionnaire_file(path) == fresh


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("SLP_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    load_questionnaire_file(FIXTURES / "core" / "mini.yaml")
    assert build_environment("html", "de").bytecode_cache is None
    assert not list(tmp_path.rglob("*"))


def test_another_users_cache_folder_is_not_used(cache_folder, monkeypatch):
    (cache_folder / "questionnaires").mkdir(parents=True)
    monkeypatch.setattr(os, "geteuid", lambda: cache_folder.stat().st_uid + 1)
    assert cache.cache_dir("questionnaires") is None


def test_compiled_templates_render_the_same_bytes(cache_folder, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    loaded = api.load_assessments([LINDENAU], QuestionnaireCatalog())
    reports = api.build_reports(loaded, lang="en", generated=api.report_date())
    for fmt in (ReportFormat.HTML, ReportFormat.MD):
        compiling = api.render_reports(reports, fmt, "en")
        assert list(cache_folder.glob(f"templates-{fmt.value}-*/*"))
        cached = api.render_reports(reports, fmt, "en")
        monkeypatch.setenv("SLP_CACHE_DIR", "off")
        uncached = api.render_reports(reports, fmt, "en")
        monkeypatch.setenv("SLP_CACHE_DIR", str(cache_folder))
        assert compiling == cached == uncached


def test_user_templates_are_never_cached(cache_folder, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    env = build_environment("html", "de", templates)
    assert env.bytecode_cache is None
    assert build_environment("html", "de").bytecode_cache is not None


def _records_watching(stream: io.StringIO, seen: list[int]) -> Iterator[ScoreResult]:
    for record in score_files(sorted(LINDENAU.glob("*.yaml")), QuestionnaireCatalog()):
        seen.append(stream.getvalue().count("\n"))  # lines written before this record was handed over
        yield record  # type: ignore[misc]


@pytest.mark.parametrize("formatter", [CsvFormat(factor_ids=["discovery.goals"]), JsonLinesFormat()], ids=["csv", "jsonl"])
def test_rows_are_written_as_records_arrive(formatter):
    stream, seen = io.StringIO(), []
    formatter.write(_records_watching(stream, seen), stream)
    header = 1 if isinstance(formatter, CsvFormat) else 0
    assert seen == [header + n for n in range(len(seen))]


def test_group_by_reads_no_file_twice(tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    for path in LINDENAU.glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    catalog = QuestionnaireCatalog()
    tallies = list(score_files(sorted(folder.glob("*.yaml")), catalog, mode=Mode.TALLY))
    for path in folder.glob("*.yaml"):
        path.unlink()  # aggregation must work from what the workers sent back
    [row] = list(group_by_partnership(tallies, catalog.get))
    assert row.respondents == len(tallies)
    # Compact: a few hundred bytes per file, not the answers.
    assert all(len(t.codes) == len(catalog.get(t.questionnaire, t.version).item_index()) for t in tallies)


def test_loading_and_building_leave_no_reference_cycles():
    """What ``collector.loading_many_objects`` relies on: what it freezes is freed by reference counting."""
    import gc

    folders = [LINDENAU, REPO / "examples" / "lindenau-2025"]
    api.build_reports(api.load_assessments(folders, QuestionnaireCatalog()))  # imports and caches made
    enabled = gc.isenabled()
    gc.unfreeze()
    gc.collect()
    gc.disable()
    try:
        loaded = api.load_assessments(folders, QuestionnaireCatalog(), jobs=1)
        gc.unfreeze()
        api.build_reports(loaded, lang="en")
        del loaded
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


@pytest.mark.parametrize("seed", range(5))
def test_file_names_are_listed_as_paths_would_be(tmp_path, monkeypatch, seed):
    """``collect_file_names`` (text, for the workers' sake) lists and orders files exactly as ``Path`` does."""
    import random

    rng = random.Random(seed)
    monkeypatch.chdir(tmp_path)
    folders = ["a", "B", "a b", "ä", "x.y", "Z9", "-", "_"]
    for _ in range(30):
        folder = Path("tree", *rng.sample(folders, rng.randint(0, 3)))
        folder.mkdir(parents=True, exist_ok=True)
        # Files are named "f…" and folders are not, so a name is never both.
        (folder / f"f{rng.choice(folders)}{rng.choice(['.yaml', '.yml', '.txt', ''])}").write_text("x: 1\n")
    for root in ["tree", "./tree", "tree/", "tree/.", ".", str(tmp_path / "tree"), "tree//a", "./tree/./B"]:
        if not Path(root).is_dir():
            continue
        found = [Path(folder, name) for folder, _, files in os.walk(Path(root)) for name in files if name.endswith((".yaml", ".yml"))]
        assert collect_file_names([Path(root)]) == [str(p) for p in sorted(found)]


@pytest.mark.parametrize("seed", range(8))
def test_the_order_and_repetition_of_the_arguments_change_no_output(tmp_path, monkeypatch, seed):
    """The same files however given (any order, twice, ./-spelt, inside a folder given too): the same bytes.

    Before, the arguments' order decided the respondents' order, and so who became "Person 1" of an
    anonymized report; a file given twice was counted as two respondents.
    """
    import random

    from typer.testing import CliRunner

    from slp_assess.cli import app, load_commands

    load_commands()
    rng = random.Random(seed)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(LINDENAU, "in")
    files = sorted(f"in/{p.name}" for p in LINDENAU.glob("*.yaml"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1774000000")

    def outputs(arguments: list[str]) -> list[bytes]:
        runner = CliRunner()
        done = [runner.invoke(app, ["report", *arguments, "--anonymize", "--format", fmt]) for fmt in ("json", "md")]
        done.append(runner.invoke(app, ["score", *arguments, "--format", "jsonl", "--group-by", "partnership"]))
        assert all(r.exit_code == 0 for r in done), [r.output for r in done]
        return [r.stdout_bytes for r in done]

    expected = outputs(files)
    assert json.loads(expected[0])["respondent_count"] == len(files)
    given = rng.sample(files, len(files)) + rng.sample(files, rng.randint(0, 3))
    given = [f"./{name}" if rng.random() < 0.3 else name for name in given]
    if rng.random() < 0.5:
        given.insert(rng.randint(0, len(given)), "in")
    assert outputs(rng.sample(given, len(given))) == expected


@pytest.mark.parametrize("seed", range(4))
def test_white_space_around_a_partnership_name_makes_no_second_partnership(tmp_path, monkeypatch, seed):
    """" Lindenau" typed into one file of a partnership's files: one partnership, one report, one row."""
    import random

    from typer.testing import CliRunner

    from slp_assess.cli import app, load_commands

    load_commands()
    rng = random.Random(seed)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(LINDENAU, "in")
    name = yaml.safe_load((LINDENAU / "andrea-vogt.yaml").read_text(encoding="utf-8"))["partnership"]
    padded = [p for p in sorted(Path("in").glob("*.yaml")) if rng.random() < 0.5] or [Path("in/andrea-vogt.yaml")]
    for path in padded:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spaced = name.replace(" ", rng.choice([" ", "  ", "\t", " \u00a0"]))
        data["partnership"] = rng.choice(["", " ", "\t", "\n "]) + spaced + rng.choice(["", " ", "  \n"])
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    grouped = runner.invoke(app, ["score", "in", "--format", "jsonl", "--group-by", "partnership", "--jobs", "1"])
    assert grouped.exit_code == 0, grouped.output
    rows = [json.loads(line) for line in grouped.stdout.splitlines()]
    assert [r["partnership"] for r in rows] == [name]
    portfolio = runner.invoke(app, ["report", "in", "--format", "md", "-o", "out/"])
    assert portfolio.exit_code == 0, portfolio.output
    assert len([p for p in Path("out").iterdir() if not p.name.startswith("index")]) == 1


def test_changed_checking_code_never_meets_an_old_entry(cache_folder, monkeypatch):
    """While developing, a new check must apply at once, under the same version number."""
    path = FIXTURES / "core" / "mini.yaml"
    load_questionnaire_file(path)
    monkeypatch.setattr(cache, "_QUESTIONNAIRE_CODE", (*cache._QUESTIONNAIRE_CODE, "atomic"))  # as if the code changed
    seen = []
    monkeypatch.setattr("slp_assess.loading.check_questionnaire", lambda q, doc: seen.append(q.id) or [])
    load_questionnaire_file(path)
    assert len(seen) == 1  # checked again, not taken from the cache
    assert len(list((cache_folder / "questionnaires").glob("*.json"))) == 2


@pytest.mark.parametrize("enabled", [True, False])
def test_collected_afterwards_frees_the_cycles_of_its_block_and_restores_the_collector(enabled):
    """What the portfolio workers rely on after each report: its reference cycles are gone when the block ends."""
    import gc
    import weakref

    from slp_assess.collector import collected_afterwards

    class Node:
        pass

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collected_afterwards():
            assert not gc.isenabled()
            node = Node()
            node.me = node  # a cycle: reference counting alone never frees it
            alive = weakref.ref(node)
            del node
            assert alive() is not None
        assert alive() is None
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("fmt", [ReportFormat.HTML, ReportFormat.PDF])
def test_rendering_an_html_report_leaves_no_reference_cycles(fmt):
    """Each portfolio worker collects after every report; without cycles that pass finds nothing to walk.

    The bundled HTML templates print their markers, keys and badges through ``report.inline`` instead
    of macros imported "with context", whose context and macros referred to each other. (The Markdown
    report still defines two small macros of its own, and leaves their cycle to that collection.)
    """
    loaded = api.load_assessments([LINDENAU, REPO / "examples" / "lindenau-2025"], QuestionnaireCatalog(), jobs=1)
    assert_rendered_without_cycles(fmt.to_renderer("de", None), api.build_reports(loaded, lang="de"))


def assert_rendered_without_cycles(renderer, reports) -> None:
    """Rendering ``reports`` (after a first render, which compiles the templates and fills caches) leaves no
    garbage that only the cyclic collector could free."""
    import gc

    renderer.render(reports[0])
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for report in reports:
            assert renderer.render(report)
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_an_umlaut_written_decomposed_makes_no_second_partnership(tmp_path, monkeypatch):
    """ "Rhön" with "o" and a combining diaeresis in some files (macOS, some web forms): one partnership, as it looks."""
    import unicodedata

    from typer.testing import CliRunner

    from slp_assess.cli import app, load_commands

    load_commands()
    monkeypatch.chdir(tmp_path)
    shutil.copytree(LINDENAU, "in")
    name = "Partnerschaft Rhön-Grabfeld Süd"
    for n, path in enumerate(sorted(Path("in").glob("*.yaml"))):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["partnership"] = unicodedata.normalize("NFD" if n % 2 else "NFC", name)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    for jobs in ("1", "2"):
        grouped = runner.invoke(app, ["score", "in", "--format", "jsonl", "--group-by", "partnership", "--jobs", jobs])
        assert grouped.exit_code == 0, grouped.output
        assert [json.loads(line)["partnership"] for line in grouped.stdout.splitlines()] == [name]
    portfolio = runner.invoke(app, ["report", "in", "--format", "md", "-o", "out/"])
    assert portfolio.exit_code == 0, portfolio.output
    assert "fast gleich" not in portfolio.stderr
    assert [p.name for p in Path("out").iterdir() if not p.name.startswith("index")] == ["partnerschaft-rhoen-grabfeld-sued.md"]
