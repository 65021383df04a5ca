"""`slp report`, `slp compare` and `slp score --group-by partnership` through the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "report"
LINDENAU = Path(__file__).resolve().parents[1] / "examples" / "lindenau"
Q = ["-q", str(FIXTURES / "questionnaire.yaml")]
PORTFOLIO = [str(FIXTURES / "elbtal"), str(FIXTURES / "nordheide")]
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [*args, *Q], env={"SOURCE_DATE_EPOCH": "1775001600"})


def test_portfolio_writes_one_report_per_partnership_and_an_index(tmp_path):
    out = tmp_path / "berichte"
    result = run("report", *PORTFOLIO, "-o", str(out), "--format", "html")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html", "index.md", "partnerschaft-nordheide.html", "stadt-land-partnerschaft-elbtal.html",
    ]
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "[Stadt-Land-Partnerschaft Elbtal](stadt-land-partnerschaft-elbtal.html) | 4 (2 Stadt, 2 ländlich (ohne Angabe)) | 55,2" in index
    assert "Augenhöhe (40,6)" in index and "Augenhöhe (56,3) ⚠" in index
    assert 'href="partnerschaft-nordheide.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_several_partnerships_into_one_file_is_a_usage_error(tmp_path):
    result = run("report", *PORTFOLIO, "-o", str(tmp_path / "report.md"))
    assert result.exit_code == 3
    assert "2 partnerships" in result.stderr and "-o FOLDER" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_invalid_files_are_reported_and_the_valid_ones_still_written(tmp_path):
    folder = tmp_path / "answers"
    shutil.copytree(FIXTURES / "elbtal", folder)
    (folder / "broken.yaml").write_text("questionnaire: report-mini\nversion: '1.0'\nanswers: {discovery.goals.shared: '9'}\n")
    target = tmp_path / "bericht.json"
    result = run("report", str(folder), "-o", str(target))
    assert result.exit_code == 2
    assert "broken.yaml" in result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["respondent_count"] == 4


def test_report_to_stdout_and_format_from_suffix(tmp_path):
    result = run("report", str(FIXTURES / "elbtal" / "stadt-weber.yaml"), "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Stadt-Land-Partnerschaft Elbtal\n\nUrban–rural partnership self-assessment · Individual assessment")
    run("report", str(FIXTURES / "elbtal"), "-o", str(tmp_path / "r.html"))
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert run("report", str(FIXTURES / "elbtal"), "--lang", "fr").exit_code == 3


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("answers", [["elbtal"], ["elbtal", "--anonymize", "--keep-notes"], ["nordheide"],
                                     ["elbtal", "--previous", str(FIXTURES / "elbtal-2025")]])
def test_a_report_written_to_a_file_piece_by_piece_is_the_text_on_stdout(tmp_path, fmt, lang, answers):
    # -o FILE renders straight into the file (Template.generate); stdout gets the whole text (render).
    folder, *options = answers
    target = tmp_path / f"r.{fmt}"
    to_file = run("report", str(FIXTURES / folder), *options, "--format", fmt, "--lang", lang, "-o", str(target))
    to_stdout = run("report", str(FIXTURES / folder), *options, "--format", fmt, "--lang", lang)
    assert to_file.exit_code == to_stdout.exit_code == 0, to_file.output
    assert target.read_bytes() == to_stdout.stdout_bytes
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_compare(fmt):
    result = run("compare", str(FIXTURES / "elbtal-2025"), str(FIXTURES / "elbtal"), "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert [f["id"] for f in data["factors"]][:2] == ["success.leadership", "discovery.goals"]
        # Old factor means 43.8, 43.8 (weight 2), 25, 62.5, 56.3 -> 45.9; new 55.2: the change of the shown values.
        assert (data["overall"]["old_score"], data["overall"]["new_score"], data["overall"]["delta"]) == (45.9, 55.2, 9.3)
    elif fmt == "md":
        assert "| 3. Verankerung in der Führungsebene | 25,0 | 75,0 | +50,0 | am Anfang → gefestigt | verbessert |" in result.stdout


def test_compare_refuses_different_partnerships():
    result = run("compare", str(FIXTURES / "nordheide"), str(FIXTURES / "elbtal"))
    assert result.exit_code == 3
    assert "same partnership" in result.stderr


def test_score_group_by_partnership_in_every_format():
    data = json.loads(run("score", *PORTFOLIO, "--group-by", "partnership", "--format", "json").stdout)
    assert [(r["partnership"], r["respondents"], r["respondent"]["name"]) for r in data] == [
        ("Partnerschaft Nordheide", 2, "n = 2"), ("Stadt-Land-Partnerschaft Elbtal", 4, "n = 4"),
    ]
    # Factor means 75, 40.6 (weight 2), 75, 50, 50: (75 + 81.2 + 75 + 50 + 50) / 6 = 55.2.
    assert data[1]["overall"]["score"] == 55.2
    for fmt in ("jsonl", "csv", "table"):
        result = run("score", *PORTFOLIO, "--group-by", "partnership", "--format", fmt)
        assert result.exit_code == 0 and "elbtal" in result.stdout.lower()
    csv_rows = run("score", *PORTFOLIO, "--group-by", "partnership", "--format", "csv").stdout.splitlines()
    assert len(csv_rows) == 3


def test_score_json_never_imports_jinja():
    code = (
        "import sys; from slp_assess.cli import app; "
        "sys.argv=['slp','score','" + str(FIXTURES / "nordheide") + "','-q','" + str(FIXTURES / "questionnaire.yaml")
        + "','--format','json','--group-by','partnership']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "assert 'jinja2' not in sys.modules, 'jinja2 imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("lang", "one", "many"), [("de", "(1 Antwort)", "Antworten)"), ("en", "(1 answer)", "answers)")])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_context_question_answered_once_says_one_answer(lang, one, many, fmt):
    single = runner.invoke(app, ["report", str(LINDENAU / "andrea-vogt.yaml"), "--format", fmt, "--lang", lang])
    assert single.exit_code == 0, single.output
    assert one in single.stdout and f"(1 {many}" not in single.stdout
    group = runner.invoke(app, ["report", str(LINDENAU), "--format", fmt, "--lang", lang])
    assert f"(8 {many}" in group.stdout


def test_one_partnership_with_two_questionnaires_into_one_file_says_it_makes_two_reports(tmp_path):
    repo = Path(__file__).resolve().parents[1]
    folder = tmp_path / "portfolio"
    shutil.copytree(repo / "examples" / "lindenau", folder / "lindenau")
    shutil.copy(repo / "examples" / "quickcheck-lindenau.yaml", folder)
    result = runner.invoke(app, ["report", str(folder), "-o", str(tmp_path / "one.html")])
    assert result.exit_code == 3
    assert result.stderr == ("error: the files make 2 reports, one per partnership and questionnaire "
                             "('Stadt-Land-Partnerschaft Lindenau-Auental-Hohenmoor'): use -o FOLDER for one report each\n")
    assert not (tmp_path / "one.html").exists()
    written = runner.invoke(app, ["report", str(folder), "-o", str(tmp_path / "out") + "/"])
    assert written.exit_code == 0 and len(list((tmp_path / "out").glob("stadt-land-*.md"))) == 2
