"""Pydantic models: the single definition of every file format."""

from slp_assess.models.answers import AnswerFile, AnswerValue, Respondent
from slp_assess.models.questionnaire import (
    ContextQuestion,
    Factor,
    Item,
    Level,
    Questionnaire,
    Scale,
    ScaleOption,
    Section,
)
from slp_assess.models.report import AggregateReport, Comparison, PartnershipScore, PortfolioIndex
from slp_assess.models.results import FactorScore, FileError, OverallScore, ScoreResult

__all__ = [
    "AggregateReport",
    "Comparison",
    "PartnershipScore",
    "PortfolioIndex",
    "AnswerFile",
    "AnswerValue",
    "ContextQuestion",
    "Factor",
    "FactorScore",
    "FileError",
    "Item",
    "Level",
    "OverallScore",
    "Questionnaire",
    "Respondent",
    "Scale",
    "ScaleOption",
    "ScoreResult",
    "Section",
]
