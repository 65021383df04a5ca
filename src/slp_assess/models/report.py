"""Report data: what ``slp report`` and ``slp compare`` render and emit as JSON.

Everything a renderer shows is computed in ``slp_assess.aggregate`` and held here, with the
reader's language already applied to questionnaire texts; renderers only format.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from slp_assess.models.results import QuestionnaireRef, ScoreResult


class ReportModel(BaseModel):
    """Base of report models."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelInfo(ReportModel):
    """A readiness level as the reader sees it.

    Attributes:
        id: level id.
        label: label in the report language.
        threshold: lowest score (0..100) of the band.
        upper: the next level's threshold (100 for the top level).
        description: what the level means, in the report language.
        rank: 0 for the top level, counting down.
    """

    id: str
    label: str
    threshold: float
    upper: float
    description: str = ""
    rank: int


class Stats(ReportModel):
    """Spread of respondents' factor scores; ``stdev`` is the population standard deviation."""

    mean: float | None
    min: float | None
    max: float | None
    stdev: float | None
    n: int


class GroupScore(ReportModel):
    """Mean score of one side (``stadt``, ``landkreis``, ``gemeinde``, ``land``, ``other``).

    Attributes:
        n: respondents of the side with a score here.
        single_voice: only one respondent speaks for the side: shown, but not used for gap flags.
    """

    role: str
    label: str
    score: float | None
    level: str | None
    n: int
    single_voice: bool = False


class Gap(ReportModel):
    """Perception gap: the highest minus the lowest mean of the sides with 2 or more respondents.

    Attributes:
        factor: factor id.
        title: factor title.
        points: the difference in points.
        low: the group with the lowest mean.
        high: the group with the highest mean.
        flagged: 20 points or more.
    """

    factor: str
    title: str
    points: float
    low: GroupScore
    high: GroupScore
    flagged: bool


class OptionCount(ReportModel):
    """How many respondents chose one option of an item's scale."""

    key: str
    label: str
    count: int


class SideAnswers(ReportModel):
    """The answers of one side to one item.

    Attributes:
        options: respondents of the side per scale option, in scale order.
        not_applicable: answers ``n/a`` ("cannot judge").
        unanswered: respondents of the side who left the item blank.
        n: respondents of the side.
    """

    role: str
    label: str
    options: list[OptionCount]
    not_applicable: int
    unanswered: int
    n: int


class Note(ReportModel):
    """A participant's note on an item; ``who`` is the name or, anonymized, a number."""

    who: str
    role: str
    role_label: str
    text: str


class ItemReport(ReportModel):
    """Answers to one item across respondents.

    Attributes:
        id: item id.
        text: the question.
        critical: a must of the paper.
        reverse: a negatively phrased statement.
        options: counts per scale option, in scale order.
        not_applicable: answers ``n/a``.
        unanswered: respondents who left it blank.
        score: mean item score on 0..100, or None without answers.
        source: passage of the thesis paper.
        sides: the answers per side, in side order (the distribution the report draws).
        notes: the participants' notes on this item, in respondent order.
        critical_gap: a critical item's mean per partner side and the gap between them (single voices too).
    """

    id: str
    text: str
    critical: bool
    reverse: bool
    options: list[OptionCount]
    not_applicable: int
    unanswered: int
    score: float | None
    source: str
    sides: list[SideAnswers] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    critical_gap: CriticalGap | None = None


class SessionNote(ReportModel):
    """A note of a workshop session as a whole (kept once in its manifest, not in any person's file).

    Attributes:
        item: the item it was typed at, or None for the session in general.
        item_text: that item's text, empty without an item.
    """

    item: str | None
    item_text: str
    text: str


class Advice(ReportModel):
    """A recommendation as the reader sees it.

    Attributes:
        practice: planning-practice guidance, not a statement of the thesis paper.
    """

    text: str
    practice: bool = False


class FactorRef(ReportModel):
    """A factor named in the summary."""

    id: str
    number: int
    title: str
    score: float | None
    level: str | None
    short_title: str = ""


class PreviousScore(ReportModel):
    """A score of the earlier assessment beside today's (``--previous``).

    Attributes:
        score: the earlier score, None without data then.
        level: the earlier level.
        delta: today's score minus the earlier one, None unless both exist.
        direction: ``improved``, ``worsened``, ``unchanged`` or ``no_data``.
    """

    score: float | None
    level: str | None
    delta: float | None
    direction: str


