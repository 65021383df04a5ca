"""`slp questionnaires`: the list (table, JSON) and `show` (a tree)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.loading import load_questionnaire

CORE = Path(__file__).parent / "fixtures" / "core"
runner = CliRunner()


def test_list_as_json_includes_given_files():
    result = runner.invoke(app, ["questionnaires", str(CORE / "mini.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    # Earlier versions are bundled beside the current one (slp-readiness@1.0), so a row is an id and a version.
    rows = {(row["id"], row["version"]): row for row in json.loads(result.stdout)}
    readiness = load_questionnaire("slp-readiness")
    assert {("slp-readiness", readiness.version), ("slp-readiness", "1.0"), ("slp-quickcheck", "1.0")} <= set(rows)
    assert rows["slp-readiness", readiness.version] == {
        "id": "slp-readiness", "version": readiness.version, "languages": readiness.languages,
        "items": len(readiness.items()), "factors": len(readiness.factors()), "minutes": readiness.minutes,
        "source": "bundled",
    }
    assert rows["mini", "1.0"]["source"] == str(CORE / "mini.yaml")


def test_list_as_table():
    result = runner.invoke(app, ["questionnaires"])
    assert result.exit_code == 0, result.output
    assert "slp-readiness" in result.stdout and "minutes" in result.stdout


def test_show_prints_the_structure_with_markers():
    result = runner.invoke(app, ["questionnaires", "show", str(CORE / "mini.yaml"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Equal say." in text and "[critical]" in text and "[reverse]" in text
    assert text.index("success.eye_level") < text.index("success.eye_level.equal_say")


def test_show_bundled_by_id_and_errors():
    assert runner.invoke(app, ["questionnaires", "show", "slp-quickcheck"]).exit_code == 0
    assert runner.invoke(app, ["questionnaires", "show", "no-such-questionnaire"]).exit_code == 3
    assert runner.invoke(app, ["questionnaires", "show", "slp-quickcheck", "--lang", "fr"]).exit_code == 3
    assert runner.invoke(app, ["questionnaires", str(CORE / "bad-questionnaire.yaml")]).exit_code == 2
