"""The workshop session as a pure state machine: position, answers, skip list, back, notes, groups.

It never prints and never touches files: the screen shows what the session says and the store
saves the answer files it builds, so every rule of the flow is testable without a terminal.
A session with several participants is group mode; context answers describe the partnership
and are shared by everyone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from slp_assess.assess.parsing import Participant
from slp_assess.models.answers import AnswerFile, AnswerValue, Respondent
from slp_assess.models.questionnaire import ContextQuestion, Factor, Item, Questionnaire, Section


@dataclass(frozen=True)
class Step:
    """One question of the walk: a scored item or a context question.

    Attributes:
        number: 1-based position among all steps.
        section_number: 1-based position inside its section (context questions form their own part).
        section_size: steps in that section.
    """

    kind: Literal["item", "context"]
    id: str
    number: int
    section_number: int
    section_size: int
    section: Section | None = None
    factor: Factor | None = None
    item: Item | None = None
    question: ContextQuestion | None = None

    @property
    def opens_section(self) -> bool:
        """First step of its section: the screen shows the section's panel first."""
        return self.section_number == 1


def build_steps(questionnaire: Questionnaire) -> list[Step]:
    """All scored items in document order, then the context questions."""
    steps: list[Step] = []
    for section in questionnaire.sections:
        pairs = [(f, i) for f in section.factors for i in f.items]
        for k, (factor, item) in enumerate(pairs, start=1):
            steps.append(Step("item", item.id, len(steps) + 1, k, len(pairs), section, factor, item))
    for k, question in enumerate(questionnaire.context, start=1):
        steps.append(
            Step("context", question.id, len(steps) + 1, k, len(questionnaire.context), question=question)
        )
    return steps


@dataclass
class Sheet:
    """What one participant has answered so far."""

    participant: Participant
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    context: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass
class SessionNote:
    """A note that belongs to the whole session, not to one participant (kept in the workshop manifest).

    Attributes:
        item: the item it was typed at, or None for a note on the session as a whole.
    """

    item: str | None
    text: str


