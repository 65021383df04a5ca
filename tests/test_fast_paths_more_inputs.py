"""The faster reading and report code against the reference, over inputs the other tests leave out.

* ``fastscore.validated_answer_file`` is ``AnswerFile.model_validate`` also for values no YAML reader
  of ours yields but the function accepts: dates, str subclasses (pydantic turns them into str),
  keys of every type, ``answers`` that is no mapping.
* The HTML report's sections printed in Python (``report.sectionblocks``, ``report.factorblock``)
  print what their templates print for every bundled questionnaire (quickcheck, the 1.0 versions) and
  a questionnaire file of one's own, anonymized or not, with earlier reports, one respondent or many;
  and for report values that only code can put there (Markup, None, str subclasses, numbers).
* A side's options are its item's, in the same order: an answer table prints the item's option labels
  above each side's counts (``itemblocks.answer_table``).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import Markup

from slp_assess import api
from slp_assess.fastscore import validated_answer_file
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.report import AggregateReport
from slp_assess.report import ReportFormat
from test_fast_answer_validation import outcome

REPO = Path(__file__).resolve().parents[1]
OWN_QUESTIONNAIRE = REPO / "tests" / "fixtures" / "report" / "questionnaire.yaml"


class _Text(str):
    """A str subclass, as a caller's data may hold one."""


_VALUES = ["4", "", " ", "n/a", "ä" * 300, "\ud800", _Text("4"), _Text(""), None, 0, 4, 1.0, 2.5, True,
           dt.date(2026, 1, 10), dt.datetime(2026, 1, 10, 9, 30), [], ["4"], {}, {"value": "4"}, {"value": None},
           {"note": "x"}, {"value": _Text("4")}, {"value": dt.date(2026, 1, 10)}, {"value": "4", "note": None},
           {1: "x"}, {"value": {"value": "4"}}, b"4"]
_KEYS = ["a", "", "a.b.c", "ü", "k" * 5000, _Text("k"), 1, None, True, 1.5, dt.date(2026, 1, 10), ("t",)]


def _answer_data(rng: random.Random) -> dict[Any, Any]:
    data: dict[Any, Any] = {
        "questionnaire": rng.choice(["q", "q@1", "q@2", _Text("q"), "", "@", "q@"]),
        "version": rng.choice(["1", 1, 1.0, None, _Text("1"), dt.date(2026, 1, 10)]),
    }
    roll = rng.random()
    if roll < 0.8:
        data["answers"] = {rng.choice(_KEYS): rng.choice(_VALUES) for _ in range(rng.randint(0, 5))}
    elif roll < 0.9:
        data["answers"] = rng.choice([None, "", [], 0, _Text(""), dt.date(2026, 1, 10)])
    if rng.random() < 0.3:
        data["context"] = rng.choice([None, {}, {"a": ""}, {"a": None}, {"a": ["x"]}, {_Text("a"): _Text("b")}])
    if rng.random() < 0.2:
        data["date"] = rng.choice([None, dt.date(2026, 1, 10), dt.datetime(2026, 1, 10), "2026-01-10", _Text("2026-01-10")])
    if rng.random() < 0.1:
        data[rng.choice(["surplus", 1, None])] = 1
    return data


def test_answer_files_of_any_python_values_are_validated_as_pydantic_validates_them():
    rng = random.Random(11)
    refused = 0
    for _ in range(4000):
        data = _answer_data(rng)
        expected = outcome(AnswerFile.model_validate, data)
        assert outcome(validated_answer_file, data) == expected, data
        refused += expected == "refused"
    assert 400 < refused < 3600  # both kinds of outcome, many times


