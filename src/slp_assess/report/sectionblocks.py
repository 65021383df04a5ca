"""The report's blockers, recommendations, perceptions and method sections written in Python, as ``factorblock`` writes a factor.

Each section prints a few hundred values through Jinja, one expression at a time, and a portfolio
renders hundreds of reports; printed here, a section takes about half the time. The template files
stay what a user's ``--template-dir`` copies, overrides and renders through Jinja: only the bundled
environment asks ``NATIVE_PARTIALS`` first. The bytes are the templates' (``partials/blockers.html.j2``,
``recommendations.html.j2``, ``perceptions.html.j2``, ``method.html.j2``): ``tests/test_native_sections.py``
renders generated and hostile reports both ways and compares them.

Values are printed as the templates print them: a plain string through ``formatting.print_html``
(escaped, controls replaced, bidi closed), a number through the ``num`` filter's ``number``, our own
pieces (``Markup``) as they are, and ``say`` given the same values as the templates give it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from markupsafe import Markup, escape

from slp_assess.report.factorblock import native_root
from slp_assess.report.formatting import as_markup, number, print_html


def blockers_html(context: Mapping[str, Any]) -> str:
    """``partials/blockers.html.j2``: the key requirements not met."""
    report, t, lang, say = context["report"], context["t"], context["lang"], context["say"]
    out = [f'<section aria-labelledby="blockers">\n<h2 id="blockers">{print_html(t["blockers"])}</h2>\n']
    blockers = report.overall.blockers
    if blockers:
        out.append(f'<p class="intro">{print_html(t["blockers_intro"])}</p>\n<ul class="blockers">\n')
        for b in blockers:
            out.append(f'<li><strong>{print_html(b.text)}</strong> <span class="who">({print_html(b.factor_title)})</span><br>')
            if b.sides:
                listed = as_markup(", ".join(say("blocker_side", side=s.label, score=_num(s.score, lang), n=s.n) for s in b.sides))
                out.append(f'{say("blocker_sides", sides=listed)}; {say("blocker_mean", mean=_num(b.mean, lang))}')
            else:
                out.append(str(say("blocker_detail", score=_num(b.score, lang), below=b.below, n=b.n)))
            out.append("</li>\n")
        out.append("</ul>\n")
    else:
        out.append(f"<p>{print_html(t['no_blockers'])}</p>\n")
    out.append("</section>\n")
    return "".join(out)


def recommendations_html(context: Mapping[str, Any]) -> str:
    """``partials/recommendations.html.j2``: next steps per factor, in the order of need."""
    report, t, lang = context["report"], context["t"], context["lang"]
    out = [f'<section aria-labelledby="recommendations">\n<h2 id="recommendations">{print_html(t["recommendations"])}</h2>\n']
    if report.recommendation_order:
        factors_by_id, level_badge = context["factors_by_id"], context["level_badge"]
        practice = f' <em>({print_html(t["practice"])})</em>'
        out.append(f'<p class="intro">{print_html(t["recommendations_intro"])}</p>\n<div class="recs">\n')
        for factor_id in report.recommendation_order:
            f = factors_by_id[factor_id]
            out.append(f'<div class="rec">\n<h3><a href="#f-{print_html(f.id)}">{print_html(f.title)}</a> '
                       f'<span class="h-figure">{number(f.score, lang)}</span> {level_badge(f.level)}</h3>\n<ul>\n')
            if f.recommendations:
                out.extend(f"<li>{print_html(step.text)}{practice if step.practice else ''}</li>\n" for step in f.recommendations)
            else:
                out.append(f"<li>{print_html(t['no_recommendation_text'])}</li>\n")
            out.append("</ul>\n</div>\n")
        out.append("</div>\n")
        if any(step.practice for f in report.factors() if f.recommendations for step in f.recommendations):
            out.append(f'<p class="note">{print_html(t["practice_note"])}</p>')
    else:
        out.append(f"<p>{print_html(t['no_recommendations'])}</p>\n")
    out.append("</section>\n")
    return "".join(out)


def perceptions_html(context: Mapping[str, Any]) -> str:
    """``partials/perceptions.html.j2``: how the sides see the partnership, factor by factor."""
    report, t, lang, say, side = context["report"], context["t"], context["lang"], context["say"], context["side"]
    shapes, side_key, tones = context["shapes"], context["side_key"], context["tones"]
    summary = report.summary
    out = [f'<section aria-labelledby="perceptions">\n<h2 id="perceptions">{print_html(t["perceptions"])}</h2>\n'
           f'<p class="intro">{print_html(t["perceptions_intro"])}</p>\n'
           '<div class="scroll" role="region" aria-labelledby="by-factor-caption" tabindex="0">\n<table class="heat">\n'
           f'<caption id="by-factor-caption">{print_html(t["by_factor_and_side"])}</caption>\n'
           f'<thead><tr><th scope="col">{print_html(t["factor"])}</th><th scope="col" class="num">{print_html(t["all_short"])}</th>']
    out.extend(f'<th scope="col" class="num">{side_key(shapes[g.role], g.single_voice)} {print_html(g.label)}</th>' for g in report.groups)
    out.append(f'<th scope="col" class="num">{print_html(t["gap"])}</th></tr></thead>\n<tbody>\n'
               f'<tr class="total"><th scope="row">{print_html(t["overall"])}</th><td class="num">{number(report.overall.score, lang)}</td>')
    out.extend(f'<td class="num">{number(g.score, lang)}</td>' for g in report.groups)
    out.append('<td class="num">–</td></tr>\n')
    for f in report.factors():
        out.append(f'<tr><th scope="row"><a href="#f-{print_html(f.id)}">{print_html(f.short_title)}</a></th>'
                   f'<td class="num">{number(f.score, lang)}</td>')
        out.extend(f'<td class="num{f" cell-{print_html(tones[g.level])}" if g.level else ""}">{number(g.score, lang)}</td>' for g in f.groups)
        gap = f.gap
        if gap and gap.flagged:
            shown = f'<span class="flag">{number(gap.points, lang)} ▲</span>'
        else:
            shown = number(gap.points, lang) if gap else "–"
        out.append(f'<td class="num">{shown}</td></tr>\n')
    out.append(f'</tbody>\n</table>\n</div>\n<p class="note">{print_html(t["heat_note"])}'
               f'{" " + print_html(t["single_voice_note"]) if summary.single_voices else ""}</p>\n<h3>{print_html(t["gaps"])}</h3>\n')
    if summary.gaps:
        out.append(f'<p>{print_html(t["gaps_intro"])}</p>\n<ol class="gaps">\n')
        out.extend(f"<li>{_gap_sentence(say, side, g, g.title, lang)}</li>\n" for g in summary.gaps)
        out.append("</ol>\n")
    elif not summary.critical_gaps:
        out.append(f"<p>{print_html(t['no_gaps'])}</p>\n")
    if summary.critical_gaps:
        out.append('<ul class="gaps critical">\n')
        out.extend(f'<li>{_gap_sentence(say, side, g, g.text, lang)} ({print_html(t["critical"])}, '
                   f'<a href="#f-{print_html(g.factor)}">{print_html(g.factor_title)}</a>)</li>\n' for g in summary.critical_gaps)
        out.append("</ul>\n")
    if summary.low_consensus:
        factors_by_id = context["factors_by_id"]
        out.append(f"<h3>{print_html(t['low_consensus'])}</h3>\n<p>{print_html(t['low_consensus_intro'])} ")
        last = len(summary.low_consensus) - 1
        out.extend(f"{print_html(f.short_title)} ({print_html(t['stdev'])} {number(factors_by_id[f.id].stats.stdev, lang)})"
                   f"{'.' if n == last else ', '}" for n, f in enumerate(summary.low_consensus))
        out.append("</p>\n")
    out.append("</section>\n")
    return "".join(out)


def _gap_sentence(say: Callable[..., Markup], side: Callable[[Any], str], gap: Any, factor: str, lang: str) -> Markup:
    return say("gap_sentence", low=side(gap.low), high=side(gap.high), factor=factor, points=_num(gap.points, lang))


def method_html(context: Mapping[str, Any]) -> str:
    """``partials/method.html.j2``: how the numbers come about, and the passages of the paper."""
    report, t, lang, say, level_badge = context["report"], context["t"], context["lang"], context["say"], context["level_badge"]
    out = [f'<section aria-labelledby="method">\n<h2 id="method">{print_html(t["method"])}</h2>\n']
    if report.meta.paper:
        out.append(f"<p>{print_html(t['method_basis'])} {print_html(report.meta.paper)}</p>")
    out.append(f"<h3>{print_html(t['method_scoring'])}</h3>\n<p>{print_html(t['method_rules'])}</p>\n")
    if report.respondent_count > 1:
        out.append(f"<p>{print_html(t['method_aggregation'])}</p>")
    described = any(lv.description for lv in report.levels)
    score_label = print_html(t["score"])
    meaning_head = f'<th scope="col">{print_html(t["meaning"])}</th>' if described else ""
    out.append(f'<h3>{print_html(t["method_levels"])}</h3>\n<table class="reflow">\n<thead><tr><th scope="col">{print_html(t["level"])}</th>'
               f'<th scope="col">{score_label}</th>{meaning_head}</tr></thead>\n<tbody>\n')
    for n, lv in enumerate(report.levels):
        if n == 0:
            range_text = say("threshold_top", low=_bound(lv.threshold, lang))
        else:
            range_text = say("threshold_range", low=_bound(lv.threshold, lang), high=_bound(lv.upper, lang))
        meaning = f'<td data-label="{print_html(t["meaning"])}">{print_html(lv.description)}</td>' if described else ""
        out.append(f'<tr><th scope="row">{level_badge(lv.id)}</th><td data-label="{score_label}">{range_text}</td>{meaning}</tr>\n')
    out.append(f'</tbody>\n</table>\n<h3>{print_html(t["method_sources"])}</h3>\n<p>{print_html(t["method_sources_intro"])}</p>\n'
               '<ul class="sources">\n')
    out.extend(f'<li>{print_html(p.text)} <span class="who">({_joined(p.factors, ", ")})</span></li>\n' for p in report.sources)
    out.append("</ul>\n</section>\n")
    return "".join(out)


def _num(value: float | None, lang: str, digits: int = 1) -> Markup:
    """What the ``num`` filter gives (a value handed on to ``say``, which leaves Markup as it is)."""
    return as_markup(number(value, lang, digits))


def _bound(threshold: float, lang: str) -> Markup:
    """A level's bound as the templates print it: ``num(0 if t % 1 == 0 else 1)``."""
    return _num(threshold, lang, 0 if threshold % 1 == 0 else 1)


def _joined(items: Iterable[Any], separator: str) -> str:
    """Jinja's ``join`` filter in an autoescaped template, printed."""
    values = list(items)
    if any(hasattr(v, "__html__") for v in values):
        return str(escape(separator).join(v if hasattr(v, "__html__") else str(v) for v in values))
    return str(print_html(separator.join(map(str, values))))


NATIVE_SECTIONS: Mapping[str, Callable[..., Iterator[str]]] = {
    "partials/blockers.html.j2": native_root(blockers_html),
    "partials/recommendations.html.j2": native_root(recommendations_html),
    "partials/perceptions.html.j2": native_root(perceptions_html),
    "partials/method.html.j2": native_root(method_html),
}
