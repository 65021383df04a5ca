"""The survey formats ``slp export`` writes."""

from __future__ import annotations

from enum import StrEnum

from slp_assess.models.questionnaire import Questionnaire


class SurveyFormat(StrEnum):
    """A survey tool's questionnaire format."""

    XLSFORM = "xlsform"
    LIMESURVEY = "limesurvey"

    @property
    def suffix(self) -> str:
        """The file suffix the tool expects."""
        return ".xlsx" if self is SurveyFormat.XLSFORM else ".txt"

    @property
    def binary(self) -> bool:
        """Whether the file is binary (cannot go to a terminal)."""
        return self is SurveyFormat.XLSFORM


def build_survey(q: Questionnaire, fmt: SurveyFormat) -> bytes:
    """The questionnaire as a survey file of the format."""
    if fmt is SurveyFormat.XLSFORM:
        from slp_assess.survey.xlsform import build_xlsform

        return build_xlsform(q)
    from slp_assess.survey.limesurvey import build_limesurvey

    return build_limesurvey(q)