def _answer_files(questionnaire: Questionnaire, rng: random.Random, folder: Path, partnership: str, people: int,
                  sides: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for person in range(people):
        answers: dict[str, object] = {}
        for _, item in questionnaire.items():
            keys = [o.key for o in questionnaire.scales[item.scale].options]
            roll = rng.random()
            if roll < 0.1:
                continue
            value = "n/a" if roll < 0.16 and not item.required else keys[0] if roll > 0.85 else rng.choice(keys)
            answers[item.id] = {"value": value, "note": rng.choice(["<b>x</b> & y", "Notiz\u202e"])} if rng.random() < 0.05 else value
        data = {"questionnaire": questionnaire.id, "version": questionnaire.version, "partnership": partnership,
                "respondent": {"name": f"<Person> {person}", "role": rng.choice(sides)}, "answers": answers}
        (folder / f"{partnership}-{person}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _reports_of(reference: str | Path, tmp_path: Path, seed: int) -> list[tuple[str, AggregateReport]]:
    """Per language: the reports of three partnerships (one respondent, six of every side, three of one), anonymized or not, with earlier ones or not."""
    if isinstance(reference, Path):
        catalog = QuestionnaireCatalog.with_files([reference])
        questionnaire = catalog.get("report-mini")
    else:
        catalog = QuestionnaireCatalog()
        questionnaire = catalog.get(*reference.split("@"))
    assert questionnaire is not None
    rng = random.Random(seed)
    now, before = tmp_path / "now", tmp_path / "before"
    every_side = ["stadt", "landkreis", "gemeinde", "land", "other"]
    for partnership, people, sides in (("Eins", 1, ["land"]), ("Zwei & <Co>", 6, every_side), ("Drei", 3, ["stadt"])):
        _answer_files(questionnaire, rng, now, partnership, people, sides)
        _answer_files(questionnaire, rng, before, partnership, 2, sides)
    loaded = api.load_assessments([now], catalog, jobs=1)
    earlier_loaded = api.load_assessments([before], catalog, jobs=1)
    reports = []
    for lang in ("de", "en"):
        earlier = api.build_reports(earlier_loaded, lang=lang, generated="2025-01-01")
        for anonymize in (False, True):
            reports += [(lang, r) for r in api.build_reports(loaded, lang=lang, anonymize=anonymize)]
            reports += [(lang, r) for r in api.build_reports(loaded, lang=lang, anonymize=anonymize, earlier=earlier)]
    return reports


def _renderers() -> dict[str, tuple[Any, Any]]:
    pairs = {}
    for lang in ("de", "en"):
        native, through_jinja = ReportFormat.HTML.to_renderer(lang, None), ReportFormat.HTML.to_renderer(lang, None)
        through_jinja.env.loader.native = {}
        pairs[lang] = native, through_jinja
    return pairs


def _coded(report: AggregateReport, rng: random.Random) -> AggregateReport:
    """``report`` with values only code puts there (``model_copy`` does not validate): Markup, None, str subclasses, numbers."""
    values = [Markup("<b>m</b>"), _Text("<s> & t"), "", None, "\u202e<x>", Markup("")]

    def value(original: Any) -> Any:
        return rng.choice(values) if rng.random() < 0.5 else original

    levels = [lv.model_copy(update={"description": value(lv.description), "label": value(lv.label),
                                    "threshold": rng.choice([lv.threshold, int(lv.threshold), lv.threshold + 0.25])})
              for lv in report.levels]
    sources = [p.model_copy(update={"text": value(p.text), "factors": rng.choice(
        [[], p.factors, [Markup("<i>a</i>"), "b<"], [_Text("x<"), "y"], [1, 2.5]])}) for p in report.sources]
    blockers = [b.model_copy(update={"text": value(b.text), "factor_title": value(b.factor_title)})
                for b in report.overall.blockers]
    return report.model_copy(update={
        "levels": levels, "sources": sources, "meta": report.meta.model_copy(update={"paper": value(report.meta.paper)}),
        "overall": report.overall.model_copy(update={"blockers": blockers}),
        "respondent_count": rng.choice([report.respondent_count, 1, 2]),
    })


@pytest.mark.parametrize("reference", ["slp-quickcheck", "slp-quickcheck@1.0", "slp-readiness@1.0", OWN_QUESTIONNAIRE],
                         ids=["quickcheck", "quickcheck-1.0", "readiness-1.0", "own-file"])
def test_the_sections_print_what_their_templates_print_for_every_questionnaire(tmp_path, reference):
    renderers = _renderers()
    name = reference.name if isinstance(reference, Path) else reference  # not the checkout's path: the same data anywhere
    rng = random.Random(name)
    reports = _reports_of(reference, tmp_path, seed=len(name))
    assert any(r.previous for _, r in reports) and any(r.respondent_count == 1 for _, r in reports)
    assert any(len(r.groups) > 2 for _, r in reports) and any(r.summary.gaps or r.summary.critical_gaps for _, r in reports)
    for lang, report in reports + [(lang, _coded(r, rng)) for lang, r in reports]:
        native, through_jinja = renderers[lang]
        assert native.render(report) == through_jinja.render(report)
    for _, report in reports:
        for item in (i for f in report.factors() for i in f.items):
            labels = [o.label for o in item.options]
            assert item.sides and all([o.label for o in side.options] == labels for side in item.sides), item.id
