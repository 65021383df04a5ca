"""The fast path (workers, compact records) and the reference path give the same bytes, for every command.

A seeded generator writes a folder of answer files of the bundled questionnaire: several partnerships
interleaved, every side, every phase, notes with markup and formula characters, n/a and unanswered
items, block and flow style, CRLF and BOM, and some invalid files. Each command then runs twice:

* fast: as shipped, with worker processes (the folder has more than ``POOL_MIN_FILES`` files);
* reference: in this process with the fast reader switched off, so every file is read by
  ``loading.load_answer_file`` (and ``--group-by`` and reports get nothing compact).

Both runs must write the same bytes to standard output and the same files.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from slp_assess import api, fastscore
from slp_assess.aggregate import Assessment, assessment_of
from slp_assess.api import Loaded
from slp_assess.batch import POOL_MIN_FILES, collect_files, error_record
from slp_assess.cli.app import app
from slp_assess.errors import InvalidInputError
from slp_assess.fastscore import Fallback
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.results import FileError
from slp_assess.output import CsvDialect, ScoreFormatChoice
from slp_assess.output.interface import Record
from slp_assess.portfolio import group_assessments, partnership_score
from slp_assess.report import ReportFormat

runner = CliRunner()
SIDES = ["stadt", "landkreis", "gemeinde", "land", "other", "Sonstige", "Stadt"]
NOTES = ["Im Lenkungskreis besprochen.", "=SUMME(A1:A9)", "<b>fett</b> & [link](x)", "- erst später", "Zeile 1\nZeile 2"]
PARTNERSHIPS = ["Lindenau", "Ahrbach-Tal", "=Elbe", "Nord <Heide>", "Einzel"]


def _answer_file(rng: random.Random, index: int) -> str:
    q = QuestionnaireCatalog().get("slp-readiness")
    assert q is not None and q.phases is not None
    answers: dict[str, object] = {}
    for _, item in q.items():
        roll = rng.random()
        if roll < 0.06:
            continue
        keys = [o.key for o in q.scales[item.scale].options]
        # Skewed low now and then, so that critical items block for some sides.
        value: object = "n/a" if roll < 0.12 and not item.required else keys[0] if roll > 0.9 else rng.choice(keys)
        if rng.random() < 0.1 and isinstance(value, str) and value.isdigit():
            value = int(value)
        answers[item.id] = {"value": value, "note": rng.choice(NOTES)} if rng.random() < 0.12 else value
    context: dict[str, object] = {}
    if rng.random() < 0.85:
        context["context.phase"] = rng.choice(q.phases.order)
    context["context.barriers"] = rng.sample(["konkurrenz_einwohner", "ungleiche_kraft", "haushaltssicherung"], k=rng.randint(0, 2))
    if rng.random() < 0.5:
        context["context.partners"] = rng.choice(NOTES)
    # One partnership has a single respondent; the others share the rest.
    partnership = PARTNERSHIPS[-1] if index == 7 else rng.choice(PARTNERSHIPS[:-1])
    data: dict[str, object] = {
        "questionnaire": q.id, "version": q.version, "partnership": partnership,
        "respondent": {"name": f"Person {index}", "organisation": rng.choice(["Stadt Lindenau", None, "+Kreis"]),
                       "role": rng.choice(SIDES)},
        "answers": answers, "context": context,
    }
    if rng.random() < 0.8:
        data["date"] = f"2026-0{1 + index % 9}-{10 + index % 18}"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=rng.random() < 0.15, width=90)
    text = text.replace("date: '", "date: ").replace("'\nanswers", "\nanswers").replace("'\n  answers", "\n  answers")
    if index % 23 == 5:
        text = text.replace("answers:", "answers:\n  no.such.item: '1'", 1)
    if index % 29 == 11:
        text = text.replace(f"version: '{q.version}'", "version: '9.9'")
    if index % 17 == 3:
        text = text.replace("\n", "\r\n")
    if index % 19 == 4:
        text = "\ufeff" + text
    return text


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("portfolio")
    rng = random.Random(20261127)
    count = POOL_MIN_FILES + 40
    for index in range(count):
        sub = root / f"group-{index % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"answers-{index:03d}.yaml").write_text(_answer_file(rng, index), encoding="utf-8", newline="")
    return root


def _reader_off(monkeypatch) -> None:
    """Every file through ``loading.load_answer_file`` inside the new pipeline (workers, compact records)."""

    def decline(*args: object, **kwargs: object) -> None:
        raise Fallback("the reference path is being tested")

    monkeypatch.setattr(fastscore, "fast_answers", decline)
    monkeypatch.setattr("slp_assess.batch.default_jobs", lambda: 1)


def _run(args: list[str]) -> tuple[int, bytes]:
    result = runner.invoke(app, args, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the reference: the functions slp used before workers, compact records and the fast reader ---


def _reference_assessments(folder: Path) -> tuple[list[Assessment | FileError], Loaded]:
    catalog = QuestionnaireCatalog()
    outcomes: list[Assessment | FileError] = []
    loaded = Loaded()
    for path in collect_files([folder]):
        try:
            answers, questionnaire = load_answer_file(path, catalog)
        except InvalidInputError as exc:
            outcomes.append(error_record(str(path), exc))
            loaded.invalid.append(exc)
            continue
        assessment = assessment_of(answers, questionnaire, str(path))
        outcomes.append(assessment)
        loaded.assessments.append(assessment)
        loaded.questionnaires[f"{questionnaire.id}@{questionnaire.version}"] = questionnaire
    return outcomes, loaded


def _reference_score(folder: Path, name: str) -> bytes:
    catalog = QuestionnaireCatalog()
    outcomes, loaded = _reference_assessments(folder)
    records: list[Record] = [o if isinstance(o, FileError) else o.result for o in outcomes]
    if "--group-by" in name:
        records = [r for r in records if isinstance(r, FileError)]
        for (partnership, qid, version), group in group_assessments(loaded.assessments).items():
            records.append(partnership_score(loaded.questionnaires[f"{qid}@{version}"], partnership, group))
    fmt = ScoreFormatChoice.CSV if "csv" in name else ScoreFormatChoice.JSON
    formatter = fmt.to_format("de", catalog, csv_dialect=CsvDialect.EXCEL_DE if "excel-de" in name else None)
    out = io.StringIO(newline="")
    formatter.write(records, out)
    return out.getvalue().encode()


COMMANDS = {
    "score json": ["score", "{dir}", "--format", "json"],
    "score csv": ["score", "{dir}", "--format", "csv"],
    "score csv excel-de": ["score", "{dir}", "--format", "csv", "--csv-dialect", "excel-de"],
    "score --group-by json": ["score", "{dir}", "--group-by", "partnership", "--format", "json"],
    "score --group-by csv": ["score", "{dir}", "--group-by", "partnership", "--format", "csv"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_score_is_the_same_on_every_path(folder, monkeypatch, name):
    args = [a.replace("{dir}", str(folder)) for a in COMMANDS[name]]
    fast = _run([*args, "--jobs", "2"])
    reference = _reference_score(folder, name)
    assert fast[0] == 2  # the generated invalid files
    assert fast[1] == reference
    _reader_off(monkeypatch)
    assert _run([*args, "--jobs", "1"]) == fast


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_portfolio_reports_are_the_same_on_every_path(folder, tmp_path, monkeypatch, fmt):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    # Workers build and render even these few partnerships, one each per task.
    monkeypatch.setattr("slp_assess.portfolio_writer.POOL_MIN_REPORTS", 2)
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", 1)
    # The workers that load the files write the reports (api.loading_for_portfolio), on any machine.
    monkeypatch.setattr("slp_assess.batch.default_jobs", lambda: 2)
    fast = _run(["report", str(folder), "--format", fmt, "-o", f"{tmp_path / 'fast'}/"])
    assert fast[0] == 2
    written = _files(tmp_path / "fast")
    assert len(written) >= len(PARTNERSHIPS) + 2  # the reports and the index

    _, loaded = _reference_assessments(folder)
    reports = api.build_reports(loaded, generated=api.report_date())
    api.write_portfolio(tmp_path / "reference", reports, ReportFormat(fmt), "de", generated=api.report_date())
    assert written == _files(tmp_path / "reference")

    _reader_off(monkeypatch)
    assert _run(["report", str(folder), "--format", fmt, "-o", f"{tmp_path / 'reader-off'}/"])[0] == 2
    assert written == _files(tmp_path / "reader-off")


def test_one_partnership_report_is_the_same_on_every_path(folder, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    lindenau = sorted(p for p in folder.rglob("*.yaml") if "partnership: Lindenau" in p.read_text(encoding="utf-8-sig"))
    assert len(lindenau) > 5
    fast = _run(["report", *map(str, lindenau), "--format", "html"])
    assert fast[0] in (0, 2) and fast[1].startswith(b"<!DOCTYPE html>")
    loaded = Loaded()
    for path in lindenau:
        try:
            answers, questionnaire = load_answer_file(path, QuestionnaireCatalog())
        except InvalidInputError:
            continue
        loaded.assessments.append(assessment_of(answers, questionnaire, str(path)))
        loaded.questionnaires[f"{questionnaire.id}@{questionnaire.version}"] = questionnaire
    [report] = api.build_reports(loaded, generated=api.report_date())
    assert fast[1] == api.render_reports([report], ReportFormat.HTML, "de")[0].encode()
    _reader_off(monkeypatch)
    assert _run(["report", *map(str, lindenau), "--format", "html"]) == fast


def test_a_template_error_in_a_worker_leaves_no_half_portfolio(folder, tmp_path, monkeypatch):
    monkeypatch.setattr("slp_assess.batch.default_jobs", lambda: 2)
    monkeypatch.setattr("slp_assess.portfolio_writer.POOL_MIN_REPORTS", 2)
    monkeypatch.setattr("slp_assess.portfolio_writer.REPORTS_PER_TASK", 1)
    templates = tmp_path / "templates"
    templates.mkdir()
    # Fails for one partnership only, after the others' reports were written by the workers.
    (templates / "report.html.j2").write_text('{% if report.meta.partnership == "Ahrbach-Tal" %}{{ 1 / 0 }}{% endif %}ok\n')
    out = tmp_path / "out"
    (out / "keep.txt").parent.mkdir()
    (out / "keep.txt").write_text("untouched")
    result = runner.invoke(app, ["report", str(folder), "--format", "html", "--template-dir", str(templates), "-o", f"{out}/"])
    assert result.exit_code == 3
    assert "division by zero" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def _die_on_the_third_share(indexes: list[int]) -> list[tuple[int, str, dict]]:
    import os

    from slp_assess import portfolio_writer

    if 2 in indexes:
        os._exit(9)  # as the kernel's OOM killer would end it
    return portfolio_writer.__dict__["_real_write_share"](indexes)


def test_a_dead_portfolio_worker_is_exit_5_and_leaves_nothing(folder, tmp_path, monkeypatch):
    from slp_assess import portfolio_writer

    monkeypatch.setattr(portfolio_writer, "POOL_MIN_REPORTS", 2)
    monkeypatch.setattr(portfolio_writer, "REPORTS_PER_TASK", 1)
    monkeypatch.setitem(portfolio_writer.__dict__, "_real_write_share", portfolio_writer._write_share)
    monkeypatch.setattr(portfolio_writer, "_write_share", _die_on_the_third_share)
    monkeypatch.setattr("slp_assess.batch.default_jobs", lambda: 2)
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(folder), "--format", "html", "-o", f"{out}/"])
    assert result.exit_code == 5
    assert "worker process died" in result.stderr
    assert list(out.iterdir()) == []
