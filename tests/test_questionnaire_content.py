"""The bundled questionnaires against the thesis paper and the 2.0 content rules.

The paper lives outside the repository (``../shared/seed`` beside the checkout, as in CI); without it
the quotation checks skip and say why. Every other check runs on the questionnaire files alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slp_assess.loading import load_questionnaire_file
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.resources import data_dir
from slp_assess.scoring import is_blocking, plan_for, score_answers

PAPER_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"
SECTIONS = ("Findungsphase", "Erfolgsfaktoren", "Finanzierung", "Organisation")
# The paper's modal words of obligation; "erfordert" is left out on purpose (see the questionnaire header).
MUST = re.compile(r"\b(muss|müssen|braucht|erforderlich)\b")

BUNDLED = sorted(data_dir("questionnaires").glob("*.yaml"))
CURRENT = [p for p in BUNDLED if "@" not in p.stem]
READINESS = data_dir("questionnaires") / "slp-readiness.yaml"
QUICKCHECK = data_dir("questionnaires") / "slp-quickcheck.yaml"


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space."""
    return " ".join(text.split())


def paper_sections() -> dict[str, str]:
    """The paper's text per section heading, whitespace-normalised; skip when the paper is not there."""
    papers = sorted(PAPER_DIR.glob("*.txt")) if PAPER_DIR.is_dir() else []
    if not papers:
        pytest.skip(f"the thesis paper is not at {PAPER_DIR} (CI checks out ../shared beside the repository)")
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in papers[0].read_text(encoding="utf-8").splitlines():
        if line.strip() in SECTIONS:
            current = line.strip()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    assert set(sections) == set(SECTIONS), "the paper's headings changed"
    return {name: normalise("\n".join(lines)) for name, lines in sections.items()}


def split_source(source: str) -> tuple[str, str]:
    section, sep, quote = source.partition(": ")
    assert sep and section in SECTIONS, f"source must start with one of {SECTIONS} and ': ': {source!r}"
    return section, normalise(quote)


def sources(q: Questionnaire) -> list[tuple[str, str]]:
    """(where, source) of every item and every recommendation based on the paper."""
    found = [(item.id, item.source) for _, item in q.items()]
    for _, factor in q.factors():
        for level, steps in factor.recommendations.items():
            for number, step in enumerate(steps, start=1):
                if step.basis == "paper":
                    assert step.source, f"{factor.id} {level} #{number}: basis paper needs a source"
                    found.append((f"{factor.id} {level} #{number}", step.source))
    return found


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_source_quotes_the_paper_in_the_section_it_names(path):
    paper = paper_sections()
    q = load_questionnaire_file(path)
    for where, source in sources(q):
        section, quote = split_source(source)
        assert quote in paper[section], f"{path.name} {where}: not in section {section} of the paper: {quote!r}"


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_critical_items_are_exactly_the_items_resting_on_a_must(path):
    q = load_questionnaire_file(path)
    for _, item in q.items():
        assert item.critical == bool(MUST.search(item.source)), (
            f"{item.id}: critical={item.critical}, but its source {'has' if not item.critical else 'lacks'} a must word"
        )


def test_every_must_of_the_paper_has_a_critical_item():
    paper = paper_sections()
    q = load_questionnaire_file(READINESS)
    quotes = [split_source(item.source) for _, item in q.items() if item.critical]
    musts = [
        (section, sentence) for section, text in paper.items()
        for sentence in re.split(r"(?<=[.!?]) ", text) if MUST.search(sentence)
    ]
    assert len(musts) == 4  # erforderlich, muss (Erfolgsfaktoren); braucht (Finanzierung); müssen (Finanzierung)
    for section, sentence in musts:
        assert any(s == section and quote in sentence and MUST.search(quote) for s, quote in quotes), (
            f"no critical item quotes the must: {sentence!r}"
        )
    # Each element the "erforderlich" sentence lists has an item of its own.
    required = {i.id for _, i in q.items() if i.critical and "erforderlich" in i.source}
    assert required == {"success.capacity.own_staff_time", "success.capacity.personal_commitment",
                        "success.openness.other_views", "success.openness.concessions"}


# --------------------------------------------------------------- measurement rules of version 2.0


