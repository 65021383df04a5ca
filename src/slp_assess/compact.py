"""Compact forms of scored files: what workers send back for aggregation, and lean assessments.

``slp score --group-by`` keeps every respondent until the last file is read, since a partnership's
files may come in any order. A ``ScoredFile`` holds only what the aggregate needs: the partnership,
the respondent's side, phase and date, one byte per item (which scale key was answered) and the
factor scores and counts as the file's result has them (8 and 2 bytes each), about 300 bytes in all.

Reports need the answers themselves (notes, context, names). ``AssessmentBuilder`` turns a worker's
payload into an ``Assessment`` whose equal parts are shared: answers without a note, factor and section
scores and the questionnaire reference are one object each however many respondents have them.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from math import isnan, nan
from typing import Any

from slp_assess.aggregate import Assessment
from slp_assess.models.answers import AnswerFile, AnswerValue, Respondent, partnership_name, person_key
from slp_assess.models.results import Blocker, FactorScore, OverallScore, QuestionnaireRef, RespondentRef, ScoreResult, SectionScore
from slp_assess.scoring import ScoringPlan


class ItemCodec:
    """Item scores of one questionnaire as bytes: per item, the index of the scale key answered.

    One byte per item, or two where a scale has 255 keys or more (``no_score`` marks n/a and unanswered).
    """

    def __init__(self, plan: ScoringPlan) -> None:
        self.plan = plan
        self.items = list(plan.item_values)
        self.values = [list(plan.item_values[item].values()) for item in self.items]
        self.index = [{key: n for n, key in enumerate(plan.item_values[item])} for item in self.items]
        self.typecode = "B" if all(len(keys) < 255 for keys in self.index) else "H"
        self.no_score = 255 if self.typecode == "B" else 65535

    def encode(self, item_scores: Mapping[str, float], answers: AnswerFile) -> bytes:
        """The scale key of every scored item."""
        codes = array(self.typecode, [self.no_score]) * len(self.items)
        for position, item in enumerate(self.items):
            if item in item_scores:
                codes[position] = self.index[position][answers.answers[item].value]  # type: ignore[index]
        return codes.tobytes()

    def decode(self, data: bytes) -> dict[str, float]:
        """The item scores (the plan's own float objects) of the scored items."""
        codes = array(self.typecode, data)
        return {self.items[n]: self.values[n][code] for n, code in enumerate(codes) if code != self.no_score}


_codecs: dict[int, ItemCodec] = {}


def codec_for(plan: ScoringPlan) -> ItemCodec:
    """The item codec of a scoring plan, built on first use."""
    codec = _codecs.get(id(plan))
    if codec is None or codec.plan is not plan:
        if len(_codecs) > 64:
            _codecs.clear()
        codec = _codecs[id(plan)] = ItemCodec(plan)
    return codec


@dataclass(frozen=True, slots=True)
class ScoredFile:
    """One valid answer file as ``--group-by`` keeps it until its partnership is aggregated."""

    file: str
    partnership: str
    questionnaire: str
    version: str
    side: str
    person: str  # ``person_key`` of the respondent's name: who answered more than once
    phase: str | None
    date: str | None
    codes: bytes
    # The factor scores as doubles (NaN for no data) and the items scored per factor, in plan order:
    # computed where the file was scored, so aggregating is left little to do.
    factor_scores: bytes
    factor_counts: bytes

    @property
    def key(self) -> tuple[str, str, str]:
        """(partnership however spaced, questionnaire id, version): files that are aggregated together."""
        return (partnership_name(self.partnership), self.questionnaire, self.version)

    def shared(self, keep: Callable[[str], str]) -> ScoredFile:
        """The same, with its repeating texts (partnership, side, date, ...) replaced by ``keep``'s copy."""
        return ScoredFile(
            self.file, keep(self.partnership), keep(self.questionnaire), keep(self.version), keep(self.side), self.person,
            None if self.phase is None else keep(self.phase), None if self.date is None else keep(self.date),
            self.codes, self.factor_scores, self.factor_counts,
        )


def scored_file(result: Mapping[str, Any], answers: AnswerFile, plan: ScoringPlan) -> ScoredFile:
    """The compact form of a file scored as ``result`` (a ``ScoreResult`` dict)."""
    ref = result["questionnaire"]
    factors = result["factors"]  # in plan order: ``ScoringPlan.score`` lists them so
    return ScoredFile(
        file=result["file"], partnership=result["partnership"], questionnaire=ref["id"], version=ref["version"],
        side=result["respondent"]["role"], person=person_key(answers.respondent.name), phase=result["overall"]["phase"],
        date=result["date"],
        codes=codec_for(plan).encode(plan.item_scores(answers), answers),
        factor_scores=array("d", [nan if f["score"] is None else f["score"] for f in factors]).tobytes(),
        factor_counts=array("H", [f["scored"] for f in factors]).tobytes(),
    )


class ExpandedFile:
    """A ``ScoredFile`` with its item and factor scores, as ``aggregate`` reads a respondent."""

    __slots__ = ("compact", "factor_scores", "item_scores", "scored")

    def __init__(self, compact: ScoredFile, plan: ScoringPlan) -> None:
        self.compact = compact
        self.item_scores: dict[str, float] = codec_for(plan).decode(compact.codes)
        ids = [factor.id for factor in plan.factors]
        self.factor_scores: dict[str, float | None] = {
            factor: None if isnan(score) else score for factor, score in zip(ids, array("d", compact.factor_scores), strict=True)
        }
        self.scored: dict[str, int] = dict(zip(ids, array("H", compact.factor_counts), strict=True))

    @property
    def file(self) -> str:
        return self.compact.file

    @property
    def side(self) -> str:
        return self.compact.side

    @property
    def person(self) -> str:
        return self.compact.person

    @property
    def phase(self) -> str | None:
        return self.compact.phase

    @property
    def date(self) -> str | None:
        return self.compact.date


_VALUE_ONLY = frozenset({"value"})


class AssessmentBuilder:
    """Builds assessments from scored results and answers, sharing the parts that repeat."""

    def __init__(self) -> None:
        self._shared: dict[tuple[Any, ...], Any] = {}
        self._texts: dict[str, str] = {}
        # Answers with only a value, by that value (a scale key, "n/a" or None).
        self._plain_answers: dict[str | None, AnswerValue] = {}

    def _one(self, kind: type[Any], data: Mapping[str, Any]) -> Any:
        try:
            key = (kind, *data.values())
            found = self._shared.get(key)
        except TypeError:  # a list among the values (a blocker's sides)
            key = (kind, *(tuple(v) if isinstance(v, list) else v for v in data.values()))
            found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = kind.model_validate(data)
        return found

    def answers(self, data: Mapping[str, Any]) -> AnswerFile:
        """The answer file a validated one dumped as ``data`` (``model_dump(exclude_unset=True)``).

        Only answers with a note are validated again (one model each); every other answer is one
        shared model per scale key, and item ids and choices are shared texts. Answers are frozen and
        the dicts only read, so sharing changes nothing but memory. The file itself is constructed
        from the fields it had (``data`` is valid: it came from a validated model), with the same
        fields marked as set.
        """
        fields = dict(data)
        if "answers" in fields:
            fields["answers"] = {self._text(item): self._answer(value) for item, value in fields["answers"].items()}
        if "context" in fields:
            fields["context"] = {
                self._text(question): self._text(value) if isinstance(value, str) else [self._text(v) for v in value]
                for question, value in fields["context"].items()
            }
        if "respondent" in fields:
            fields["respondent"] = Respondent.model_validate(fields["respondent"])
        if "partnership" in fields:
            fields["partnership"] = self._text(fields["partnership"])
        return AnswerFile.model_construct(**fields)

    def shared(self, answers: AnswerFile) -> AnswerFile:
        """A validated answer file with the parts that other files have too shared, as ``AssessmentBuilder.answers`` shares them.

        For a file that stays where it was read: about a third of its memory, with nothing dumped
        or validated again. Answers with only a value are one model per scale key (the first one
        seen); an answer with a note stays its own. The file given is changed in place (its fields
        are given equal values) and returned: it must be one no one else holds yet.
        """
        text, answer_model = self._texts.setdefault, self._answer_model
        fields = answers.__dict__
        fields["answers"] = {text(item, item): answer_model(value) for item, value in answers.answers.items()}
        fields["context"] = {
            text(question, question): text(value, value) if isinstance(value, str) else [text(v, v) for v in value]
            for question, value in answers.context.items()
        }
        fields["partnership"] = text(answers.partnership, answers.partnership)
        return answers

    def _answer_model(self, value: AnswerValue) -> AnswerValue:
        if value.__pydantic_fields_set__ != _VALUE_ONLY:
            return value
        return self._plain_answers.setdefault(value.value, value)

    def _text(self, text: str) -> str:
        return self._texts.setdefault(text, text)

    def _answer(self, value: Mapping[str, Any]) -> AnswerValue:
        if "note" in value:
            return AnswerValue.model_validate(value)
        # Keyed by the fields set, as ``_answer_model`` keys them: `{}` and `{value: null}` are both
        # unanswered, but only the second one has its value set, as the reference path reads them.
        if "value" not in value:
            found: AnswerValue | None = self._shared.get((AnswerValue,))
            if found is None:
                found = self._shared[(AnswerValue,)] = AnswerValue.model_validate(value)
            return found
        found = self._plain_answers.get(value["value"])
        if found is None:
            found = self._plain_answers[value["value"]] = AnswerValue.model_validate(value)
        return found

    def result(self, data: Mapping[str, Any]) -> ScoreResult:
        """The ``ScoreResult`` of a result dict that ``ScoringPlan.score`` made (so already valid)."""
        overall = data["overall"]
        if overall["blockers"]:
            overall = OverallScore.model_construct(
                score=overall["score"], level=overall["level"], phase=overall["phase"],
                blockers=[self._one(Blocker, b) for b in overall["blockers"]],
            )
        else:
            overall = self._one(OverallScore, overall)
        return ScoreResult.model_construct(
            file=data["file"],
            questionnaire=self._one(QuestionnaireRef, data["questionnaire"]),
            partnership=self._text(data["partnership"]),
            respondent=RespondentRef.model_validate(data["respondent"]),
            date=None if data["date"] is None else self._text(data["date"]),
            overall=overall,
            sections=[self._one(SectionScore, s) for s in data["sections"]],
            factors=[self._one(FactorScore, f) for f in data["factors"]],
        )

    def assessment(self, result: Mapping[str, Any], answers: Mapping[str, Any], plan: ScoringPlan) -> Assessment:
        """The assessment of one file from its result dict and its answers (a dict ``AnswerFile`` accepts)."""
        answer_file = self.answers(answers)
        return Assessment(answer_file, self.result(result), plan.item_scores(answer_file))
