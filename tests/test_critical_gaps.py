"""A key requirement's gap between the partner sides stays visible, whatever the number of respondents per side.

The factors' perception gaps compare only sides of two or more respondents and average a key requirement
with the factor's other items: one city respondent at 100 % against three rural ones at 50 % showed "no
perception gaps of 20 points or more". ``aggregate.critical_sides`` compares the partner sides item by
item, single voices included. Partnerships are generated (1 to 4 partner sides of 1 to 6 respondents,
``other`` respondents, "cannot judge" and blank answers) and checked against exact arithmetic.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import Any

from slp_assess.aggregate import GAP_FLAG, Assessment, assessment_of, group_means, perception_gap
from slp_assess.critical_gaps import critical_gaps, flagged_gaps
from slp_assess.i18n import side_label
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.report import GroupScore
from slp_assess.reporttexts import texts_for
from slp_assess.rounding import format_score
from slp_assess.scoring import plan_for
from slp_assess.sides import PARTNER_SIDES, SIDES

POINTS = (1, 2, 3, 4, 5)


def _text(name: str) -> dict[str, str]:
    return {"de": name, "en": name}


def _questionnaire(rng: random.Random) -> Questionnaire:
    factors = []
    for f in range(rng.randint(1, 3)):
        items = [{"id": f"f{f}.i{i}", "text": _text(f"Item {f}.{i}"), "scale": "agree", "critical": rng.random() < 0.5,
                  "weight": rng.choice((1, 1, 2, 0.5)), "reverse": rng.random() < 0.2, "source": "paper"}
                 for i in range(rng.randint(1, 4))]
        items[0]["critical"] = True
        factors.append({"id": f"f{f}", "title": _text(f"Factor {f}"), "items": items})
    return Questionnaire.model_validate({
        "id": "gaps", "version": "1.0", "title": _text("G"), "description": _text("G"),
        "scales": {"agree": {"options": [{"key": str(p), "points": p, "label": _text(str(p))} for p in POINTS]}},
        "sections": [{"id": "s", "title": _text("S"), "factors": factors}],
    })


def _group(rng: random.Random, q: Questionnaire) -> list[Assessment]:
    sides = rng.sample(PARTNER_SIDES, rng.randint(1, 4)) + (["other"] if rng.random() < 0.3 else [])
    items = [item for _, item in q.items()]
    group = []
    for side in sides:
        leaning = rng.choice((1, 3, 5))  # sides lean somewhere, so that real gaps occur
        for n in range(rng.choice((1, 1, 2, 3, 6))):
            answers: dict[str, Any] = {}
            for item in items:
                roll = rng.random()
                if roll < 0.1:
                    answers[item.id] = "n/a"
                elif roll > 0.9:
                    continue  # left blank
                else:
                    answers[item.id] = str(min(5, max(1, leaning + rng.choice((-1, 0, 0, 1)))))
            doc = {"questionnaire": "gaps", "version": "1.0", "partnership": "P",
                   "respondent": {"name": f"{side}{n}", "role": side}, "answers": answers}
            group.append(assessment_of(AnswerFile.model_validate(doc), q, f"{side}{n}.yaml"))
    rng.shuffle(group)
    return group


def _half_up(value: Fraction) -> float:
    return math.floor(value * 10 + Fraction(1, 2)) / 10


def _side_means(q: Questionnaire, group: list[Assessment], item_id: str) -> dict[str, tuple[float, int]]:
    """Each partner side's mean in percent, exactly, and n: the expected numbers."""
    item = q.item_index()[item_id]
    means = {}
    for side in PARTNER_SIDES:
        scores = []
        for a in group:
            answer = a.answers.answers.get(item_id)
            if a.side == side and answer is not None and answer.value not in (None, "n/a"):
                value = Fraction(int(answer.value) - 1, 4)
                scores.append(1 - value if item.reverse else value)
        if scores:
            means[side] = (_half_up(100 * sum(scores) / len(scores)), len(scores))
    return means


