"""The interface every report format implements, and what templates receive."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TypedDict

from slp_assess.models.report import AggregateReport, Comparison, LevelInfo, PortfolioIndex
from slp_assess.report.charts import Bars, Radar


class ReportContext(TypedDict):
    """Variables of ``report.*.j2`` (besides the globals ``t``, ``say``, ``lang``, ``side``).

    ``radar`` and ``bars`` are chart geometry (HTML only; None in Markdown).
    """

    report: AggregateReport
    levels: dict[str, LevelInfo]
    radar: Radar | None
    bars: Bars | None


class IndexContext(TypedDict):
    """Variables of ``index.*.j2``."""

    index: PortfolioIndex


class CompareContext(TypedDict):
    """Variables of ``compare.*.j2``."""

    comparison: Comparison
    levels: dict[str, LevelInfo]


class ReportRenderer(ABC):
    """Turns report data into the text of one file format."""

    suffix: str

    @abstractmethod
    def render(self, report: AggregateReport) -> str:
        """The report of one partnership."""

    @abstractmethod
    def render_index(self, index: PortfolioIndex) -> str:
        """The portfolio index of several partnerships."""

    @abstractmethod
    def render_compare(self, comparison: Comparison) -> str:
        """Progress between two assessments."""
