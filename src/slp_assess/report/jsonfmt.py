"""JSON: the full report data for downstream tools; its schema is the models' JSON Schema."""

from __future__ import annotations

from pydantic import BaseModel

from slp_assess.models.report import AggregateReport, Comparison, PortfolioIndex
from slp_assess.report.interface import ReportRenderer


def _dump(model: BaseModel) -> str:
    return model.model_dump_json(indent=2) + "\n"


class JsonRenderer(ReportRenderer):
    """Pretty-printed JSON, key order as in the models, so output is stable byte for byte."""

    suffix = ".json"

    def render(self, report: AggregateReport) -> str:
        """The report as JSON."""
        return _dump(report)

    def render_index(self, index: PortfolioIndex) -> str:
        """The index as JSON."""
        return _dump(index)

    def render_compare(self, comparison: Comparison) -> str:
        """The comparison as JSON."""
        return _dump(comparison)
