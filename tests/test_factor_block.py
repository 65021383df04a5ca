"""The bundled HTML report prints a factor in Python (``report.factorblock``): the bytes of ``partials/factor.html.j2``.

Whole reports are rendered twice, once as shipped and once with the partial compiled from its file
by Jinja, over generated partnerships (single and several respondents, earlier assessments, factors
not due, blank coverage) and over the same reports with hostile titles, descriptions and side labels.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.models.report import AggregateReport, Gap
from slp_assess.report import ReportFormat
from slp_assess.report.factorblock import NATIVE_PARTIALS
from test_inline_pieces import _reports

REPO = Path(__file__).resolve().parents[1]
HOSTILE = ["<b>Ziele</b> & „Wege“", 'Titel "mit" \'Anführung\'', "\u202eLTR-Umkehr", "Steuer\x00zeichen\x1b[2J",
           "{{ 7 * 7 }} {% if %}", "Emoji 🏘️ und Kombinier\u0301tes", "   ", "x" * 300, "Zeile 1\nZeile 2"]


def _renderers(lang: str):
    native = ReportFormat.HTML.to_renderer(lang, None)
    through_jinja = ReportFormat.HTML.to_renderer(lang, None)
    through_jinja.env.loader.native = {}
    return native, through_jinja


def _hostile(report: AggregateReport, rng: random.Random) -> AggregateReport:
    sections = []
    for section in report.sections:
        factors = []
        for f in section.factors:
            groups = [g.model_copy(update={"label": rng.choice(HOSTILE)}) if rng.random() < 0.3 else g for g in f.groups]
            gap = f.gap
            if len(groups) >= 2 and rng.random() < 0.6:
                points = rng.choice([0.0, 12.34, 19.95, 20.0, 99.99])
                gap = Gap(factor=f.id, title=f.title, points=points, low=groups[0], high=groups[1], flagged=points >= 20)
            factors.append(f.model_copy(update={
                "title": rng.choice(HOSTILE), "short_title": rng.choice(HOSTILE),
                "description": rng.choice([*HOSTILE, ""]), "groups": groups, "gap": gap, "due": rng.random() < 0.7,
                "coverage": rng.choice([f.coverage, 0.0, 0.333333, 0.995, 0.9951, 1.0]),
                "low_consensus": rng.random() < 0.5,
            }))
        sections.append(section.model_copy(update={"factors": factors}))
    return report.model_copy(update={"sections": sections})


@pytest.mark.parametrize(("seed", "lang"), [(0, "de"), (1, "en")])
def test_a_factor_prints_what_its_template_prints(tmp_path, seed, lang):
    native, through_jinja = _renderers(lang)
    rng = random.Random(seed)
    reports = _reports(tmp_path, seed, lang)
    seen = {"single": 0, "several": 0, "previous": 0, "gap": 0, "flagged": 0, "not_due": 0}
    for report in reports + [_hostile(r, rng) for r in reports]:
        assert native.render(report) == through_jinja.render(report)
        factors = report.factors()
        seen["single" if len(report.respondents) == 1 else "several"] += 1
        seen["previous"] += any(f.previous for f in factors)
        seen["gap"] += any(f.gap for f in factors)
        seen["flagged"] += any(f.gap and f.gap.flagged for f in factors)
        seen["not_due"] += any(not f.due for f in factors)
    assert all(seen.values()), seen  # every branch of the partial was taken


def test_the_native_partial_is_what_the_bundled_environment_renders():
    native, through_jinja = _renderers("de")
    assert native.env.get_template("partials/factor.html.j2").root_render_func is NATIVE_PARTIALS["partials/factor.html.j2"]
    assert through_jinja.env.get_template("partials/factor.html.j2").root_render_func is not NATIVE_PARTIALS["partials/factor.html.j2"]


def test_a_users_factor_partial_is_rendered_instead(tmp_path):
    """A ``--template-dir`` with its own factor partial gets it, and one without gets the bundled file through Jinja."""
    (tmp_path / "own" / "partials").mkdir(parents=True)
    (tmp_path / "own" / "partials" / "factor.html.j2").write_text('<p class="own">{{ f.title }}: {{ f.score | num }}</p>\n',
                                                                  encoding="utf-8")
    (tmp_path / "none").mkdir()
    outputs = {}
    for name in ("own", "none"):
        out = tmp_path / f"{name}.html"
        result = CliRunner().invoke(app, ["report", str(REPO / "examples" / "lindenau"), "--format", "html", "-o", str(out),
                                          "--template-dir", str(tmp_path / name), "--lang", "de"])
        assert result.exit_code == 0, result.output
        outputs[name] = out.read_text(encoding="utf-8")
    shipped = tmp_path / "shipped.html"
    result = CliRunner().invoke(app, ["report", str(REPO / "examples" / "lindenau"), "--format", "html", "-o", str(shipped), "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert '<p class="own">' in outputs["own"] and '<article class="factor"' not in outputs["own"]
    assert outputs["none"] == shipped.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", [ReportFormat.HTML, ReportFormat.MD])
def test_a_report_is_still_streamed_piece_by_piece(tmp_path, fmt):
    """Partials are rendered whole (``codegen`` buffers them), the report itself is not: a report of many
    respondents is written as it renders, never held whole (``render_pieces``, used for ``-o FILE``)."""
    renderer = fmt.to_renderer("de", None)
    for report in _reports(tmp_path, 2, "de")[:3]:
        pieces = list(renderer.render_pieces(report))
        text = "".join(pieces)
        assert text == renderer.render(report)
        assert len(pieces) > 50 and max(map(len, pieces)) < len(text) / 4, (len(pieces), max(map(len, pieces)), len(text))
