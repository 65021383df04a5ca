"""Building the report data fast changes nothing: models made without validation, the per-questionnaire
caches and the per-side means are checked against the plain way on generated partnerships."""

from __future__ import annotations

import datetime as dt
import random
import warnings
from typing import Any

import pytest
from pydantic import BaseModel, field_validator

from slp_assess import aggregate, api, reportdata, reporttexts
from slp_assess.aggregate import assessment_of, by_side, group_means, partnership_phase, side_means
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.report import AggregateReport, FactorReport, ItemReport, Note
from slp_assess.reportdata import build_report, finish_report
from slp_assess.scoring import plan_for
from slp_assess.sides import SIDES
from slp_assess.trusted import made


@pytest.fixture(scope="module")
def questionnaires() -> list[Questionnaire]:
    return [api.load_questionnaire("slp-readiness"), api.load_questionnaire("slp-quickcheck")]


def _partnership(q: Questionnaire, rng: random.Random) -> list:
    """Respondents of some sides (single voices, ``other``, one side only), with blanks, ``n/a``, notes
    (blank ones too), phases and context answers, some without a date or a name."""
    sides = rng.sample(SIDES, rng.randint(1, len(SIDES)))
    group = []
    for n in range(rng.choice([1, 2, 3, 5, 6, 6, 9, 15])):
        answers: dict[str, Any] = {}
        for _, item in q.items():
            roll = rng.random()
            if roll < 0.1:
                continue
            value = "n/a" if roll < 0.2 else rng.choice(q.scales[item.scale].options).key
            note = rng.random()
            answers[item.id] = {"value": value, "note": rng.choice([f" Notiz {n}\n zu  {item.id}", "  "])} if note < 0.1 else value
        context: dict[str, Any] = {}
        for question in q.context:
            if rng.random() < 0.3:
                continue
            if question.type == "text":
                context[question.id] = rng.choice(["frei", "  zwei  Wörter "])
            elif question.type == "choice":
                context[question.id] = rng.choice(question.options).key
            else:
                context[question.id] = [o.key for o in question.options if rng.random() < 0.4]
        doc: dict[str, Any] = {
            "questionnaire": q.id, "version": q.version, "partnership": "Generiert", "answers": answers, "context": context,
            "respondent": {"name": rng.choice([f"Person {n}", ""]), "role": rng.choice(sides), "organisation": rng.choice([None, "Amt"])},
        }
        if rng.random() < 0.9:
            doc["date"] = (dt.date(2026, 3, 1) + dt.timedelta(days=rng.randrange(30))).isoformat()
        group.append(assessment_of(AnswerFile.model_validate(doc), q, f"p{n}.yaml"))
    return group


def _cases(questionnaires: list[Questionnaire], count: int) -> list[tuple[Questionnaire, list, str, bool]]:
    rng = random.Random(20260301)
    return [
        (q, _partnership(q, rng), rng.choice(["de", "en"]), rng.random() < 0.3)
        for _ in range(count) for q in questionnaires
    ]


def _report(q: Questionnaire, group: list, lang: str, anonymize: bool) -> AggregateReport:
    report = build_report(q, group, lang=lang, anonymize=anonymize, session_notes=[(None, " Sitzung\n"), ("x", " ")])
    return finish_report(report, anonymize, keep_notes=False, earlier=[build_report(q, group[:1], lang=lang)])


def _same(made_one: Any, validated: Any, where: str = "report") -> None:
    """Equal value for value, type for type (1 is not 1.0, a tuple is not a list), fields set and field order."""
    assert type(made_one) is type(validated), where
    if isinstance(validated, BaseModel):
        assert list(made_one.__dict__) == list(validated.__dict__), where
        assert made_one.model_fields_set == validated.model_fields_set, where
        for name in validated.__dict__:
            _same(made_one.__dict__[name], validated.__dict__[name], f"{where}.{name}")
    elif isinstance(validated, list | tuple):
        assert len(made_one) == len(validated), where
        for i, (a, b) in enumerate(zip(made_one, validated, strict=True)):
            _same(a, b, f"{where}[{i}]")
    else:
        assert made_one == validated, where


