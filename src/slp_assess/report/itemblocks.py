"""The blocks the HTML report shows for every item: the question with its answers as stacked bars and
its notes, the answers as a table; and the key to a factor's answer colours.

A report has some fifty items, each with a chart and a table of a few dozen numbers. Printed
through Jinja, one number at a time, these blocks took over half the time of rendering the
whole report (a portfolio renders hundreds of reports); written here with f-strings they cost a
tenth of that. A side has only a few respondents, so the bar and the table row of one side (its
counts in its row) come back item after item and report after report: each is written once per
process and then reused. The bytes are those the templates wrote before (``tests/golden``,
``tests/test_inline_pieces.py``). Every label and note is HTML-escaped with its bidi controls
closed; everything else is a number, one of our own colours, or fixed markup.

``words`` is the report's text table in its language (``slp_assess.report.texts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from markupsafe import Markup

from slp_assess.models.report import ItemReport
from slp_assess.report.charts import (
    BAR_HEIGHT,
    BARS_SPAN,
    BARS_X0,
    WIDTH,
    Legend,
    answer_colours,
    distribution_height,
    distribution_row,
)
from slp_assess.report.formatting import as_markup, html_escape, number
from slp_assess.report.inline import BLANK_KEY, colour_key


def item_block(item: ItemReport, words: Mapping[str, str], lang: str) -> Markup:
    """An item of a factor: the question (with its tags and score), its chart, and its notes."""
    tags = ""
    if item.critical:
        tags += f' <span class="tag">{_html(words["critical"])}</span>'
    if item.reverse:
        tags += f' <em>({_html(words["reverse"])})</em>'
    out = [f'<div class="item">\n<p class="q">{html_escape(item.text)}{tags} <span class="figure">{number(item.score, lang)}</span>'
           f'{_critical_gap(item, words, lang)}</p>\n', item_chart(item, words), "\n"]
    if item.notes:
        out.append('<ul class="notes">\n')
        out.extend(f'<li>„{html_escape(n.text)}“ <span class="who">– {html_escape(n.who)} ({html_escape(n.role_label)})</span></li>\n'
                   for n in item.notes)
        out.append("</ul>\n")
    out.append("</div>")
    return as_markup("".join(out))


def _critical_gap(item: ItemReport, words: Mapping[str, str], lang: str) -> str:
    """A key requirement the partner sides see 20 points or more apart: each side's mean and the gap.

    The factor's sides and its gap average the item away; here it shows as itself (single voices too).
    """
    gap = item.critical_gap
    if gap is None or not gap.flagged:
        return ""
    sides = " · ".join(f"{_html(s.label)} {number(s.score, lang)}" + (f' <span class="n">({_html(words["single_voice"])})</span>' if s.n == 1 else "")
                       for s in gap.sides)
    return f' <span class="cgap">{_html(words["critical"])}: {sides} · {_html(words["gap"])} <strong class="flag">{number(gap.points, lang)} ▲</strong></span>'


def legend_block(legend: Legend, words: Mapping[str, str]) -> Markup:
    """The key to a factor's answer colours: each option of its scales, "cannot judge" and blank where given."""
    out = ['<ul class="legend scale">\n']
    out.extend(f"<li>{colour_key(colour)} {html_escape(label)}</li>" for scale in legend.scales for label, colour in scale)
    if legend.not_applicable:
        out.append(f'<li>{colour_key("url(#hatch)")} {_html(words["cannot_judge"])}</li>')
    if legend.unanswered:
        out.append(f'<li>{BLANK_KEY} {_html(words["unanswered"])}</li>')
    out.append(f'<li class="n">{_html(words["n_right"])}</li>\n</ul>')
    return as_markup("".join(out))


def item_chart(item: ItemReport, words: Mapping[str, str]) -> Markup:
    """The stacked bars of ``charts.distribution`` as an SVG element, with their text alternative.

    The text alternative says per side how many chose which answer: "Stadt – 2 × trifft zu; 1 × offen.
    Landkreis – …".
    """
    height = distribution_height(len(item.sides))
    ident = _html(item.id)
    colours = answer_colours(item)
    cannot_judge, unanswered = words["cannot_judge"], words["unanswered"]
    rows, said = [], []
    for i, side in enumerate(item.sides):
        options = side.options
        row, text = _side_chart(i, side.label, side.role, colours, tuple([o.label for o in options]),
                                tuple([o.count for o in options]), side.not_applicable, side.unanswered, side.n,
                                cannot_judge, unanswered)
        rows.append(row)
        said.append(text)
    return as_markup(
        f'<svg class="chart dist" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="d-{ident}">\n'
        f'<title id="d-{ident}">{_html(words["answers_by_side"])}: {". ".join(said) + "." if said else ""}</title>\n'
        f'{"".join(rows)}</svg>'
    )


