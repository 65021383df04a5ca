"""Aggregation rules pinned with exact numbers on tests/fixtures/report (see docs/scoring)."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slp_assess.aggregate import assessment_of, perception_gap, pstdev, stats
from slp_assess.batch import Mode, score_files
from slp_assess.comparison import compare
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.report import GroupScore
from slp_assess.portfolio import group_assessments, group_by_partnership
from slp_assess.reportdata import build_report as aggregate

FIXTURES = Path(__file__).parent / "fixtures" / "report"


@pytest.fixture(scope="module")
def catalog() -> QuestionnaireCatalog:
    return QuestionnaireCatalog.with_files([FIXTURES / "questionnaire.yaml"])


def _load(catalog, *paths: Path):
    assessments = []
    for path in paths:
        answers, questionnaire = load_answer_file(path, catalog)
        assessments.append(assessment_of(answers, questionnaire, str(path)))
    return questionnaire, assessments


def _folder(catalog, name: str):
    return _load(catalog, *sorted((FIXTURES / name).glob("*.yaml")))


def test_factor_statistics_are_exact(catalog):
    q, group = _folder(catalog, "elbtal")
    report = aggregate(q, group)
    eye = next(f for f in report.factors() if f.id == "success.eye_level")
    # Respondents' eye-level scores: Jahn 25, Om 0, Keller 50, Weber 87.5; mean 40.625 and
    # standard deviation 32.325... are shown, and decided on, rounded half up to one decimal.
    assert eye.stats.model_dump() == {"mean": 40.6, "min": 0.0, "max": 87.5, "stdev": 32.3, "n": 4}
    assert eye.score == 40.6 and eye.level == "not_ready"
    assert eye.low_consensus is True
    rules = next(f for f in report.factors() if f.id == "success.rules")
    # Om answered n/a: his null factor score is left out of the mean, not counted as 0.
    assert (rules.stats.n, rules.score, rules.coverage) == (3, 50.0, 0.75)


def test_overall_applies_the_overall_rule_to_mean_factor_scores(catalog):
    q, group = _folder(catalog, "elbtal")
    report = aggregate(q, group)
    # Factor means as shown 75, 40.6 (weight 2), 75, 50, 50: (75 + 81.2 + 75 + 50 + 50) / 6 = 55.2.
    assert report.overall.score == 55.2
    assert report.overall.level == "partly"
    [blocker] = report.overall.blockers
    # equal_say item scores: land 0.25 and 0 (mean 12.5 %), stadt 0.5 and 1 (75 %); mean of all 43.75 -> 43.8.
    assert (blocker.item, blocker.score, blocker.mean, blocker.below, blocker.n) == ("success.eye_level.equal_say", 12.5, 43.8, 2, 4)
    assert [(s.role, s.score, s.n) for s in blocker.sides] == [("land", 12.5, 2)]


def test_group_means_and_perception_gaps(catalog):
    q, group = _folder(catalog, "elbtal")
    report = aggregate(q, group)
    # land: factor means 68.8, 12.5 (weight 2), 50, 25, 31.3 -> 200.1 / 6 = 33.35 -> 33.4.
    assert [(g.role, g.n, g.score, g.level) for g in report.groups] == [
        ("stadt", 2, 75.0, "ready"), ("land", 2, 33.4, "not_ready"),
    ]
    eye = next(f for f in report.factors() if f.id == "success.eye_level")
    assert [(g.role, g.score) for g in eye.groups] == [("stadt", 68.8), ("land", 12.5)]
    assert (eye.gap.points, eye.gap.low.role, eye.gap.high.role, eye.gap.flagged) == (56.3, "land", "stadt", True)
    goals = next(f for f in report.factors() if f.id == "discovery.goals")
    assert (goals.gap.points, goals.gap.flagged) == (12.5, False)
    # Rules for conflicts: Om answered n/a, so one rural voice remains: shown, not compared.
    rules = next(f for f in report.factors() if f.id == "success.rules")
    assert rules.gap is None and [(g.role, g.n, g.single_voice) for g in rules.groups] == [("stadt", 2, False), ("land", 1, True)]
    assert [g.factor for g in report.summary.gaps] == ["success.eye_level", "success.leadership", "financing.transparency"]


@pytest.mark.parametrize(("low", "high", "flagged"), [(50.0, 70.0, True), (50.0, 69.9, False), (0.1 + 0.2, 20.3, True), (30.04, 50.0, True)])
def test_gap_flag_starts_at_exactly_20_points_as_shown(low, high, flagged):
    groups = [GroupScore(role="stadt", label="Stadt", score=high, level=None, n=2),
              GroupScore(role="land", label="Land", score=low, level=None, n=2)]
    assert perception_gap("f", "F", groups).flagged is flagged


def test_no_gap_with_a_single_group_or_single_voices_and_stats_of_nothing():
    only = [GroupScore(role="stadt", label="Stadt", score=80.0, level=None, n=2),
            GroupScore(role="land", label="Land", score=None, level=None, n=0)]
    assert perception_gap("f", "F", only) is None
    single = [GroupScore(role="stadt", label="Stadt", score=80.0, level=None, n=3),
              GroupScore(role="gemeinde", label="Gemeinde", score=10.0, level=None, n=1)]
    assert perception_gap("f", "F", single) is None
    assert stats([None, None]).model_dump() == {"mean": None, "min": None, "max": None, "stdev": None, "n": 0}
    assert stats([20.0, 60.0]).stdev == 20.0  # population standard deviation


def test_single_respondent_report_equals_its_score(catalog):
    q, group = _load(catalog, FIXTURES / "elbtal" / "stadt-weber.yaml")
    report = aggregate(q, group)
    result = group[0].result
    assert [(f.id, f.score, f.level) for f in report.factors()] == [(f.id, f.score, f.level) for f in result.factors]
    assert (report.overall.score, report.overall.level) == (result.overall.score, result.overall.level)
    assert report.factors()[0].stats.stdev == 0.0 and not report.factors()[0].low_consensus


def test_strongest_weakest_recommendations_and_anonymize(catalog):
    q, group = _folder(catalog, "elbtal")
    report = aggregate(q, group, anonymize=True, lang="en")
    assert [f.id for f in report.summary.weakest] == ["success.eye_level", "success.rules"]
    assert [f.id for f in report.summary.strongest] == ["discovery.goals", "success.leadership"]
    by_id = {f.id: f for f in report.factors()}
    # Shared goals reach the top level overall (75.0) but not for the rural side (68.8): advice follows the weaker side.
    assert by_id["discovery.goals"].recommendation_level == "partly"
    assert [a.text for a in by_id["discovery.goals"].recommendations] == ["Record the goals in a short paper."]
    assert [a.text for a in by_id["success.eye_level"].recommendations] == ["Agree on rules for an equal say."]
    assert [r.label for r in report.respondents] == ["Respondent 1", "Respondent 2", "Respondent 3", "Respondent 4"]
    assert all(r.file is None and r.organisation is None for r in report.respondents)
    notes = [n for item in by_id["financing.transparency"].items for n in item.notes]
    assert [n.who for n in notes] == ["Respondent 1", "Respondent 4"]
    assert "Clara" not in report.model_dump_json()


def test_item_distribution(catalog):
    q, group = _folder(catalog, "elbtal")
    item = aggregate(q, group).factors()[3].items[0]  # success.rules.agreed
    assert {o.key: o.count for o in item.options} == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 0}
    assert (item.not_applicable, item.unanswered, item.score) == (1, 0, 50.0)


def test_grouping_by_partnership_matches_the_report(catalog):
    q, elbtal = _folder(catalog, "elbtal")
    _, nordheide = _folder(catalog, "nordheide")
    groups = group_assessments(elbtal + nordheide)
    assert list(groups) == [
        ("Partnerschaft Nordheide", "report-mini", "1.0"), ("Stadt-Land-Partnerschaft Elbtal", "report-mini", "1.0"),
    ]
    tallies = score_files([Path(a.file) for a in elbtal + nordheide], catalog, mode=Mode.TALLY)
    rows = list(group_by_partnership(tallies, catalog.get))
    elbtal_row = rows[1]
    report = aggregate(q, elbtal)
    assert elbtal_row.overall.score == report.overall.score
    assert [b.item for b in elbtal_row.overall.blockers] == ["success.eye_level.equal_say"]
    assert [f.score for f in elbtal_row.factors] == [f.score for f in report.factors()]
    assert (elbtal_row.respondents, elbtal_row.respondent.role, Path(elbtal_row.file).name) == (4, "stadt+land", "elbtal")


def test_compare_lists_improved_then_worsened(catalog):
    q, old = _folder(catalog, "elbtal-2025")
    _, new = _folder(catalog, "elbtal")
    comparison = compare(aggregate(q, old), aggregate(q, new))
    assert [(c.id, c.direction) for c in comparison.factors] == [
        ("success.leadership", "improved"), ("discovery.goals", "improved"),
        ("success.rules", "worsened"), ("financing.transparency", "worsened"), ("success.eye_level", "worsened"),
    ]
    lead = comparison.factors[0]
    assert (lead.old_score, lead.new_score, lead.delta, lead.level_change) == (25.0, 75.0, 50.0, 2)
    assert comparison.overall.old_level == "not_ready" and comparison.overall.level_change == 1


_finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
_scores = st.integers(0, 10_000).map(lambda n: n / 100)


@settings(max_examples=500, deadline=None)
@given(st.lists(_finite | _scores | st.integers(-1000, 1000), min_size=1, max_size=40))
def test_pstdev_is_the_float_statistics_gives(values: list[float]) -> None:
    # aggregate.pstdev replaces statistics.pstdev for speed; a report shows it, so it must be the same float.
    assert pstdev(values) == statistics.pstdev(values)


@pytest.mark.parametrize("values", [[1.0], [2.5, 2.5, 2.5], [0.0, 100.0], [1e-300, 2e-300], [0.1, 0.2, 0.3], [5e-324, 1e308]])
def test_pstdev_edge_cases(values: list[float]) -> None:
    assert pstdev(values) == statistics.pstdev(values)
