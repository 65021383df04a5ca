"""A Ctrl-C while `slp` is still importing ends like one during a command: one line, exit 130."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Modules the start of a command imports, from the first to the command's own.
COMMON = ["typer", "slp_assess.cli.app", "pydantic", "yaml", "slp_assess.models"]
STARTS = [(["score", "nowhere"], [*COMMON, "slp_assess.cli.score"]), (["report", "nowhere", "-f", "md"], [*COMMON, "slp_assess.cli.report"])]

SCRIPT = """
import sys

INTERRUPTED_AT = sys.argv[1]

class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == INTERRUPTED_AT:
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupting())
sys.argv = ["slp", *sys.argv[2:]]
from slp_assess.entry import main
main()
"""


@pytest.mark.parametrize(("command", "module"), [(command, module) for command, modules in STARTS for module in modules])
def test_ctrl_c_while_importing_is_one_line_and_exit_130(module, command):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run([sys.executable, "-c", SCRIPT, module, *command], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 130, result.stderr
    assert result.stderr == "interrupted (Ctrl-C): stopped; every file is complete or as it was\n"
    assert result.stdout == ""
