"""What a line typed at a question means, and how far a group's answers spread. Pure: no I/O.

Options are typed by their number as shown (1 = first option of the scale); non-numeric keys such
as ``yes`` are accepted as typed too. In group mode one line carries every participant's answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from slp_assess.models.questionnaire import NOT_APPLICABLE, ContextQuestion, Item, Scale
from slp_assess.oneline import bare
from slp_assess.sides import SIDES, canonical_side

# Keys that are commands at every question, whatever the scale.
HELP, BACK, SKIP, NOTE, QUIT = "?", "b", "s", "+", "q"
COMMANDS = (HELP, BACK, SKIP, NOTE, QUIT)
CANNOT_JUDGE = "n"
# In group mode: this participant gives no answer (left unanswered, unlike n = cannot judge).
ABSTAIN = "-"

_SEPARATORS = re.compile(r"[\s,;]+")
_NUMBER = re.compile(r"[0-9]+")


def whole_number(text: str) -> int | None:
    """``text`` as a number when it is written in the digits 0–9 the prompts ask for, else None.

    Not ``str.isdigit``: it also accepts ``²`` (AltGr+2 on a German keyboard) or ``٣``, which
    ``int`` then refuses or reads as another number than the one shown.
    """
    return int(text) if _NUMBER.fullmatch(text) else None


@dataclass(frozen=True)
class Command:
    """One of the keys in ``COMMANDS``."""

    key: str


@dataclass(frozen=True)
class Answer:
    """Answers to a scored item, one per participant; None means no answer from that participant."""

    values: tuple[str | None, ...]


@dataclass(frozen=True)
class ContextAnswer:
    """An answer to a context question: text, one choice key, or a list of choice keys."""

    value: str | list[str]


@dataclass(frozen=True)
class Invalid:
    """Input that means nothing here: an i18n message key with its values, shown as a short hint."""

    hint: str
    values: Mapping[str, object] = field(default_factory=dict)


Parsed = Command | Answer | ContextAnswer | Invalid


def option_numbers(scale: Scale) -> list[str]:
    """The number shown and typed for each option.

    A scale whose keys are consecutive whole numbers (a status scale 0–4, an agreement scale 1–5)
    shows its keys, so the screen, the answer file and a hand-filled template say the same; any
    other scale numbers its options from 1.
    """
    keys = [o.key for o in scale.options]
    if all(_NUMBER.fullmatch(k) for k in keys) and [int(k) for k in keys] == list(range(int(keys[0]), int(keys[0]) + len(keys))):
        return keys
    return [str(n) for n in range(1, len(keys) + 1)]


def number_range(scale: Scale) -> dict[str, str]:
    """The first and last number of a scale, for hints such as "Bitte 0–4 eingeben"."""
    numbers = option_numbers(scale)
    return {"first": numbers[0], "last": numbers[-1]}


def option_key(token: str, scale: Scale) -> str | None:
    """The scale key meant by a typed token: its number as displayed (see ``option_numbers``), a
    non-numeric key as is, or an option's one-word label in any of its languages (``ja``, ``nein``)."""
    if whole_number(token) is not None:
        numbers = option_numbers(scale)
        return scale.options[numbers.index(token)].key if token in numbers else None
    word = token.casefold()
    option = (
        scale.option(token)
        or next((o for o in scale.options if o.key.casefold() == word), None)
        or next((o for o in scale.options if word in {label.casefold() for label in o.label.values()}), None)
    )
    return option.key if option else None


def _item_value(token: str, item: Item, scale: Scale, group: bool) -> str | None | Invalid:
    if token.lower() == CANNOT_JUDGE:
        return Invalid("hint.required") if item.required else NOT_APPLICABLE
    if group and token == ABSTAIN:
        return None
    key = option_key(token, scale)
    if key is None:
        return Invalid("hint.option", {"token": bare(token), **number_range(scale)})
    return key


