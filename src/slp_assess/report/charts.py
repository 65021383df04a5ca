"""Geometry of the inline SVG charts; the HTML template draws them from these numbers.

Series differ by dash pattern and marker shape as well as colour, so the charts stay
readable in greyscale print.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from slp_assess.models.report import AggregateReport

# (stroke colour, dash pattern, marker) per series; the first is "all participants".
SERIES_STYLES = [
    ("#1d3557", "", "circle"),
    ("#b5651d", "7 4", "square"),
    ("#2a7f62", "2 3", "triangle"),
    ("#6a4c93", "9 3 2 3", "diamond"),
]
# Bar fill per level rank (top level darkest); lightness differs enough for greyscale.
LEVEL_FILLS = ["#1d3557", "#6d8fb3", "#d4dde8", "#eef1f5"]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class Series:
    """One outline of the radar chart (or markers on the bars)."""

    label: str
    colour: str
    dash: str
    marker: str
    points: str
    dots: list[tuple[str, str]]


@dataclass
class Radar:
    """Radar chart geometry: axes, level rings, one polygon per series."""

    size: int
    centre: str
    axes: list[tuple[str, str, str, str, int]]
    rings: list[tuple[str, str, str, str]]
    series: list[Series] = field(default_factory=list)


@dataclass
class Bar:
    """One factor row of the bar chart."""

    number: int
    title: str
    label_y: str
    bar_y: str
    width: str
    fill: str
    value_x: str
    value: float | None
    markers: list[tuple[str, str, str, str, str]]


@dataclass
class Bars:
    """Horizontal bars with the level thresholds marked."""

    width: int
    height: int
    x0: int
    span: int
    bar_height: int
    thresholds: list[tuple[str, str]]
    rows: list[Bar]
    legend: list[Series]


def _series_sources(report: AggregateReport, all_label: str) -> list[tuple[str, dict[str, float | None]]]:
    factors = report.factors()
    sources = [(all_label, {f.id: f.score for f in factors})]
    if len(report.groups) > 1:
        for index, group in enumerate(report.groups):
            sources.append((group.label, {f.id: f.groups[index].score for f in factors}))
    return sources[: len(SERIES_STYLES)]


def radar(report: AggregateReport, all_label: str, size: int = 380) -> Radar | None:
    """Radar geometry, or None with fewer than three factors (no area to draw)."""
    factors = report.factors()
    if len(factors) < 3:
        return None
    c = size / 2
    r = size / 2 - 34

    def at(index: int, score: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(factors)
        return c + r * score / 100 * math.cos(angle), c + r * score / 100 * math.sin(angle)

    axes = []
    for i, f in enumerate(factors):
        x, y = at(i, 100)
        lx, ly = at(i, 113)
        axes.append((_fmt(x), _fmt(y), _fmt(lx), _fmt(ly + 4), f.number))
    rings = []
    for t in sorted({lv.threshold for lv in report.levels if lv.threshold > 0} | {100.0}):
        pts = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (at(i, t) for i in range(len(factors))))
        lx, ly = at(0, t)
        rings.append((pts, _fmt(lx + 4), _fmt(ly - 3), f"{t:g}"))
    chart = Radar(size=size, centre=f"{_fmt(c)}", axes=axes, rings=rings)
    for (label, scores), (colour, dash, marker) in zip(_series_sources(report, all_label), SERIES_STYLES, strict=False):
        coords = [at(i, scores[f.id] or 0.0) for i, f in enumerate(factors)]
        chart.series.append(
            Series(label=label, colour=colour, dash=dash, marker=marker,
                   points=" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coords),
                   dots=[(_fmt(x), _fmt(y)) for x, y in coords])
        )
    return chart


def bars(report: AggregateReport, all_label: str, width: int = 640) -> Bars:
    """Bar geometry: a title line and a bar per factor, level thresholds as vertical lines."""
    x0, span, top, row, bar_h = 8, width - 70, 26, 44, 16
    rank = {lv.id: lv.rank for lv in report.levels}
    groups = _series_sources(report, all_label)[1:]
    rows = []
    for i, f in enumerate(report.factors()):
        y = top + i * row
        w = span * (f.score or 0.0) / 100
        markers = []
        for (label, scores), (colour, _, marker) in zip(groups, SERIES_STYLES[1:], strict=False):
            score = scores[f.id]
            if score is not None:
                markers.append((_fmt(x0 + span * score / 100), _fmt(y + 16 + bar_h / 2), colour, marker, label))
        rows.append(
            Bar(number=f.number, title=f.title, label_y=_fmt(y + 11), bar_y=_fmt(y + 16), width=_fmt(w),
                fill=LEVEL_FILLS[min(rank.get(f.level or "", len(LEVEL_FILLS) - 1), len(LEVEL_FILLS) - 1)],
                value_x=_fmt(x0 + span + 8), value=f.score, markers=markers)
        )
    thresholds = [(_fmt(x0 + span * lv.threshold / 100), lv.label) for lv in report.levels if lv.threshold > 0]
    legend = [
        Series(label=label, colour=colour, dash=dash, marker=marker, points="", dots=[])
        for (label, _), (colour, dash, marker) in zip(groups, SERIES_STYLES[1:], strict=False)
    ]
    return Bars(width=width, height=top + len(rows) * row + 8, x0=x0, span=span, bar_height=bar_h,
                thresholds=thresholds, rows=rows, legend=legend)
