"""The fast per-file path of ``slp score``: same results as the reference path, several times quicker.

The reference path (``loading.load_answer_file`` + ``scoring.score_answers``) keeps the YAML node
tree for line numbers, runs PyYAML's Python constructor and builds results with validation. For
batches of thousands of files that dominates. Here, for a file that turns out to be valid:

* the file is read by the reference path's ``yamlio.read_text``; YAML is read by ``fastyaml``:
  plain block-style files by a small line reader, anything else by libyaml with a cached scalar
  resolver and the reference path's tree check; no node tree or line numbers are kept;
* the answers are validated by the same pydantic model and the same ``check_answers`` rules;
* scoring uses tables precomputed once per questionnaire and yields a plain dict: cheap to send
  between processes; ``ScoreResult.model_validate`` (in Rust) turns it into the model faster than
  ``model_construct`` (in Python) would.

Anything unusual (YAML errors, tags, merge keys, duplicate keys, any problem at all) falls back to
the reference path, which produces the error records with file and line exactly as before. Tests
check that both paths give identical results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from slp_assess.errors import InvalidInputError
from slp_assess.fastyaml import Fallback, load_yaml_data
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.scoring import BLOCKER_BELOW, cap_level, weighted_mean
from slp_assess.validation import check_answers
from slp_assess.yamlio import YamlDocument, read_text

__all__ = ["CompiledQuestionnaire", "Fallback", "fast_score", "load_yaml_data"]



@dataclass(frozen=True)
class _FactorPlan:
    section: str
    id: str
    weight: float
    items: tuple[tuple[str, float], ...]


class CompiledQuestionnaire:
    """Lookup tables for scoring one questionnaire, built once per process.

    Mirrors ``scoring.score_answers`` exactly (same arithmetic in the same order), so results are
    equal to the last bit; ``tests/test_batch.py`` checks this.
    """

    def __init__(self, q: Questionnaire) -> None:
        self.questionnaire = q
        self.ref = {"id": q.id, "version": q.version}
        # item id -> scale key -> item score in 0..1 (reversed where asked)
        self.item_values: dict[str, dict[str, float]] = {}
        for _, item in q.items():
            scale = q.scales[item.scale]
            low, high = scale.min_points, scale.max_points
            values = {}
            for option in scale.options:
                value = (option.points - low) / (high - low)
                values.setdefault(option.key, 1.0 - value if item.reverse else value)
            self.item_values[item.id] = values
        self.factors = [
            _FactorPlan(s.id, f.id, f.weight, tuple((i.id, i.weight) for i in f.items)) for s, f in q.factors()
        ]
        self.sections = [(s.id, tuple((f.id, f.weight) for f in s.factors)) for s in q.sections]
        self.critical = [(f.id, i.id) for f, i in q.items() if i.critical]
        self.levels = [(lv.threshold, lv.id) for lv in q.ordered_levels()]
        self.item_keys = {
            item.id: frozenset(values) | (frozenset() if item.required else {NOT_APPLICABLE})
            for (_, item), values in zip(q.items(), self.item_values.values(), strict=True)
        }
        self.context_keys = {c.id: (c.type, frozenset(o.key for o in c.options)) for c in q.context}

    def level(self, score: float | None) -> str | None:
        """Same as ``Questionnaire.level_for(score).id``; None for no data."""
        if score is None:
            return None
        for threshold, level_id in self.levels:
            if score >= threshold:
                return level_id
        return self.levels[-1][1]

    def precheck(self, answers: AnswerFile) -> bool:
        """True when ``check_answers`` certainly finds nothing; False means: ask it.

        Deliberately stricter than ``check_answers``, never more lenient.
        """
        if answers.version != self.questionnaire.version:
            return False
        keys = self.item_keys
        for item_id, answer in answers.answers.items():
            allowed = keys.get(item_id)
            if allowed is None or answer.value not in allowed:
                return False
        context = self.context_keys
        for question_id, value in answers.context.items():
            question = context.get(question_id)
            if question is None:
                return False
            kind, options = question
            if kind == "text":
                if not isinstance(value, str):
                    return False
            elif kind == "choice":
                if not isinstance(value, str) or value not in options:
                    return False
            elif not all(choice in options for choice in ([value] if isinstance(value, str) else value)):
                return False
        return True

    def score(self, answers: AnswerFile, file: str) -> dict[str, Any]:
        """Score validated answers; the result as ``ScoreResult.model_dump()`` would give it."""
        item_scores: dict[str, float] = {}
        values = self.item_values
        for item_id, answer in answers.answers.items():
            if answer.value != NOT_APPLICABLE:
                item_scores[item_id] = values[item_id][answer.value]
        level = self.level
        factors = []
        factor_values: dict[str, float | None] = {}
        for plan in self.factors:
            scored = [(weight, s) for item_id, weight in plan.items if (s := item_scores.get(item_id)) is not None]
            mean = weighted_mean(scored)
            score = None if mean is None else 100.0 * mean
            factor_values[plan.id] = score
            factors.append(
                {"id": plan.id, "section": plan.section, "score": score, "level": level(score),
                 "scored": len(scored), "items": len(plan.items)}
            )
        sections = []
        for section_id, members in self.sections:
            s_score = weighted_mean((w, s) for fid, w in members if (s := factor_values.get(fid)) is not None)
            sections.append({"id": section_id, "score": s_score, "level": level(s_score)})
        overall = weighted_mean(
            (plan.weight, s) for plan in self.factors if (s := factor_values.get(plan.id)) is not None
        )
        blockers = [
            {"item": item_id, "factor": factor_id, "score": s}
            for factor_id, item_id in self.critical
            if (s := item_scores.get(item_id)) is not None and s < BLOCKER_BELOW
        ]
        overall_level = level(overall)
        if blockers and overall_level is not None:
            overall_level = cap_level(self.questionnaire, overall_level)
        respondent = answers.respondent
        return {
            "file": file,
            "questionnaire": self.ref,
            "partnership": answers.partnership,
            "respondent": {"name": respondent.name, "organisation": respondent.organisation, "role": respondent.role},
            "date": answers.date.isoformat() if answers.date else None,
            "overall": {"score": overall, "level": overall_level, "blockers": blockers},
            "sections": sections,
            "factors": factors,
        }


def fast_score(
    path: Path, get_questionnaire: Callable[[str], Questionnaire | None], compiled: dict[int, CompiledQuestionnaire]
) -> dict[str, Any]:
    """Score a valid answer file quickly, as a plain dict shaped like ``ScoreResult``.

    Raises Fallback whenever the reference path must decide (invalid file, anything unusual).
    """
    try:
        text = read_text(path)  # the reference path's reader: regular UTF-8 files only, same newlines
    except InvalidInputError as exc:
        raise Fallback("unreadable") from exc
    data = load_yaml_data(text)
    if not isinstance(data, dict) or ("sections" in data and "answers" not in data):
        raise Fallback("not an answer file")
    try:
        answers = AnswerFile.model_validate(data)
    except ValidationError as exc:
        raise Fallback("invalid") from exc
    questionnaire = get_questionnaire(answers.questionnaire)
    if questionnaire is None:
        raise Fallback("unknown questionnaire")
    plan = compiled.get(id(questionnaire))
    if plan is None or plan.questionnaire is not questionnaire:
        plan = compiled[id(questionnaire)] = CompiledQuestionnaire(questionnaire)
    if not plan.precheck(answers) and check_answers(answers, questionnaire, YamlDocument(str(path), data, None)):
        raise Fallback("problems")
    return plan.score(answers, str(path))
