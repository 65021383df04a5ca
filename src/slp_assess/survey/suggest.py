"""``slp import --suggest-map``: draft a map by matching a sheet's headers and answers to the questionnaire.

Headers are compared with the questions' German and English texts (and the header questions'
usual names: "Name", "Organisation", "Seite", "Datum", …), answers with the option labels. What
matches exactly or nearly is filled in (near matches say so in a comment); what does not is left
``null`` and marked ``UNMATCHED``, and the import refuses the map until it is decided.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field

from slp_assess.i18n import LANGUAGES, message
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.oneline import bare
from slp_assess.survey.columns import ColumnMatcher
from slp_assess.survey.fields import DATE, NAME, ORGANISATION, PARTNERSHIP, ROLE, SurveyFields, Target
from slp_assess.survey.responses import Sheet
from slp_assess.survey.values import Vocabulary, normal, scale_vocabulary, side_of, side_vocabulary, split_choices

_CUTOFF = 0.8
_NOTE_WORDS = ("anmerkung", "anmerkungen", "kommentar", "bemerkung", "notiz", "note", "comment", "remarks")
_HEADER_WORDS = {
    PARTNERSHIP: ["partnerschaft", "name der partnerschaft", "partnership", "stadt-land-partnerschaft", message("assess.prompt.partnership", "en")],
    NAME: ["name", "ihr name", "your name", "vor- und nachname", "full name", "befragte person"],
    ORGANISATION: ["organisation", "organization", "institution", "behörde", "dienststelle", "verwaltung", "ihre organisation"],
    ROLE: ["seite", "side", "rolle", "role", "ihre seite", "your side", "gebietskörperschaft"],
    DATE: ["datum", "date", "fertigstellungszeit", "completion time", "ausgefüllt am"],
}
_KEY_TEXTS = {PARTNERSHIP: "assess.prompt.partnership", NAME: "survey.name", ORGANISATION: "survey.organisation", ROLE: "survey.side", DATE: "survey.date"}


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s/-]", " ", text).split()).casefold()


def _similarity(a: str, b: str) -> float:
    a, b = _words(a), _words(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if min(len(a), len(b)) >= 12 and (a in b or b in a):
        return 0.9  # a header cut short, or a question with a prefix ("1. …")
    return difflib.SequenceMatcher(None, a, b).ratio()


@dataclass
class Draft:
    """The map drafted for a sheet: its YAML text and the number of open points."""

    text: str
    open_points: int
    lines: list[str] = field(default_factory=list)


def _candidates(q: Questionnaire) -> list[tuple[Target, str]]:
    found: list[tuple[Target, str]] = []
    for name, words in _HEADER_WORDS.items():
        texts = [*words, *(message(_KEY_TEXTS[name], lang) for lang in LANGUAGES)]
        found += [(Target("header", name), t) for t in texts]
    for _, item in q.items():
        found += [(Target("item", item.id), t) for t in item.text.values()]
    for question in q.context:
        found += [(Target("context", question.id), t) for t in question.text.values()]
    return found


def _match_columns(sheet: Sheet, q: Questionnaire, open_columns: list[int]) -> dict[int, tuple[Target, float]]:
    candidates = _candidates(q)
    notes = [(Target("note", t.id), text) for t, text in candidates if t.kind == "item"]
    scored: list[tuple[float, int, Target]] = []
    for index in open_columns:
        header = sheet.columns[index]
        words = _words(header)
        is_note = words.split(" ", 1)[0] in _NOTE_WORDS
        pool = notes if is_note else candidates
        text = re.sub(r"^\w+\s*(zu|zur|zum|on|to|about)?\s*(frage|question)?\s*:?\s*", "", words) if is_note else header
        best: dict[Target, float] = {}
        for target, candidate in pool:
            score = _similarity(text, candidate)
            if score >= _CUTOFF and score > best.get(target, 0.0):
                best[target] = score
        scored += [(score, index, target) for target, score in best.items()]
    chosen: dict[int, tuple[Target, float]] = {}
    used: set[Target] = set()
    for score, index, target in sorted(scored, key=lambda s: (-s[0], s[1])):
        if index not in chosen and target not in used:
            chosen[index] = (target, score)
            used.add(target)
    return chosen


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def suggest_map(sheet: Sheet, q: Questionnaire) -> Draft:
    """A draft map for the sheet; deterministic for the same sheet and questionnaire."""
    matcher = ColumnMatcher(q)
    fields = SurveyFields(q)
    recognised = {i for i, c in enumerate(sheet.columns) if matcher.target(c) is not None}
    metadata = {i for i, c in enumerate(sheet.columns) if i not in recognised and matcher.is_metadata(c)}
    matched = _match_columns(sheet, q, [i for i in range(len(sheet.columns)) if i not in recognised | metadata])
    out = [
        f"# Map for slp import: {bare(sheet.path.name)} -> questionnaire {q.id} {bare(q.version)}.",  # a comment stays one line
        "# Check every entry; replace each null marked UNMATCHED, then: slp import SHEET --questionnaire ID --map THIS_FILE -o answers/",
        f"questionnaire: {q.id}",
        "columns:",
    ]
    open_points = 0
    for index, column in enumerate(sheet.columns):
        if index in recognised:
            out.append(f"  {_q(column)}: {_q(matcher.target(column).spelled())}  # recognised")  # type: ignore[union-attr]
        elif index in metadata:
            out.append(f"  {_q(column)}: ignore  # survey tool metadata")
        elif index in matched:
            target, score = matched[index]
            note = "" if score == 1.0 else f"  # near match ({score:.0%}), check"
            out.append(f"  {_q(column)}: {_q(target.spelled())}{note}")
        else:
            open_points += 1
            out.append(f"  {_q(column)}: null  # UNMATCHED: an item id, note:<item id>, a context id, a header field, or ignore")
    values, value_lines = _values(sheet, q, fields, {i: t for i, (t, _) in matched.items()})
    open_points += values
    out += value_lines
    return Draft("\n".join(out) + "\n", open_points)


def _values(sheet: Sheet, q: Questionnaire, fields: SurveyFields, targets: dict[int, Target]) -> tuple[int, list[str]]:
    """The ``values`` section for answers that are neither keys nor labels; the number left open."""
    groups: dict[str, tuple[Vocabulary, list[str]]] = {}
    items = q.item_index()
    for index, target in targets.items():
        if target.kind == "item":
            item = items[target.id]
            group = item.scale
            vocabulary = scale_vocabulary(((o.key, o.label) for o in q.scales[item.scale].options), not item.required, {}, None)
        elif target.kind == "context" and fields.context[target.id].type != "text":
            group = target.id
            vocabulary = Vocabulary((o.key, o.label) for o in fields.context[target.id].options)
        elif target == Target("header", ROLE):
            group, vocabulary = ROLE, side_vocabulary({}, None)
        else:
            continue
        texts = groups.setdefault(group, (vocabulary, []))[1]
        for _, cells in sheet.rows:
            cell = cells[index]
            if group in fields.context:
                parts = split_choices(cell, vocabulary)[1]
            else:
                known = side_of(cell, vocabulary) if group == ROLE else vocabulary.key(cell)
                parts = [cell] if cell and known is None else []
            texts += [p for p in parts if p not in texts]
    lines: list[str] = []
    open_points = 0
    for group, (vocabulary, texts) in groups.items():
        if not texts:
            continue
        lines.append(f"  {group}:")
        by_label = vocabulary.texts()
        for text in texts:
            close = difflib.get_close_matches(normal(text), list(by_label), n=1, cutoff=0.6)
            if close:
                lines.append(f"    {_q(text)}: {_q(by_label[close[0]])}  # near {_q(close[0])}, check")
            else:
                open_points += 1
                lines.append(f"    {_q(text)}: null  # UNMATCHED: one of {vocabulary.listing()}")
    return open_points, (["values:", *lines] if lines else [])
