"""Names and dates every output shares: file-name slugs and the reproducible-build date."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata

from slp_assess.errors import UsageError

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slug(text: str, empty: str = "unnamed") -> str:
    """A file-name-safe form of a name: ``Jürgen Groß`` -> ``juergen-gross``; ``empty`` if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or empty


def source_date() -> dt.date | None:
    """The day of ``SOURCE_DATE_EPOCH`` (reproducible output), or None when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).date()
    except (ValueError, OverflowError):
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds") from None
