"""The one rounding rule every score follows, and the decisions taken on rounded values.

A score is rounded half up to one decimal, and that rounded value is the score: it is what every
output shows, what aggregates are computed from, and what levels, blockers and flags are decided on.
So two outputs that show the same number always show the same level.

Scores are computed exactly: points and weights are decimals, so every score is a ratio of integers
(``half_up_ratio``). Floating point would put a mean such as 49.9499999995 (49.9, a key requirement not
met) a hair to either side of 49.95, depending even on the order of the answer files. ``shown`` rounds
a float that is already near its decimal (a score read back, a standard deviation): binary floating
point puts such a value a hair off the exact decimal (``49.99999999999999``); digits beyond the ninth
decimal are that noise and are dropped before rounding.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

_NOISE = Decimal("1e-9")
_TENTH = Decimal("0.1")


@lru_cache(maxsize=1 << 16)
def shown(value: float) -> float:
    """The score as displayed: half up to one decimal (``56.25`` -> ``56.3``, ``-0.05`` -> ``-0.1``)."""
    exact = Decimal(repr(value)).quantize(_NOISE, ROUND_HALF_EVEN)
    return float(exact.quantize(_TENTH, ROUND_HALF_UP))


def exact(number: float) -> Fraction:
    """A number of a questionnaire (points, weights) or a shown score as the decimal it was written as."""
    return Fraction(Decimal(repr(number)))


def half_up_ratio(numerator: int, denominator: int) -> float:
    """``numerator / denominator`` (both positive, or a zero numerator) rounded as ``shown`` rounds, exactly."""
    return (20 * numerator + denominator) // (2 * denominator) / 10


# The error of a mean computed in floating point is below 1e-11 and ``shown`` moves a value by at most
# 5e-10 (the digits it drops): further than this (in tenths) from halfway between two tenths, ``shown``
# of the float is the exact value rounded; closer, only exact arithmetic can say which way it rounds.
_NEAR_TIE = 1e-6


def near_tie(value: float) -> bool:
    """Whether a float lies so close to halfway between two tenths that ``shown`` of it may not be the exact value rounded."""
    return abs(value * 10 % 1 - 0.5) < _NEAR_TIE  # Python's % is never negative here, for a value of either sign


def shown_or_none(value: float | None) -> float | None:
    """``shown`` for a score that may be missing (no data)."""
    return None if value is None else shown(value)


def tenths(value: float) -> int:
    """The rounded score in tenths as an exact integer, for differences and comparisons."""
    return round(shown(value) * 10)


def difference(high: float, low: float) -> float:
    """``high - low`` of two scores as shown, exact to the tenth (no new float noise)."""
    return (tenths(high) - tenths(low)) / 10


def reaches(value: float, threshold: float) -> bool:
    """Whether the score as shown is at or above ``threshold``."""
    return shown(value) >= threshold


def reached_from(threshold: float) -> float:
    """The lowest score as shown that reaches ``threshold``: the threshold itself, or the next tenth above it.

    A level's threshold may have up to six decimals, but scores are shown (and decided) to the tenth:
    ``33.35`` is first reached by a score of ``33.4``, and that is the number a legend must name.
    """
    return float(Decimal(repr(threshold)).quantize(_TENTH, ROUND_CEILING))


def format_score(value: float | None, lang: str) -> str:
    """``62,5`` in German, ``62.5`` in English, ``–`` for no data; always the rounded value."""
    if value is None:
        return "–"
    text = f"{shown(value):.1f}"
    return text.replace(".", ",") if lang == "de" else text


def format_change(value: float | None, lang: str) -> str:
    """A change with its sign: ``+12,5``, ``−3,0``, ``±0,0``; rounded like every score."""
    if value is None:
        return "–"
    rounded = shown(value)
    if rounded == 0:
        return "±" + format_score(0.0, lang)
    return ("+" if rounded > 0 else "−") + format_score(abs(rounded), lang)
