"""The factor profile of the report's first page, drawn as SVG: a bar per factor, a marker per side.

Some two dozen rows of a dozen numbers each: printed through Jinja one number at a time they were a
sixth of the time of rendering a report, written here with f-strings a fraction of that (as
``report.itemblocks`` does for the items). The bytes are those ``partials/profile.html.j2`` wrote
before (``tests/golden``); that partial now calls ``profile_chart(profile)``, and a user template can
still draw the chart its own way from the ``profile`` geometry. Every label is HTML-escaped with its
bidi controls closed; everything else is a number, one of our own colours, or fixed markup.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from slp_assess.models.report import LevelInfo
from slp_assess.report.charts import Profile, ProfileRow, label
from slp_assess.report.formatting import html_escape, number
from slp_assess.report.inline import side_marker


def profile_chart(profile: Profile, *, words: Mapping[str, str], levels: Mapping[str, LevelInfo], lang: str) -> Markup:
    """The profile as an SVG element with its title and its text alternative (every row's figures)."""
    p = profile
    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {p.width} {p.height}" width="{p.width}" '
           f'height="{p.height}" role="img" aria-labelledby="profile-title profile-desc">\n'
           f'<title id="profile-title">{html_escape(words["profile_title"])}</title>\n'
           f'<desc id="profile-desc">{html_escape(words["profile_desc"])} {_description(p, words, levels, lang)}</desc>\n']
    for tick in p.ticks:
        dashed = "" if tick.label in ("0", "100") else ' stroke-dasharray="3 2"'
        out.append(f'<line x1="{tick.x}" y1="16" x2="{tick.x}" y2="{p.height - 2}" stroke="#8a94a0" stroke-width="0.8"{dashed}/>\n'
                   f'<text x="{tick.x}" y="11" font-size="10.5" text-anchor="middle" fill="#4d5661">{html_escape(tick.label)}</text>\n')
    for index, row in enumerate(p.rows, start=1):
        out.append(_row(p, row, index, words, lang))
    out.append("</svg>")
    return Markup("".join(out))


def _description(p: Profile, words: Mapping[str, str], levels: Mapping[str, LevelInfo], lang: str) -> str:
    parts = []
    for row in p.rows:
        f = row.factor
        text = f"{html_escape(f.short_title)}: {number(f.score, lang)}"
        if f.level:
            text += f" ({html_escape(levels[f.level].label)})"
        if p.sides:
            text += "".join(f", {html_escape(g.label)} {number(g.score, lang)}" for g in f.groups)
        if f.previous:
            text += f", {html_escape(words['previously'])} {number(f.previous.score, lang)}"
        if not f.due:
            text += f", {html_escape(words['not_due'])}"
        parts.append(text + ". ")
    return "".join(parts)


def _row(p: Profile, row: ProfileRow, index: int, words: Mapping[str, str], lang: str) -> str:
    f = row.factor
    out = []
    if index % 2 == 0:
        out.append(f'<rect x="0" y="{row.y}" width="{p.width}" height="{p.row_height}" fill="#f2f4f7" fill-opacity="0.7"/>')
    out.append(f'<text x="{p.label_x}" y="{row.text_y}" font-size="11" text-anchor="end" fill="#1b1f24">{html_escape(label(f.short_title))}</text>\n')
    if f.score is None:
        out.append(f'<text x="{p.x0 + 4}" y="{row.text_y}" font-size="10.5" font-style="italic" fill="#4d5661">{html_escape(words["no_data"])}</text>\n')
    else:
        later = ' stroke="#4d5661" stroke-width="0.8"' if not f.due else ""
        fill = "url(#hatch-later)" if not f.due else row.fill
        out.append(f'<rect x="{p.x0}" y="{row.bar_y}" width="{row.width}" height="{p.bar_height}" fill="{fill}"{later}/>\n'
                   f'<text x="{p.value_x}" y="{row.text_y}" font-size="11" font-weight="700" text-anchor="end" fill="#1b1f24">'
                   f'{number(f.score, lang)}</text>\n')
    if row.previous_x:
        bar_y = float(row.bar_y)
        out.append(f'<line x1="{row.previous_x}" y1="{bar_y - 3}" x2="{row.previous_x}" y2="{bar_y + p.bar_height + 3}" '
                   'stroke="#1b1f24" stroke-width="2"/>')
    out.extend(side_marker(m.shape, m.x, m.y, m.hollow, 3.4) for m in row.markers)
    out.append("\n")
    return "".join(out)
