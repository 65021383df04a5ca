"""Locate the data folders shipped with the package (questionnaires, templates).

In a wheel they live inside the package (``slp_assess/data/...``); in a source checkout or
editable install they are the top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    """Return the folder of bundled ``questionnaires`` or ``templates``."""
    packaged = Path(str(resources.files("slp_assess"))) / "data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"bundled folder {name!r} is missing from the installation")


def bundled_questionnaires() -> dict[str, Path]:
    """Bundled questionnaire files by file stem (which equals their id)."""
    folder = data_dir("questionnaires")
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}