class FactorReport(ReportModel):
    """One success factor, aggregated over respondents.

    Attributes:
        number: position in the questionnaire, 1-based (labels the radar chart axes).
        score: mean of respondents' factor scores (null ones left out).
        level: level of ``score``.
        stats: mean, min, max, standard deviation and n.
        coverage: share of all answers to the factor's items that were scored.
        groups: mean per role group, in role order.
        gap: perception gap, None with fewer than two sides of 2 or more respondents holding data.
        low_consensus: standard deviation of 20 or more.
        due: expected in the partnership's phase; a factor not yet due counts neither towards the
            overall score nor for blockers ("kommt in der nächsten Phase").
        recommendation_level: the level whose recommendations are shown: the lower of the factor's
            level and the lowest partner side's level; None at the top level.
        recommendations: next steps for that level (none at the top level).
        short_title: the factor's short name for charts (its title when the questionnaire has none).
        previous: the earlier assessment's score, with ``--previous``.
    """

    id: str
    number: int
    section: str
    title: str
    short_title: str = ""
    description: str
    weight: float
    score: float | None
    level: str | None
    stats: Stats
    coverage: float
    groups: list[GroupScore]
    gap: Gap | None
    low_consensus: bool
    due: bool = True
    recommendation_level: str | None = None
    recommendations: list[Advice]
    items: list[ItemReport]
    previous: PreviousScore | None = None


class SectionReport(ReportModel):
    """A part of the paper with its factors; ``due`` is False while none of them is due."""

    id: str
    title: str
    intro: str
    score: float | None
    level: str | None
    due: bool = True
    factors: list[FactorReport]


class SideScore(ReportModel):
    """One side's mean item score on a critical item, in percent."""

    role: str
    label: str
    score: float
    n: int


class CriticalGap(ReportModel):
    """A key requirement as the partner sides see it: each side's mean in percent and the gap between them.

    The factors' perception gaps average a key requirement with the other items and leave out single
    voices; a key requirement's gap between the city and the rural partners stays visible here, whatever
    the number of respondents per side (see ``aggregate.critical_sides``).

    Attributes:
        sides: each partner side that scored the item, in side order (single voices too: ``n`` is 1).
        points: the highest minus the lowest side mean; None with fewer than two partner sides.
        low: the side with the lowest mean; high: the side with the highest (None without a gap).
        flagged: a gap of 20 points or more.
    """

    item: str
    text: str
    factor: str
    factor_title: str
    sides: list[SideScore]
    points: float | None = None
    low: SideScore | None = None
    high: SideScore | None = None
    flagged: bool = False


class BlockerInfo(ReportModel):
    """A critical item below 50 % for at least one partner side (or, without any, for all respondents).

    Attributes:
        score: the blocking score in percent: the lowest blocking side's mean, or the mean of all.
        sides: the partner sides whose mean is below 50 %, lowest first; empty when the mean of
            all respondents decides.
        mean: the mean of all respondents in percent, which alone may look unremarkable.
        below: respondents whose own answer scored below 50 %.
        n: respondents who scored the item.
    """

    item: str
    text: str
    factor: str
    factor_title: str
    score: float
    sides: list[SideScore] = Field(default_factory=list)
    mean: float | None = None
    below: int
    n: int


class Priority(ReportModel):
    """One entry of the short list that opens the report: blockers first, then the weakest due factors.

    Attributes:
        rank: 1-based position.
        kind: ``blocker`` (the factor has key requirements not met) or ``factor`` (a weak factor that is due).
        score: the factor's score.
        blockers: the factor's key requirements not met, lowest first, with the sides that block.
        sides: the partner sides that block any of them, each with its lowest score, lowest first.
        recommendation: the first step recommended for the factor, if the questionnaire has one.
        short_title: the factor's short name.
        previous: the earlier assessment's score of the factor, with ``--previous``.
    """

    rank: int
    kind: str
    factor: str
    factor_title: str
    number: int
    score: float | None
    level: str | None
    blockers: list[BlockerInfo] = Field(default_factory=list)
    sides: list[SideScore] = Field(default_factory=list)
    recommendation: Advice | None = None
    short_title: str = ""
    previous: PreviousScore | None = None


