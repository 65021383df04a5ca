"""Imported answer files on disk: the format of ``slp assess``, one unique file name per respondent."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slp_assess.assess.store import render
from slp_assess.atomic import write_files_atomic
from slp_assess.errors import UsageError
from slp_assess.naming import slug, unique_stems
from slp_assess.survey.importer import ImportedRow

_NAMED_IN_ERROR = 3


@dataclass(frozen=True)
class ImportedFile:
    """An imported answer file as text, with what its file name is made of."""

    row: int
    partnership: str
    name: str | None
    role: str
    text: str


def rendered(row: ImportedRow, source: str) -> ImportedFile:
    """The file an imported row becomes."""
    who = row.answers.respondent
    return ImportedFile(row.row, row.answers.partnership, who.name, who.role, answer_text(row, source))


def file_names(files: Sequence[ImportedFile]) -> list[str]:
    """``anna-weber.yaml``, or ``stadt-row-7.yaml`` without a name; the partnership in front when
    the sheet holds several; equal names get ``-2``, ``-3``. Names are cut to a length every file
    system takes and never a Windows device name (``naming.unique_stems``)."""
    several = len({f.partnership for f in files}) > 1
    bases = []
    for file in files:
        base = slug(file.name) if file.name else f"{file.role}-row-{file.row}"
        bases.append(f"{slug(file.partnership, 'partnership')}-{base}" if several else base)
    return [f"{stem}.yaml" for stem in unique_stems(bases, "unnamed")]


def answer_text(row: ImportedRow, source: str) -> str:
    """The answer file as ``slp assess`` writes it, with a first line naming where it came from."""
    origin = json.dumps(f"{Path(source).name}, row {row.row}", ensure_ascii=False)
    body = render(row.answers, "").split("\n", 1)[1]
    return f"# Imported by slp import from {origin}; check it with: slp validate\n{body}"


def write_answer_files(rows: Sequence[ImportedRow | ImportedFile], folder: Path, source: str, force: bool = False) -> list[Path]:
    """Write one file per respondent into ``folder``; none is written if one would overwrite a file without ``force``."""
    files = [row if isinstance(row, ImportedFile) else rendered(row, source) for row in rows]
    paths = [folder / name for name in file_names(files)]
    if not force:
        existing = [p for p in paths if p.exists()]
        if existing:
            shown = ", ".join(p.name for p in existing[:_NAMED_IN_ERROR]) + (" …" if len(existing) > _NAMED_IN_ERROR else "")
            raise UsageError(f"{len(existing)} answer file(s) exist in {folder} ({shown}): use --force to overwrite them")
    write_files_atomic([(path, file.text.encode("utf-8")) for path, file in zip(paths, files, strict=True)])
    return paths
