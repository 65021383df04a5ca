"""The fast per-file path of ``slp score``: same results as the reference path, several times quicker.

The reference path (``loading.load_answer_file`` + ``scoring.score_answers``) keeps the YAML node
tree for line numbers, runs PyYAML's Python constructor and builds results with validation. For
batches of thousands of files that dominates. Here, for a file that turns out to be valid:

* the file is read by the reference path's ``yamlio.read_text``; YAML is read by ``fastyaml``:
  plain block-style files by a small line reader, anything else by libyaml with a cached scalar
  resolver and the reference path's tree check; no node tree or line numbers are kept;
* the answers are validated by the same pydantic model (an answer given as plain text is taken from a
  table of validated ones, ``validated_answer_file``) and the same ``check_answers`` rules;
* scoring is ``scoring.ScoringPlan``, the same code the reference path runs, and yields a plain
  dict: cheap to send between processes; ``ScoreResult.model_validate`` (in Rust) turns it into the
  model faster than ``model_construct`` (in Python) would.

Anything unusual (YAML errors, tags, merge keys, duplicate keys, any problem at all) falls back to
the reference path, which produces the error records with file and line exactly as before. Tests
check that both paths give identical results.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from slp_assess.errors import InvalidInputError
from slp_assess.fastyaml import Fallback, load_yaml_data
from slp_assess.models.answers import AnswerFile, AnswerValue
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.scoring import plan_for
from slp_assess.validation import check_answers
from slp_assess.yamlio import YamlDocument, read_text

__all__ = ["CompiledQuestionnaire", "Fallback", "fast_answers", "fast_score", "load_yaml_data"]



class CompiledQuestionnaire:
    """The scoring plan of a questionnaire plus the tables of a quick validity precheck."""

    def __init__(self, q: Questionnaire) -> None:
        self.questionnaire = q
        self.plan = plan_for(q)
        self.item_keys = {
            item.id: frozenset(self.plan.item_values[item.id]) | (frozenset() if item.required else {NOT_APPLICABLE})
            for _, item in q.items()
        }
        self.context_keys = {c.id: (c.type, frozenset(o.key for o in c.options)) for c in q.context}

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


# The answer of each plain scale key already read (``'4'``, ``n/a``): frozen, so files can share them.
_PLAIN_ANSWERS: dict[str, AnswerValue] = {}
_PLAIN_ANSWERS_LIMIT = 4096
_PLAIN_KEY_LENGTH = 100


def validated_answer_file(data: dict[str, Any]) -> AnswerFile:
    """``AnswerFile.model_validate(data)``: the same model (fields, fields set); a ``ValidationError`` where it raises one.

    Pydantic validates each answer through two Python functions (``_answer_as_mapping`` and
    ``_key_as_text``) and a model: for a file of fifty answers a third of reading it. An answer that
    is a plain text (the usual ``item: '4'``) is always ``AnswerValue(value=text)``, so it is taken
    from a table of those; only the rest of the file, and answers with a note, go through pydantic.
    Answers of any other kind (a number, a list, a key that is not a text) leave the whole file to
    pydantic.
    """
    given = data.get("answers")
    if type(given) is not dict:
        return AnswerFile.model_validate(data)
    answers: dict[str, AnswerValue] = {}
    for key, value in given.items():
        if type(key) is not str:
            return AnswerFile.model_validate(data)
        kind = type(value)
        if kind is str:
            if value:  # a blank entry is "not answered yet" (``AnswerFile._prepare``)
                answers[key] = _plain_answer(value)
        elif kind is dict:
            answers[key] = AnswerValue.model_validate(value)
        elif value is not None:
            return AnswerFile.model_validate(data)
    # Validated without its answers (an error there is the file's, as pydantic would report it too),
    # then given them: in the field's place, and marked as set as validation marks it.
    answer_file = AnswerFile.model_validate({k: v for k, v in data.items() if k != "answers"})
    answer_file.__dict__["answers"] = answers
    answer_file.__pydantic_fields_set__.add("answers")
    return answer_file


def _plain_answer(value: str) -> AnswerValue:
    found = _PLAIN_ANSWERS.get(value)
    if found is None:
        found = AnswerValue.model_validate({"value": value})
        if len(value) <= _PLAIN_KEY_LENGTH and len(_PLAIN_ANSWERS) < _PLAIN_ANSWERS_LIMIT:
            _PLAIN_ANSWERS[value] = found
    return found


def fast_answers(
    path: Path, get_questionnaire: Callable[[str, str], Questionnaire | None], compiled: dict[int, CompiledQuestionnaire]
) -> tuple[AnswerFile, CompiledQuestionnaire]:
    """A valid answer file's answers and its compiled questionnaire, read quickly.

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
        answers = validated_answer_file(data)
    except ValidationError as exc:
        raise Fallback("invalid") from exc
    questionnaire = get_questionnaire(answers.questionnaire, answers.version)
    if questionnaire is None:
        raise Fallback("unknown questionnaire")
    plan = compiled.get(id(questionnaire))
    if plan is None or plan.questionnaire is not questionnaire:
        plan = compiled[id(questionnaire)] = CompiledQuestionnaire(questionnaire)
    if not plan.precheck(answers) and check_answers(answers, questionnaire, YamlDocument(str(path), data, None)):
        raise Fallback("problems")
    return answers, plan


def fast_score(
    path: Path, get_questionnaire: Callable[[str, str], Questionnaire | None], compiled: dict[int, CompiledQuestionnaire]
) -> dict[str, Any]:
    """Score a valid answer file quickly, as a plain dict shaped like ``ScoreResult``.

    Raises Fallback whenever the reference path must decide (invalid file, anything unusual).
    """
    answers, plan = fast_answers(path, get_questionnaire, compiled)
    return plan.plan.score(answers, str(path))