class OptionShare(ReportModel):
    """How many respondents chose an option of a context question."""

    key: str
    label: str
    count: int


class ContextText(ReportModel):
    """A free-text answer to a context question."""

    who: str
    role_label: str
    text: str


class ContextReport(ReportModel):
    """The answers to one unscored context question (e.g. the barrier checklist)."""

    id: str
    text: str
    type: str
    options: list[OptionShare]
    answers: list[ContextText]
    answered: int


class PhaseInfo(ReportModel):
    """The partnership's phase the due factors follow from.

    Attributes:
        key: the phase key, or None when nobody named one (then every factor counts).
        label: its label in the report language.
        answers: how many respondents named each phase.
    """

    key: str | None
    label: str
    answers: list[OptionShare]


class Overall(ReportModel):
    """Overall result: the overall rule applied to the mean factor scores.

    Attributes:
        capped: the level was lowered because of blockers.
    """

    score: float | None
    level: str | None
    capped: bool
    blockers: list[BlockerInfo]
    phase: PhaseInfo | None = None


class RoleCount(ReportModel):
    """Respondents of one role."""

    role: str
    label: str
    n: int


class Verdict(ReportModel):
    """What the one-sentence verdict of the summary says.

    Attributes:
        blockers: key requirements not met.
        blocked_factors: factors with a key requirement not met.
        sides: the partner side(s) named in most unmet key requirements (several on a tie).
        weakest: the weakest due factor with a score, named when nothing blocks.
    """

    blockers: int
    blocked_factors: int
    sides: list[RoleCount] = Field(default_factory=list)
    weakest: FactorRef | None = None


class RepeatedRespondent(ReportModel):
    """A person who answered more than once in one report: same name (case and spaces aside), same side.

    Each answer counts in every score; the summary names the person, since answers of two rounds of
    a partnership belong in two reports (``--previous`` sets the earlier beside the later).

    Attributes:
        name: the name as first written; None in an anonymized report, which gives only how many.
        role_label: the side's label.
        dates: the date of each answer (ISO; None for an answer without one), in the order of the respondents.
    """

    name: str | None
    role: str
    role_label: str
    dates: list[str | None]


class Summary(ReportModel):
    """Executive summary: verdict, strongest and weakest factors, flagged gaps and low consensus.

    Attributes:
        gaps: every flagged perception gap, largest first (the summary shows the first three).
        single_voices: sides with a single respondent, named in the summary's warning.
        critical_gaps: every flagged gap between partner sides on a key requirement, largest first.
        repeated_respondents: people who answered more than once (same name, same side), named in the
            summary's warning: their answers may come from different rounds of the assessment.
    """

    strongest: list[FactorRef]
    weakest: list[FactorRef]
    gaps: list[Gap]
    low_consensus: list[FactorRef]
    verdict: Verdict | None = None
    single_voices: list[RoleCount] = Field(default_factory=list)
    critical_gaps: list[CriticalGap] = Field(default_factory=list)
    repeated_respondents: list[RepeatedRespondent] = Field(default_factory=list)


class RespondentInfo(ReportModel):
    """A respondent on the title page; names and files are dropped when anonymized."""

    label: str
    organisation: str | None
    role: str
    role_label: str
    date: str | None
    file: str | None


class SourcePassage(ReportModel):
    """A passage of the thesis paper and the items derived from it.

    Attributes:
        items: the item ids (for tools; the report names the factors).
        factors: the short names of the factors these items belong to, in document order.
    """

    text: str
    items: list[str]
    factors: list[str] = Field(default_factory=list)


class ReportMeta(ReportModel):
    """Title page data.

    Attributes:
        partnership: name of the partnership.
        questionnaire: id and version.
        questionnaire_title: title in the report language.
        paper: citation of the thesis paper, if the questionnaire names it.
        language: language of the report.
        assessed_from: earliest answer date (ISO), if any.
        assessed_to: latest answer date (ISO), if any.
        generated: report date (ISO): from ``SOURCE_DATE_EPOCH``, else the latest answer date;
            None only when neither is known.
        anonymized: names, organisations and files left out.
        generator: tool name and version.
    """

    partnership: str
    questionnaire: QuestionnaireRef
    questionnaire_title: str
    paper: str | None
    language: str
    assessed_from: str | None
    assessed_to: str | None
    generated: str | None
    anonymized: bool
    generator: str


