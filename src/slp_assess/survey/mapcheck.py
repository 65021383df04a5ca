"""The ``values`` section of a map checked as a whole, before any row is converted.

Each entry must name a group that exists (a scale, a choice question, ``respondent.role``) and
send its answer text to a key of that group: a typo there would otherwise be ignored, or turn
every row it touches into an answer file that ``slp validate`` refuses.
"""

from __future__ import annotations

import difflib

from slp_assess.errors import Problem
from slp_assess.i18n import LANGUAGES, message, side_label
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.oneline import bare, quoted
from slp_assess.sides import SIDES, canonical_side
from slp_assess.survey.fields import ROLE
from slp_assess.survey.mapping import ImportMap
from slp_assess.survey.values import Vocabulary
from slp_assess.yamlio import YamlDocument


def _guess(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"did you mean {quoted(close[0])}? " if close else ""


def _groups(q: Questionnaire) -> dict[str, tuple[str, Vocabulary]]:
    """Every group a map may give values for: what it is, and the keys (with their labels) it has."""
    groups: dict[str, tuple[str, Vocabulary]] = {}
    for scale_id, scale in q.scales.items():
        labelled = [(o.key, o.label) for o in scale.options]
        if any(not item.required for _, item in q.items() if item.scale == scale_id):
            labelled.append((NOT_APPLICABLE, {lang: message("not_applicable", lang) for lang in LANGUAGES}))
        groups[scale_id] = (f"scale {quoted(scale_id)}", Vocabulary(labelled))
    for question in q.context:
        if question.type != "text":
            groups[question.id] = (f"context question {quoted(question.id)}", Vocabulary((o.key, o.label) for o in question.options))
    groups[ROLE] = ("the side question", Vocabulary((s, {lang: side_label(s, lang) for lang in LANGUAGES}) for s in SIDES))
    return groups


def check_values(import_map: ImportMap, q: Questionnaire, map_doc: YamlDocument | None) -> list[Problem]:
    """Every problem of ``values``: unknown groups, open points (null) and keys the group does not have."""
    map_file = str(map_doc.path) if map_doc else "map"
    groups = _groups(q)
    free_text = {c.id for c in q.context if c.type == "text"}
    problems: list[Problem] = []

    def line(*path: str) -> int | None:
        return map_doc.line_of(("values", *path)) if map_doc else None

    for group, entries in import_map.values.items():
        if group not in groups:
            if group in free_text:
                problems.append(Problem(map_file, line(group), f"values.{bare(group)}: {quoted(group)} is a free-text question; its answers are imported as written",
                                        "remove this entry from values"))
            else:
                problems.append(Problem(map_file, line(group), f"values.{bare(group)}: no scale, choice question or respondent.role of this name",
                                        f"{_guess(group, list(groups))}use one of: {', '.join(groups)}"))
            continue
        what, vocabulary = groups[group]
        for text, key in entries.items():
            listing = f"one of: {vocabulary.listing()}"
            if key is None:
                problems.append(Problem(map_file, line(group, text), f"values.{bare(group)}: {quoted(text)} has no key yet (UNMATCHED)", f"write {listing}"))
            elif key not in vocabulary.keys and not (group == ROLE and canonical_side(key) is not None):
                meant = vocabulary.key(key) or (canonical_side(key) if group == ROLE else None)
                guess = f"did you mean {quoted(meant)}? " if meant else _guess(key, vocabulary.keys)
                problems.append(Problem(map_file, line(group, text), f"values.{bare(group)}: {quoted(key)} (for {quoted(text)}) is not a key of {what}",
                                        f"{guess}use {listing}"))
    return problems