def current(path: Path) -> Questionnaire:
    return load_questionnaire_file(path)


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_current_questionnaires_are_version_2_0_and_cite_the_paper_by_its_title(path):
    q = current(path)
    assert q.version == "2.0"
    assert q.source is not None
    assert "„Was braucht es zum Gelingen von Stadt-Land-Partnerschaften?“" in q.source
    assert "Manuela Hahn" in q.source and "28. August 2025" in q.source
    assert "https://dasl.de/blog/marktplatz-der-jahrestagung/stadtland-ressourcenpartnerschaften/" in q.source


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_no_factor_is_measured_by_reversed_items(path):
    # A reversed item gives a partnership that has nothing a high score (review §2.7); 2.0 has none at all.
    q = current(path)
    assert [item.id for _, item in q.items() if item.reverse] == []
    for _, factor in q.factors():
        assert not all(item.reverse for item in factor.items), factor.id


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_options_run_from_worst_to_best_and_the_lowest_scores_zero(path):
    q = current(path)
    for name, scale in q.scales.items():
        points = [o.points for o in scale.options]
        assert points == sorted(points) and len(set(points)) == len(points), name
        if name != "agreement":
            # "Does not exist yet" is a real answer worth 0 points, not n/a ("cannot judge").
            lowest = scale.options[0]
            assert lowest.points == 0 and lowest.key != "n/a", name
    assert q.scales["status"].options[0].label["de"] == "nicht vorhanden"
    plan = plan_for(q)
    for _, item in q.items():
        assert min(plan.item_values[item.id].values()) == 0.0, item.id


def test_answers_that_miss_a_must_block():
    # Oral arrangements are not the binding rules the paper asks for (review D3), and a term that ends
    # with the current electoral term is not "über politische Wechsel hinaus".
    q = current(READINESS)
    plan = plan_for(q)
    for item_id, failing, passing in (
        ("financing.binding_rules.financing_responsibilities", "1", "2"),
        ("financing.binding_rules.cost_sharing", "1", "2"),
        ("success.continuity.beyond_term", "1", "2"),
    ):
        values = plan.item_values[item_id]
        assert q.item_index()[item_id].critical
        assert is_blocking(100 * values[failing]) and not is_blocking(100 * values[passing]), item_id


def answer_file(q: Questionnaire, answers: dict[str, str], phase: str | None) -> AnswerFile:
    context = {q.phases.question: phase} if q.phases and phase else {}
    return AnswerFile.model_validate(
        {"questionnaire": q.id, "version": q.version, "answers": answers, "context": context}
    )


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_a_blank_slate_scores_every_factor_at_the_lowest_level(path):
    # Review §2.7: in 1.0 a partnership with nothing in place scored 100 on two quick-check factors.
    q = current(path)
    lowest = q.ordered_levels()[-1].id
    blank = {item.id: q.scales[item.scale].options[0].key for _, item in q.items()}
    for phase in [None, *q.phases.order]:
        result = score_answers(answer_file(q, blank, phase), q)
        assert {f.id: f.level for f in result.factors} == {f.id: lowest for _, f in q.factors()}
        assert result.overall.level == lowest and result.overall.score == 0.0


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_better_answer_never_lowers_a_score(path, data):
    q = current(path)
    options = {item.id: [o.key for o in q.scales[item.scale].options] for _, item in q.items()}
    answers = {
        item_id: data.draw(st.sampled_from([*keys, "n/a"]), label=item_id) for item_id, keys in options.items()
    }
    phase = data.draw(st.sampled_from([None, *q.phases.order]), label="phase")
    before = score_answers(answer_file(q, answers, phase), q)
    old = {f.id: f.score for f in before.factors}
    # Raise every answer by one step in turn: no factor, overall score or blocker count may get worse.
    for item_id, value in answers.items():
        keys = options[item_id]
        if value == "n/a" or value == keys[-1]:
            continue
        after = score_answers(answer_file(q, {**answers, item_id: keys[keys.index(value) + 1]}, phase), q)
        new = {f.id: f.score for f in after.factors}
        assert all(new[f] >= old[f] for f in old if old[f] is not None), item_id
        assert after.overall.score >= before.overall.score, item_id
        assert len(after.overall.blockers) <= len(before.overall.blockers), item_id


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_every_factor_declares_its_phase_and_the_phase_question_matches(path):
    q = current(path)
    assert q.phases is not None and q.phases.order == ["findung", "aufbau", "umsetzung", "verstetigung"]
    question = next(c for c in q.context if c.id == q.phases.question)
    assert question.type == "choice" and [o.key for o in question.options] == q.phases.order
    assert all(f.expected_from in q.phases.order for _, f in q.factors())


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_the_outline_point_challenges_is_an_unscored_barrier_checklist(path):
    q = current(path)
    barriers = next(c for c in q.context if c.id == "context.barriers")
    assert barriers.type == "multiple_choice"
    keys = {o.key for o in barriers.options}
    assert {"konkurrenz_einwohner", "konkurrenz_gewerbe", "konkurrenz_flaechen", "ungleiche_kraft",
            "foerderabhaengigkeit", "politische_wechsel", "personal"} <= keys
    topics = next(c for c in q.context if c.id == "context.challenges")
    assert "wasser_ressourcen" in {o.key for o in topics.options}


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_options_of_the_paper_stay_options(path):
    # "bietet sich an", "können": the agreement weighs half, and no item requires a Geschäftsstelle.
    q = current(path)
    factors = {f.id: f for _, f in q.factors()}
    assert factors["organisation.agreement"].weight == 0.5
    for _, item in q.items():
        assert "Geschäftsstelle" not in item.text["de"] and "Kooperationsvereinbarung" not in item.text["de"].split("(")[0]
    # Factors carry weight 1.5 exactly when they hold one of the paper's musts.
    for factor in factors.values():
        if factor.id != "organisation.agreement":
            assert factor.weight == (1.5 if any(i.critical for i in factor.items) else 1.0), factor.id


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_every_recommendation_says_whether_the_paper_or_practice_is_its_basis(path):
    q = current(path)
    for _, factor in q.factors():
        for level, steps in factor.recommendations.items():
            assert steps, (factor.id, level)
            for step in steps:
                assert step.basis in ("paper", "practice"), (factor.id, level)
                assert (step.source is not None) == (step.basis == "paper"), (factor.id, level)


