"""The workshop manifest: who sits where, the session's own notes and, for `slp serve`, the room.

A group's folder holds one answer file per participant and this one file, ``slp-workshop.json``.
It keeps what the answer files cannot: the seating order (file names sort alphabetically), notes
that belong to the session rather than to one person, and for `slp serve` the tokens, the
moderator's position and what has been revealed, so that a restarted laptop continues where the
room was. Its name does not end in ``.yaml``, so `slp score` and `slp validate` never read it as
an answer file; `slp report` reads it for the session's notes.

Participant files are named by name only (``anna-weber.yaml``), never by a path, so a manifest
that was edited by hand cannot make a session read or write outside its folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from slp_assess.assess import wording
from slp_assess.atomic import write_text_atomic
from slp_assess.errors import InvalidInputError, OutputError
from slp_assess.i18n import message
from slp_assess.oneline import dotted, quoted

MANIFEST_NAME = "slp-workshop.json"
FORMAT: Literal["slp-workshop/1"] = "slp-workshop/1"
# What store.participant_files makes of a name: a slug, maybe a number, and .yaml.
_FILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,120}\.yaml")  # store.unique_file_name keeps to 80 + ".yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Seat(_Model):
    """One participant: the answer file in the folder and, in `slp serve`, the phone's token.

    Attributes:
        file: the answer file's name in the folder (no path).
        token: the secret the participant's cookie holds (`slp serve` only).
    """

    file: str
    token: str | None = None

    @field_validator("file")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not _FILE_NAME.fullmatch(value):
            raise ValueError(f"{quoted(value)} is not an answer file name of this folder (like anna-weber.yaml)")
        return value


class ManifestNote(_Model):
    """A note of the session as a whole, typed at ``item`` (or at no item)."""

    item: str | None = None
    text: str


class Room(_Model):
    """What `slp serve` needs to continue after a restart.

    Attributes:
        mode: ``self`` (everyone at their own pace) or ``moderated`` (the moderator moves the room).
        position: the step the moderator shows (0-based), in moderated mode.
        revealed: ids of the steps whose distribution the moderator has revealed.
        finished: the moderator has ended the questions; the presenter shows the group view.
        join_token: the secret in the participants' URL.
        presenter_token: the secret in the presenter's URL.
        secret: the key that signs the forms' CSRF tokens.
    """

    mode: Literal["self", "moderated"] = "moderated"
    position: int = Field(default=0, ge=0)
    revealed: list[str] = Field(default_factory=list)
    finished: bool = False
    join_token: str
    presenter_token: str
    secret: str


class Manifest(_Model):
    """The whole manifest file."""

    format: Literal["slp-workshop/1"] = FORMAT
    questionnaire: str
    version: str
    partnership: str
    language: str
    participants: list[Seat] = Field(default_factory=list)
    notes: list[ManifestNote] = Field(default_factory=list)
    room: Room | None = None

    def files(self, folder: Path) -> list[Path]:
        """The participants' answer files in seating order."""
        return [folder / seat.file for seat in self.participants]


def manifest_path(folder: Path) -> Path:
    """Where a group folder keeps its manifest."""
    return folder / MANIFEST_NAME


def read_manifest(folder: Path, lang: str = "en") -> Manifest | None:
    """The folder's manifest, or None when it has none (a folder from before manifests, or no group).

    ``lang``: the language of the errors.
    """
    path = manifest_path(folder)
    if not path.is_file():
        return None
    try:
        manifest = Manifest.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise wording.invalid(path, "manifest.unreadable", lang, reason=_unreadable(exc, lang)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = dotted(first["loc"])
        detail = InvalidInputError.single(path, f"{where}: {first['msg']}", hint="restore the file or remove it to fall back to alphabetical order")
        raise wording.checked_file(detail, "manifest.invalid", lang, path=path) from None
    names = [seat.file for seat in manifest.participants]
    if len(set(names)) != len(names):
        raise wording.invalid(path, "manifest.listed_twice", lang)
    return manifest


def _unreadable(exc: OSError | UnicodeDecodeError | json.JSONDecodeError, lang: str) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return message("manifest.not_json", lang, line=exc.lineno, column=exc.colno)
    if isinstance(exc, UnicodeDecodeError):
        return message("manifest.not_utf8", lang)
    return wording.os_reason(exc, lang)


def manifest_text(manifest: Manifest) -> str:
    """The manifest as its file holds it."""
    return json.dumps(manifest.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n"


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically; only the owner may read it, since it can hold tokens.

    An error is worded in the session's language, the one the manifest records.
    """
    try:
        write_text_atomic(manifest_path(folder), manifest_text(manifest), mode=0o600)
    except OutputError as exc:
        raise wording.cannot_write(manifest_path(folder), exc, manifest.language) from None