def _validated(cls: type[BaseModel], /, **values: Any) -> BaseModel:
    return cls(**values)


def test_reports_made_without_validation_equal_validated_ones(questionnaires, monkeypatch):
    cases = _cases(questionnaires, 40)
    made_reports = [_report(*case) for case in cases]
    for module in (aggregate, reportdata, reporttexts):
        monkeypatch.setattr(module, "made", _validated)
    reporttexts._texts.clear()
    for case, made_one in zip(cases, made_reports, strict=True):
        validated = _report(*case)
        _same(made_one, validated)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # pydantic warns when a value is not of its field's type
            assert made_one.model_dump_json() == validated.model_dump_json()


def test_reports_do_not_depend_on_what_the_caches_hold(questionnaires):
    cases = _cases(questionnaires, 15)
    warm = [_report(*case).model_dump_json() for case in cases]  # languages and questionnaires interleaved
    for case, expected in zip(cases, warm, strict=True):
        reporttexts._texts.clear()
        assert _report(*case).model_dump_json() == expected


def test_a_new_questionnaire_object_gets_its_own_texts(questionnaires):
    q = questionnaires[0]
    group = _partnership(q, random.Random(3))
    assert build_report(q, group, lang="en").meta.questionnaire_title == q.title["en"]
    renamed = q.model_copy(update={"title": {"de": "Neu", "en": "New"}})
    assert build_report(renamed, group, lang="en").meta.questionnaire_title == "New"
    assert build_report(q, group, lang="en").meta.questionnaire_title == q.title["en"]


def test_side_means_are_the_group_means_of_the_side(questionnaires):
    for q, group, _, _ in _cases(questionnaires, 25):
        plan = plan_for(q)
        phase = partnership_phase(plan, group)
        for members in by_side(group).values():
            full = group_means(plan, members, phase)
            side = side_means(plan, members, phase)
            assert (side.factors, side.counts, side.overall) == (full.factors, full.counts, full.overall.score)
    nobody = group_means(plan, [], None)
    assert set(nobody.items.values()) == {None} and set(nobody.factors.values()) == {None} and not nobody.blockers


def test_made_fills_defaults_in_field_order_and_marks_only_given_fields_as_set():
    item = made(ItemReport, score=None, source="s", id="i", text="t", critical=False, reverse=True, options=[],
                not_applicable=0, unanswered=1)
    assert item == ItemReport(id="i", text="t", critical=False, reverse=True, options=[], not_applicable=0, unanswered=1,
                              score=None, source="s")
    assert list(item.__dict__) == list(ItemReport.model_fields)
    assert item.model_fields_set == set(ItemReport.model_fields) - {"sides", "notes", "critical_gap"}
    other = made(ItemReport, **{k: v for k, v in item.__dict__.items() if k in item.model_fields_set})
    assert other.sides is not item.sides  # default factories give each model its own list


def test_made_refuses_unknown_or_missing_fields_and_models_it_would_not_check():
    with pytest.raises(TypeError, match=r"unknown fields \['whom'\]"):
        made(Note, who="a", role="stadt", role_label="Stadt", text="t", whom="b")
    with pytest.raises(TypeError, match=r"missing fields \['text'\]"):
        made(Note, who="a", role="stadt", role_label="Stadt")
    with pytest.raises(TypeError, match=r"missing fields \['coverage', 'description'"):
        made(FactorReport, id="f")

    class Checked(BaseModel):
        value: int

        @field_validator("value")
        @classmethod
        def _positive(cls, value: int) -> int:
            return abs(value)

    with pytest.raises(TypeError, match="validators"):
        made(Checked, value=-1)
