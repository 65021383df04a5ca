"""The report's markers, keys, badges and profile chart, written in Python, print what the templates did.

``report.inline`` and ``report.profilechart`` replaced Jinja macros and the loops of the profile
partial (for speed, and so a rendered report leaves no reference cycle). The former templates are
kept as fixtures (``fixtures/report/former``) and rendered side by side with the functions over
every shape and many generated reports; a user template that imports the former macros still works.
"""

from __future__ import annotations

import random
from pathlib import Path

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import ChoiceLoader, DictLoader
from markupsafe import Markup
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.cli import app
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.report import AggregateReport
from slp_assess.report import ReportFormat, charts, inline
from slp_assess.report.environment import build_environment
from slp_assess.report.profilechart import profile_chart
from slp_assess.report.texts import texts
from test_caches_and_streaming import assert_rendered_without_cycles
from test_paths_identical import _answer_file

FORMER = Path(__file__).parent / "fixtures" / "report" / "former"
REPO = Path(__file__).resolve().parents[1]


def _former_environment(lang: str):
    env = build_environment("html", lang)
    env.bytecode_cache = None  # the former templates share names with the bundled ones
    former = {f"former/{p.name}": p.read_text(encoding="utf-8") for p in FORMER.iterdir()}
    former["partials/macros.html.j2"] = former["former/macros.html.j2"]
    env.loader = ChoiceLoader([DictLoader(former), env.loader])
    return env


def _reports(tmp_path: Path, seed: int, lang: str) -> list[AggregateReport]:
    tmp_path.mkdir(exist_ok=True)
    rng = random.Random(seed)
    for index in range(40):
        (tmp_path / f"a-{index:02d}.yaml").write_text(_answer_file(rng, index), encoding="utf-8")
    loaded = api.load_assessments([tmp_path], QuestionnaireCatalog(), jobs=1)
    earlier = api.build_reports(loaded, lang=lang, generated="2025-01-01")
    return api.build_reports(loaded, lang=lang) + api.build_reports(loaded, lang=lang, earlier=earlier[::2])


@pytest.mark.parametrize("lang", ["de", "en"])
def test_markers_keys_and_badges_print_what_the_macros_printed(lang):
    env = _former_environment(lang)
    rng = random.Random(7)
    words = texts(lang)
    for _ in range(300):
        shape = rng.choice([*charts.SIDE_SHAPES.values(), "unknown"])
        hollow = rng.random() < 0.5
        size = rng.choice([4, 3.4, 4.2, rng.uniform(1, 9)])
        x, y = (rng.choice([f"{rng.uniform(0, 400):.1f}", str(rng.randint(0, 400)), rng.uniform(0, 400), "7", "x"]) for _ in "xy")
        fill = rng.choice(["#fff", "url(#hatch)", '"><script>', "#2a7a5a"])
        template = env.from_string(
            '{% from "partials/macros.html.j2" import marker, key, swatch with context %}'
            "{{ marker(shape, x, y, hollow, size) }}|{{ key(shape, hollow) }}|{{ swatch(fill) }}")
        former = template.render(shape=shape, x=x, y=y, hollow=hollow, size=size, fill=fill)
        assert former == f"{inline.side_marker(shape, x, y, hollow, size)}|{inline.side_key(shape, hollow)}|{inline.colour_key(fill)}"
    template = env.from_string(
        '{% from "partials/macros.html.j2" import level, previous_note with context %}'
        "{% for id in ids %}{{ level(levels, id) }}{% endfor %}|{% for p in prevs %}{{ previous_note(p) }}{% endfor %}")
    report = api.build_reports(api.load_assessments([REPO / "examples" / "lindenau"], QuestionnaireCatalog(), jobs=1), lang=lang)[0]
    levels = {lv.id: lv for lv in report.levels}
    tones = charts.level_tones(report.levels)
    earlier = api.build_reports(api.load_assessments([REPO / "examples" / "lindenau-2025"], QuestionnaireCatalog(), jobs=1), lang=lang)
    [compared] = api.build_reports(api.load_assessments([REPO / "examples" / "lindenau"], QuestionnaireCatalog(), jobs=1),
                                   lang=lang, earlier=earlier)
    prevs = [None, compared.previous.overall if compared.previous else None, *(f.previous for f in compared.factors())]
    ids = [None, "", *levels]
    former = template.render(ids=ids, prevs=prevs, levels=levels, tones=tones)
    badge, previous = inline.level_badge_for(levels, tones, words), inline.previous_badge_for(words, lang)
    assert former == "".join(badge(i) for i in ids) + "|" + "".join(previous(p) for p in prevs)
    assert any(p is not None and p.score is not None for p in prevs)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_profile_chart_prints_what_the_profile_template_printed(tmp_path, seed, lang):
    env = _former_environment(lang)
    template = env.get_template("former/profile.html.j2")
    words = texts(lang)
    previous_seen = 0
    for report in _reports(tmp_path, seed, lang):
        profile = charts.profile(report)
        assert profile is not None
        levels = {lv.id: lv for lv in report.levels}
        former = template.render(profile=profile, levels=levels, tones=charts.level_tones(report.levels), chart_label=charts.label)
        assert former == profile_chart(profile, words=words, levels=levels, lang=lang) + "\n"
        previous_seen += any(row.previous_x for row in profile.rows)
    assert previous_seen  # the earlier assessment's marks were drawn too


