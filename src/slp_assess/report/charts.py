"""Geometry of the inline SVG charts; the HTML template draws them from these numbers.

Charts never compute scores: they place the numbers of the report data. Every chart is drawn at
360 units wide, the width of a phone, so that its 11-unit text stays at least 10 px there and
grows with the page elsewhere. Sides differ by marker shape (drawn in one ink colour), levels by
position against the marked thresholds as well as by colour, so the charts read in greyscale too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from slp_assess.models.report import AggregateReport, FactorReport, Gap, GroupScore, ItemReport, LevelInfo
from slp_assess.report.formatting import number

WIDTH = 360
# A marker shape per side, in side order; unknown sides share the last one.
SIDE_SHAPES = {"stadt": "circle", "landkreis": "square", "gemeinde": "triangle", "land": "diamond", "other": "cross"}
# Bar colours per level tone (see ``level_tones``); each has 3:1 contrast or more against white.
TONE_FILLS = {"top": "#2a7a5a", "high": "#4f7d2b", "mid": "#c0841a", "low": "#b23a48"}
# Answer options from the worst to the best, light to dark: their order reads in greyscale.
RAMP = ("#e3ebf4", "#0b3563")


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _tick_label(threshold: float, lang: str) -> str:
    """A threshold on a chart's scale as the report prints numbers: ``62,5`` in German, whole ones without decimals."""
    return number(threshold, lang, 0 if threshold % 1 == 0 else 1)


def level_tones(levels: list[LevelInfo]) -> dict[str, str]:
    """A tone per level (``top``, ``high``, ``mid``, ``low``), top level first."""
    count = len(levels)
    tones = {}
    for lv in levels:
        if lv.rank == 0:
            tones[lv.id] = "top"
        elif lv.rank == count - 1:
            tones[lv.id] = "low"
        else:
            tones[lv.id] = "high" if count > 3 and lv.rank == 1 else "mid"
    return tones


def level_fills(levels: list[LevelInfo]) -> dict[str, str]:
    """The bar colour of each level."""
    return {level: TONE_FILLS[tone] for level, tone in level_tones(levels).items()}


def shape(role: str) -> str:
    """The marker shape of a side."""
    return SIDE_SHAPES.get(role, "cross")


@dataclass
class Marker:
    """A side's marker on a chart row; ``hollow`` for a single voice."""

    role: str
    label: str
    shape: str
    x: str
    y: str
    hollow: bool


def _markers(groups: list[GroupScore], scores: list[float | None], x0: float, span: float, y: float) -> list[Marker]:
    return [
        Marker(role=g.role, label=g.label, shape=shape(g.role), x=_fmt(x0 + span * s / 100), y=_fmt(y), hollow=g.single_voice)
        for g, s in zip(groups, scores, strict=True) if s is not None
    ]


@dataclass
class Tick:
    """A scale mark: its x position and its label (a number)."""

    x: str
    label: str


@dataclass
class ProfileRow:
    """One factor of the profile chart."""

    factor: FactorReport
    y: str
    text_y: str
    bar_y: str
    width: str
    fill: str
    markers: list[Marker]
    previous_x: str | None


@dataclass
class Profile:
    """The factor profile: a bar per factor against the level thresholds, a marker per side."""

    width: int
    height: int
    label_x: int
    x0: int
    span: int
    value_x: int
    bar_height: int
    row_height: int
    ticks: list[Tick]
    rows: list[ProfileRow]
    sides: list[GroupScore]


# Average advance of a character at font size 11 (a sans-serif), to fit the label column.
CHAR_WIDTH = 5.9
LABEL_CHARS = 32


