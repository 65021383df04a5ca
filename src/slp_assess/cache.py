"""A per-user cache of work that is the same every run: checked questionnaires, compiled templates.

Reading and checking a questionnaire costs about 12 ms and compiling the bundled report templates
over 100 ms, on every start of ``slp score`` or ``slp report``. The results are kept in
``$SLP_CACHE_DIR``, else ``$XDG_CACHE_HOME/slp-assess``, else ``~/.cache/slp-assess`` (a folder only
its owner may read or write). ``SLP_CACHE_DIR=off`` turns the cache off.

Entries are keyed by a hash of the source's bytes, of the tool's and pydantic's versions and of the
code that reads and checks them (``code_fingerprint``), so an edited questionnaire, another release
or a changed check (while developing, under the same version number) never meets an old entry. Questionnaires are kept as
JSON and validated again when read (never unpickled); anything unreadable is ignored and rebuilt.
A cache that cannot be written costs nothing but the time saved.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

import pydantic

from slp_assess import __version__
from slp_assess.models.questionnaire import Questionnaire

OFF = "off"


def cache_dir(kind: str) -> Path | None:
    """The folder for one kind of entry, created (owner only) if need be; None when off or impossible."""
    chosen = os.environ.get("SLP_CACHE_DIR")
    if chosen is not None and chosen.strip().lower() in (OFF, ""):
        return None
    if chosen:
        base = Path(chosen)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = Path(xdg) / "slp-assess" if xdg else Path.home() / ".cache" / "slp-assess"
    folder = base / kind
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_uid != os.geteuid():  # another user's folder: never read code or data from it
            return None
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return folder


def source_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file, or None (the caller then reads it the usual way and reports)."""
    try:
        if not path.is_file():  # a FIFO would block on open: the usual reader refuses it with a message
            return None
        return path.read_bytes()
    except OSError:
        return None


@cache
def code_fingerprint(*modules: str) -> str:
    """A hash of the source files of these modules of slp_assess ("" when one cannot be read)."""
    digest = hashlib.sha256(f"{__version__}\0{pydantic.VERSION}\0".encode())
    package = Path(__file__).parent
    for module in modules:
        try:
            digest.update((package / f"{module.replace('.', '/')}.py").read_bytes())
        except OSError:
            return ""
    return digest.hexdigest()[:16]


# What decides whether a questionnaire is valid and what it becomes.
_QUESTIONNAIRE_CODE = ("models.questionnaire", "validation", "loading", "yamlio", "yamlcheck", "fastyaml", "sides", "i18n")


def _key(data: bytes) -> str | None:
    code = code_fingerprint(*_QUESTIONNAIRE_CODE)
    return hashlib.sha256(code.encode() + b"\0" + data).hexdigest() if code else None


def cached_questionnaire(source: bytes) -> Questionnaire | None:
    """The questionnaire checked earlier from exactly these bytes, if the cache has it."""
    folder = cache_dir("questionnaires")
    key = _key(source)
    if folder is None or key is None:
        return None
    try:
        return Questionnaire.model_validate_json((folder / f"{key}.json").read_bytes())
    except (OSError, ValueError):  # missing, unreadable or damaged (pydantic's ValidationError is a ValueError)
        return None


def keep_questionnaire(source: bytes, questionnaire: Questionnaire) -> None:
    """Remember a questionnaire that passed every check, for the next run."""
    folder = cache_dir("questionnaires")
    key = _key(source)
    if folder is None or key is None:
        return
    target = folder / f"{key}.json"
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(questionnaire.model_dump_json(), encoding="utf-8")
        temp.replace(target)  # whole or not at all, also with several processes at once
    except OSError:
        temp.unlink(missing_ok=True)
