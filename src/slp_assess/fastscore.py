"""The fast per-file path of ``slp score``: same results as the reference path, several times quicker.

The reference path (``loading.load_answer_file`` + ``scoring.score_answers``) keeps the YAML node
tree for line numbers, runs PyYAML's Python constructor and builds results with validation. For
batches of thousands of files that dominates. Here, for a file that turns out to be valid:

* YAML is composed by libyaml with a cached scalar resolver, and the node tree is turned into data
  by a small converter, then dropped: no line numbers are kept;
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

import yaml
from pydantic import ValidationError

from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.scoring import BLOCKER_BELOW, cap_level, weighted_mean
from slp_assess.validation import check_answers
from slp_assess.yamlio import StrictLoader, YamlDocument

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SIMPLE_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)
_CACHE_LIMIT = 20_000


class Fallback(Exception):
    """The fast path cannot handle this file; use the reference path."""


class _CachedResolveLoader(StrictLoader):  # type: ignore[misc,valid-type]
    """StrictLoader whose tag resolution is memoised (the regex matching dominates composing).

    StrictLoader has no path resolvers, so the per-node descend/ascend hooks do nothing; they are
    replaced by no-ops that skip the Python-level checks.
    """

    _resolved: dict[tuple[type, Any, Any], str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        key = (kind, value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._resolved) < _CACHE_LIMIT:
                self._resolved[key] = tag
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


assert not StrictLoader.yaml_path_resolvers  # the no-op hooks above rely on this

_constructor = StrictLoader("")
_scalars: dict[tuple[str, str], Any] = {}


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    key = (tag, node.value)
    try:
        return _scalars[key]
    except KeyError:
        pass
    if tag not in _SIMPLE_SCALAR_TAGS:
        raise Fallback(tag)
    value = StrictLoader.yaml_constructors[tag](_constructor, node)
    if len(_scalars) < _CACHE_LIMIT:
        _scalars[key] = value
    return value


def _convert(node: yaml.Node) -> Any:
    """Data of a composed node, as StrictLoader would construct it; Fallback for anything unusual."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        return _scalar(node)
    if kind is yaml.MappingNode:
        if node.tag != _MAP:
            raise Fallback(node.tag)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise Fallback("complex key")
            key = key_node.value if key_node.tag == _STR else _scalar(key_node)
            if key in result:
                raise Fallback("duplicate key")
            result[key] = value_node.value if type(value_node) is yaml.ScalarNode and value_node.tag == _STR else _convert(value_node)
        return result
    if kind is yaml.SequenceNode:
        if node.tag != _SEQ:
            raise Fallback(node.tag)
        return [_convert(item) for item in node.value]
    raise Fallback(str(kind))  # pragma: no cover - composer yields only these three kinds


def load_yaml_data(text: str) -> Any:
    """The data of a one-document YAML text; raises Fallback on anything but plain, valid YAML."""
    loader = _CachedResolveLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise Fallback("YAML error") from exc
    finally:
        loader.dispose()
    if root is None:
        raise Fallback("empty document")
    try:
        return _convert(root)
    except RecursionError as exc:  # recursive aliases
        raise Fallback("recursive") from exc


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
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
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
