"""The pages: Jinja2 with autoescape over plain view data, in the room's language.

Templates live in ``templates/serve/`` and only format what they are given: the question and its
options for a phone, counts per side for the projector, and for the end the report data that
``reportdata.build_report`` computes (no score is computed here or in a template). The script and
the stylesheet are files of the same folder, read once and served by name from a fixed table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from slp_assess.aggregate import assessment_of
from slp_assess.i18n import message, pick, side_label
from slp_assess.models.questionnaire import NOT_APPLICABLE
from slp_assess.models.report import AggregateReport
from slp_assess.reportdata import build_report
from slp_assess.resources import data_dir
from slp_assess.rounding import format_score
from slp_assess.serve.state import RoomState, Seat
from slp_assess.sides import SIDES

STATIC_TYPES = {"serve.css": "text/css; charset=utf-8", "serve.js": "text/javascript; charset=utf-8"}


def environment() -> Environment:
    """The page environment: bundled templates only, HTML autoescape, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(str(data_dir("templates") / "serve")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def static_files() -> dict[str, bytes]:
    """The script and the stylesheet, by the only names a request may ask for."""
    folder = data_dir("templates") / "serve" / "static"
    return {name: (folder / name).read_bytes() for name in STATIC_TYPES}


@dataclass(frozen=True)
class Option:
    """One choice on the phone: the form value, its label, and whether it is the current answer."""

    value: str
    label: str
    checked: bool


def texts(lang: str) -> Any:
    """``t("key", ...)`` for templates: the i18n table in the room's language."""

    def t(key: str, **values: object) -> str:
        return message(key, lang, **values)

    return t


def question_view(state: RoomState, seat: Seat) -> dict[str, Any] | None:
    """What the phone shows for the participant's open question; None when there is none."""
    step = state.step_for(seat)
    if step is None:
        return None
    lang = state.language
    sheet = seat.session.sheets[0]
    view: dict[str, Any] = {"step": step.id, "number": step.number, "total": len(state.steps), "kind": step.kind, "note": ""}
    if step.item is not None:
        answer = sheet.answers.get(step.id)
        current = answer.value if answer else None
        scale = state.questionnaire.scales[step.item.scale]
        options = [Option(o.key, pick(o.label, lang), o.key == current) for o in scale.options]
        if not step.item.required:
            options.append(Option(NOT_APPLICABLE, message("not_applicable", lang), current == NOT_APPLICABLE))
        view.update(
            text=pick(step.item.text, lang), help=pick(step.item.help, lang),
            part=pick(step.factor.title, lang) if step.factor else "", options=options, input="radio",
            critical=step.item.critical, note=(answer.note or "") if answer else "",
            current=next((o.label for o in options if o.checked), None),
        )
        return view
    assert step.question is not None
    question = step.question
    current_value = sheet.context.get(step.id)
    chosen = current_value if isinstance(current_value, list) else [current_value] if current_value else []
    view.update(
        text=pick(question.text, lang), help=pick(question.help, lang), part=message("assess.context_title", lang),
        critical=False,
        options=[Option(o.key, pick(o.label, lang), o.key in chosen) for o in question.options],
        input={"text": "text", "choice": "radio", "multiple_choice": "checkbox"}[question.type],
        text_value=current_value if isinstance(current_value, str) and question.type == "text" else "",
        current=", ".join(pick(o.label, lang) for o in question.options if o.key in chosen) or (current_value if question.type == "text" else None),
    )
    return view


def with_entered(view: dict[str, Any], values: list[str], text: str, note: str) -> dict[str, Any]:
    """The question as the phone sent it (a save failed): the choices, text and note entered stay in the form."""
    kept = dict(view, note=note)
    kept["options"] = [replace(o, checked=o.value in values) for o in view["options"]]
    if view["input"] == "text":
        kept["text_value"] = text
    return kept


def side_options(lang: str) -> list[tuple[str, str]]:
    """Every side a participant may speak for, as (value, label)."""
    return [(side, side_label(side, lang)) for side in SIDES]


def people_view(state: RoomState) -> list[dict[str, Any]]:
    """Who has joined and how far they are."""
    total = len(state.steps)
    return [
        {"name": seat.participant.name, "side": side_label(seat.participant.role, state.language), "done": seat.answered, "total": total}
        for seat in state.seats
    ]


def distribution_view(state: RoomState, step_id: str) -> dict[str, Any]:
    """The presenter's view of one question: answered count, and when revealed the counts per option and side."""
    step = state.step_by_id(step_id)
    assert step is not None
    lang = state.language
    view: dict[str, Any] = {
        "number": step.number, "total": len(state.steps), "answered": state.answered_count(step), "present": len(state.seats),
        "revealed": state.is_revealed(step), "text": pick((step.item or step.question).text, lang),  # type: ignore[union-attr]
        "scored": step.item is not None, "sides": [], "rows": [],
    }
    if step.item is None or not view["revealed"]:
        return view
    dist = state.distribution(step)
    present = [s for s in SIDES if any(seat.participant.role == s for seat in state.seats)]
    scale = state.questionnaire.scales[step.item.scale]
    rows = [(pick(o.label, lang), dist.counts[o.key]) for o in scale.options]
    if any(dist.not_applicable.values()):
        rows.append((message("not_applicable", lang), dist.not_applicable))
    widest = max([sum(c.values()) for _, c in rows] + [1])
    view["sides"] = [(s, message(f"role_short.{s}", lang)) for s in present]
    view["rows"] = [
        {
            "label": label, "counts": [counts[s] for s in present], "all": sum(counts.values()),
            # Stacked bar segments (side, x, width) on a 0..100 axis; SVG attributes, no inline style.
            "segments": _segments([(s, counts[s]) for s in present], widest),
        }
        for label, counts in rows
    ]
    return view


def _segments(counts: list[tuple[str, int]], widest: int) -> list[tuple[str, float, float]]:
    segments, x = [], 0.0
    for side, count in counts:
        width = 100.0 * count / widest
        if width:
            segments.append((side, round(x, 2), round(width, 2)))
        x += width
    return segments


def group_report(state: RoomState) -> AggregateReport | None:
    """The group view for the end: the report data of everyone's answers so far (None before any answer)."""
    files = [f for f in state.answer_files() if f.answers]
    if not files:
        return None
    group = [assessment_of(f, state.questionnaire, "") for f in files]
    return build_report(state.questionnaire, group, lang=state.language)


def side_label_of(side: str, lang: str) -> str:
    """A side as a word in the room's language."""
    return side_label(side, lang)


def qr_svg(url: str) -> Markup:
    """The join URL as an inline SVG QR code (made here from our own URL, so it is trusted markup)."""
    import segno

    return Markup(segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", omitsize=True))


def qr_text(url: str) -> str:
    """The join URL as a QR code in terminal characters (two rows per line)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def score_text(value: float | None, lang: str) -> str:
    """A score as the reader's language writes it (``62,5``)."""
    return format_score(value, lang)
