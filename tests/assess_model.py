"""What `slp assess` must have recorded after what was typed: a model written from the README, not from the code.

The random player (``assess_player``) tells the model every line the program confirmed (an answer,
a note, a move) and, after every run of the program, compares the files on disk with
:meth:`Record.expected_files`. The walk follows the README: answering or skipping moves to the next
open question, ``b`` to the one before, skipped questions are offered once more at the end, and a
resumed session starts again at the first open question.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from pty_support import texts_in

NOT_APPLICABLE = "n/a"
DATE = dt.date(2025, 8, 28)  # pty_support.EPOCH, the SOURCE_DATE_EPOCH of every session


@dataclass(frozen=True)
class Option:
    key: str
    points: float
    labels: dict[str, str]


@dataclass(frozen=True)
class StepSpec:
    """One question as the questionnaire file states it (read with PyYAML, not with slp_assess)."""

    id: str
    number: int
    kind: str  # "item" or "context"
    options: tuple[Option, ...] = ()
    required: bool = False
    factor: str = ""
    weight: float = 1.0
    reverse: bool = False
    context_type: str = "text"

    @property
    def typed_numbers(self) -> list[str]:
        """What is typed for each option: a scale numbered by its keys (0–4, 1–5) shows its keys, any other 1, 2, 3."""
        keys = [o.key for o in self.options]
        if self.kind == "item" and all(k.isdigit() for k in keys) and [int(k) for k in keys] == list(range(int(keys[0]), int(keys[0]) + len(keys))):
            return keys
        return [str(n) for n in range(1, len(keys) + 1)]


@dataclass(frozen=True)
class Questionnaire:
    path: Path
    id: str
    version: str
    steps: tuple[StepSpec, ...]
    factor_weights: dict[str, float]
    german_texts: tuple[str, ...]

    @property
    def items(self) -> list[StepSpec]:
        return [s for s in self.steps if s.kind == "item"]


def load(path: Path) -> Questionnaire:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps: list[StepSpec] = []
    weights: dict[str, float] = {}
    for section in data["sections"]:
        for factor in section["factors"]:
            weights[factor["id"]] = float(factor.get("weight", 1))
            for item in factor["items"]:
                options = tuple(Option(str(o["key"]), float(o["points"]), o["label"]) for o in data["scales"][item["scale"]]["options"])
                steps.append(StepSpec(item["id"], len(steps) + 1, "item", options, bool(item.get("required", False)), factor["id"],
                                      float(item.get("weight", 1)), bool(item.get("reverse", False))))
    for question in data.get("context", []):
        options = tuple(Option(str(o["key"]), 0, o["label"]) for o in question.get("options", []))
        steps.append(StepSpec(question["id"], len(steps) + 1, "context", options, context_type=question.get("type", "text")))
    return Questionnaire(path, data["id"], str(data["version"]), tuple(steps), weights, tuple(texts_in(data, "de")))


@dataclass
class Person:
    name: str
    role: str
    values: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class Record:
    """Everything the session must have saved, and where its walk stands."""

    q: Questionnaire
    people: list[Person]
    partnership: str
    language: str
    context: dict[str, str | list[str]] = field(default_factory=dict)
    session_notes: list[tuple[str, str]] = field(default_factory=list)
    # The walk (README: "s skip for now (offered once more at the end)", "continue at the first open question").
    order: list[int] = field(default_factory=list)
    cursor: int = 0
    reoffering: bool = False
    skipped: list[str] = field(default_factory=list)

    @property
    def group(self) -> bool:
        return len(self.people) > 1

    def clone(self) -> Record:
        return copy.deepcopy(self)

    # -- the walk --------------------------------------------------------------------------------
    def answered(self, step: StepSpec) -> bool:
        if step.kind == "context":
            return step.id in self.context
        return any(step.id in p.values for p in self.people)

    def answered_count(self) -> int:
        return sum(1 for s in self.q.steps if self.answered(s))

    def start(self) -> None:
        """A new or resumed session: the main pass from the first open question; nothing is skipped yet."""
        self.order = list(range(len(self.q.steps)))
        self.reoffering = False
        self.skipped = []
        self.cursor = self._next_open(0)
        if self.cursor >= len(self.order):
            self._end_of_pass()

    @property
    def current(self) -> StepSpec | None:
        return self.q.steps[self.order[self.cursor]] if self.cursor < len(self.order) else None

    def _next_open(self, start: int) -> int:
        if self.reoffering:  # the second pass offers each skipped question once, in turn
            return start
        while start < len(self.order) and self.answered(self.q.steps[self.order[start]]):
            start += 1
        return start

    def _end_of_pass(self) -> None:
        if self.reoffering:
            return
        self.reoffering = True
        by_id = {s.id: n for n, s in enumerate(self.q.steps)}
        self.order = [by_id[i] for i in self.skipped if not self.answered(self.q.steps[by_id[i]])]
        self.cursor = 0

    def advance(self) -> None:
        if self.current is None:
            return
        self.cursor = self._next_open(self.cursor + 1)
        if self.cursor >= len(self.order):
            self._end_of_pass()

    def skip(self) -> None:
        step = self.current
        assert step is not None
        if not self.reoffering and step.id not in self.skipped:
            self.skipped.append(step.id)
        self.advance()

    def back(self) -> bool:
        if self.cursor == 0:
            return False
        self.cursor -= 1
        return True

    # -- what is typed ---------------------------------------------------------------------------
    def answer(self, values: list[str | None]) -> None:
        """One value per person (None: that person gives no answer); notes stay."""
        step = self.current
        assert step is not None and step.kind == "item"
        for person, value in zip(self.people, values, strict=True):
            if value is None:
                person.values.pop(step.id, None)
            else:
                person.values[step.id] = value
        self.advance()

    def take(self, value: list[str | None] | str | list[str]) -> None:
        """A valid answer to the current step, as the player's ``_answer_line`` makes it."""
        step = self.current
        assert step is not None
        if step.kind == "item":
            self.answer(value)  # type: ignore[arg-type]
        else:
            self.answer_context(value)  # type: ignore[arg-type]

    def answer_context(self, value: str | list[str]) -> None:
        step = self.current
        assert step is not None and step.kind == "context"
        self.context[step.id] = value
        self.advance()

    def note(self, who: int | None, typed: str) -> str:
        """A note typed at the current item; returns the message key the screen confirms it with.

        The note is the typed line without the white space around it (as names and every typed line);
        an empty one removes the note.
        """
        step = self.current
        assert step is not None and step.kind == "item"
        text = typed.strip()
        if who is None:
            self.session_notes = [(item, t) for item, t in self.session_notes if item != step.id]
            if text:
                self.session_notes.append((step.id, text))
                return "assess.note_saved"
            return "assess.note_removed"
        person = self.people[who]
        if not text:
            person.notes.pop(step.id, None)
            return "assess.note_removed"
        person.notes[step.id] = text
        return "assess.note_saved" if step.id in person.values else "assess.note_pending"

    # -- what the files must say -----------------------------------------------------------------
    def expected_file(self, person: Person) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for step in self.q.items:
            value, note = person.values.get(step.id), person.notes.get(step.id)
            if value is not None and note is not None:
                answers[step.id] = {"value": value, "note": note}
            elif value is not None:
                answers[step.id] = value
            elif note is not None:
                answers[step.id] = {"note": note}
        data: dict[str, Any] = {
            "questionnaire": self.q.id,
            "version": self.q.version,
            "partnership": self.partnership,
            "respondent": {"name": person.name, "role": person.role},
            "date": DATE,
            "language": self.language,
            "answers": answers,
        }
        context = {s.id: self.context[s.id] for s in self.q.steps if s.id in self.context}
        if context:
            data["context"] = context
        return data

    def expected_manifest_notes(self) -> list[dict[str, str]]:
        return [{"item": item, "text": text} for item, text in self.session_notes]

    # -- what `slp score` must say ---------------------------------------------------------------
    def expected_scores(self, person: Person) -> tuple[dict[str, int], float | None]:
        """Per factor the items scored (n/a and open ones are not), and the overall score, half up to 0.1."""
        scored: dict[str, int] = {f: 0 for f in self.q.factor_weights}
        sums: dict[str, list[Fraction]] = {f: [Fraction(0), Fraction(0)] for f in self.q.factor_weights}
        for step in self.q.items:
            value = person.values.get(step.id)
            if value is None or value == NOT_APPLICABLE:
                continue
            points = [Fraction(Decimal(repr(o.points))) for o in step.options]
            chosen = next(Fraction(Decimal(repr(o.points))) for o in step.options if o.key == value)
            share = (chosen - min(points)) / (max(points) - min(points))
            if step.reverse:
                share = 1 - share
            weight = Fraction(Decimal(repr(step.weight)))
            scored[step.factor] += 1
            sums[step.factor][0] += weight * share
            sums[step.factor][1] += weight
        factor_scores = {f: _shown(100 * s / w) for f, (s, w) in sums.items() if w}
        if not factor_scores:
            return scored, None
        weights = {f: Fraction(Decimal(repr(self.q.factor_weights[f]))) for f in factor_scores}
        overall = _shown(sum(weights[f] * Fraction(Decimal(str(v))) for f, v in factor_scores.items()) / sum(weights.values()))
        return scored, overall


def _shown(value: Fraction) -> float:
    """Half up to one decimal, exactly."""
    return math.floor(value * 10 + Fraction(1, 2)) / 10
