"""The questionnaire format: sections -> factors -> items, scales, levels, context questions.

Structural rules that need the whole document (unique ids, known scales, translations,
threshold order) live in ``slp_assess.validation`` so that every problem is reported at once
with its YAML line, instead of pydantic stopping at the first model validator.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from slp_assess.rounding import shown

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*(\.[a-z0-9][a-z0-9_\-]*)*$"),
]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
# Text in several languages, keyed by ISO 639-1 code, e.g. {de: "...", en: "..."}.
LocalizedText = dict[LanguageCode, str]
# A label for charts and lists, where a full title does not fit.
ShortText = dict[LanguageCode, Annotated[str, StringConstraints(min_length=1, max_length=32)]]

NOT_APPLICABLE = "n/a"

# A session longer than a day is a typo (and a huge number would only make the welcome screen odd).
MAX_MINUTES = 24 * 60
# Bounds of every number in a questionnaire (points, weights, thresholds). Within them a number has at
# most 13 significant digits, which a double holds exactly enough that no sum, product or ratio of the
# scoring overflows, underflows or moves a score by anything near the tenth it is shown to: weights
# from 0.000001 up keep every product with a score a normal float, and no score leaves 0..100.
NUMBER_LIMIT = 1_000_000
NUMBER_DECIMALS = 6


def _few_decimals(value: float) -> float:
    if round(value, NUMBER_DECIMALS) != value:
        raise PydanticCustomError(
            "too_many_decimals",
            "{value} has more than {decimals} decimal places",
            {"value": repr(value), "decimals": NUMBER_DECIMALS,
             "hint": f"round it to at most {NUMBER_DECIMALS} decimal places; scores are shown to one"},
        )
    return value


# Numbers are finite floats within their bounds (pydantic's ge/gt/le) with at most NUMBER_DECIMALS decimals.
# Points of an option: any number from -1,000,000 to 1,000,000.
Points = Annotated[float, Field(allow_inf_nan=False, ge=-NUMBER_LIMIT, le=NUMBER_LIMIT), AfterValidator(_few_decimals)]
# A weight: above 0 (so at least 0.000001) and at most 1,000,000.
Weight = Annotated[float, Field(allow_inf_nan=False, gt=0, le=NUMBER_LIMIT), AfterValidator(_few_decimals)]
# A level's threshold, compared with scores in 0..100.
Threshold = Annotated[float, Field(allow_inf_nan=False, ge=0, le=100), AfterValidator(_few_decimals)]


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
    points: Points


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
    threshold: Threshold
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
    weight: Weight = 1.0
    reverse: bool = False
    critical: bool = False
    required: bool = False
    source: Annotated[str, StringConstraints(min_length=1)]


def _recommendation_as_mapping(value: Any) -> Any:
    # Version 1.0 files write a recommendation as plain text per language: {de: ..., en: ...}.
    if isinstance(value, dict) and "text" not in value:
        return {"text": value}
    return value


class Recommendation(StrictModel):
    """A next step shown for a factor at a level.

    Attributes:
        text: the step per language; self-contained, so it reads right without the others.
        basis: ``paper`` when the thesis paper says it, ``practice`` for planning-practice guidance
            the paper does not contain (reports label these as such); None when not stated.
        source: the passage of the paper a ``paper`` recommendation rests on.
    """

    text: LocalizedText
    basis: Literal["paper", "practice"] | None = None
    source: str | None = None


RecommendationEntry = Annotated[
    Recommendation, BeforeValidator(_recommendation_as_mapping, json_schema_input_type=LocalizedText | Recommendation)
]


class Factor(StrictModel):
    """A scored success factor: a group of items with recommendations per level.

    Attributes:
        short_title: a name of at most 32 characters for charts and the report's summary; the
            title stands in where it is missing.
        expected_from: the phase (an entry of ``Questionnaire.phases.order``) from which the factor
            is expected; before it the factor is scored and shown but does not count.
    """

    id: Identifier
    title: LocalizedText
    short_title: ShortText | None = None
    description: LocalizedText | None = None
    weight: Weight = 1.0
    expected_from: Identifier | None = None
    recommendations: dict[Identifier, list[RecommendationEntry]] = Field(default_factory=dict)
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


class Phases(StrictModel):
    """Which context question gives the partnership's phase, and the phases in order.

    Attributes:
        question: id of a ``choice`` context question whose option keys include every phase.
        order: phase keys, earliest first (e.g. findung, aufbau, umsetzung, verstetigung).
    """

    question: Identifier
    order: list[Identifier] = Field(min_length=1)


class ItemMove(StrictModel):
    """Where a previous version's item goes.

    Attributes:
        to: the item id in this version; None keeps the id.
        values: old scale key -> new scale key; None keeps the keys. An old key not listed here
            cannot be carried over (the answer is dropped, its note kept).
        drop: the item is gone; the reason per language.
        note_to: with ``drop``, the item of this version that takes the old answer's note (the
            answer itself is not carried over): a note is the participant's own words and
            usually still fits the question that replaced the dropped one.
    """

    to: Identifier | None = None
    values: dict[str, str] | None = None
    drop: LocalizedText | None = None
    note_to: Identifier | None = None


def _keep_as_move(value: Any) -> Any:
    return {} if value == "keep" else value


ItemMoveEntry = Annotated[ItemMove, BeforeValidator(_keep_as_move, json_schema_input_type=Literal["keep"] | ItemMove)]


class Migration(StrictModel):
    """How answers to a previous version carry over to this one (``slp migrate``).

    Items and context questions of the old version that are not listed are dropped.

    Attributes:
        from_version: the version the answers were given to (``from`` in YAML).
        items: old item id -> ``keep`` or a move.
        context: old context question id -> ``keep`` or a move.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_version: str = Field(alias="from", min_length=1)
    items: dict[str, ItemMoveEntry] = Field(default_factory=dict)
    context: dict[str, ItemMoveEntry] = Field(default_factory=dict)


