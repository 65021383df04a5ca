"""The workshop room as a pure state: who has joined, where each stands, the moderator's position, reveals.

Each participant walks their own ``assess.session.Session`` (one sheet), so answers, back, skip
and notes follow exactly the rules of `slp assess`, and ``Session.answer_files`` builds the same
answer files. Nothing here touches files, sockets or the clock: ``serve.room`` saves, ``serve.app``
speaks HTTP. Counts for the presenter are plain data; scores come from ``reportdata.build_report``.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Literal

from slp_assess.assess.parsing import Participant
from slp_assess.assess.session import Session, Sheet, Step, build_steps
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.sides import SIDES

Mode = Literal["self", "moderated"]


def token_key(token: str) -> str:
    """What a token is looked up by: its hash, so that a dict lookup cannot time the secret itself."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class Refused(Exception):
    """An action the room does not allow now (a question not open, a value not on the scale)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Seat:
    """One participant: the phone's token, the answer file's name and their own walk through the questions."""

    token: str
    file: str
    session: Session
    number: int

    @property
    def participant(self) -> Participant:
        """Name and side."""
        return self.session.sheets[0].participant

    @property
    def answered(self) -> int:
        """Questions this participant has answered."""
        return self.session.answered_count()

    def trial(self) -> Seat:
        """This seat with a copy of its walk: changes to it stay invisible until ``adopt`` (after they are saved)."""
        session = copy.copy(self.session)
        for name, value in vars(self.session).items():
            if name not in ("questionnaire", "steps"):  # read-only, shared
                setattr(session, name, copy.deepcopy(value))
        return replace(self, session=session)

    def adopt(self, trial: Seat) -> None:
        """Take over the walk of a ``trial`` of this seat."""
        self.session = trial.session


@dataclass(frozen=True)
class Distribution:
    """How the room answered one scored item, per option and per side.

    Attributes:
        counts: per option key, per side, how many chose it.
        not_applicable: per side, how many cannot judge.
        answered: participants with an answer (n/a included).
        present: participants in the room.
    """

    step: Step
    counts: dict[str, dict[str, int]]
    not_applicable: dict[str, int]
    answered: int
    present: int


@dataclass
class RoomState:
    """Everyone in the room and what the moderator shows."""

    questionnaire: Questionnaire
    partnership: str
    language: str
    date: dt.date
    mode: Mode = "moderated"
    position: int = 0
    revealed: set[str] = field(default_factory=set)
    finished: bool = False
    seats: list[Seat] = field(default_factory=list)
    steps: list[Step] = field(init=False)
    _by_key: dict[str, Seat] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.steps = build_steps(self.questionnaire)
        self.position = min(self.position, len(self.steps) - 1)
        for seat in self.seats:
            self._by_key[token_key(seat.token)] = seat

    # -- people ------------------------------------------------------------------------------------
    def seat(self, token: str | None) -> Seat | None:
        """The participant holding ``token``, if any."""
        return self._by_key.get(token_key(token)) if token else None

    def join(self, token: str, file: str, name: str, side: str) -> Seat:
        """Seat a new participant (name and side already checked and cleaned by the caller)."""
        session = Session(self.questionnaire, [Sheet(Participant(name, side))], self.partnership, self.language, self.date)
        seat = Seat(token, file, session, len(self.seats) + 1)
        self.seats.append(seat)
        self._by_key[token_key(token)] = seat
        return seat

    def leave(self, seat: Seat) -> None:
        """Unseat the participant who joined last (their join could not be saved)."""
        self.seats.remove(seat)
        self._by_key.pop(token_key(seat.token), None)

    def add_resumed(self, token: str, file: str, answers: AnswerFile) -> Seat:
        """Seat a participant read back from their answer file after a restart."""
        who = answers.respondent
        sheet = Sheet(Participant(who.name or "", who.role, who.organisation), dict(answers.answers), dict(answers.context))
        session = Session(self.questionnaire, [sheet], self.partnership, self.language, answers.date or self.date)
        seat = Seat(token, file, session, len(self.seats) + 1)
        self.seats.append(seat)
        self._by_key[token_key(token)] = seat
        return seat

    # -- where everyone stands -----------------------------------------------------------------------
    @property
    def moderator_step(self) -> Step:
        """The step the moderator shows."""
        return self.steps[self.position]

    def step_for(self, seat: Seat) -> Step | None:
        """The question this participant sees now; None when there is none (finished, or done at their own pace)."""
        if self.finished:
            return None
        if self.mode == "moderated":
            return self.moderator_step
        return seat.session.current

    def step_by_id(self, step_id: str) -> Step | None:
        """A step by its id, None for an unknown id."""
        return next((s for s in self.steps if s.id == step_id), None)

    def has_answered(self, seat: Seat, step: Step) -> bool:
        """Whether this participant has answered ``step``."""
        return seat.session.is_answered(step)

    def is_revealed(self, step: Step) -> bool:
        """The distribution shows once everyone present has answered, or when the moderator reveals it.

        Waiting for everyone keeps people from following the boss.
        """
        if step.id in self.revealed:
            return True
        return bool(self.seats) and all(self.has_answered(seat, step) for seat in self.seats)

    # -- a participant's moves -----------------------------------------------------------------------
    def _open_step(self, seat: Seat, step_id: str) -> Step:
        step = self.step_for(seat)
        if step is None or step.id != step_id:
            raise Refused("not_open")
        if seat.session.current is not step:
            seat.session.go_to(step.id)
        return step

    def answer(self, seat: Seat, step_id: str, value: str | list[str], note: str = "") -> None:
        """Record an answer (an option key, ``n/a``, a context text or choice list) and a note to the open step."""
        step = self._open_step(seat, step_id)
        session = seat.session
        if step.item is not None:
            if not isinstance(value, str):
                raise Refused("value")
            scale = self.questionnaire.scales[step.item.scale]
            allowed = [o.key for o in scale.options] + ([] if step.item.required else [NOT_APPLICABLE])
            if value not in allowed:
                raise Refused("value")
            session.add_note(note)
            session.answer((value,))
            return
        assert step.question is not None
        question = step.question
        if question.type == "text":
            if not isinstance(value, str) or not value.strip():
                raise Refused("value")
            session.answer_context(value.strip())
            return
        keys = [o.key for o in question.options]
        chosen = [value] if isinstance(value, str) else value
        if not chosen or any(c not in keys for c in chosen) or len(set(chosen)) != len(chosen):
            raise Refused("value")
        if question.type == "choice":
            if len(chosen) != 1:
                raise Refused("value")
            session.answer_context(chosen[0])
        else:
            session.answer_context([k for k in keys if k in chosen])

    def keep_note(self, seat: Seat, step_id: str, note: str) -> None:
        """The note typed on the open question, whichever button sent it (``slp assess`` keeps ``{note: …}`` too).

        A note for a question that is not open is refused; an empty one from elsewhere (an old page) is nothing.
        """
        step = self.step_for(seat)
        if step is None or step.id != step_id:
            if note.strip():
                raise Refused("not_open")
            return
        if step.item is not None:
            if seat.session.current is not step:
                seat.session.go_to(step.id)
            seat.session.add_note(note)

    def back(self, seat: Seat) -> None:
        """At their own pace: one question back, where the answer can be changed."""
        if self.mode == "self" and not self.finished:
            seat.session.back()

    def skip(self, seat: Seat, step_id: str) -> None:
        """At their own pace: leave the open question for later."""
        if self.mode == "self":
            self._open_step(seat, step_id)
            seat.session.skip()

    # -- the moderator's moves -----------------------------------------------------------------------
    def move(self, steps: int) -> None:
        """Move the room forward or back by ``steps`` questions."""
        self.position = max(0, min(len(self.steps) - 1, self.position + steps))
        self.finished = False

    def reveal(self) -> None:
        """Show the distribution of the moderator's question now, whoever has answered."""
        self.revealed.add(self.moderator_step.id)

    def finish(self) -> None:
        """End the questions: participants see their thanks, the presenter the group view."""
        self.finished = True

    def set_mode(self, mode: Mode) -> None:
        """Switch between self-paced and moderated."""
        self.mode = mode

    # -- what the presenter shows ----------------------------------------------------------------------
    def distribution(self, step: Step) -> Distribution:
        """Counts per option and side for a scored item (call only when revealed, to show them)."""
        assert step.item is not None
        scale = self.questionnaire.scales[step.item.scale]
        counts = {o.key: dict.fromkeys(SIDES, 0) for o in scale.options}
        not_applicable = dict.fromkeys(SIDES, 0)
        answered = 0
        for seat in self.seats:
            answer = seat.session.sheets[0].answers.get(step.id)
            if answer is None or answer.value is None:
                continue
            answered += 1
            side = seat.participant.role
            if answer.value == NOT_APPLICABLE:
                not_applicable[side] += 1
            elif answer.value in counts:
                counts[answer.value][side] += 1
        return Distribution(step, counts, not_applicable, answered, len(self.seats))

    def answered_count(self, step: Step) -> int:
        """How many participants have answered ``step``."""
        return sum(1 for seat in self.seats if self.has_answered(seat, step))

    def answer_files(self) -> list[AnswerFile]:
        """Everyone's answer file, in joining order."""
        return [seat.session.answer_files()[0] for seat in self.seats]
