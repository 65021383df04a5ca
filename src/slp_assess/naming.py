"""Names and dates every output shares: file-name slugs and the reproducible-build date."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Collection, Sequence

from slp_assess.errors import UsageError

# Longest file-name stem made from a name: far below the 255 bytes file systems allow, readable in a listing.
MAX_STEM = 80
# Names Windows reserves for devices, whatever the suffix: a report called "nul.html" cannot be opened there.
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))})

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slug(text: str, empty: str = "unnamed") -> str:
    """A file-name-safe form of a name: ``Jürgen Groß`` -> ``juergen-gross``; ``empty`` if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or empty


def cut_slug(text: str, limit: int = MAX_STEM) -> str:
    """A slug of at most ``limit`` characters, cut after a whole word where one ends in the second half."""
    if len(text) <= limit:
        return text
    boundary = text.rfind("-", 0, limit + 1)
    return (text[:boundary] if boundary > limit // 2 else text[:limit]).rstrip("-")


def unique_stems(names: Sequence[str], empty: str, reserved: Collection[str] = (), limit: int = MAX_STEM) -> list[str]:
    """File-name stems for ``names``, in order: slugs of at most ``limit`` characters, unique ignoring case.

    A name whose slug is ``reserved`` (or a Windows device name) becomes ``<empty>-<slug>``. The first
    of several names that slug alike keeps the plain slug, the others get ``-2``, ``-3``, … (cut shorter
    to make room), skipping any stem another name gets on its own: the same names in the same order
    always give the same stems.
    """
    taken = {name.lower() for name in reserved}
    plain = [cut_slug(slug(name, empty), limit) for name in names]
    natural = {stem for stem in plain if stem not in taken and stem not in DEVICE_NAMES}
    stems: list[str] = []
    for own in plain:
        base = own if own in natural else cut_slug(f"{empty}-{own}", limit)
        stem, number = base, 1
        # A stem belongs to the name that slugs to it; every other name looks further.
        while stem in taken or (stem in natural and stem != own):
            number += 1
            stem = f"{cut_slug(base, limit - len(str(number)) - 1)}-{number}"
        taken.add(stem)
        stems.append(stem)
    return stems


def source_date() -> dt.date | None:
    """The day of ``SOURCE_DATE_EPOCH`` (reproducible output), or None when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).date()
    except (ValueError, OverflowError):
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds") from None
