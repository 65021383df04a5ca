"""The console script `slp`: the first code that runs, before typer, rich or pydantic are imported.

Importing the CLI takes a tenth of a second; a Ctrl-C in that window would otherwise end in a
traceback instead of the one line a Ctrl-C during a command gives.
"""

from __future__ import annotations

import sys

from slp_assess import collector
from slp_assess.errors import INTERRUPTED_LINE, ExitCode


def main() -> None:
    """Run the command line; a Ctrl-C while it is still starting ends like one during a command."""
    collector.starting()  # ``slp_assess.cli.main`` turns it back on once the command is imported
    try:
        from slp_assess.cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{INTERRUPTED_LINE}\n" if sys.stderr.isatty() else f"{INTERRUPTED_LINE}\n")
        raise SystemExit(ExitCode.INTERRUPTED) from None
