"""Start-up stays light: `slp score --format json` never loads jinja2 or rich (behaviour, not timing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).parent / "fixtures" / "core"
SCORE_ARGS = ["score", str(CORE / "answers-city.yaml"), "-q", str(CORE / "mini.yaml"), "--format", "json"]

# Runs the CLI like `python -m slp_assess`, then reports which heavy modules were loaded.
RUNNER = """
import json, sys
{imports}
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({{
    "code": code,
    "loaded": sorted(m for m in ("rich", "jinja2") if m in sys.modules),
    "commands": sorted(m for m in sys.modules if m.startswith("slp_assess.cli.") and m not in ("slp_assess.cli.app", "slp_assess.cli.progress", "slp_assess.cli.usage")),
    "modules": sorted(m for m in sys.modules if m.startswith("slp_assess")),
}}), file=sys.stderr)
"""


def _loaded(imports: str, args: list[str]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", RUNNER.format(imports=imports), *args], capture_output=True, text=True, check=False
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), result.stderr
    return report


def test_score_json_does_not_load_jinja2():
    assert "jinja2" not in _loaded("from slp_assess.cli import main", SCORE_ARGS)["loaded"]


def test_score_loads_only_its_own_command_module():
    report = _loaded("from slp_assess.cli import main", SCORE_ARGS)
    assert report["loaded"] == []
    assert report["commands"] == ["slp_assess.cli.score"]
    assert "slp_assess.models.report" not in report["modules"]


def test_version_loads_no_command_module():
    assert _loaded("from slp_assess.cli import main", ["--version"])["commands"] == []


def test_help_lists_every_command():
    from slp_assess.cli import COMMAND_MODULES

    result = subprocess.run([sys.executable, "-m", "slp_assess", "--help"], capture_output=True, text=True, check=True)
    for name in COMMAND_MODULES:
        assert f" {name} " in result.stdout, name


def test_score_json_does_not_load_rich():
    assert "rich" not in _loaded("from slp_assess.cli import main", SCORE_ARGS)["loaded"]


def test_version_does_not_load_jinja2():
    assert "jinja2" not in _loaded("from slp_assess.cli import main", ["--version"])["loaded"]


COLLECTOR_PROBE = """
import atexit, gc, json, sys
from slp_assess.cli import app

seen = {}

@app.callback(invoke_without_command=True)
def probe():
    seen["during"] = {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}

def at_exit():  # registered first, so it runs after the command's own exit handlers
    seen["exit"] = {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}
    print(json.dumps(seen), flush=True)

atexit.register(at_exit)
sys.argv = ["slp", *sys.argv[1:]]
from slp_assess.entry import main
try:
    main()
except SystemExit as exc:
    seen["code"] = exc.code
seen["after"] = {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}
"""


def test_the_console_script_freezes_what_start_up_made_and_collects_during_the_command():
    # Off while the modules import, on again for the command (a long `slp assess` makes and drops cycles),
    # and what the command kept is frozen at the end, so the interpreter's last collections skip it.
    result = subprocess.run([sys.executable, "-c", COLLECTOR_PROBE, *SCORE_ARGS], capture_output=True, text=True, check=False)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["code"] in (0, None), result.stderr
    assert seen["during"]["enabled"] is True
    assert seen["during"]["frozen"] > 20_000  # typer, pydantic and the models, as imported
    # Returned, the process may go on as it was; only its exit freezes what the command kept.
    assert seen["after"]["enabled"] is True
    assert seen["exit"]["frozen"] > seen["after"]["frozen"]


def test_a_report_does_not_load_the_german_wording_of_the_checks():
    """`assess.checks_german` is for a session that meets a broken file: no other command pays for its patterns."""
    report = _loaded("from slp_assess.cli import main", ["report", str(CORE / "answers-city.yaml"), "-q", str(CORE / "mini.yaml"),
                                                        "--format", "html"])
    assert "slp_assess.assess.checks_german" not in report["modules"]