def texts(value: object) -> list[tuple[str, str]]:
    """Every (language, text) in a dumped questionnaire."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        if set(value) == {"de", "en"} and all(isinstance(v, str) for v in value.values()):
            return list(value.items())
        for v in value.values():
            found += texts(v)
    elif isinstance(value, list):
        for v in value:
            found += texts(v)
    return found


# Wording the content review asked to replace (§3): (language, pattern, why).
RETIRED_WORDING = [
    ("de", r"Legislaturperiode", "municipal councils have a Wahlperiode (L8)"),
    ("de", r"\bVorhaben", "the paper says Projekte (L18)"),
    ("de", r"LEADER-Aktionsgruppe", "Lokale Aktionsgruppe (LAG) (L10)"),
    ("de", r"\bStadt und Land\b", "„Land“ also means the federal state: die städtischen und die ländlichen Partner (L2)"),
    ("de", r"Pflichtaufgaben", "a term of municipal law (L1)"),
    ("de", r"\btragfähig", "levels are gefestigt / in Entwicklung / am Anfang (L29)"),
    ("de", r"Mehrheiten gefunden", "unanimity is not a way to find a majority (L14)"),
    ("de", r"\bz\.B\.", "write z. B. with a space"),
    ("de", r'["”]', "German quotes are „…“"),
    ("de", r" - ", "a dash is –"),
    ("en", r"city and countryside", "the urban and the rural partners (L30)"),
    ("en", r"eye level", "on an equal footing (L30)"),
]


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_retired_wording_does_not_come_back(path):
    dumped = current(path).model_dump(exclude={"migrations"})
    for lang, text in texts(dumped):
        for want_lang, pattern, why in RETIRED_WORDING:
            if lang == want_lang:
                assert not re.search(pattern, text), f"{why}: {text!r}"


def test_the_quick_check_is_the_full_questionnaire_with_one_item_per_factor():
    full, quick = current(READINESS), current(QUICKCHECK)
    assert 20 <= len(quick.items()) <= 24 and quick.minutes == 15
    assert (quick.levels, quick.phases, quick.context) == (full.levels, full.phases, full.context)
    full_factors = {f.id: f for _, f in full.factors()}
    assert [f.id for _, f in quick.factors()] == list(full_factors)
    full_items = full.item_index()
    for _, factor in quick.factors():
        reference = full_factors[factor.id]
        assert factor.model_dump(exclude={"items"}) == reference.model_dump(exclude={"items"}), factor.id
        assert len(factor.items) == 1, factor.id
        for item in factor.items:
            # Same id, same question: text, help, scale, source and flag are the full version's.
            assert item == full_items[item.id], item.id
            assert quick.scales[item.scale] == full.scales[item.scale], item.scale
    assert set(quick.scales) == {i.scale for _, i in quick.items()}