def test_a_user_template_that_imports_the_former_macros_still_renders(tmp_path):
    """Partials written against earlier versions import ``level``, ``key``, … from ``partials/macros.html.j2``."""
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "blockers.html.j2").write_text(
        '{% from "partials/macros.html.j2" import level, key, swatch, marker, previous_note with context %}'
        '<p id="own">{{ level(levels, report.overall.level) }}|{{ key("circle", true) }}|{{ swatch("#fff") }}'
        '|{{ marker("square", "7", "7") }}|{{ previous_note(none) }}</p>\n', encoding="utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(REPO / "examples" / "lindenau"), "--format", "html", "-o", str(out),
                                      "--template-dir", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    own = html[html.index('<p id="own">'):].split("</p>", 1)[0]
    level, key, swatch, marker, previous = own.removeprefix('<p id="own">').split("|")
    assert level.startswith('<span class="level tone-') and level.endswith("</span>")
    assert key == inline.side_key("circle", True)
    assert swatch == inline.colour_key("#fff")
    assert marker == inline.side_marker("square", "7", "7")
    assert previous == ""


@pytest.mark.parametrize("seed", range(2))
def test_item_and_legend_blocks_print_what_the_factor_template_printed(tmp_path, seed):
    """``item_block`` and ``legend_block`` replaced loops of ``partials/factor.html.j2``: whole reports compared."""
    for lang in ("de", "en"):
        renderer = ReportFormat.HTML.to_renderer(lang, None)
        former = ReportFormat.HTML.to_renderer(lang, None)
        former.env.bytecode_cache = None
        source = (FORMER / "factor.html.j2").read_text(encoding="utf-8")
        former.env.loader = ChoiceLoader([DictLoader({"partials/factor.html.j2": source}), former.env.loader])
        for report in _reports(tmp_path / lang, seed, lang):
            assert former.render(report) == renderer.render(report)


@pytest.mark.parametrize("fmt", [ReportFormat.HTML, ReportFormat.MD, ReportFormat.PDF])
def test_the_template_contract_lists_every_key_a_template_receives(fmt):
    """``report.interface`` documents what templates get; a key added to a renderer must be documented there."""
    from slp_assess.report.interface import CompareContext, ReportContext

    loaded = api.load_assessments([REPO / "examples" / "lindenau"], QuestionnaireCatalog(), jobs=1)
    earlier = api.build_reports(api.load_assessments([REPO / "examples" / "lindenau-2025"], QuestionnaireCatalog(), jobs=1))
    [report] = api.build_reports(loaded)
    renderer = fmt.to_renderer("de", None)
    assert set(renderer._report_context(report)) == set(ReportContext.__annotations__)
    comparisons: list[object] = []
    original = renderer._render
    renderer._render = lambda name, context: comparisons.append(context) or original(name, context)  # type: ignore[method-assign]
    from slp_assess.comparison import compare

    renderer.render_compare(compare(earlier[0], report))
    assert set(comparisons[0]) == set(CompareContext.__annotations__)  # type: ignore[call-overload]


@pytest.mark.parametrize("seed", range(2))
def test_generated_html_reports_leave_no_reference_cycle(tmp_path, seed):
    """As ``test_rendering_an_html_report_leaves_no_reference_cycles``, over generated partnerships (hostile
    names and notes, every side, earlier assessments) in both languages."""
    for lang in ("de", "en"):
        assert_rendered_without_cycles(ReportFormat.HTML.to_renderer(lang, None), _reports(tmp_path / lang, seed, lang))


class _Html:
    def __init__(self, html: str) -> None:
        self.html = html

    def __html__(self) -> str:
        return self.html


class _Text(str):
    pass


@given(st.text(), st.sampled_from([str, Markup, _Text, _Html]))
def test_the_templates_escape_prints_what_markupsafe_does(text: str, kind: type) -> None:
    from slp_assess.report.formatting import html_escape, tamed, template_escape

    value = kind(text)
    assert template_escape(value) == markupsafe.escape(value)
    assert type(template_escape(value)) is Markup
    assert html_escape(value) == str(markupsafe.escape(tamed(value) if isinstance(value, str) else value))


@given(st.one_of(st.text(), st.text(alphabet="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069<&x")), st.sampled_from([str, Markup, _Text, _Html]))
def test_printing_a_value_is_finalizing_then_escaping_it(text: str, kind: type) -> None:
    from slp_assess.report.formatting import finalize_html, print_html

    value = kind(text)
    assert print_html(value) == markupsafe.escape(finalize_html(value))
    assert type(print_html(value)) is Markup


@pytest.mark.parametrize("value", [None, 0, 7, -2.5, 1e100, float("nan"), True, b"<b>", ["<i>", "&"], {"a": "<"}])
def test_the_templates_escape_prints_any_other_value_as_markupsafe_does(value: object) -> None:
    from slp_assess.report.formatting import template_escape

    assert template_escape(value) == markupsafe.escape(value)
    assert type(template_escape(value)) is Markup


@given(st.text())
def test_as_markup_is_markup_of_the_same_text(text: str) -> None:
    from slp_assess.report.formatting import as_markup

    made = as_markup(text)
    assert made == Markup(text) and type(made) is Markup
    assert made + "<" == Markup(text) + "<"  # and behaves as Markup: what is added is escaped


def test_html_templates_print_through_the_templates_escape(tmp_path: Path) -> None:
    from slp_assess.report.formatting import template_escape

    for template_dir in (None, tmp_path):
        env = build_environment("html", "en", template_dir)
        template = env.get_template("report.html.j2")
        assert template.root_render_func.__globals__["escape"] is template_escape
        assert env.from_string("{{ a }}|{{ b }}|{{ c }}").render(a="<&>\"'", b=Markup("<b>"), c=3) == "&lt;&amp;&gt;&#34;&#39;|<b>|3"


def test_the_templates_escape_works_without_markupsafes_inner_escaping(monkeypatch: pytest.MonkeyPatch) -> None:
    # MarkupSafe before 3 has no _escape_inner: its escape() is C code already and is called as it is.
    from slp_assess.report import formatting

    monkeypatch.setattr(formatting, "_escape_str", None)
    for value in ("<a href='x'>&", Markup("<b>"), 3, None, "plain", "\u202e<rtl>"):
        assert formatting.template_escape(value) == markupsafe.escape(value)
        assert formatting.print_html(value) == markupsafe.escape(formatting.finalize_html(value))
