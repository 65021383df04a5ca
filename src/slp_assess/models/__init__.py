"""Pydantic models: the single definition of every file format.

Names are imported on first use, so a command pays only for the models it needs
(`slp score` never builds the report models).
"""

from __future__ import annotations

import importlib
from typing import Any

_MODULE_OF = {
    "AnswerFile": "answers",
    "AnswerValue": "answers",
    "Respondent": "answers",
    "ContextQuestion": "questionnaire",
    "Factor": "questionnaire",
    "Item": "questionnaire",
    "Level": "questionnaire",
    "Questionnaire": "questionnaire",
    "Scale": "questionnaire",
    "ScaleOption": "questionnaire",
    "Section": "questionnaire",
    "AggregateReport": "report",
    "Comparison": "report",
    "PartnershipScore": "report",
    "PortfolioIndex": "report",
    "FactorScore": "results",
    "FileError": "results",
    "OverallScore": "results",
    "ScoreResult": "results",
}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
