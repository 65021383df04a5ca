"""Markdown and HTML: the same data through Jinja templates, differing in escaping and charts."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateRuntimeError

from slp_assess.errors import UsageError
from slp_assess.models.report import AggregateReport, Comparison, PortfolioIndex
from slp_assess.report import charts, inline, itemblocks, profilechart
from slp_assess.report.environment import build_environment, describe_failure
from slp_assess.report.interface import CompareContext, IndexContext, ReportContext, ReportRenderer
from slp_assess.report.texts import texts

# Rendering one report takes milliseconds; a user template still running after this long never ends.
USER_TEMPLATE_SECONDS = 60.0


class TemplateRenderer(ReportRenderer):
    """Renders ``report.<kind>.j2``, ``index.<kind>.j2`` and ``compare.<kind>.j2``."""

    kind = ""

    def __init__(self, lang: str = "de", template_dir: Path | None = None) -> None:
        self.lang = lang
        self.user_templates = template_dir is not None
        self.env = build_environment(self.kind, lang, template_dir)
        # A questionnaire's factors show the same few colour keys in every report of a portfolio.
        self._legend_block = lru_cache(maxsize=256)(partial(itemblocks.legend_block, words=texts(lang)))

    draws_charts = False

    def render(self, report: AggregateReport) -> str:
        """Render the partnership report."""
        return self._render(f"report.{self.kind}.j2", self._report_context(report))

    def render_pieces(self, report: AggregateReport) -> Iterator[str]:
        """Render the partnership report piece by piece (``Template.generate``: the same text as ``render``)."""
        return self._generate(f"report.{self.kind}.j2", self._report_context(report))

    def _report_context(self, report: AggregateReport) -> ReportContext:
        charted = self.draws_charts
        legends = charts.legends(report) if charted else {}
        levels = {lv.id: lv for lv in report.levels}
        tones = charts.level_tones(report.levels)
        words = texts(self.lang)
        context: ReportContext = {
            "report": report, "levels": levels, "tones": tones,
            "factors_by_id": {f.id: f for f in report.factors()},
            "fills": charts.level_fills(report.levels),
            "shapes": {g.role: charts.shape(g.role) for g in report.groups},
            "profile": charts.profile(report) if charted else None,
            "profile_chart": partial(profilechart.profile_chart, words=words, levels=levels, lang=self.lang) if charted else None,
            "gap_chart": charts.gap_chart(report) if charted else None,
            "distribution": charts.distribution if charted else None,
            "item_chart": partial(itemblocks.item_chart, words=words) if charted else None,
            "answer_table": partial(itemblocks.answer_table, words=words) if charted else None,
            "item_block": partial(itemblocks.item_block, words=words, lang=self.lang) if charted else None,
            "legend_block": self._legend_block if charted else None,
            "legend_scales": charts.legend_scales if charted else None,
            "legends": legends,
            "legend_shown": set(legends),
            "chart_label": charts.label,
            "level_badge": inline.level_badge_for(levels, tones, words) if charted else None,
            "previous_badge": inline.previous_badge_for(words, self.lang) if charted else None,
            "side_marker": inline.side_marker if charted else None,
            "side_key": inline.side_key if charted else None,
            "colour_key": inline.colour_key if charted else None,
        }
        return context

    def render_index(self, index: PortfolioIndex) -> str:
        """Render the portfolio index."""
        context: IndexContext = {"index": index}
        return self._render(f"index.{self.kind}.j2", context)

    def render_compare(self, comparison: Comparison) -> str:
        """Render the comparison."""
        levels = {lv.id: lv for lv in comparison.levels}
        tones = charts.level_tones(comparison.levels)
        context: CompareContext = {
            "comparison": comparison, "levels": levels, "tones": tones,
            "level_badge": inline.level_badge_for(levels, tones, texts(self.lang)) if self.draws_charts else None,
        }
        return self._render(f"compare.{self.kind}.j2", context)

    def _render(self, name: str, context: Any) -> str:
        try:
            with self._time_limit():
                return self.env.get_template(name).render(context)
        except Exception as exc:
            self._raise_if_users_fault(name, exc)
            raise

    def _generate(self, name: str, context: Any) -> Iterator[str]:
        if self.user_templates:
            # Whole, under the time limit: between pieces the caller's own code would run under it.
            yield self._render(name, context)
            return
        try:
            yield from self.env.get_template(name).generate(context)
        except Exception as exc:
            self._raise_if_users_fault(name, exc)
            raise

    @contextmanager
    def _time_limit(self) -> Iterator[None]:
        """A user template that renders longer than ``USER_TEMPLATE_SECONDS`` is stopped (a loop of loops).

        By a timer signal, which only the main thread of a process can receive (a portfolio worker is
        the main thread of its own process); elsewhere, and for our own templates, there is no limit.
        """
        if not self.user_templates or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
            yield
            return

        def stop(signum: int, frame: Any) -> None:
            raise TemplateRuntimeError(f"rendering took longer than {USER_TEMPLATE_SECONDS} s: does the template loop without end?")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, USER_TEMPLATE_SECONDS)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def _raise_if_users_fault(self, name: str, exc: Exception) -> None:
        # A broken or unsafe user template is the user's input: report it, don't crash. Whatever a
        # user template raises (a division by zero, a wrong type passed to a filter) is its fault;
        # in our own templates only template errors are expected, anything else is a bug to see.
        if isinstance(exc, TemplateError) or self.user_templates:
            raise UsageError(describe_failure(self.env, name, exc)) from None


class MarkdownRenderer(TemplateRenderer):
    """GitHub-flavoured Markdown with tables."""

    kind = "md"
    suffix = ".md"


class HtmlRenderer(TemplateRenderer):
    """One self-contained HTML file: inline CSS and SVG, no scripts, no external requests."""

    kind = "html"
    suffix = ".html"
    draws_charts = True


class PdfRenderer(HtmlRenderer):
    """A PDF: the HTML report printed on A4 by headless Chromium (see ``slp_assess.report.pdf``).

    ``render`` gives the HTML to print, ``to_bytes`` the printed file.
    """

    suffix = ".pdf"
    binary = True

    def to_bytes(self, text: str, date: str | None = None) -> bytes:
        """Print ``text`` (HTML) to PDF."""
        from slp_assess.report.pdf import html_to_pdf

        return html_to_pdf(text, date)