def label(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis: a chart label, never the only place of the name."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def profile(report: AggregateReport) -> Profile | None:
    """The profile geometry, or None without factors; the label column is as wide as its longest label."""
    factors = report.factors()
    if not factors:
        return None
    longest = max(len(label(f.short_title)) for f in factors)
    label_x = round(min(max(longest * CHAR_WIDTH, 90), LABEL_CHARS * CHAR_WIDTH))
    x0, value_x, top, row, bar = label_x + 6, WIDTH - 2, 20, 15, 9
    span = value_x - 38 - x0
    tones = level_tones(report.levels)
    several = len(report.groups) > 1
    rows = []
    for i, f in enumerate(factors):
        y = top + i * row
        middle = y + row / 2
        rows.append(ProfileRow(
            factor=f, y=_fmt(y), text_y=_fmt(middle + 4), bar_y=_fmt(middle - bar / 2),
            width=_fmt(span * (f.score or 0.0) / 100), fill=TONE_FILLS[tones.get(f.level or "", "low")],
            markers=_markers(f.groups, [g.score for g in f.groups], x0, span, middle) if several else [],
            previous_x=_fmt(x0 + span * f.previous.score / 100) if f.previous and f.previous.score is not None else None,
        ))
    thresholds = sorted({0.0, 100.0} | {lv.threshold for lv in report.levels})
    ticks = [Tick(x=_fmt(x0 + span * t / 100), label=_tick_label(t, report.meta.language)) for t in thresholds]
    return Profile(width=WIDTH, height=top + len(rows) * row + 4, label_x=label_x, x0=x0, span=span, value_x=value_x,
                   bar_height=bar, row_height=row, ticks=ticks, rows=rows, sides=report.groups if several else [])


@dataclass
class GapRow:
    """One perception gap of the summary chart: a line from the lowest to the highest side."""

    gap: Gap
    factor: FactorReport
    label_y: str
    line_y: str
    low_x: str
    high_x: str
    markers: list[Marker]


@dataclass
class GapChart:
    """The largest perception gaps as a dot plot on the 0–100 scale."""

    width: int
    height: int
    x0: int
    span: int
    ticks: list[Tick]
    rows: list[GapRow]


def gap_chart(report: AggregateReport, count: int = 3) -> GapChart | None:
    """The ``count`` largest flagged gaps, or None when there is none."""
    gaps = report.summary.gaps[:count]
    if not gaps:
        return None
    by_id = {f.id: f for f in report.factors()}
    x0, span, top, block = 10, WIDTH - 20, 4, 36
    rows = []
    for i, g in enumerate(gaps):
        f = by_id[g.factor]
        y = top + i * block
        line_y = y + 24
        rows.append(GapRow(
            gap=g, factor=f, label_y=_fmt(y + 11), line_y=_fmt(line_y),
            low_x=_fmt(x0 + span * (g.low.score or 0.0) / 100), high_x=_fmt(x0 + span * (g.high.score or 0.0) / 100),
            markers=_markers(f.groups, [s.score for s in f.groups], x0, span, line_y),
        ))
    thresholds = sorted({0.0, 100.0} | {lv.threshold for lv in report.levels})
    height = top + len(rows) * block + 16
    ticks = [Tick(x=_fmt(x0 + span * t / 100), label=_tick_label(t, report.meta.language)) for t in thresholds]
    return GapChart(width=WIDTH, height=height, x0=x0, span=span, ticks=ticks, rows=rows)


@dataclass(slots=True)
class Segment:
    """A part of a stacked bar: an answer option, "cannot judge" or blank."""

    x: str
    width: str
    kind: str
    fill: str
    count: int
    text_x: str
    light_text: bool
    labelled: bool


@dataclass(slots=True)
class DistributionRow:
    """The answers of one side to an item."""

    label: str
    role: str
    y: str
    text_y: str
    n: int
    segments: list[Segment] = field(default_factory=list)


@dataclass(slots=True)
class Distribution:
    """Stacked bars of the answers to one item, one per side."""

    width: int
    height: int
    x0: int
    span: int
    bar_height: int
    rows: list[DistributionRow]


@cache
def _option_colours(count: int, reverse: bool) -> tuple[str, ...]:
    low, high = (int(RAMP[0][i:i + 2], 16) for i in (1, 3, 5)), (int(RAMP[1][i:i + 2], 16) for i in (1, 3, 5))
    a, b = list(low), list(high)
    colours = []
    for k in range(count):
        t = k / (count - 1) if count > 1 else 1.0
        colours.append("#" + "".join(f"{round(a[c] + (b[c] - a[c]) * t):02x}" for c in range(3)))
    return tuple(colours[::-1] if reverse else colours)


def option_colours(count: int, reverse: bool = False) -> list[str]:
    """``count`` colours from light (worst answer) to dark (best); reversed for negatively phrased items."""
    return list(_option_colours(count, reverse))


@cache
def _is_dark(colour: str) -> bool:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


# The geometry of the stacked bars: the bars start at BARS_X0 and are BARS_SPAN wide; each side's
# row is _ROW high, its bar BAR_HEIGHT high, below a margin of _TOP.
BARS_X0, BARS_SPAN, BAR_HEIGHT = 76, WIDTH - 76 - 30, 10
_TOP, _ROW = 1, 12


def distribution(item: ItemReport) -> Distribution:
    """A stacked bar per side: the share of each answer, then "cannot judge", then blank."""
    colours = _option_colours(len(item.options), item.reverse)
    rows = [distribution_row(i, side.label, side.role, colours, tuple(o.count for o in side.options), side.not_applicable,
                             side.unanswered, side.n)
            for i, side in enumerate(item.sides)]
    return Distribution(width=WIDTH, height=distribution_height(len(rows)), x0=BARS_X0, span=BARS_SPAN, bar_height=BAR_HEIGHT, rows=rows)


def distribution_height(sides: int) -> int:
    """The height of the stacked bars of ``sides`` sides."""
    return _TOP + sides * _ROW + 1


def distribution_row(index: int, label: str, role: str, colours: tuple[str, ...], counts: tuple[int, ...], not_applicable: int,
                     unanswered: int, n: int) -> DistributionRow:
    """The bar of the side at ``index``: ``counts`` per option (in ``colours``), "cannot judge", blank; ``n`` respondents."""
    y = _TOP + index * _ROW
    segments: list[Segment] = []
    if n:
        parts = [(count, "option", colours[k]) for k, count in enumerate(counts)]
        parts += [(not_applicable, "not_applicable", "url(#hatch)"), (unanswered, "blank", "#ffffff")]
        x = float(BARS_X0)
        for count, kind, fill in parts:
            if not count:
                continue
            width = BARS_SPAN * count / n
            segments.append(Segment(f"{x:.1f}", f"{width:.1f}", kind, fill, count, f"{x + width / 2:.1f}",
                                    kind == "option" and _is_dark(fill), width >= 12))
            x += width
    return DistributionRow(label, role, f"{y:.1f}", f"{y + BAR_HEIGHT - 2:.1f}", n, segments)


def answer_colours(item: ItemReport) -> tuple[str, ...]:
    """The colours of an item's answer options, from the worst answer to the best."""
    return _option_colours(len(item.options), item.reverse)


def legend_scales(factor: FactorReport) -> list[list[tuple[str, str]]]:
    """The answer scales used in a factor, each as (label, colour) pairs from the worst to the best answer."""
    seen: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for item in factor.items:
        labels = tuple(o.label for o in item.options)
        if labels not in seen:
            colours = option_colours(len(labels), item.reverse)
            seen[labels] = list(zip(labels, colours, strict=True))
    return list(seen.values())


@dataclass(frozen=True)
class Legend:
    """The key to a factor's answer colours: its scales (see ``legend_scales``), and whether any item has
    "cannot judge" and blank answers."""

    scales: tuple[tuple[tuple[str, str], ...], ...]
    not_applicable: bool
    unanswered: bool


def legends(report: AggregateReport) -> dict[str, Legend]:
    """The legends shown, by factor id: for the first factor of each section, then for each whose
    scales (or "cannot judge" and blank answers) differ from the factor before it."""
    shown = {}
    for section in report.sections:
        before = None
        for f in section.factors:
            scales = tuple(tuple(scale) for scale in legend_scales(f))
            legend = Legend(scales, any(i.not_applicable for i in f.items), any(i.unanswered for i in f.items))
            if legend != before:
                shown[f.id] = legend
            before = legend
    return shown


def legend_shown(report: AggregateReport) -> set[str]:
    """The factors that show the key to their answer colours (see ``legends``)."""
    return set(legends(report))
