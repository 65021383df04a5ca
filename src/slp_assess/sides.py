"""The sides of a partnership a respondent can speak for, and which of them can block.

A Stadt-Land-Partnerschaft joins a city, districts (Landkreise) and the municipalities within
them (kreisangehörige Gemeinden); ``land`` is the rural side when the file does not say which
tier, and ``other`` anyone else at the table (a regional manager, a chamber, civil society).
"""

from __future__ import annotations

import difflib

from slp_assess.oneline import quoted

STADT = "stadt"
LANDKREIS = "landkreis"
GEMEINDE = "gemeinde"
LAND = "land"
OTHER = "other"

# In this order everywhere: tables, charts and reports.
SIDES = (STADT, LANDKREIS, GEMEINDE, LAND, OTHER)
# Sides that speak for a partner: one of them below 50 % on a critical item is a blocker,
# even with a single respondent, since one person may speak for a whole partner.
PARTNER_SIDES = (STADT, LANDKREIS, GEMEINDE, LAND)
RURAL_SIDES = (LANDKREIS, GEMEINDE, LAND)
# Words people write for a side, besides the side itself (compared in lower case).
ALIASES = {"sonstige": OTHER, "sonstiges": OTHER, "andere": OTHER, "kreis": LANDKREIS}
# A side needs this many respondents before its mean counts towards a perception gap.
GAP_MIN_RESPONDENTS = 2


def canonical_side(text: str) -> str | None:
    """The side a written role means (``Land`` -> ``land``, ``Sonstige`` -> ``other``); None if unknown."""
    word = text.strip().lower()
    if word in SIDES:
        return word
    return ALIASES.get(word)


def side_hint(text: str) -> str:
    """What to write instead of an unknown side, with a guess when one is close."""
    close = difflib.get_close_matches(text.strip().lower(), [*SIDES, *ALIASES], n=1)
    guess = f"did you mean {quoted(canonical_side(close[0]))}? " if close else ""
    return f"{guess}use one of: {', '.join(SIDES)} (also accepted: sonstige)"


def side_order(sides: set[str] | list[str]) -> list[str]:
    """Distinct sides in the fixed order."""
    present = set(sides)
    return [s for s in SIDES if s in present]