# A side has few respondents, so the same bars (the same counts in the same row) come back in item
# after item and report after report of a portfolio.
@lru_cache(maxsize=8192)
def _side_chart(index: int, label: str, role: str, colours: tuple[str, ...], labels: tuple[str, ...],
                counts: tuple[int, ...], not_applicable: int, unanswered: int, n: int, cannot_judge: str,
                blank: str) -> tuple[str, str]:
    """The bar of one side, as SVG (see ``charts.distribution_row``), and what it shows, in words."""
    r = distribution_row(index, label, role, colours, counts, not_applicable, unanswered, n)
    out = [f'<text x="{BARS_X0 - 5}" y="{r.text_y}" font-size="10.5" text-anchor="end" fill="#1b1f24">{_html(r.label)}</text>\n'
           f'<rect x="{BARS_X0}" y="{r.y}" width="{BARS_SPAN}" height="{BAR_HEIGHT}" fill="none" stroke="#8a94a0" stroke-width="0.6"/>\n']
    for s in r.segments:
        out.append(f'<rect x="{s.x}" y="{r.y}" width="{s.width}" height="{BAR_HEIGHT}" fill="{s.fill}" stroke="#fff" stroke-width="0.8"/>')
        if s.kind == "blank":
            out.append(f'<rect x="{s.x}" y="{r.y}" width="{s.width}" height="{BAR_HEIGHT}" fill="none" stroke="#4d5661" '
                       'stroke-width="0.8" stroke-dasharray="2 2"/>')
        if s.labelled:
            ink = "#fff" if s.light_text else "#1b1f24"
            out.append(f'<text x="{s.text_x}" y="{r.text_y}" font-size="10.5" text-anchor="middle" fill="{ink}">{s.count}</text>')
    out.append(f'\n<text x="{WIDTH - 1}" y="{r.text_y}" font-size="10.5" text-anchor="end" fill="#4d5661">{r.n}</text>\n')
    parts = [f"{count} × {_html(option)}" for option, count in zip(labels, counts, strict=True) if count]
    if not_applicable:
        parts.append(f"{not_applicable} × {_html(cannot_judge)}")
    if unanswered:
        parts.append(f"{unanswered} × {_html(blank)}")
    return "".join(out), f"{_html(label)} – {'; '.join(parts)}"


def answer_table(item: ItemReport, words: Mapping[str, str]) -> Markup:
    """The answers per side and option as a table (the chart's numbers, for reading and for screen readers).

    "Cannot judge" and blank answers get a column only where someone gave them.
    """
    ident = _html(item.id)
    # A column for "cannot judge" and one for blank answers only where the item has any.
    not_applicable, unanswered = bool(item.not_applicable), bool(item.unanswered)
    head = _table_head(tuple([o.label for o in item.options]), not_applicable, unanswered,
                       words["role"], words["cannot_judge"], words["unanswered"], words["n"])
    rows = [_table_row(side.label, tuple([o.count for o in side.options]), side.not_applicable if not_applicable else None,
                       side.unanswered if unanswered else None, side.n)
            for side in item.sides]
    return as_markup(
        f'<div class="scroll" role="region" aria-labelledby="n-{ident}" tabindex="0">\n<table>\n'
        f'<caption id="n-{ident}">{_html(item.text)}</caption>\n<thead><tr>{head}</tr></thead>\n'
        f'<tbody>\n{"".join(rows)}</tbody>\n</table>\n</div>'
    )


# An item's head row depends only on its scale and which of the two optional columns it has.
@lru_cache(maxsize=1024)
def _table_head(labels: tuple[str, ...], not_applicable: bool, unanswered: bool, role: str, cannot_judge: str, blank: str,
                n: str) -> str:
    head = [f'<th scope="col">{_html(role)}</th>']
    head += [f'<th scope="col" class="num">{_html(label)}</th>' for label in labels]
    if not_applicable:
        head.append(f'<th scope="col" class="num">{_html(cannot_judge)}</th>')
    if unanswered:
        head.append(f'<th scope="col" class="num">{_html(blank)}</th>')
    head.append(f'<th scope="col" class="num">{_html(n)}</th>')
    return "".join(head)


@lru_cache(maxsize=8192)
def _table_row(label: str, counts: tuple[int, ...], not_applicable: int | None, unanswered: int | None, n: int) -> str:
    """One side's row of an answer table; a None count has no column."""
    cells = [f'<td class="num">{count}</td>' for count in counts]
    cells += [f'<td class="num">{count}</td>' for count in (not_applicable, unanswered) if count is not None]
    return f'<tr><th scope="row">{_html(label)}</th>{"".join(cells)}<td class="num">{n}</td></tr>\n'


# The same labels (answer options, sides, the report's words) come back in every chart and table.
_html = lru_cache(maxsize=4096)(html_escape)
