"""The interface every report format implements, and what templates receive."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TypedDict

from slp_assess.models.report import AggregateReport, Comparison, FactorReport, ItemReport, LevelInfo, PortfolioIndex
from slp_assess.report.charts import Distribution, GapChart, Profile


class ReportContext(TypedDict):
    """Variables of ``report.*.j2`` (besides the globals ``t``, ``say``, ``lang``, ``side``).

    ``profile`` and ``gap_chart`` are chart geometry and ``distribution`` gives an item's stacked
    bars and ``legend_scales`` a factor's answer scales with their colours, shown for the factors in
    ``legend_shown`` (HTML only; None and empty in Markdown). ``chart_label`` shortens a name that
    would not fit a chart. ``tones`` names each level's colour tone (``top``, ``mid``, …),
    ``fills`` its bar colour, ``shapes`` each side's marker shape.
    """

    report: AggregateReport
    levels: dict[str, LevelInfo]
    tones: dict[str, str]
    fills: dict[str, str]
    shapes: dict[str, str]
    profile: Profile | None
    gap_chart: GapChart | None
    distribution: Callable[[ItemReport], Distribution] | None
    legend_scales: Callable[[FactorReport], list[list[tuple[str, str]]]] | None
    legend_shown: set[str]
    chart_label: Callable[..., str]


class IndexContext(TypedDict):
    """Variables of ``index.*.j2``."""

    index: PortfolioIndex


class CompareContext(TypedDict):
    """Variables of ``compare.*.j2``."""

    comparison: Comparison
    levels: dict[str, LevelInfo]
    tones: dict[str, str]


class ReportRenderer(ABC):
    """Turns report data into the text of one file format.

    A ``binary`` format (PDF) renders a text first (the HTML to print) and gives its file's bytes
    through ``to_bytes``; for text formats the bytes are the UTF-8 text.
    """

    suffix: str
    binary = False

    def to_bytes(self, text: str, date: str | None = None) -> bytes:
        """The bytes of the file whose text ``render`` gave; ``date`` (ISO) for formats that stamp one."""
        return text.encode("utf-8")

    @abstractmethod
    def render(self, report: AggregateReport) -> str:
        """The report of one partnership."""

    @abstractmethod
    def render_index(self, index: PortfolioIndex) -> str:
        """The portfolio index of several partnerships."""

    @abstractmethod
    def render_compare(self, comparison: Comparison) -> str:
        """Progress between two assessments."""
