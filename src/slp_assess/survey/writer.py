"""Imported answer files on disk: the format of ``slp assess``, one unique file name per respondent."""

from __future__ import annotations

import json
from pathlib import Path

from slp_assess.assess.store import render
from slp_assess.atomic import write_files_atomic
from slp_assess.errors import UsageError
from slp_assess.naming import slug
from slp_assess.survey.importer import ImportedRow

_NAMED_IN_ERROR = 3


def file_names(rows: list[ImportedRow]) -> list[str]:
    """``anna-weber.yaml``, or ``stadt-row-7.yaml`` without a name; the partnership in front when
    the sheet holds several; equal names get ``-2``, ``-3``."""
    several = len({r.answers.partnership for r in rows}) > 1
    names: list[str] = []
    taken: set[str] = set()
    for row in rows:
        who = row.answers.respondent
        base = slug(who.name) if who.name else f"{who.role}-row-{row.row}"
        if several:
            base = f"{slug(row.answers.partnership, 'partnership')}-{base}"
        name, n = f"{base}.yaml", 2
        while name in taken:
            name, n = f"{base}-{n}.yaml", n + 1
        taken.add(name)
        names.append(name)
    return names


def answer_text(row: ImportedRow, source: str) -> str:
    """The answer file as ``slp assess`` writes it, with a first line naming where it came from."""
    origin = json.dumps(f"{Path(source).name}, row {row.row}", ensure_ascii=False)
    body = render(row.answers, "").split("\n", 1)[1]
    return f"# Imported by slp import from {origin}; check it with: slp validate\n{body}"


def write_answer_files(rows: list[ImportedRow], folder: Path, source: str, force: bool = False) -> list[Path]:
    """Write one file per respondent into ``folder``; none is written if one would overwrite a file without ``force``."""
    paths = [folder / name for name in file_names(rows)]
    if not force:
        existing = [p for p in paths if p.exists()]
        if existing:
            shown = ", ".join(p.name for p in existing[:_NAMED_IN_ERROR]) + (" …" if len(existing) > _NAMED_IN_ERROR else "")
            raise UsageError(f"{len(existing)} answer file(s) exist in {folder} ({shown}): use --force to overwrite them")
    write_files_atomic([(path, answer_text(row, source).encode("utf-8")) for path, row in zip(paths, rows, strict=True)])
    return paths