def test_every_critical_items_side_gap_is_shown_single_voices_too():
    rng = random.Random(8086)
    hidden_before = 0
    for _ in range(150):
        q = _questionnaire(rng)
        group = _group(rng, q)
        plan = plan_for(q)
        means = group_means(plan, group, None)
        found = {c.item: c for c in means.critical}
        texts = texts_for(q, rng.choice(("de", "en")))
        shown = critical_gaps(texts, means.critical)
        for factor, item in q.items():
            if not item.critical:
                continue
            expected = _side_means(q, group, item.id)
            if not expected:
                assert item.id not in found
                continue
            c = found[item.id]
            assert [(m.side, m.score, m.n) for m in c.sides] == [(s, *expected[s]) for s in SIDES if s in expected]
            scores = [score for score, _ in expected.values()]
            points = round(max(scores) - min(scores), 1) if len(scores) > 1 else None
            assert c.points == points and c.flagged == (points is not None and points >= GAP_FLAG)
            model = shown[item.id]
            assert (model.points, model.flagged, [(s.role, s.score, s.n) for s in model.sides]) == (
                points, c.flagged, [(m.side, m.score, m.n) for m in c.sides])
            assert [s.label for s in model.sides] == [side_label(m.side, texts.lang) for m in c.sides]
            if points is not None:
                assert model.low is not None and model.high is not None
                assert (model.low.score, model.high.score) == (min(scores), max(scores))
            # What the factor's perception gap alone showed: a flagged key requirement it did not flag.
            groups = [GroupScore(role=side, label=side, score=means_of_side, level=None, n=n)
                      for side, (means_of_side, n) in _factor_side_means(plan, group, factor.id).items()]
            gap = perception_gap(factor.id, "", groups)
            if c.flagged and not (gap and gap.flagged):
                hidden_before += 1
        assert flagged_gaps(shown) == sorted((g for g in shown.values() if g.flagged), key=lambda g: -(g.points or 0.0))
    assert hidden_before > 10  # the generated cases include gaps the factors' perception gaps hid


def _factor_side_means(plan: Any, group: list[Assessment], factor_id: str) -> dict[str, tuple[float, int]]:
    out = {}
    for side in SIDES:
        scores = [s for a in group if a.side == side and (s := a.factor_scores[factor_id]) is not None]
        if scores:
            out[side] = (_half_up(Fraction(sum(round(s * 10) for s in scores), 10 * len(scores))), len(scores))
    return out


def _with_critical_gaps(report: Any, q: Questionnaire, group: list[Assessment], lang: str) -> Any:
    """The report with its key requirements' side gaps, as ``reportdata.build_report`` is to fill them in."""
    gaps = critical_gaps(texts_for(q, lang), group_means(plan_for(q), group, None).critical)
    sections = [s.model_copy(update={"factors": [
        f.model_copy(update={"items": [i.model_copy(update={"critical_gap": gaps.get(i.id)}) for i in f.items]})
        for f in s.factors]}) for s in report.sections]
    summary = report.summary.model_copy(update={"critical_gaps": flagged_gaps(gaps)})
    return report.model_copy(update={"sections": sections, "summary": summary})


def _city_against_three_rural() -> tuple[Questionnaire, list[Assessment]]:
    """One city respondent at 100 % against three rural ones at 50 % on the critical item; the factor's other
    item pulls the other way. No factor gap (the city is a single voice), no key requirement below 50 %."""
    q = Questionnaire.model_validate({
        "id": "gaps", "version": "1.0", "title": _text("G"), "description": _text("G"),
        "scales": {"agree": {"options": [{"key": str(p), "points": p, "label": _text(str(p))} for p in POINTS]}},
        "sections": [{"id": "s", "title": _text("S"), "factors": [{"id": "eye", "title": _text("Eye level"), "items": [
            {"id": "eye.say", "text": {"de": "Alle entscheiden mit", "en": "Everyone has a say"}, "scale": "agree",
             "critical": True, "source": "paper"},
            {"id": "eye.agenda", "text": _text("Agenda"), "scale": "agree", "source": "paper"}]}]}],
    })
    rows = [("anna", "stadt", "5", "3"), ("bernd", "land", "3", "4"), ("clara", "land", "3", "4"), ("dora", "land", "3", "4")]
    group = [assessment_of(AnswerFile.model_validate({
        "questionnaire": "gaps", "version": "1.0", "partnership": "P", "respondent": {"name": name, "role": side},
        "answers": {"eye.say": say, "eye.agenda": agenda}}), q, f"{name}.yaml") for name, side, say, agenda in rows]
    return q, group


def test_reports_show_a_key_requirements_gap_that_no_factor_gap_shows():
    from slp_assess.api import render_reports
    from slp_assess.report import ReportFormat
    from slp_assess.reportdata import build_report

    q, group = _city_against_three_rural()
    for lang, sentence, sides, none in (
        ("de", "Die ländliche Seite bewertet „Alle entscheiden mit“ um 50,0 Punkte niedriger als die städtische Seite",
         "Stadt 100,0 (Einzelstimme) · ländlich (ohne Angabe) 50,0 · Unterschied 50,0 ⚠", "Keine Wahrnehmungsunterschiede"),
        ("en", "The rural side rates “Everyone has a say” 50.0 points lower than the city side",
         "city 100.0 (single voice) · rural (unspecified) 50.0 · Gap 50.0 ⚠", "No perception gaps"),
    ):
        plain = build_report(q, group, lang=lang)
        assert plain.sections[0].factors[0].gap is None and not plain.overall.blockers
        report = _with_critical_gaps(plain, q, group, lang)
        [md] = render_reports([report], ReportFormat.MD, lang)
        [html] = render_reports([report], ReportFormat.HTML, lang)
        for text in (md, html):
            assert sentence in text and none not in text, text
        assert sides in md  # under the item
        # In HTML on the question's own line, the gap flagged as the factors' gaps are.
        shown = html.split('<span class="cgap">', 1)[1].split("</span></p>", 1)[0]
        assert shown.startswith(("Kernanforderung: Stadt 100,0 <span class=\"n\">(Einzelstimme)</span> · ländlich (ohne Angabe) 50,0",
                                 "key requirement: city 100.0 <span class=\"n\">(single voice)</span> · rural (unspecified) 50.0"))
        assert shown.endswith('<strong class="flag">50,0 ▲</strong>' if lang == "de" else '<strong class="flag">50.0 ▲</strong>')


