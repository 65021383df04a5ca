"""The question loop: show a step, read a line, apply it to the session, save, repeat.

Every answer is saved before the next question appears, so Ctrl-C, a closed terminal or the end
of piped input can only ever lose the line being typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from slp_assess.aggregate import assessment_of
from slp_assess.assess import store
from slp_assess.assess.lock import SessionLock
from slp_assess.assess.parsing import (
    BACK,
    HELP,
    NOTE,
    QUIT,
    SKIP,
    Answer,
    Command,
    ContextAnswer,
    Invalid,
    parse_context_line,
    parse_item_line,
    spread,
)
from slp_assess.assess.screen import Screen
from slp_assess.assess.session import Session, Step
from slp_assess.reportdata import build_report


class Ending(Enum):
    """How a workshop ended."""

    COMPLETE = "complete"
    QUIT = "quit"


class Interrupted(Exception):
    """Ctrl-C or the end of input: everything is saved; ``target`` is what ``--resume`` takes."""

    def __init__(self, target: Path, end_of_input: bool) -> None:
        super().__init__(str(target))
        self.target = target
        self.end_of_input = end_of_input


@dataclass
class Workshop:
    """A session wired to its screen and its files (one per participant).

    Attributes:
        target: the file, or in group mode the folder, that ``--resume`` continues.
        lock: the locks on ``paths`` that keep other sessions out; released when ``run`` ends.
    """

    session: Session
    screen: Screen
    paths: list[Path]
    target: Path
    lock: SessionLock = field(default_factory=SessionLock)

    def save(self) -> None:
        """Write every participant's file (atomically)."""
        for path, answers in zip(self.paths, self.session.answer_files(), strict=True):
            store.save(path, answers)

    def run(self, notices: list[str]) -> Ending:
        """Run to the end or to ``q``; raise Interrupted on Ctrl-C and end of input, after saving."""
        try:
            self.save()
            self.screen.welcome(self.session, str(self.target))
            for notice in notices:
                self.screen.say(notice, "magenta")
            if self._walk() is Ending.QUIT:
                return Ending.QUIT
            self._finish()
            return Ending.COMPLETE
        except KeyboardInterrupt:
            self._save_quietly()
            self.screen.say(self.screen.t("assess.interrupted"), "bold")
            raise Interrupted(self.target, end_of_input=False) from None
        except EOFError:
            self._save_quietly()
            self.screen.console.print()
            self.screen.say(self.screen.t("assess.interrupted"), "bold")
            raise Interrupted(self.target, end_of_input=True) from None
        finally:
            self.lock.release()

    def _save_quietly(self) -> None:
        # A second Ctrl-C while saving must not cost the file: os.replace is atomic either way.
        try:
            self.save()
        except KeyboardInterrupt:
            pass

    def _walk(self) -> Ending:
        panel_shown: str | None = None
        while (step := self.session.current) is not None:
            part = step.section.id if step.section else "context"
            if part != panel_shown:
                self.screen.section(step)
                panel_shown = part
            self.screen.question(self.session, step)
            if self._ask(step) is Ending.QUIT:
                return Ending.QUIT
        return Ending.COMPLETE

    def _ask(self, step: Step) -> Ending | None:
        """Read lines until one moves the session (answer, skip, back) or quits."""
        session, screen = self.session, self.screen
        while True:
            line = screen.ask()
            if step.item is not None:
                scale = session.questionnaire.scales[step.item.scale]
                parsed = parse_item_line(line, step.item, scale, len(session.sheets))
            else:
                assert step.question is not None
                parsed = parse_context_line(line, step.question)
            if isinstance(parsed, Invalid):
                screen.hint(parsed)
            elif isinstance(parsed, Answer):
                session.answer(parsed.values)
                self.save()
                if session.group:
                    screen.spread(step, spread(parsed.values, scale))
                return None
            elif isinstance(parsed, ContextAnswer):
                session.answer_context(parsed.value)
                self.save()
                return None
            elif isinstance(parsed, Command):
                if parsed.key == QUIT:
                    self.save()
                    screen.say(screen.t("assess.quit", path=self.target, command=store.resume_command(self.target)), "bold")
                    return Ending.QUIT
                if parsed.key == HELP:
                    screen.help(step)
                elif parsed.key == NOTE:
                    self._note(step)
                elif parsed.key == SKIP:
                    session.skip()
                    return None
                elif parsed.key == BACK:
                    if session.back():
                        return None
                    screen.say(screen.t("assess.first"), "yellow")

    def _note(self, step: Step) -> None:
        screen = self.screen
        if step.item is None:
            screen.hint(Invalid("hint.no_note_here"))
            return
        text = screen.ask(f"{screen.t('assess.prompt.note')}: ")
        self.session.add_note(text)
        self.save()
        if not text.strip():
            key = "assess.note_removed"
        else:
            key = "assess.note_saved" if self.session.is_answered(step) else "assess.note_pending"
        screen.say(screen.t(key), "green")

    def _finish(self) -> None:
        files = self.session.answer_files()
        q = self.session.questionnaire
        group = [assessment_of(a, q, str(p)) for a, p in zip(files, self.paths, strict=True)]
        report = build_report(q, group, lang=self.session.language)
        self.screen.summary(self.session, report, self.paths if not self.session.group else [self.target])