def parse_item_line(line: str, item: Item, scale: Scale, participants: int = 1) -> Parsed:
    """Parse a line typed at a scored item; ``participants`` > 1 means one token per participant."""
    text = line.strip()
    if text.lower() in COMMANDS:
        return Command(text.lower())
    if not text:
        return Invalid("hint.empty", number_range(scale))
    tokens = _SEPARATORS.split(text)
    if len(tokens) != participants:
        if participants == 1:
            return Invalid("hint.one_answer", number_range(scale))
        return Invalid("hint.group_count", {"expected": participants, "got": len(tokens)})
    values: list[str | None] = []
    for token in tokens:
        value = _item_value(token, item, scale, participants > 1)
        if isinstance(value, Invalid):
            return value
        values.append(value)
    if all(v is None for v in values):
        return Invalid("hint.group_all_abstain")
    return Answer(tuple(values))


def parse_context_line(line: str, question: ContextQuestion) -> Parsed:
    """Parse a line typed at a context question (free text, one choice or several)."""
    text = line.strip()
    if text.lower() in COMMANDS:
        return Command(text.lower())
    if not text:
        return Invalid("hint.empty_context")
    if question.type == "text":
        return ContextAnswer(text)
    keys = [o.key for o in question.options]
    chosen: list[str] = []
    for token in _SEPARATORS.split(text):
        key = _choice_key(token, keys)
        if key is None:
            return Invalid("hint.choice", {"token": bare(token), "last": len(keys)})
        if key not in chosen:
            chosen.append(key)
    if question.type == "choice":
        return ContextAnswer(chosen[0]) if len(chosen) == 1 else Invalid("hint.single_choice")
    return ContextAnswer(chosen)


def _choice_key(token: str, keys: list[str]) -> str | None:
    number = whole_number(token)
    if number is not None:
        return keys[number - 1] if 1 <= number <= len(keys) else None
    return token if token in keys else None


def parse_note_owner(line: str, participants: int) -> int | None | Invalid:
    """Whose note, typed in group mode: a participant's number (1-based) gives their index, 0 the session (None)."""
    number = whole_number(line.strip())
    if number is None or number > participants:
        return Invalid("hint.note_who", {"last": participants})
    return number - 1 if number else None


@dataclass(frozen=True)
class Spread:
    """How a group's answers to one item spread over the scale.

    Attributes:
        counts: number of participants per option, in scale order.
        not_applicable: participants who cannot judge.
        missing: participants without an answer.
        low: lowest option number chosen (1-based, as displayed), or None.
        high: highest option number chosen, or None.
    """

    counts: tuple[int, ...]
    not_applicable: int
    missing: int
    low: int | None
    high: int | None

    @property
    def disagreement(self) -> bool:
        """Answers two or more options apart: worth discussing before moving on."""
        return self.low is not None and self.high is not None and self.high - self.low >= 2


def spread(values: tuple[str | None, ...] | list[str | None], scale: Scale) -> Spread:
    """The spread of one item's answers over its scale."""
    keys = [o.key for o in scale.options]
    counts = [0] * len(keys)
    for value in values:
        if value is not None and value in keys:
            counts[keys.index(value)] += 1
    # The range is told in the numbers the screen shows.
    chosen = [int(number) for number, count in zip(option_numbers(scale), counts, strict=True) if count]
    return Spread(
        counts=tuple(counts),
        not_applicable=sum(1 for v in values if v == NOT_APPLICABLE),
        missing=sum(1 for v in values if v is None),
        low=min(chosen) if chosen else None,
        high=max(chosen) if chosen else None,
    )


@dataclass(frozen=True)
class Participant:
    """A person in the room: name and side of the partnership."""

    name: str
    role: str = "other"
    organisation: str | None = None


# The sides offered when asking; every side of ``slp_assess.sides`` (and "sonstige") is accepted.
ROLES = ("stadt", "land", "other")


def parse_participants(spec: str) -> list[Participant] | Invalid:
    """``"Anna Weber:stadt,Jan Roth:land"`` -> participants; the role defaults to ``other``."""
    people: list[Participant] = []
    for part in spec.split(","):
        if not part.strip():
            continue
        name, _, role = part.partition(":")
        name, side = name.strip(), canonical_side(role or "other")
        if not name:
            return Invalid("hint.participant_name", {"entry": bare(part.strip())})
        if side is None:
            return Invalid("hint.participant_role", {"entry": bare(part.strip()), "roles": ", ".join(SIDES)})
        if any(p.name == name for p in people):
            return Invalid("hint.participant_twice", {"name": bare(name)})
        people.append(Participant(name, side))
    return people or Invalid("hint.participant_none")
