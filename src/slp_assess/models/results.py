"""Score results: what ``slp score`` emits and reports consume."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ResultModel(BaseModel):
    """Base of result models."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Blocker(ResultModel):
    """A critical item scored below 50 % (as shown, rounded to one decimal).

    Attributes:
        item: the critical item.
        factor: its factor.
        score: the item score in percent (0..100) that blocks: the lowest blocking side's mean, or
            the respondent's own score in a single file.
        sides: in an aggregate, the partner sides whose mean is below 50 %; empty when the mean of
            all respondents decides (a single file, or only ``other`` respondents).
    """

    item: str
    factor: str
    score: float
    sides: list[str] = []


class FactorScore(ResultModel):
    """Score of one success factor.

    Attributes:
        id: factor id.
        section: id of its section.
        score: 0..100, or None when no item was scored ("no data").
        level: level id, or None with no data.
        scored: items that counted (not ``n/a``, not unanswered).
        items: items of the factor.
        due: expected in the partnership's phase; a factor not yet due is scored and shown but
            counts neither towards the overall score nor for blockers.
    """

    id: str
    section: str
    score: float | None
    level: str | None
    scored: int
    items: int
    due: bool = True

    @property
    def coverage(self) -> float:
        """Share of the factor's items that were scored."""
        return self.scored / self.items if self.items else 0.0


class SectionScore(ResultModel):
    """Weight-averaged score of a section's due factors (of all its factors when none is due yet).

    Attributes:
        due: at least one of the section's factors is due.
    """

    id: str
    score: float | None
    level: str | None
    due: bool = True


class OverallScore(ResultModel):
    """Overall score: weight-average of the due factors, level capped by blockers.

    Attributes:
        phase: the partnership's phase the due factors follow from; None when not given
            (then every factor counts).
    """

    score: float | None
    level: str | None
    blockers: list[Blocker]
    phase: str | None = None


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
