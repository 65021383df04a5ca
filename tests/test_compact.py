"""Compact forms (``slp_assess.compact``): what workers send back must rebuild exactly what was read."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from slp_assess.aggregate import assessment_of
from slp_assess.compact import AssessmentBuilder, ExpandedFile, scored_file
from slp_assess.errors import InvalidInputError
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.answers import AnswerFile
from slp_assess.scoring import plan_for

REPO = Path(__file__).resolve().parents[1]
FILES = sorted((REPO / "examples").rglob("*.yaml")) + sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))


def _valid(catalog: QuestionnaireCatalog) -> list[tuple[Path, AnswerFile, object]]:
    found = []
    for path in FILES:
        try:
            answers, questionnaire = load_answer_file(path, catalog)
        except InvalidInputError:
            continue
        found.append((path, answers, questionnaire))
    return found


@pytest.fixture(scope="module")
def loaded():
    catalog = QuestionnaireCatalog.with_files([REPO / "tests" / "fixtures" / "core" / "mini.yaml",
                                               REPO / "tests" / "fixtures" / "report" / "questionnaire.yaml"])
    found = _valid(catalog)
    assert len(found) > 20
    return found


def _fields_sets(model: object) -> object:
    """Every model's set of fields set, nested, to compare two models beyond equality."""
    if isinstance(model, dict):
        return {k: _fields_sets(v) for k, v in model.items()}
    if isinstance(model, list):
        return [_fields_sets(v) for v in model]
    if hasattr(model, "__pydantic_fields_set__"):
        return (sorted(model.__pydantic_fields_set__), {k: _fields_sets(v) for k, v in model.__dict__.items()})
    return None


def test_rebuilt_answers_equal_the_ones_read(loaded):
    builder = AssessmentBuilder()
    for _, answers, _ in loaded:
        rebuilt = builder.answers(answers.model_dump(exclude_unset=True))
        assert rebuilt == answers
        assert rebuilt.model_dump() == answers.model_dump()
        assert rebuilt.model_dump(exclude_unset=True) == answers.model_dump(exclude_unset=True)
        assert _fields_sets(rebuilt) == _fields_sets(answers)


def test_shared_answers_equal_the_ones_read_and_share_their_equal_parts(loaded):
    builder = AssessmentBuilder()
    shared = []
    for _, answers, _ in loaded:
        before = answers.model_dump()
        again = builder.shared(answers)
        assert again == answers
        assert again.model_dump() == answers.model_dump() == before  # the file read is left as it was
        assert again.model_dump(exclude_unset=True) == answers.model_dump(exclude_unset=True)
        assert _fields_sets(again) == _fields_sets(answers)
        shared.append(again)
    # Equal answers of only a value are one object across files; an answer with a note is its own.
    by_value: dict[object, set[int]] = {}
    for answers in shared:
        for value in answers.answers.values():
            if value.model_fields_set == {"value"}:
                by_value.setdefault(value.value, set()).add(id(value))
            else:
                assert all(value is not v for other in shared if other is not answers for v in other.answers.values())
    assert by_value and all(len(ids) == 1 for ids in by_value.values())


def test_rebuilt_assessments_equal_the_reference(loaded):
    builder = AssessmentBuilder()
    rng = random.Random(7)
    for path, answers, questionnaire in rng.sample(loaded, len(loaded)):
        plan = plan_for(questionnaire)
        reference = assessment_of(answers, questionnaire, str(path))
        built = builder.assessment(plan.score(answers, str(path)), answers.model_dump(exclude_unset=True), plan)
        assert built.result.model_dump() == reference.result.model_dump()
        assert built.result.model_dump_json() == reference.result.model_dump_json()
        assert dict(built.item_scores) == dict(reference.item_scores)
        assert (built.side, built.phase, built.date, built.factor_scores, built.scored) == (
            reference.side, reference.phase, reference.date, reference.factor_scores, reference.scored)


def test_a_scored_file_unpacks_to_the_reference_scores(loaded):
    for path, answers, questionnaire in loaded:
        plan = plan_for(questionnaire)
        reference = assessment_of(answers, questionnaire, str(path))
        expanded = ExpandedFile(scored_file(plan.score(answers, str(path)), answers, plan), plan)
        assert expanded.item_scores == dict(reference.item_scores)
        assert (expanded.side, expanded.phase, expanded.date, expanded.file) == (
            reference.side, reference.phase, reference.date, reference.file)
        assert expanded.factor_scores == reference.factor_scores
        assert expanded.scored == reference.scored


@pytest.mark.parametrize("keys", [3, 254, 255, 700])
def test_item_codes_round_trip_for_any_scale_size(keys):
    from types import SimpleNamespace

    from slp_assess.compact import ItemCodec

    values = {f"k{n}": n / (keys - 1) for n in range(keys)}
    plan = SimpleNamespace(item_values={"a.x": values, "b.y": values, "c.z": values})
    rng = random.Random(keys)
    answers = SimpleNamespace(answers={"a.x": SimpleNamespace(value=f"k{keys - 1}"), "c.z": SimpleNamespace(value=f"k{rng.randrange(keys)}")})
    item_scores = {item: values[answer.value] for item, answer in answers.answers.items()}
    codec = ItemCodec(plan)  # type: ignore[arg-type]
    data = codec.encode(item_scores, answers)  # type: ignore[arg-type]
    assert len(data) == 3 * (1 if keys < 255 else 2)
    assert codec.decode(data) == item_scores
