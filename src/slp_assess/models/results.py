"""Score results: what ``slp score`` emits and reports consume."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ResultModel(BaseModel):
    """Base of result models."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Blocker(ResultModel):
    """A critical item that scored below 0.5."""

    item: str
    factor: str
    score: float


class FactorScore(ResultModel):
    """Score of one success factor.

    Attributes:
        id: factor id.
        section: id of its section.
        score: 0..100, or None when no item was scored ("no data").
        level: level id, or None with no data.
        scored: items that counted (not ``n/a``, not unanswered).
        items: items of the factor.
    """

    id: str
    section: str
    score: float | None
    level: str | None
    scored: int
    items: int

    @property
    def coverage(self) -> float:
        """Share of the factor's items that were scored."""
        return self.scored / self.items if self.items else 0.0


class SectionScore(ResultModel):
    """Weight-averaged score of a section's factors."""

    id: str
    score: float | None
    level: str | None


class OverallScore(ResultModel):
    """Overall score: weight-average of all factors, level capped by blockers."""

    score: float | None
    level: str | None
    blockers: list[Blocker]


class QuestionnaireRef(ResultModel):
    """Which questionnaire a result belongs to."""

    id: str
    version: str


class RespondentRef(ResultModel):
    """Who answered, as far as the answer file says."""

    name: str | None = None
    organisation: str | None = None
    role: str = "other"


class ScoreResult(ResultModel):
    """Result of scoring one answer file."""

    file: str
    questionnaire: QuestionnaireRef
    partnership: str
    respondent: RespondentRef
    date: str | None = None
    overall: OverallScore
    sections: list[SectionScore]
    factors: list[FactorScore]


class FileErrorDetail(ResultModel):
    """One problem of an unusable file."""

    line: int | None
    message: str
    hint: str = ""


class FileError(ResultModel):
    """Error record for a file that could not be scored."""

    file: str
    errors: list[FileErrorDetail]
