"""Command-line interface: thin commands over the core, one module per command.

Each command lives in its own module and registers itself on ``app`` when imported. The console
script imports only the module of the command being run, so `slp score` never pays for rich,
jinja2 or the assessment screens, and `slp --version` for none of them.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

from slp_assess import collector
from slp_assess.cli.app import app

# Command name -> module under slp_assess.cli, in the order `slp --help` lists them.
COMMAND_MODULES = {
    "assess": "assess",
    "serve": "serve",
    "score": "score",
    "report": "report",
    "compare": "compare",
    "migrate": "migrate",
    "import": "import_",
    "export": "export",
    "validate": "validate",
    "template": "template",
    "questionnaires": "questionnaires",
    "schema": "schema",
}

__all__ = ["COMMAND_MODULES", "app", "load_commands", "main"]


def load_commands(names: Sequence[str] | None = None) -> None:
    """Register the given commands (all when None) on ``app``."""
    for name in COMMAND_MODULES if names is None else names:
        importlib.import_module(f"slp_assess.cli.{COMMAND_MODULES[name]}")


def _requested_command(argv: Sequence[str]) -> str | None:
    # Root options take no values, so the first word that is not an option names the command.
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main() -> None:
    """Console-script entry point."""
    argv = sys.argv[1:]
    # A CLI has no use for pydantic plugins; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    command = _requested_command(argv)
    if command in COMMAND_MODULES:
        load_commands([command])
    elif not (command is None and "--version" in argv):
        load_commands()  # help, completion or an unknown command: list them all
    collector.started()
    app()
