"""The fast path's validation of an answer file (``fastscore.validated_answer_file``) is pydantic's.

Answers given as plain texts are taken from a table instead of being validated one by one; every
other kind of answer, and the rest of the file, is still validated by ``AnswerFile``. For generated
files of every kind of answer, the model must be the one ``AnswerFile.model_validate`` makes (its
fields, the fields marked as set, every nested answer), or both must refuse the file.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from slp_assess.fastscore import validated_answer_file
from slp_assess.models.answers import AnswerFile

SCALE_TEXTS = st.sampled_from(["1", "2", "4", "n/a", "0", "", " ", "4 ", "vier", "ß" * 120])
ANSWER_VALUES = st.one_of(
    SCALE_TEXTS,
    st.text(max_size=8),
    st.none(),
    st.integers(-2, 6),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.booleans(),
    st.lists(SCALE_TEXTS, max_size=2),
    st.fixed_dictionaries({}, optional={"value": st.one_of(SCALE_TEXTS, st.integers(0, 5), st.none(), st.booleans()),
                                        "note": st.one_of(st.text(max_size=10), st.none(), st.integers()),
                                        "extra": st.just("x")}),
)
ITEM_KEYS = st.one_of(st.sampled_from(["success.trust.agreements_kept", "a.b.c", "", "n/a"]), st.text(max_size=6), st.integers(0, 3))
ANSWER_MAPPINGS = st.dictionaries(ITEM_KEYS, ANSWER_VALUES, max_size=6)
ANSWERS = st.one_of(ANSWER_MAPPINGS, ANSWER_MAPPINGS, ANSWER_MAPPINGS, st.none(), st.just(""), st.lists(SCALE_TEXTS, max_size=2))
VALID_FIELDS = st.fixed_dictionaries(
    {"questionnaire": st.sampled_from(["slp-readiness", "slp-readiness@2.0"]), "version": st.sampled_from(["2.0", 2.0])},
    optional={
        "partnership": st.sampled_from(["Elbtal", ""]),
        "respondent": st.sampled_from([{"role": "stadt"}, {"name": "A", "role": "LAND"}]),
        "context": st.sampled_from([{"phase": "start"}, {"topics": ["a", "b"]}, {"x": ""}]),
        "date": st.sampled_from(["2026-01-10", None]),
    },
)
# Now and then one field the rest of the file is refused for, beside answers of every kind.
BROKEN_FIELDS = st.sampled_from([{"questionnaire": ""}, {"questionnaire": "slp-readiness@1.0"}, {"version": None},
                                 {"respondent": {"role": "mond"}}, {"context": 4}, {"date": "10.01.2026"}, {"surplus": 1}])
FILES = st.builds(lambda fields, answers, broken: {**fields, **answers, **broken}, VALID_FIELDS,
                  st.one_of(st.fixed_dictionaries({"answers": ANSWERS}), st.just({})),
                  st.one_of(st.just({}), st.just({}), st.just({}), BROKEN_FIELDS))


def _tree(value: Any) -> Any:
    """A model as read: its type, the fields marked as set, any extra values, every field down to the last."""
    if isinstance(value, BaseModel):
        return (type(value).__name__, sorted(value.model_fields_set), value.__pydantic_extra__,
                {k: _tree(v) for k, v in value.__dict__.items()})
    if isinstance(value, dict):
        return [(type(k).__name__, k, _tree(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_tree(v) for v in value]
    return type(value).__name__, repr(value)


def outcome(validate: Any, data: dict[Any, Any]) -> Any:
    """What ``validate`` makes of ``data`` (see ``_tree``), or "refused"."""
    try:
        return _tree(validate(data))
    except ValidationError:
        return "refused"


@settings(max_examples=600)
@given(FILES)
@example({"questionnaire": "slp-readiness", "version": "2.0", "answers": {0: "4"}})
@example({"questionnaire": "slp-readiness", "version": "2.0", "answers": {"a": "", "b": None, "c": 4, "d": {}}})
def test_answer_files_are_validated_as_pydantic_validates_them(data):
    expected = outcome(AnswerFile.model_validate, data)
    assert outcome(validated_answer_file, data) == expected
    event("valid" if expected != "refused" else "refused")
    # The plain answers are shared between files: a second file gets equal answers, not changed ones.
    assert outcome(validated_answer_file, data) == expected


def test_plain_answers_are_shared_and_the_table_stays_bounded():
    first = validated_answer_file({"questionnaire": "q", "version": "1", "answers": {"a": "4", "b": "4"}})
    second = validated_answer_file({"questionnaire": "q", "version": "1", "answers": {"a": "4"}})
    assert first.answers["a"] is first.answers["b"] is second.answers["a"]
    for index in range(10_000):
        validated_answer_file({"questionnaire": "q", "version": "1", "answers": {"a": f"x{index}"}})
    from slp_assess import fastscore

    assert len(fastscore._PLAIN_ANSWERS) <= fastscore._PLAIN_ANSWERS_LIMIT
    long_key = "7" * (fastscore._PLAIN_KEY_LENGTH + 1)
    assert validated_answer_file({"questionnaire": "q", "version": "1", "answers": {"a": long_key}}).answers["a"].value == long_key
    assert long_key not in fastscore._PLAIN_ANSWERS
