"""The bundled HTML report prints its blockers, recommendations, perceptions and method in Python
(``report.sectionblocks``): the bytes of their partials.

Whole reports are rendered twice, once as shipped and once with every partial compiled from its file
by Jinja, over generated partnerships (single and several respondents, earlier assessments) and over
the same reports with hostile texts in every value these sections print, and with the branches the
generated partnerships seldom take (no blockers, no recommendations, no gaps, levels without a
description, a paper without a title, thresholds with decimals).
"""

from __future__ import annotations

import random

import pytest

from slp_assess.models.report import Advice, AggregateReport, CriticalGap, Gap, SideScore
from slp_assess.report import ReportFormat
from slp_assess.report.environment import NATIVE_PARTIALS
from slp_assess.report.sectionblocks import NATIVE_SECTIONS
from test_factor_block import HOSTILE
from test_inline_pieces import _reports


def _renderers(lang: str):
    native = ReportFormat.HTML.to_renderer(lang, None)
    through_jinja = ReportFormat.HTML.to_renderer(lang, None)
    through_jinja.env.loader.native = {}
    return native, through_jinja


def _text(rng: random.Random, original: str) -> str:
    return rng.choice(HOSTILE) if rng.random() < 0.5 else original


def _hostile(report: AggregateReport, rng: random.Random, variant: int) -> AggregateReport:
    """``report`` with hostile texts wherever the four sections print one, and their rarer branches.

    ``variant`` 0 has factor gaps and key requirements' gaps, 1 only the latter, 2 neither.
    """
    sections = []
    for section in report.sections:
        factors = []
        for f in section.factors:
            steps = [Advice(text=_text(rng, a.text), practice=rng.random() < 0.3) for a in f.recommendations]
            groups = [g.model_copy(update={"label": _text(rng, g.label)}) for g in f.groups]
            gap = f.gap
            if len(groups) >= 2 and rng.random() < 0.5:
                points = rng.choice([0.0, 12.34, 19.95, 20.0, 99.99])
                gap = Gap(factor=f.id, title=_text(rng, f.title), points=points, low=groups[0], high=groups[1], flagged=points >= 20)
            factors.append(f.model_copy(update={
                "title": _text(rng, f.title), "short_title": _text(rng, f.short_title),
                "recommendations": rng.choice([steps, steps, []]), "groups": groups, "gap": gap,
            }))
        sections.append(section.model_copy(update={"factors": factors}))
    blockers = [b.model_copy(update={
        "text": _text(rng, b.text), "factor_title": _text(rng, b.factor_title),
        # A key requirement missed by more than one side now and then (generated partnerships have one).
        "sides": [s.model_copy(update={"label": _text(rng, s.label), "score": rng.choice([s.score, 0.0, 49.95])})
                  for s in b.sides * rng.choice([1, 2])],
        "mean": rng.choice([b.mean, None, 12.25]),
    }) for b in report.overall.blockers]
    summary = report.summary
    gaps, critical_gaps = summary.gaps, summary.critical_gaps
    if not gaps and len(report.groups) >= 2:
        f = report.factors()[-1]
        gaps = [Gap(factor=f.id, title=f.title, points=24.0, low=report.groups[0], high=report.groups[1], flagged=True)]
    if not critical_gaps and len(report.groups) >= 2:
        # Generated partnerships seldom see a key requirement 20 points apart: one made up.
        low, high = (SideScore(role=g.role, label=_text(rng, g.label), score=score, n=g.n)
                     for g, score in zip(report.groups, (30.0, 62.5), strict=False))
        factor = report.factors()[0]
        critical_gaps = [CriticalGap(item=factor.items[0].id, text=_text(rng, factor.items[0].text), factor=factor.id,
                                     factor_title=_text(rng, factor.title), sides=[low, high], points=32.5, low=low, high=high,
                                     flagged=True)]
    summary = summary.model_copy(update={
        "gaps": [g.model_copy(update={"title": _text(rng, g.title)}) for g in gaps] if variant == 0 else [],
        "critical_gaps": [g.model_copy(update={"text": _text(rng, g.text), "factor_title": _text(rng, g.factor_title)})
                          for g in critical_gaps] if variant < 2 else [],
        "low_consensus": [f.model_copy(update={"short_title": _text(rng, f.short_title)}) for f in summary.low_consensus],
    })
    levels = [lv.model_copy(update={
        "label": _text(rng, lv.label), "description": rng.choice([lv.description, "", *HOSTILE]),
        "threshold": rng.choice([lv.threshold, lv.threshold + 0.5]),
    }) for lv in report.levels]
    sources = [p.model_copy(update={"text": _text(rng, p.text), "factors": [_text(rng, name) for name in p.factors]})
               for p in report.sources]
    meta = report.meta.model_copy(update={"paper": rng.choice([report.meta.paper, None, "", *HOSTILE])})
    return report.model_copy(update={
        "sections": sections, "summary": summary, "levels": levels, "sources": sources, "meta": meta,
        "overall": report.overall.model_copy(update={"blockers": blockers if rng.random() < 0.8 else []}),
        "recommendation_order": report.recommendation_order if rng.random() < 0.8 else [],
    })


@pytest.mark.parametrize(("seed", "lang"), [(0, "de"), (1, "en")])
def test_the_sections_print_what_their_templates_print(tmp_path, seed, lang):
    native, through_jinja = _renderers(lang)
    rng = random.Random(seed)
    reports = _reports(tmp_path, seed, lang)
    seen = dict.fromkeys(["blockers", "no blockers", "blocker sides", "recommendations", "practice", "no recommendations",
                          "gaps", "critical gaps", "no gaps", "low consensus", "described", "paper", "no paper"], 0)
    for report in reports + [_hostile(r, rng, variant) for r in reports for variant in range(3)]:
        assert native.render(report) == through_jinja.render(report)
        blockers = report.overall.blockers
        seen["blockers" if blockers else "no blockers"] += 1
        seen["blocker sides"] += any(len(b.sides) > 1 for b in blockers)
        seen["recommendations" if report.recommendation_order else "no recommendations"] += 1
        seen["practice"] += any(a.practice for f in report.factors() for a in f.recommendations)
        several = len(report.groups) > 1
        seen["gaps"] += several and bool(report.summary.gaps)
        seen["critical gaps"] += several and bool(report.summary.critical_gaps)
        seen["no gaps"] += several and not report.summary.gaps and not report.summary.critical_gaps
        seen["low consensus"] += several and bool(report.summary.low_consensus)
        seen["described"] += any(lv.description for lv in report.levels)
        seen["paper" if report.meta.paper else "no paper"] += 1
    assert all(seen.values()), seen  # every branch of the four partials was taken


def test_the_bundled_environment_renders_the_sections_natively():
    native, through_jinja = _renderers("de")
    for name, root in NATIVE_SECTIONS.items():
        assert NATIVE_PARTIALS[name] is root
        assert native.env.get_template(name).root_render_func is root
        assert through_jinja.env.get_template(name).root_render_func is not root
