"""The file an option names: a folder there is a usage error, before anything is read or written.

A command that writes one file given ``-o results/`` would otherwise write a file called
``results`` (the slash dropped) or fail only after all the work; an existing folder, exit 4 at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

from slp_assess.errors import UsageError


def refuse_folder_as_file(given: str | None, option: str, example: str) -> None:
    """A usage error when ``given`` ends in a slash or names an existing folder; ``example`` is a file name to suggest."""
    if given is None or given == "-":
        return
    if given.endswith(("/", os.sep)) or Path(given).is_dir():
        suggested = Path(given) / example
        raise UsageError(f"{option} {given} is a folder, and this command writes one file: "
                         f"give a file name instead, e.g. {option} {suggested}")