def test_the_assess_screen_and_the_workshop_panel_name_the_key_requirements_gap():
    import io

    from rich.console import Console

    from slp_assess.assess.screen import Screen
    from slp_assess.i18n import message
    from slp_assess.reportdata import build_report
    from slp_assess.serve import pages

    q, group = _city_against_three_rural()
    for lang, line, none in (
        ("de", "Kernanforderung „Alle entscheiden mit“: ländlich 50,0, Stadt 100,0 – 50,0 Punkte Unterschied",
         "Keine Wahrnehmungsunterschiede"),
        ("en", "Key requirement “Everyone has a say”: rural 50.0, city 100.0 – 50.0 points apart", "No perception gap"),
    ):
        report = _with_critical_gaps(build_report(q, group, lang=lang), q, group, lang)
        out = io.StringIO()
        Screen(Console(file=out, width=200, no_color=True), q, lang)._group_view(report)
        assert line in out.getvalue() and none not in out.getvalue(), out.getvalue()
        panel = pages.environment().get_template("panel.html.j2").render(
            t=pages.texts(lang), lang=lang, poll_ms=1000, base="/p/x/", people=[], mode="self", finished=True, current=None,
            items=[], report=report, score=lambda v, lang=lang: pages.score_text(v, lang),
            short_side=lambda side, lang=lang: message(f"role_short.{side}", lang),
        )
        assert line in panel and none not in panel, panel


def test_the_portfolio_index_names_a_key_requirements_gap_that_no_factor_gap_shows():
    """A planner reading the index of many partnerships sees the key requirement the sides see apart."""
    from slp_assess.models.report import PortfolioIndex
    from slp_assess.portfolio import index_row
    from slp_assess.report import ReportFormat
    from slp_assess.reportdata import build_report

    q, group = _city_against_three_rural()
    for lang, shown in (("de", "Kernanforderung „Alle entscheiden mit“: 50,0 Punkte zwischen den Seiten"),
                        ("en", "key requirement “Everyone has a say”: 50.0 points between the sides")):
        row = index_row(build_report(q, group, lang=lang), "p.html")
        assert row.largest_gap is None and row.largest_critical_gap is not None
        assert row.largest_critical_gap.points == 50.0 and row.largest_critical_gap.flagged
        index = PortfolioIndex(language=lang, generated=None, generator="slp-assess", rows=[row])
        html = ReportFormat.HTML.to_renderer(lang).render_index(index)
        md = ReportFormat.MD.to_renderer(lang).render_index(index)
        assert f'<td><span class="flag">{shown} ▲</span></td>' in html, html
        assert f"| {shown} ⚠ |" in md, md


def test_the_index_shows_a_factor_gap_and_a_key_requirements_gap_side_by_side():
    from pathlib import Path

    from slp_assess import api
    from slp_assess.loading import QuestionnaireCatalog
    from slp_assess.models.report import PortfolioIndex
    from slp_assess.portfolio import index_row
    from slp_assess.report import ReportFormat

    lindenau = Path(__file__).resolve().parents[1] / "examples" / "lindenau"
    [report] = api.build_reports(api.load_assessments([lindenau], QuestionnaireCatalog(), jobs=1), lang="de")
    row = index_row(report, "lindenau.html")
    assert row.largest_gap is not None and row.largest_critical_gap is not None
    index = PortfolioIndex(language="de", generated=None, generator="slp-assess", rows=[row])
    html = ReportFormat.HTML.to_renderer("de").render_index(index)
    md = ReportFormat.MD.to_renderer("de").render_index(index)
    gap = f"{row.largest_gap.title} ({format_score(row.largest_gap.points, 'de')})"
    critical = f"Kernanforderung „{row.largest_critical_gap.text}“: {format_score(row.largest_critical_gap.points, 'de')} Punkte"
    assert f"{gap} ▲</span><br><span class=\"flag\">{critical}" in html, html
    assert f"{gap} ⚠; {critical}" in md, md
