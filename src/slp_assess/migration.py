"""Carry answers given to an earlier questionnaire version over to the current one (pure, no I/O).

A questionnaire ships its own mapping (``migrations`` in the YAML): per old item ``keep``, a new id
(renamed), a table of old to new scale keys (re-scaled) or ``drop`` with a reason. Without a mapping
for the answers' version, an answer is kept when its question and option still exist. A note is
not lost quietly: when a value cannot be carried over, the note stays as ``{note: ...}``; a dropped
item's note goes to the item its mapping names in ``note_to``; a note no item takes is reported
(``Dropped.note_lost``), and the caller keeps the original file as a backup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slp_assess.i18n import message, pick
from slp_assess.models.answers import AnswerFile, AnswerValue, ContextAnswer
from slp_assess.models.questionnaire import NOT_APPLICABLE, ContextQuestion, Item, ItemMove, Migration, Questionnaire


@dataclass
class Dropped:
    """An answer that could not be carried over, and why (in the reader's language when the mapping says)."""

    id: str
    reason: str
    # Where the answer's note went: the item that took it, or None; ``note_lost`` when it had one
    # and no item of the new version could take it (it stays in the backup of the old file).
    note_to: str | None = None
    note_lost: bool = False


@dataclass
class MigrationResult:
    """The migrated answers and what happened to each old answer.

    Attributes:
        kept: ids carried over unchanged.
        renamed: (old id, new id) pairs.
        rescaled: (old id, new id) pairs whose scale keys were translated.
        dropped: answers (or values) not carried over, with the reason.
    """

    answers: AnswerFile
    from_version: str
    kept: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    rescaled: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


def mapping_for(questionnaire: Questionnaire, from_version: str) -> Migration | None:
    """The questionnaire's mapping from ``from_version``, if it ships one."""
    return next((m for m in questionnaire.migrations if m.from_version == from_version), None)


def _valid_value(item: Item, questionnaire: Questionnaire, value: str | None) -> bool:
    if value is None:
        return True
    if value == NOT_APPLICABLE:
        return not item.required
    return questionnaire.scales[item.scale].option(value) is not None


def _valid_context(question: ContextQuestion, value: ContextAnswer) -> bool:
    if question.type == "text":
        return isinstance(value, str)
    keys = {o.key for o in question.options}
    chosen = value if isinstance(value, list) else [value]
    return all(c in keys for c in chosen) and (question.type == "multiple_choice" or isinstance(value, str))


def migrate_answers(answers: AnswerFile, target: Questionnaire, lang: str = "en") -> MigrationResult:
    """The answers carried over to ``target``'s version through its mapping (or by identity)."""
    mapping = mapping_for(target, answers.version)
    result = MigrationResult(answers=answers, from_version=answers.version)
    items = target.item_index()
    values: dict[str, str | None] = {}  # new item id -> the value carried over
    notes: dict[str, list[str]] = {}  # new item id -> the notes it takes, in the old file's order
    for old_id, answer in answers.answers.items():
        move = _move(mapping, old_id)
        if move is None or move.drop is not None:
            reason = pick(move.drop, lang) if move and move.drop else _no_place(lang)
            heir = move.note_to if move and move.note_to in items else None
            result.dropped.append(_dropped(old_id, reason, answer.note, heir, notes))
            continue
        new_id = move.to or old_id
        item = items.get(new_id)
        value = answer.value
        if move.values is not None and value not in (None, NOT_APPLICABLE):
            value = move.values.get(value)
        if item is None or new_id in values or (value is None and answer.value is not None) or not _valid_value(item, target, value):
            result.dropped.append(_dropped(old_id, _no_value(lang), answer.note, new_id if item is not None else None, notes))
            continue
        values[new_id] = value
        if answer.note:
            notes.setdefault(new_id, []).append(answer.note)
        if move.values is not None:
            result.rescaled.append((old_id, new_id))
        elif new_id != old_id:
            result.renamed.append((old_id, new_id))
        else:
            result.kept.append(old_id)
    context: dict[str, ContextAnswer] = {}
    questions = {c.id: c for c in target.context}
    for old_id, given in answers.context.items():
        move = _move(mapping, old_id, context=True)
        if move is None or move.drop is not None:
            result.dropped.append(Dropped(old_id, pick(move.drop, lang) if move and move.drop else _no_place(lang)))
            continue
        new_id = move.to or old_id
        question = questions.get(new_id)
        translated = given
        if move.values is not None:
            translated = [move.values.get(v, v) for v in given] if isinstance(given, list) else move.values.get(given, given)
        if question is None or not _valid_context(question, translated):
            result.dropped.append(Dropped(old_id, _no_value(lang)))
            continue
        context[new_id] = translated
        if new_id != old_id:
            result.renamed.append((old_id, new_id))
        else:
            result.kept.append(old_id)
    # Several notes for one item (a dropped item's note joining its successor's) are kept one per line.
    ordered = {item.id: AnswerValue(value=values.get(item.id), note="\n".join(notes[item.id]) if item.id in notes else None)
               for _, item in target.items() if item.id in values or item.id in notes}
    result.answers = answers.model_copy(update={"version": target.version, "answers": ordered, "context": context})
    return result


def _dropped(old_id: str, reason: str, note: str | None, heir: str | None, notes: dict[str, list[str]]) -> Dropped:
    """An answer not carried over; its note goes to ``heir`` (an item of the new version) if there is one."""
    if not note:
        return Dropped(old_id, reason)
    if heir is None:
        return Dropped(old_id, reason, note_lost=True)
    notes.setdefault(heir, []).append(note)
    return Dropped(old_id, reason, note_to=heir)


def _move(mapping: Migration | None, old_id: str, context: bool = False) -> ItemMove | None:
    if mapping is None:
        return ItemMove()  # no mapping shipped: same id, same keys, where they still exist
    return (mapping.context if context else mapping.items).get(old_id)


def _no_place(lang: str) -> str:
    return message("migrate.question_gone", lang)


def _no_value(lang: str) -> str:
    return message("migrate.value_unfit", lang)
