"""Command-line interface: thin commands over the core, one module per command."""

from __future__ import annotations

from slp_assess.cli import assess, compare, questionnaires, report, schema, score, template, validate  # noqa: F401  (registers the commands)
from slp_assess.cli.app import app


def main() -> None:
    """Console-script entry point."""
    app()
