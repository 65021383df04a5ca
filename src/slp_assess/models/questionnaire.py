"""The questionnaire format: sections -> factors -> items, scales, levels, context questions.

Structural rules that need the whole document (unique ids, known scales, translations,
threshold order) live in ``slp_assess.validation`` so that every problem is reported at once
with its YAML line, instead of pydantic stopping at the first model validator.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*(\.[a-z0-9][a-z0-9_\-]*)*$"),
]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
# Text in several languages, keyed by ISO 639-1 code, e.g. {de: "...", en: "..."}.
LocalizedText = dict[LanguageCode, str]

NOT_APPLICABLE = "n/a"


class StrictModel(BaseModel):
    """Base for file-format models: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleOption(StrictModel):
    """One answer option of a scale.

    Attributes:
        key: what an answer file contains, e.g. ``"4"`` or ``"yes"``.
        label: label per language.
        points: the option's value; the item score is the points rescaled to 0..1.
    """

    key: Annotated[str, StringConstraints(min_length=1)]
    label: LocalizedText
    points: float


class Scale(StrictModel):
    """A named, reusable, ordered answer scale (worst to best by convention)."""

    options: list[ScaleOption] = Field(min_length=2)
    label: LocalizedText | None = None

    @property
    def min_points(self) -> float:
        """Lowest points of any option."""
        return min(o.points for o in self.options)

    @property
    def max_points(self) -> float:
        """Highest points of any option."""
        return max(o.points for o in self.options)

    def option(self, key: str) -> ScaleOption | None:
        """Return the option with this key, or None."""
        return next((o for o in self.options if o.key == key), None)


class Level(StrictModel):
    """A readiness band: scores at or above ``threshold`` (0..100) reach it."""

    id: Identifier
    threshold: Annotated[float, Field(ge=0, le=100)]
    label: LocalizedText
    description: LocalizedText | None = None


class Item(StrictModel):
    """A scored question.

    Attributes:
        id: stable, human-readable id such as ``org.agreement.voting``.
        text: the question per language.
        help: optional explanation per language.
        scale: name of a scale in ``Questionnaire.scales``.
        weight: weight within its factor.
        reverse: the statement is negative; agreement lowers the score.
        critical: a must; scoring below 0.5 caps the overall level.
        required: ``n/a`` is not accepted.
        source: the passage of the thesis paper the item derives from.
    """

    id: Identifier
    text: LocalizedText
    help: LocalizedText | None = None
    scale: Identifier
    weight: Annotated[float, Field(gt=0)] = 1.0
    reverse: bool = False
    critical: bool = False
    required: bool = False
    source: Annotated[str, StringConstraints(min_length=1)]


class Factor(StrictModel):
    """A scored success factor: a group of items with recommendations per level."""

    id: Identifier
    title: LocalizedText
    description: LocalizedText | None = None
    weight: Annotated[float, Field(gt=0)] = 1.0
    recommendations: dict[Identifier, list[LocalizedText]] = Field(default_factory=dict)
    items: list[Item]


class Section(StrictModel):
    """A part of the paper (discovery phase, success factors, financing, organisation)."""

    id: Identifier
    title: LocalizedText
    intro: LocalizedText | None = None
    factors: list[Factor]


class ContextOption(StrictModel):
    """A choice of a context question."""

    key: Annotated[str, StringConstraints(min_length=1)]
    label: LocalizedText


class ContextQuestion(StrictModel):
    """An unscored question that describes the partnership (free text or choices)."""

    id: Identifier
    text: LocalizedText
    help: LocalizedText | None = None
    type: Literal["text", "choice", "multiple_choice"] = "text"
    options: list[ContextOption] = Field(default_factory=list)


def default_levels() -> list[Level]:
    """Wilder Collaboration Factors Inventory bands: mean 4.0 / 3.0 on a 1-5 scale."""
    return [
        Level(id="ready", threshold=75, label={"de": "tragfähig", "en": "ready"}),
        Level(id="partly", threshold=50, label={"de": "teilweise tragfähig", "en": "partly ready"}),
        Level(id="not_ready", threshold=0, label={"de": "noch nicht tragfähig", "en": "not ready"}),
    ]


class Questionnaire(StrictModel):
    """A questionnaire file.

    Attributes:
        id: stable id, referenced by answer files.
        version: answer files must name the same version.
        languages: languages every text must exist in; the first is not implied default.
        default_language: language used when none is chosen.
        levels: readiness bands, highest threshold first; the lowest must start at 0.
        scales: named answer scales.
        sections: the parts of the paper, each with scored factors.
        context: unscored questions describing the partnership.
        minutes: estimated duration of a workshop session.
    """

    id: Identifier
    version: Annotated[str, StringConstraints(min_length=1)]
    languages: list[LanguageCode] = Field(default_factory=lambda: ["de", "en"], min_length=1)
    default_language: LanguageCode = "de"
    title: LocalizedText
    description: LocalizedText
    source: str | None = None
    minutes: Annotated[int, Field(gt=0)] | None = None
    levels: list[Level] = Field(default_factory=default_levels, min_length=1)
    scales: dict[Identifier, Scale]
    sections: list[Section]
    context: list[ContextQuestion] = Field(default_factory=list)

    def factors(self) -> list[tuple[Section, Factor]]:
        """All factors with their section, in document order."""
        return [(s, f) for s in self.sections for f in s.factors]

    def items(self) -> list[tuple[Factor, Item]]:
        """All scored items with their factor, in document order."""
        return [(f, i) for s in self.sections for f in s.factors for i in f.items]

    def item_index(self) -> dict[str, Item]:
        """Items by id."""
        return {i.id: i for _, i in self.items()}

    def level_for(self, score: float) -> Level:
        """The highest level whose threshold the score reaches."""
        ordered = sorted(self.levels, key=lambda lv: lv.threshold, reverse=True)
        return next((lv for lv in ordered if score >= lv.threshold), ordered[-1])

    def ordered_levels(self) -> list[Level]:
        """Levels from the top one down."""
        return sorted(self.levels, key=lambda lv: lv.threshold, reverse=True)
