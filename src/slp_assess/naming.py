"""Names and dates every output shares: file-name slugs and the reproducible-build date."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Collection, Sequence

from slp_assess.errors import UsageError
from slp_assess.oneline import quoted

# Longest file-name stem made from a name: far below the 255 bytes file systems allow, readable in a listing.
MAX_STEM = 80
# Names Windows reserves for devices, whatever the suffix: a report called "nul.html" cannot be opened there.
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))})

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"})


def slug(text: str, empty: str = "unnamed") -> str:
    """A file-name-safe form of a name: ``Jürgen Groß`` -> ``juergen-gross``; ``empty`` if nothing is left.

    An umlaut written as a letter and a combining diaeresis (as macOS writes file names) is one umlaut.
    """
    composed = unicodedata.normalize("NFC", text)
    ascii_text = unicodedata.normalize("NFKD", composed.translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or empty


def cut_slug(text: str, limit: int = MAX_STEM) -> str:
    """A slug of at most ``limit`` characters, cut after a whole word where one ends in the second half."""
    if len(text) <= limit:
        return text
    boundary = text.rfind("-", 0, limit + 1)
    return (text[:boundary] if boundary > limit // 2 else text[:limit]).rstrip("-")


def unique_stems(names: Sequence[str | tuple[str, str]], empty: str, reserved: Collection[str] = (),
                 limit: int = MAX_STEM) -> list[str]:
    """File-name stems for ``names``, in order: slugs of at most ``limit`` characters, unique ignoring case.

    A name may be a pair ``(name, tail)``: the tail (which questionnaire a report is of) is kept whole,
    the name cut to make room for it, so that two long names never lose what tells them apart. A name
    whose slug is ``reserved`` (or a Windows device name) becomes ``<empty>-<slug>``. The first of several
    names that slug alike keeps the plain slug, the others get ``-2``, ``-3``, … (the name cut shorter to
    make room), skipping any stem another name gets on its own: the same names in the same order always
    give the same stems.
    """
    taken = {name.lower() for name in reserved}
    parts = [_slug_parts(name, empty, limit) for name in names]
    plain = [_joined(head, tail, limit) for head, tail in parts]
    natural = {stem for stem in plain if stem not in taken and stem not in DEVICE_NAMES}
    stems: list[str] = []
    for own, (head, tail) in zip(plain, parts, strict=True):
        base = own if own in natural else _joined(f"{empty}-{head}", tail, limit)
        # What the numbered stems keep: the name part as cut for the base, then the tail and the number.
        kept = base[:len(base) - len(tail) - 1] if tail else base
        stem, number = base, 1
        # A stem belongs to the name that slugs to it; every other name looks further.
        while stem in taken or (stem in natural and stem != own):
            number += 1
            stem = _joined(kept, f"{tail}-{number}" if tail else str(number), limit)
        taken.add(stem)
        stems.append(stem)
    return stems


def _slug_parts(name: str | tuple[str, str], empty: str, limit: int) -> tuple[str, str]:
    if isinstance(name, str):
        return slug(name, empty), ""
    head, tail = name
    # A tail longer than half the stem is cut too, so the name keeps a readable part of its own.
    return slug(head, empty), cut_slug(slug(tail, ""), limit // 2)


def _joined(head: str, tail: str, limit: int) -> str:
    """``head-tail`` in at most ``limit`` characters, cut in ``head`` only."""
    return f"{cut_slug(head, limit - len(tail) - 1)}-{tail}" if tail else cut_slug(head, limit)


def source_date() -> dt.date | None:
    """The day of ``SOURCE_DATE_EPOCH`` (reproducible output), or None when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).date()
    except (ValueError, OverflowError):
        raise UsageError(f"SOURCE_DATE_EPOCH={quoted(value)} is not a number of seconds") from None