@dataclass
class Session:
    """Where a workshop stands and what everyone has answered.

    The walk has two passes: the main pass over every step, then, once, the steps skipped with
    ``s`` and still open. Moving on always goes to the next *open* step, so a resumed or revisited
    session does not walk through answers it already has.
    """

    questionnaire: Questionnaire
    sheets: list[Sheet]
    partnership: str
    language: str
    date: dt.date
    steps: list[Step] = field(init=False)
    order: list[int] = field(init=False)
    cursor: int = field(init=False, default=0)
    reoffering: bool = field(init=False, default=False)
    skipped: list[str] = field(init=False, default_factory=list)
    session_notes: list[SessionNote] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.steps = build_steps(self.questionnaire)
        self.order = list(range(len(self.steps)))
        self.cursor = self._next_open(0)
        if self.cursor >= len(self.order):
            self._end_of_pass()

    # -- questions about the state -------------------------------------------------------------
    @property
    def group(self) -> bool:
        """More than one participant: answers are typed in one line per question."""
        return len(self.sheets) > 1

    @property
    def current(self) -> Step | None:
        """The step to ask now, or None when the session is complete."""
        return self.steps[self.order[self.cursor]] if self.cursor < len(self.order) else None

    @property
    def done(self) -> bool:
        """Every pass is over."""
        return self.current is None

    def is_answered(self, step: Step) -> bool:
        """Whether anyone has answered this step (a note alone is no answer)."""
        if step.kind == "context":
            return step.id in self.sheets[0].context
        return any((a := sheet.answers.get(step.id)) is not None and a.value is not None for sheet in self.sheets)

    def answered_count(self) -> int:
        """Steps answered by at least one participant."""
        return sum(1 for step in self.steps if self.is_answered(step))

    def values(self, step: Step) -> tuple[str | None, ...]:
        """Each participant's answer to a scored item (None: none)."""
        return tuple(a.value if (a := sheet.answers.get(step.id)) else None for sheet in self.sheets)

    def note(self, step: Step, who: int = 0) -> str | None:
        """The note participant ``who`` wrote on a step's answer."""
        answer = self.sheets[who].answers.get(step.id)
        return answer.note if answer is not None else None

    def notes(self, step: Step) -> list[tuple[int | None, str]]:
        """Every note on a step: (participant index, text), then the session's (None, text)."""
        own = [(k, note) for k in range(len(self.sheets)) if (note := self.note(step, k))]
        return own + [(None, n.text) for n in self.session_notes if n.item == step.id]

    def open_skipped(self) -> list[str]:
        """Skipped steps still without an answer."""
        by_id = {s.id: s for s in self.steps}
        return [i for i in self.skipped if not self.is_answered(by_id[i])]

    # -- moves ----------------------------------------------------------------------------------
    def answer(self, values: tuple[str | None, ...]) -> None:
        """Record one answer per participant for the current item and move on; notes stay."""
        step = self._require("item")
        if len(values) != len(self.sheets):
            raise ValueError(f"expected {len(self.sheets)} answers, got {len(values)}")
        for sheet, value in zip(self.sheets, values, strict=True):
            note = (a.note if (a := sheet.answers.get(step.id)) else None)
            if value is None and note is None:
                sheet.answers.pop(step.id, None)
            else:
                sheet.answers[step.id] = AnswerValue(value=value, note=note)
        self.advance()

    def answer_context(self, value: str | list[str]) -> None:
        """Record the shared answer to the current context question and move on."""
        step = self._require("context")
        for sheet in self.sheets:
            sheet.context[step.id] = value
        self.advance()

    def add_note(self, text: str, who: int | None = 0) -> None:
        """Attach a note (empty: remove it) to participant ``who``'s answer to the current item.

        ``who=None`` makes it the session's note on the item, kept once rather than copied into
        every participant's file. Before the participant has answered, the note is saved on its
        own (``{note: ...}``) so that nothing typed is lost if the session ends first; the answer
        joins it later.
        """
        step = self._require("item")
        note = text.strip() or None
        if who is None:
            self.session_notes = [n for n in self.session_notes if n.item != step.id]
            if note is not None:
                self.session_notes.append(SessionNote(step.id, note))
            return
        sheet = self.sheets[who]
        answer = sheet.answers.get(step.id)
        value = answer.value if answer is not None else None
        if value is None and note is None:
            sheet.answers.pop(step.id, None)
        else:
            sheet.answers[step.id] = AnswerValue(value=value, note=note)

    def skip(self) -> None:
        """Leave the current step open for now; it is offered once more at the end."""
        step = self.current
        if step is not None and not self.reoffering and step.id not in self.skipped:
            self.skipped.append(step.id)
        self.advance()

    def back(self) -> bool:
        """Go to the previous step of this pass; False at its first step."""
        if self.cursor == 0:
            return False
        self.cursor -= 1
        return True

    def go_to(self, step_id: str) -> None:
        """Make ``step_id`` the current step of the main pass (a moderator moving the room)."""
        self.reoffering = False
        self.order = list(range(len(self.steps)))
        self.cursor = next(n for n, step in enumerate(self.steps) if step.id == step_id)

    def advance(self) -> None:
        """Go to the next open step; at the end of the main pass, offer skipped steps once."""
        if self.done:
            return
        self.cursor = self._next_open(self.cursor + 1)
        if self.cursor >= len(self.order):
            self._end_of_pass()

    def _next_open(self, start: int) -> int:
        if self.reoffering:
            return start
        position = start
        while position < len(self.order) and self.is_answered(self.steps[self.order[position]]):
            position += 1
        return position

    def _end_of_pass(self) -> None:
        if self.reoffering:
            return
        self.reoffering = True
        by_id = {s.id: n for n, s in enumerate(self.steps)}
        self.order = [by_id[i] for i in self.open_skipped()]
        self.cursor = 0

    def _require(self, kind: str) -> Step:
        step = self.current
        if step is None or step.kind != kind:
            raise ValueError(f"the current step is not a {kind} question")
        return step

    # -- results ----------------------------------------------------------------------------------
    def answer_files(self) -> list[AnswerFile]:
        """One valid answer file per participant, answers in questionnaire order."""
        order = {step.id: n for n, step in enumerate(self.steps)}
        return [
            AnswerFile(
                questionnaire=self.questionnaire.id,
                version=self.questionnaire.version,
                partnership=self.partnership,
                respondent=Respondent(
                    name=sheet.participant.name,
                    organisation=sheet.participant.organisation,
                    role=sheet.participant.role,
                ),
                date=self.date,
                language=self.language,
                answers={
                    k: v.model_dump(exclude_none=True)
                    for k, v in sorted(sheet.answers.items(), key=lambda kv: order.get(kv[0], len(order)))
                },
                context=dict(sorted(sheet.context.items(), key=lambda kv: order.get(kv[0], len(order)))),
            )
            for sheet in self.sheets
        ]


def sheet_from(answers: AnswerFile) -> Sheet:
    """The sheet of a resumed answer file."""
    who = answers.respondent
    person = Participant(who.name or "", who.role, who.organisation)
    return Sheet(person, dict(answers.answers), dict(answers.context))
