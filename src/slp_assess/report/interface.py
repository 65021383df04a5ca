"""The interface every report format implements, and what templates receive."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from typing import TypedDict

from markupsafe import Markup

from slp_assess.models.report import AggregateReport, Comparison, FactorReport, ItemReport, LevelInfo, PortfolioIndex
from slp_assess.report.charts import Distribution, GapChart, Legend, Profile


class ReportContext(TypedDict):
    """Variables of ``report.*.j2`` (besides the globals ``t``, ``say``, ``lang``, ``side``).

    ``levels`` finds a level by id and ``factors_by_id`` a factor. ``tones`` names each level's
    colour tone (``top``, ``mid``, …), ``fills`` its bar colour, ``shapes`` each side's marker shape.
    ``chart_label`` shortens a name that would not fit a chart.

    Charts (HTML only; None, or empty, in Markdown): ``profile`` and ``gap_chart`` are chart
    geometry; ``profile_chart(profile)`` draws the profile as an SVG element with its text alternative
    (ready-escaped HTML, ``report.profilechart``). ``distribution`` gives an item's stacked bars as geometry; ``item_chart`` draws them
    as an SVG element with its text alternative and ``answer_table`` gives their numbers as a table
    (both ready-escaped HTML, ``report.itemblocks``); ``item_block`` gives the whole item (question,
    tags, score, chart, notes) and ``legend_block(legend)`` a factor's colour key. ``legends`` maps the id of each factor that
    shows the key to its answer colours to that key (``charts.Legend``: the scales with their
    colours, and whether "cannot judge" and blank answers occur); ``legend_shown`` is the same set
    of ids, and ``legend_scales`` gives any factor's scales with their colours.

    Small pieces (HTML only, ready-escaped, ``report.inline``): ``level_badge(id)`` a level's name in
    its tone ("no data" for None), ``previous_badge(prev)`` an earlier score and the change since,
    ``side_marker(shape, x, y, hollow, size)`` a side's marker on a chart, ``side_key(shape, hollow)``
    and ``colour_key(fill)`` a marker or a colour as a small picture for legends. The macros of
    ``partials/macros.html.j2`` (``level``, ``previous_note``, ``marker``, ``key``, ``swatch``) call them.
    """

    report: AggregateReport
    levels: dict[str, LevelInfo]
    tones: dict[str, str]
    fills: dict[str, str]
    shapes: dict[str, str]
    factors_by_id: dict[str, FactorReport]
    profile: Profile | None
    profile_chart: Callable[[Profile], Markup] | None
    gap_chart: GapChart | None
    distribution: Callable[[ItemReport], Distribution] | None
    item_chart: Callable[[ItemReport], Markup] | None
    answer_table: Callable[[ItemReport], Markup] | None
    item_block: Callable[[ItemReport], Markup] | None
    legend_block: Callable[[Legend], Markup] | None
    legend_scales: Callable[[FactorReport], list[list[tuple[str, str]]]] | None
    legends: dict[str, Legend]
    legend_shown: set[str]
    chart_label: Callable[..., str]
    level_badge: Callable[[str | None], Markup] | None
    previous_badge: Callable[[object], Markup] | None
    side_marker: Callable[..., Markup] | None
    side_key: Callable[..., Markup] | None
    colour_key: Callable[[str], Markup] | None


class IndexContext(TypedDict):
    """Variables of ``index.*.j2``."""

    index: PortfolioIndex


class CompareContext(TypedDict):
    """Variables of ``compare.*.j2`` (``level_badge`` as in ``ReportContext``, HTML only)."""

    comparison: Comparison
    levels: dict[str, LevelInfo]
    tones: dict[str, str]
    level_badge: Callable[[str | None], Markup] | None


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

    def render_pieces(self, report: AggregateReport) -> Iterator[str]:
        """The text of ``render`` in pieces, whose concatenation is exactly that text.

        For writing a large report straight into its file (a partnership of 10,000 respondents has a
        report of some 15 MB) without holding the whole text, and its bytes, in memory at once.
        A format that cannot do better gives its whole text as one piece.
        """
        yield self.render(report)

    @abstractmethod
    def render_index(self, index: PortfolioIndex) -> str:
        """The portfolio index of several partnerships."""

    @abstractmethod
    def render_compare(self, comparison: Comparison) -> str:
        """Progress between two assessments."""
