"""The question loop: show a step, read a line, apply it to the session, save, repeat.

Every answer is saved before the next question appears, so Ctrl-C, a closed terminal or the end
of piped input can only ever lose the line being typed. A save that fails (a full disk, a folder
made read-only) ends nothing: the session goes on with every answer in memory and saves them all
at the next change; a session that ends while they are still not on disk leaves an emergency copy
(``slp_assess.assess.saving``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from slp_assess.aggregate import assessment_of
from slp_assess.assess import store
from slp_assess.assess.invocation import command
from slp_assess.assess.lock import SessionLock
from slp_assess.assess.manifest import Manifest, ManifestNote, Seat, write_manifest
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
    parse_note_owner,
    spread,
)
from slp_assess.assess.saving import emergency_copy, failure_reason, session_texts
from slp_assess.assess.screen import Screen
from slp_assess.assess.session import Session, Step
from slp_assess.errors import OutputError
from slp_assess.i18n import message
from slp_assess.reportdata import build_report


class Ending(Enum):
    """How a workshop ended."""

    COMPLETE = "complete"
    QUIT = "quit"


class Interrupted(Exception):
    """Ctrl-C or the end of input: everything is saved; ``target`` is what ``--resume`` takes."""

    def __init__(self, target: Path, end_of_input: bool, language: str) -> None:
        super().__init__(str(target))
        self.target = target
        self.end_of_input = end_of_input
        self.language = language


class Unsaved(Exception):  # noqa: N818 - an ending, like Interrupted
    """The session ended while its newest answers could not be saved, even on one more try.

    Attributes:
        target: the file or folder that could not be written.
        copy: the emergency copy, which ``--resume`` takes; None when no place would take one.
        texts: every file of the session (name, text) when there is no copy, for the screen.
    """

    def __init__(self, target: Path, copy: Path | None, language: str, texts: list[tuple[str, str]]) -> None:
        super().__init__(str(target))
        self.target = target
        self.copy = copy
        self.language = language
        self.texts = texts


def resume_command(target: Path, questionnaire: str | None = None) -> str:
    """The command that continues ``target``, in a form that works in the user's shell.

    ``questionnaire``: what ``--resume`` must be told to find the session's questionnaire
    (``store.resume_reference``), or None.
    """
    return command("assess", *([questionnaire] if questionnaire else []), "--resume", target)


def resume_hint(target: Path, lang: str, questionnaire: str | None = None) -> str:
    """``Saved to …; resume with: …``, ending in :func:`resume_command`."""
    return message("assess.quit", lang, path=target, command=resume_command(target, questionnaire))


@dataclass
class Workshop:
    """A session wired to its screen and its files (one per participant).

    Attributes:
        target: the file, or in group mode the folder, that ``--resume`` continues.
        lock: the locks on ``paths`` that keep other sessions out; released when ``run`` ends.
        manifest: a group's manifest (seating order, the session's notes); None for one person.
        resume_with: the questionnaire every resume command names (an earlier version, one's own file);
            None when ``--resume`` finds it alone (``store.resume_reference``).
        unsaved: the newest answers may not be on disk (a save failed or was cut short).
    """

    session: Session
    screen: Screen
    paths: list[Path]
    target: Path
    lock: SessionLock = field(default_factory=SessionLock)
    manifest: Manifest | None = None
    resume_with: str | None = None
    unsaved: bool = field(default=False, init=False)

    def save(self) -> None:
        """Write every participant's file (atomically), then the group's manifest; OutputError when one fails."""
        for path, answers in zip(self.paths, self.session.answer_files(), strict=True):
            store.save(path, answers, self.resume_with)
        if (manifest := self._current_manifest()) is not None:
            write_manifest(self.target, manifest)

    def _current_manifest(self) -> Manifest | None:
        if self.manifest is not None:
            self.manifest.participants = [
                next((s for s in self.manifest.participants if s.file == p.name), Seat(file=p.name)) for p in self.paths
            ]
            self.manifest.notes = [ManifestNote(item=n.item, text=n.text) for n in self.session.session_notes]
        return self.manifest

    def run(self, notices: list[str]) -> Ending:
        """Run to the end or to ``q``; raise Interrupted on Ctrl-C (and SIGHUP, SIGTERM) and end of input.

        Before it returns or raises, whatever is not saved yet is saved; when that fails, it raises
        Unsaved after writing an emergency copy. A target that cannot be written at the start
        raises OutputError, before anything is typed.
        """
        try:
            self.save()
            self.screen.welcome(self.session, str(self.target))
            for notice in notices:
                self.screen.say(notice, "magenta")
            ending = self._walk()
            if ending is Ending.COMPLETE:
                self._finish()
            self._close()
            if ending is Ending.QUIT:
                self.screen.say_command(resume_hint(self.target, self.session.language, self.resume_with),
                                        resume_command(self.target, self.resume_with), "bold")
            return ending
        except (KeyboardInterrupt, EOFError) as stop:
            end_of_input = isinstance(stop, EOFError)
            while True:
                try:
                    self._close()
                    self._last_words(end_of_input)
                    break
                except KeyboardInterrupt:  # a second Ctrl-C: the same ending again (a save done is not redone)
                    end_of_input = False
            raise Interrupted(self.target, end_of_input=end_of_input, language=self.session.language) from None
        finally:
            self.lock.release()

    def _keep(self) -> None:
        """Save after a change; when that fails, say why in one line and go on with everything in memory."""
        failed_before, self.unsaved = self.unsaved, True
        try:
            self.save()
        except OutputError as error:
            reason = failure_reason(error, self.session.language)
            self.screen.say(self.screen.t("assess.save_failed", path=self.target, reason=reason), "bold red")
            return
        self.unsaved = False
        if failed_before:
            self.screen.say(self.screen.t("assess.save_recovered", path=self.target), "green")

    def _close(self) -> None:
        """The end of a session: save what is not saved yet, once more; failing that, an emergency copy."""
        if not self.unsaved:
            return
        try:
            self.save()
            self.unsaved = False
            return
        except OutputError:
            pass
        names = [path.name for path in self.paths]
        files = list(zip(names, self.session.answer_files(), strict=True))
        manifest = self._current_manifest()
        copy = emergency_copy(self.target, files, manifest, self.resume_with)
        texts = session_texts(self.target, files, manifest, self.resume_with) if copy is None else []
        raise Unsaved(self.target, copy, self.session.language, texts)

    def _last_words(self, end_of_input: bool) -> None:
        # After SIGHUP the terminal may be gone: everything is saved, and nobody is left to read this.
        try:
            if end_of_input:
                self.screen.console.print()
            self.screen.say(self.screen.t("assess.interrupted"), "bold")
        except OutputError:
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
                self._keep()
                if session.group:
                    screen.spread(step, spread(parsed.values, scale))
                return None
            elif isinstance(parsed, ContextAnswer):
                session.answer_context(parsed.value)
                self._keep()
                return None
            elif isinstance(parsed, Command):
                if parsed.key == QUIT:
                    return Ending.QUIT
                if parsed.key == HELP:
                    screen.help(step)
                elif parsed.key == NOTE:
                    self._note(step)
                elif parsed.key == SKIP:
                    session.skip()
                    self._retry()
                    return None
                elif parsed.key == BACK:
                    if session.back():
                        self._retry()
                        return None
                    screen.say(screen.t("assess.first"), "yellow")

    def _retry(self) -> None:
        # Moving on changes no file, but after a failed save every step is a chance to save again.
        if self.unsaved:
            self._keep()

    def _note(self, step: Step) -> None:
        screen = self.screen
        if step.item is None:
            screen.hint(Invalid("hint.no_note_here"))
            return
        who: int | None = 0
        if self.session.group:
            who = self._whose_note()
        text = screen.ask(f"{screen.t('assess.prompt.note')}: ")
        self.session.add_note(text, who)
        self._keep()
        if self.unsaved:  # the line on the failed save said what became of the note
            return
        if not text.strip():
            key = "assess.note_removed"
        elif who is None:
            key = "assess.note_saved"
        else:
            answer = self.session.sheets[who].answers.get(step.id)
            key = "assess.note_saved" if answer is not None and answer.value is not None else "assess.note_pending"
        screen.say(screen.t(key), "green")

    def _whose_note(self) -> int | None:
        """In group mode a note is one person's (by their number in the seating order) or the session's (0)."""
        screen, sheets = self.screen, self.session.sheets
        screen.keys([*(f"{k} {s.participant.name}" for k, s in enumerate(sheets, start=1)), screen.t("assess.note_session_choice")], style="cyan")
        while True:
            owner = parse_note_owner(screen.ask(f"{screen.t('assess.prompt.note_who', last=len(sheets))}: "), len(sheets))
            if not isinstance(owner, Invalid):
                return owner
            screen.hint(owner)

    def _finish(self) -> None:
        files = self.session.answer_files()
        q = self.session.questionnaire
        group = [assessment_of(a, q, str(p)) for a, p in zip(files, self.paths, strict=True)]
        report = build_report(q, group, lang=self.session.language)
        self.screen.summary(self.session, report, self.paths if not self.session.group else [self.target])