class PreviousAssessment(ReportModel):
    """The earlier assessment a report is compared with.

    Attributes:
        date: its latest answer date (ISO), if any.
        respondents: its number of answer files.
        overall: its overall score beside today's.
    """

    date: str | None
    respondents: int
    overall: PreviousScore


class AggregateReport(ReportModel):
    """The full report of one partnership: one or several respondents.

    Attributes:
        respondent_count: number of answer files aggregated; 1 makes a single-respondent report.
        roles: respondents per role, in role order.
        levels: readiness levels, top first.
        overall: the overall result of all respondents.
        groups: overall result per role group.
        summary: what the executive summary names.
        priorities: the prioritised short list (at most 5): blockers, then the weakest due factors.
        sections: parts of the paper with factor scores, items and notes.
        context: answers to the unscored context questions (phase, barriers, ...).
        sources: source passages of the paper (method appendix).
        previous: the earlier assessment the report is compared with (``--previous``), if any.
        recommendation_order: the factors below the top level, by id, in the order their next steps
            are shown: the short list first, then the others from the weakest up.
        session_notes: notes of a workshop session as a whole, each shown once.
    """

    meta: ReportMeta
    respondent_count: int
    respondents: list[RespondentInfo]
    roles: list[RoleCount]
    levels: list[LevelInfo]
    overall: Overall
    groups: list[GroupScore]
    summary: Summary
    priorities: list[Priority] = Field(default_factory=list)
    sections: list[SectionReport]
    context: list[ContextReport] = Field(default_factory=list)
    sources: list[SourcePassage]
    previous: PreviousAssessment | None = None
    recommendation_order: list[str] = Field(default_factory=list)
    session_notes: list[SessionNote] = Field(default_factory=list)

    def factors(self) -> list[FactorReport]:
        """All factors in document order."""
        return [f for s in self.sections for f in s.factors]


class PartnershipScore(ScoreResult):
    """One aggregated row per partnership for ``slp score --group-by partnership``.

    A ``ScoreResult`` whose factor scores are the respondents' means, so every ``score``
    format prints it unchanged. ``file`` is the files' common folder, ``respondent.role``
    the roles joined by ``+``.

    Attributes:
        respondents: number of answer files aggregated.
        files: the answer files.
        repeated_respondents: how many people answered more than once (same name, same side), as a
            report of the same files names them (``Summary.repeated_respondents``): each answer counts.
    """

    respondents: int
    files: list[str] = Field(default_factory=list)
    repeated_respondents: int = 0


class IndexRow(ReportModel):
    """One partnership in the portfolio index.

    Attributes:
        largest_gap: the factor gap with the most points (flagged or not).
        largest_critical_gap: the flagged gap between partner sides on a key requirement with the most
            points: a factor's averages can hide it (see ``CriticalGap``).
        repeated_respondents: how many people answered more than once (``Summary.repeated_respondents``).
    """

    partnership: str
    questionnaire: str
    href: str
    respondents: int
    roles: list[RoleCount]
    score: float | None
    level: str | None
    level_label: str
    level_rank: int | None
    weakest: FactorRef | None
    blockers: list[BlockerInfo]
    largest_gap: Gap | None
    largest_critical_gap: CriticalGap | None = None
    repeated_respondents: int = 0


class PortfolioIndex(ReportModel):
    """The index of a portfolio run: one row per partnership."""

    language: str
    generated: str | None
    generator: str
    rows: list[IndexRow]


class Change(ReportModel):
    """Change of one factor (or the overall score) between two assessments.

    Attributes:
        direction: ``improved``, ``worsened``, ``unchanged`` or ``no_data``.
        level_change: levels gained (positive) or lost (negative); None without data.
    """

    id: str
    number: int
    title: str
    old_score: float | None
    new_score: float | None
    delta: float | None
    old_level: str | None
    new_level: str | None
    old_level_label: str
    new_level_label: str
    direction: str
    level_change: int | None


class Comparison(ReportModel):
    """Progress of a partnership between two assessments; changed factors first."""

    partnership: str
    questionnaire: QuestionnaireRef
    questionnaire_title: str
    language: str
    generated: str | None
    generator: str
    old_date: str | None
    new_date: str | None
    old_respondents: int
    new_respondents: int
    overall: Change
    factors: list[Change]
    levels: list[LevelInfo]
