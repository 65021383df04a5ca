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
print(json.dumps({{"code": code, "loaded": sorted(m for m in ("rich", "jinja2") if m in sys.modules)}}), file=sys.stderr)
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


def test_score_and_own_command_modules_do_not_load_rich():
    # The modules of score, schema and questionnaires, without the other commands.
    # A bare package object stands in for slp_assess.cli so that its __init__ (every command) is not run.
    imports = (
        "import types, typer.main, slp_assess\n"
        "package = types.ModuleType('slp_assess.cli')\n"
        "package.__path__ = [slp_assess.__path__[0] + '/cli']\n"
        "sys.modules['slp_assess.cli'] = package\n"
        "import slp_assess.cli.questionnaires, slp_assess.cli.schema, slp_assess.cli.score\n"
        "from slp_assess.cli.app import app\n"
        "main = lambda: typer.main.get_command(app).main(args=sys.argv[1:], prog_name='slp')"
    )
    assert _loaded(imports, SCORE_ARGS)["loaded"] == []


def test_score_json_does_not_load_rich():
    assert "rich" not in _loaded("from slp_assess.cli import main", SCORE_ARGS)["loaded"]


def test_version_does_not_load_jinja2():
    assert "jinja2" not in _loaded("from slp_assess.cli import main", ["--version"])["loaded"]