def split_reference(name: str) -> tuple[str, str | None]:
    """``slp-readiness@1.0`` as (``slp-readiness``, ``1.0``): a questionnaire named with its version.

    A name without ``@`` (or with nothing before or after it) is an id alone: (name, None).
    """
    qid, at, version = name.partition("@")
    return (qid, version) if at and qid and version else (name, None)


def version_order(version: str) -> tuple[tuple[int, str], ...]:
    """A sort key for versions: "2.0" after "1.10" after "1.9" (numeric parts as numbers, others as text)."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in version.split("."))


def default_levels() -> list[Level]:
    """Bands after the Wilder Collaboration Factors Inventory (mean 4.0 / 3.0 on a 1-5 scale).

    Labelled by how far a partnership has come, not as a pass/fail verdict: there is no blueprint
    ("kein Patentrezept"), and a young partnership is not a failed one.
    """
    return [
        Level(id="ready", threshold=75, label={"de": "gefestigt", "en": "established"}),
        Level(id="partly", threshold=50, label={"de": "in Entwicklung", "en": "developing"}),
        Level(id="not_ready", threshold=0, label={"de": "am Anfang", "en": "at the start"}),
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
        phases: the context question that names the partnership's phase, and the phase order.
        migrations: how answers to earlier versions carry over.
    """

    id: Identifier
    version: Annotated[str, StringConstraints(min_length=1)]
    languages: list[LanguageCode] = Field(default_factory=lambda: ["de", "en"], min_length=1)
    default_language: LanguageCode = "de"
    title: LocalizedText
    description: LocalizedText
    source: str | None = None
    minutes: Annotated[int, Field(gt=0, le=MAX_MINUTES)] | None = None
    levels: list[Level] = Field(default_factory=default_levels, min_length=1)
    scales: dict[Identifier, Scale]
    sections: list[Section]
    context: list[ContextQuestion] = Field(default_factory=list)
    phases: Phases | None = None
    migrations: list[Migration] = Field(default_factory=list)

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
        """The highest level whose threshold the score reaches, as the score is shown (rounded)."""
        rounded = shown(score)
        ordered = self.ordered_levels()
        return next((lv for lv in ordered if rounded >= lv.threshold), ordered[-1])

    def ordered_levels(self) -> list[Level]:
        """Levels from the top one down."""
        return sorted(self.levels, key=lambda lv: lv.threshold, reverse=True)
