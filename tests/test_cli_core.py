"""`slp score`, `slp validate` and `slp template` driven through the CLI as a user would."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from slp_assess.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def _answer_dir(core_fixtures: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "answers"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(core_fixtures / "answers-city.yaml", folder / "a-city.yaml")
    shutil.copy(core_fixtures / "answers-rural.yaml", folder / "nested" / "b-rural.yml")
    (folder / "notes.txt").write_text("not an answer file", encoding="utf-8")
    return folder


def test_score_json_for_a_folder(core_fixtures, tmp_path):
    folder = _answer_dir(core_fixtures, tmp_path)
    result = _run("score", str(folder), "-q", str(core_fixtures / "mini.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [Path(r["file"]).name for r in records] == ["a-city.yaml", "b-rural.yml"]
    city = records[0]
    assert city["questionnaire"] == {"id": "mini", "version": "1.0"}
    assert city["partnership"] == "Testpartnerschaft"
    assert city["respondent"] == {"name": "Anna Weber", "organisation": "Stadt Lindenau", "role": "stadt"}
    assert city["overall"] == {"score": 75.0, "level": "ready", "blockers": [], "phase": None}
    assert city["factors"][2] == {
        "id": "financing.transparency", "section": "financing", "score": 50.0, "level": "partly", "scored": 1, "items": 2,
        "due": True,
    }
    assert records[1]["overall"]["blockers"] == [
        {"item": "success.eye_level.equal_say", "factor": "success.eye_level", "score": 25.0, "sides": []}
    ]


def test_score_jsonl_csv_and_table(core_fixtures, tmp_path):
    folder = _answer_dir(core_fixtures, tmp_path)
    q = str(core_fixtures / "mini.yaml")
    lines = _run("score", str(folder), "-q", q, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["overall"]["level"] for line in lines] == ["ready", "not_ready"]
    rows = list(csv.DictReader(io.StringIO(_run("score", str(folder), "-q", q, "--format", "csv").stdout)))
    assert rows[0]["overall_score"] == "75.0"
    assert rows[0]["success.eye_level"] == "75.0"
    assert rows[1]["blockers"] == "success.eye_level.equal_say"
    wide = {"COLUMNS": "160"}
    table = runner.invoke(app, ["score", str(folder / "a-city.yaml"), "-q", q, "--format", "table", "--lang", "en"], env=wide).stdout
    assert "Testpartnerschaft" in table and "Anna Weber (city)" in table  # the side as a word, in English
    assert "Anna Weber" in table and "established" in table and "Transparency" in table and "1/2" in table
    assert "a-city.yaml" in table and "75.0" in table
    german = runner.invoke(app, ["score", str(folder / "nested"), "-q", q, "--format", "table"], env=wide).stdout
    assert "22,9" in german and "am Anfang" in german
    assert "Nicht erfüllte Kernanforderung: Gleiches Mitspracherecht. (25,0 %)" in german


def test_one_bad_file_never_stops_the_rest(core_fixtures, tmp_path):
    folder = _answer_dir(core_fixtures, tmp_path)
    shutil.copy(core_fixtures / "bad-answers.yaml", folder / "c-bad.yaml")
    (folder / "d-broken.yaml").write_text("questionnaire: mini\nversion: [\n", encoding="utf-8")
    result = _run("score", str(folder), "-q", str(core_fixtures / "mini.yaml"), "--format", "jsonl")
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    # Sorted by path: files of a folder before those of its subfolders.
    assert [(Path(r["file"]).name, r.get("error", False)) for r in records] == [
        ("a-city.yaml", False), ("c-bad.yaml", True), ("d-broken.yaml", True), ("b-rural.yml", False),
    ]
    assert records[1]["errors"][0]["line"] == 6
    assert "unknown item id" in records[1]["errors"][0]["message"]
    assert records[2]["errors"][0]["line"] == 3
    assert f"error: {folder / 'c-bad.yaml'}:7: answers.success.leadership.anchored" in result.stderr
    assert "Traceback" not in result.output


def test_fail_under_exit_code(core_fixtures, tmp_path):
    folder = _answer_dir(core_fixtures, tmp_path)
    q = str(core_fixtures / "mini.yaml")
    assert _run("score", str(folder), "-q", q, "--format", "json", "--fail-under", "20").exit_code == 0
    assert _run("score", str(folder), "-q", q, "--format", "json", "--fail-under", "50").exit_code == 1


def test_usage_errors_exit_3(core_fixtures, tmp_path):
    assert _run("score", str(tmp_path / "missing.yaml")).exit_code == 3
    assert _run("score", str(core_fixtures), "--format", "xml").exit_code == 3
    assert _run("score").exit_code == 3
    assert _run("template", "no-such-questionnaire").exit_code == 3
    assert _run("--no-such-option").exit_code == 3


def test_validate_reports_all_problems_and_exits_2(core_fixtures):
    result = _run("validate", str(core_fixtures / "bad-questionnaire.yaml"), str(core_fixtures / "mini.yaml"))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 7
    assert all("bad-questionnaire.yaml:" in line and "(hint: " in line for line in errors)
    assert f"ok: {core_fixtures / 'mini.yaml'}" in result.stdout
    ok = _run("validate", str(core_fixtures / "answers-city.yaml"), "-q", str(core_fixtures / "mini.yaml"))
    assert ok.exit_code == 0, ok.output


def test_template_is_a_valid_blank_answer_file(core_fixtures, tmp_path):
    out = tmp_path / "blank.yaml"
    result = _run("template", str(core_fixtures / "mini.yaml"), "--lang", "en", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "  # The city dominates." in text
    assert "  # Answers: 1 = does not apply at all, 2 = rather does not apply" in text
    assert "  # Equal say. [key requirement]" in text
    data = yaml.safe_load(text)
    assert data["questionnaire"] == "mini" and data["version"] == "1.0"
    assert list(data["answers"]) == [
        "success.eye_level.equal_say", "success.eye_level.city_dominates", "success.leadership.anchored",
        "financing.transparency.costs", "financing.transparency.benefits",
    ]
    # Filled in by hand, it scores.
    filled = text.replace("success.leadership.anchored:", "success.leadership.anchored: yes")
    out.write_text(filled, encoding="utf-8")
    scored = _run("score", str(out), "-q", str(core_fixtures / "mini.yaml"), "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)[0]["overall"]["score"] == 100.0
    # Never overwritten without --force.
    assert _run("template", str(core_fixtures / "mini.yaml"), "-o", str(out)).exit_code == 3
    assert _run("template", str(core_fixtures / "mini.yaml"), "-o", str(out), "--force").exit_code == 0


def test_template_in_german_by_default(core_fixtures):
    text = _run("template", str(core_fixtures / "mini.yaml")).stdout
    assert "# Antwortbogen für Mini-Fragebogen (mini, Version 1.0)" in text
    assert "  # Gleiches Mitspracherecht. [Kernanforderung]" in text
    assert "n/a = kann ich nicht beurteilen" in text


def test_version_and_module_entry_point():
    assert _run("--version").stdout.startswith("slp-assess ")


def test_python_dash_m_works():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "slp_assess", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("slp-assess ")


def test_output_folders_are_created_and_unwritable_output_exits_4(core_fixtures, tmp_path):
    out = tmp_path / "new" / "folder" / "blank.yaml"
    assert _run("template", str(core_fixtures / "mini.yaml"), "-o", str(out)).exit_code == 0
    assert out.is_file()
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = _run("template", str(core_fixtures / "mini.yaml"), "-o", str(blocker / "blank.yaml"))
    assert result.exit_code == 4
    assert result.stderr.startswith(f"error: cannot write {blocker / 'blank.yaml'}:")
    assert "Traceback" not in result.output


def test_global_quiet_verbose_and_lang(core_fixtures, tmp_path):
    q = str(core_fixtures / "mini.yaml")
    out = tmp_path / "t.yaml"
    assert _run("template", q, "-o", str(out)).stderr == f"{out} geschrieben\n"  # in the questionnaire's language
    assert _run("--quiet", "template", q, "-o", str(tmp_path / "u.yaml")).stderr == ""
    assert _run("--quiet", "validate", q).stdout == ""
    verbose = _run("--verbose", "score", str(core_fixtures / "answers-city.yaml"), "-q", q, "--format", "json")
    assert "1 Datei(en) werden mit 1 Prozess(en) bewertet, Format json" in verbose.stderr  # German, the default
    json.loads(verbose.stdout)  # logs never mix into the machine format
    english = _run("--lang", "en", "template", q).stdout
    assert english.startswith("# yaml-language-server") and "# Answer sheet for Mini questionnaire" in english
    assert "# Antwortbogen" in _run("--lang", "en", "template", q, "--lang", "de").stdout
    assert "# Answer sheet" in runner.invoke(app, ["template", q], env={"SLP_LANG": "en"}).stdout
    # The global option does not leak into later commands.
    assert "# Antwortbogen" in _run("template", q).stdout


def test_every_command_has_help_and_is_in_the_readme():
    from slp_assess.cli import COMMAND_MODULES

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in COMMAND_MODULES:
        result = _run(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout
        assert f"`slp {name}" in readme, name


def test_exit_code_table_matches_the_code():
    from slp_assess.errors import ExitCode

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Exit codes"):]
    for code in ExitCode:
        assert f"\n| {int(code)} | " in table, code


def test_an_empty_folder_is_a_usage_error(tmp_path):
    result = _run("score", str(tmp_path), "--format", "json")
    assert result.exit_code == 3
    assert result.stderr == f"error: no answer files (*.yaml, *.yml) found in: {tmp_path}\n"
