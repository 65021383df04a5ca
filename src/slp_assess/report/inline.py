"""The small HTML pieces a report prints hundreds of times: side markers, colour keys, level badges.

They were Jinja macros imported "with context" into every partial. A report printed them some 370
times, each call a new macro frame, and every import made the partial's context and its macros
refer to each other, a reference cycle that kept each rendered report alive until a full garbage
collection. Written here, they cost a fraction of that and leave no cycle behind. The bytes are
those the macros wrote (``tests/golden``); ``templates/partials/macros.html.j2`` keeps the macros'
names for user templates written against them, delegating to these functions.

Every label is HTML-escaped with its bidi controls closed, as the templates' own printing does;
everything else is a number, one of our own colours or shapes, or fixed markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from slp_assess.models.report import LevelInfo
from slp_assess.report import formatting
from slp_assess.report.formatting import html_escape

INK = "#1b1f24"
_KEY_FRAME = '<svg class="key" xmlns="http://www.w3.org/2000/svg" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">'
# The key to blank answers: an empty box with a dashed edge, as the item charts draw them.
BLANK_KEY = Markup(f'{_KEY_FRAME}<rect x="1" y="2" width="12" height="10" fill="#fff" stroke="#4d5661" stroke-dasharray="2 2"/></svg>')


def side_marker(shape: str, x: object, y: object, hollow: bool = False, size: float = 4) -> Markup:
    """A side's marker centred on (``x``, ``y``): the shape tells the side, hollow for a single voice.

    Drawn in ink; the cross gets a white halo under it. ``x`` and ``y`` are printed as given for a
    circle, and as numbers with one decimal for the shapes computed from them.
    """
    xf, yf = _as_float(x), _as_float(y)
    fill = "#fff" if hollow else INK
    if shape == "circle":
        return Markup(f'<circle cx="{html_escape(x)}" cy="{html_escape(y)}" r="{html_escape(size)}" fill="{fill}" stroke="{INK}" stroke-width="1.3"/>')
    if shape == "square":
        side = f"{2 * size - 0.8:.1f}"
        return Markup(f'<rect x="{xf - size + 0.4:.1f}" y="{yf - size + 0.4:.1f}" width="{side}" height="{side}" '
                      f'fill="{fill}" stroke="{INK}" stroke-width="1.3"/>')
    if shape == "triangle":
        return Markup(f'<polygon points="{xf:.1f},{yf - size - 0.6:.1f} {xf + size + 0.4:.1f},{yf + size - 0.4:.1f} '
                      f'{xf - size - 0.4:.1f},{yf + size - 0.4:.1f}" fill="{fill}" stroke="{INK}" stroke-width="1.3" '
                      'stroke-linejoin="round"/>')
    if shape == "diamond":
        return Markup(f'<polygon points="{xf:.1f},{yf - size - 0.8:.1f} {xf + size + 0.8:.1f},{yf:.1f} {xf:.1f},{yf + size + 0.8:.1f} '
                      f'{xf - size - 0.8:.1f},{yf:.1f}" fill="{fill}" stroke="{INK}" stroke-width="1.3"/>')
    cross = (f"M{xf - size:.1f} {yf - size:.1f}L{xf + size:.1f} {yf + size:.1f}"
             f"M{xf - size:.1f} {yf + size:.1f}L{xf + size:.1f} {yf - size:.1f}")
    return Markup(f'<path d="{cross}" stroke="#fff" stroke-width="4"/>'
                  f'<path d="{cross}" stroke="{INK}" stroke-width="{1.4 if hollow else 2.2}"/>')


def _as_float(value: object) -> float:
    # As Jinja's |float filter: what is not a number counts as 0.
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


@lru_cache(maxsize=64)
def side_key(shape: str, hollow: bool = False) -> Markup:
    """A side's marker as a small inline picture, for legends and tables."""
    return Markup(f"{_KEY_FRAME}{side_marker(shape, '7', '7', hollow)}</svg>")


@lru_cache(maxsize=64)
def colour_key(fill: str) -> Markup:
    """A colour (or pattern, ``url(#hatch)``) as a small inline picture, for legends."""
    return Markup(f'{_KEY_FRAME}<rect x="1" y="2" width="12" height="10" fill="{html_escape(fill)}" stroke="{INK}" stroke-width="0.8"/></svg>')


def level_badge_for(levels: Mapping[str, LevelInfo], tones: Mapping[str, str], words: Mapping[str, str]) -> Callable[[str | None], Markup]:
    """``level_badge(id)`` for one report: a level's name in its tone, or "no data" for none."""
    no_data = Markup(f'<span class="nodata">{html_escape(words["no_data"])}</span>')
    badges = {id_: Markup(f'<span class="level tone-{html_escape(tones[id_])}">{html_escape(level.label)}</span>') for id_, level in levels.items()}

    def level_badge(level_id: str | None) -> Markup:
        return badges[level_id] if level_id else no_data

    return level_badge


def previous_badge_for(words: Mapping[str, str], lang: str) -> Callable[[Any], Markup]:
    """``previous_badge(prev)`` for one language: an earlier score and the change since, or nothing."""
    previously = html_escape(words["previously"])
    no_data = html_escape(words["no_data"])

    def previous_badge(prev: Any) -> Markup:
        if not prev:
            return Markup("")
        score = prev.score
        if score is None:
            return Markup(f'<span class="prev">{previously} {no_data}</span>')
        return Markup(f'<span class="prev">{previously} {formatting.number(score, lang)}, <span class="delta {html_escape(prev.direction)}">'
                      f'{formatting.signed(prev.delta, lang)}</span></span>')

    return previous_badge
