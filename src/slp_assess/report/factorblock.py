"""``partials/factor.html.j2`` written in Python, for the bundled HTML templates.

A report has two dozen factors, and the partial printed some forty values for each through Jinja,
one expression at a time: after the item blocks (``itemblocks``) it was the largest share of
rendering a report, and a portfolio renders hundreds. The template file stays what a user's
``--template-dir`` copies, overrides and renders (in the sandbox, through Jinja); only the bundled
environment, whose loader asks ``NATIVE_PARTIALS`` first, prints a factor here. The bytes are the
template's: ``tests/test_factor_block.py`` renders generated reports both ways and compares them.

Values are printed as the template printed them: a plain string through ``formatting.print_html``
(escaped, controls replaced, bidi closed), a number through ``str``, our own pieces (``Markup``) as
they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from markupsafe import Markup

from slp_assess.report.formatting import number, print_html


def factor_html(context: Mapping[str, Any]) -> str:
    """The factor ``context["f"]`` of a report, as ``partials/factor.html.j2`` renders it in ``context``."""
    f = context["f"]
    t: Mapping[str, str] = context["t"]
    lang: str = context["lang"]
    say: Callable[..., Markup] = context["say"]
    fid = print_html(f.id)
    out = [f'<article class="factor" aria-labelledby="f-{fid}">\n'
           f'<h3 id="f-{fid}"><span class="fnum">{_value(f.number)}.</span> {print_html(f.title)}']
    if not f.due:
        out.append(f" <small>({print_html(t['not_due'])})</small>")
    out.append(f'</h3>\n<div class="fighead">\n<p class="figures"><strong>{number(f.score, lang)}</strong> {print_html(t["score"])} '
               f"{context['level_badge'](f.level)}")
    if f.previous:
        out.append(f" {context['previous_badge'](f.previous)}")
    if context["multi"]:
        out.append(f" · {print_html(t['stdev'])} {number(f.stats.stdev, lang)}")
        if f.low_consensus:
            out.append(f' <span class="flag">({print_html(t["low_consensus_short"])})</span>')
        out.append(f" · {print_html(t['n'])} = {_value(f.stats.n)}")
    if f.coverage < 1:
        out.append(f" · {print_html(t['coverage'])} {number(100 * f.coverage, lang, 0)} %")
    out.append("</p>\n")
    if context["several_groups"]:
        out.append(f'<ul class="sidescores" aria-label="{say("side_scores_caption", factor=f.short_title)}">\n')
        out.extend(_side_scores(f.groups, context["shapes"], context["side_key"], t, lang))
        if f.gap:
            points = number(f.gap.points, lang)
            shown = f'<strong class="flag">{points} ▲</strong>' if f.gap.flagged else f"<strong>{points}</strong>"
            out.append(f"<li>{print_html(t['gap'])} {shown}</li>")
        out.append("</ul>\n")
    out.append("</div>\n")
    if f.description:
        out.append(f'<p class="desc">{print_html(f.description)}</p>')
    legends = context["legends"]
    if f.id in legends:
        out.append(f"{context['legend_block'](legends[f.id])}\n")
    item_block, answer_table = context["item_block"], context["answer_table"]
    out.append('<div class="items">\n')
    out.extend(f"{item_block(i)}\n" for i in f.items)
    out.append(f'</div>\n<details class="numbers">\n<summary>{say("numbers_summary", factor=f.short_title)}</summary>\n')
    out.extend(f"{answer_table(i)}\n" for i in f.items)
    out.append("</details>\n</article>\n")
    return "".join(out)


def _side_scores(groups: Any, shapes: Mapping[str, str], side_key: Callable[..., Markup], t: Mapping[str, str],
                 lang: str) -> Iterator[str]:
    for g in groups:
        voice = f' <span class="n">({print_html(t["single_voice"])})</span>' if g.single_voice else ""
        yield f"<li>{side_key(shapes[g.role], g.single_voice)} {print_html(g.label)} <strong>{number(g.score, lang)}</strong>{voice}</li>\n"


def _value(value: object) -> str:
    """A value that is not a string, printed as the template printed it (a number: its ``str``)."""
    return str(print_html(value))


def native_root(render: Callable[[Mapping[str, Any]], str]) -> Callable[..., Iterator[str]]:
    """``render`` as the root function of a compiled template, whose context resolves as the template's names."""
    def root(context: Any, missing: Any = None, environment: Any = None) -> Iterator[str]:
        yield render(context)

    return root


# Template names the bundled environment renders with Python, and the root function of each.
NATIVE_PARTIALS: Mapping[str, Callable[..., Iterator[str]]] = {"partials/factor.html.j2": native_root(factor_html)}
