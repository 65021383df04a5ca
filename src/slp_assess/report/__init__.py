"""Report formats of ``slp report`` and ``slp compare``: one class per format behind one interface.

Jinja2 is imported only when a Markdown or HTML renderer is asked for, so ``slp score`` never
loads it.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slp_assess.report.interface import ReportRenderer


class ReportFormat(StrEnum):
    """The ``--format`` values of ``slp report`` and ``slp compare``."""

    MD = "md"
    HTML = "html"
    JSON = "json"
    PDF = "pdf"

    @property
    def suffix(self) -> str:
        """File name suffix of the format."""
        return f".{self.value}"

    def to_renderer(self, lang: str = "de", template_dir: Path | None = None) -> ReportRenderer:
        """The renderer for this choice."""
        match self:
            case ReportFormat.MD:
                from slp_assess.report.templated import MarkdownRenderer

                return MarkdownRenderer(lang, template_dir)
            case ReportFormat.HTML:
                from slp_assess.report.templated import HtmlRenderer

                return HtmlRenderer(lang, template_dir)
            case ReportFormat.JSON:
                from slp_assess.report.jsonfmt import JsonRenderer

                return JsonRenderer()
            case ReportFormat.PDF:
                from slp_assess.report.templated import PdfRenderer

                return PdfRenderer(lang, template_dir)
