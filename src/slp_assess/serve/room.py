"""The room on disk: every answer saved atomically to its participant's file before the phone hears back.

``RoomState`` decides; this class saves. A participant's file is rewritten whole (``store.save``:
temporary file, fsync, rename) after each of their answers, and the manifest after each join and
each move of the moderator, so a restarted laptop (``slp serve --resume``) finds everyone where
they were. One lock guards the state; a lock per participant orders their saves, so that two
quick answers never land on disk in the wrong order while other participants save in parallel.
"""

from __future__ import annotations

import contextlib
import errno
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from slp_assess.assess import store, wording
from slp_assess.assess.lock import SessionBusy, SessionLock
from slp_assess.assess.manifest import Manifest, Room, Seat, manifest_path, read_manifest, write_manifest
from slp_assess.errors import OutputError, UsageError
from slp_assess.i18n import error_language, message
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.oneline import bare, quoted
from slp_assess.serve import state as core

TOKEN_BYTES = 24
_REASONS = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EACCES: "denied", errno.EPERM: "denied", errno.EROFS: "denied"}


class SaveFailed(OutputError):
    """A file of the room could not be written; the room stays as the files on disk say.

    Still an ``OutputError`` (exit code 4) where no phone is waiting: before serving and at the end.
    """

    def __init__(self, path: Path, cause: OutputError) -> None:
        super().__init__(str(cause))
        self.path = path
        # atomic.py raises ``from None`` inside ``except OSError``: the OS error is still the context.
        context = cause.__context__
        self.reason = _REASONS.get(context.errno or 0, "other") if isinstance(context, OSError) else "other"

    def line(self, lang: str) -> str:
        """One line for the moderator's terminal, in the room's language."""
        return message("serve.unsaved.terminal", lang, path=self.path, reason=message(f"serve.unsaved.{self.reason}", lang))


@contextmanager
def _saving(path: Path) -> Iterator[None]:
    try:
        yield
    except SaveFailed:
        raise
    except OutputError as exc:
        raise SaveFailed(path, exc) from exc


def _unjoined(folder: Path, questionnaire_ref: str | None, lang: str) -> store.Resumed | None:
    """A room nobody has joined yet, as its manifest keeps it; None for any other folder.

    It has no answer file to name the questionnaire, but the QR code on the projector already holds its
    join token: after a restart the same room must open again, as the quit line says it will.
    """
    manifest = read_manifest(folder, lang)
    if manifest is None or manifest.room is None or manifest.participants or any(p.is_file() for p in folder.glob("*.yaml")):
        return None
    where = manifest_path(folder)
    if questionnaire_ref:
        questionnaire = wording.questionnaire(questionnaire_ref, lang)
    else:
        found = QuestionnaireCatalog().get(manifest.questionnaire, manifest.version)
        if found is None:
            raise wording.invalid(where, "assess.file_questionnaire_unknown", lang, id=quoted(manifest.questionnaire))
        questionnaire = found
    if questionnaire.id != manifest.questionnaire:
        raise wording.invalid(where, "assess.other_questionnaire", lang, found=quoted(manifest.questionnaire), wanted=quoted(questionnaire.id))
    if questionnaire.version != manifest.version:
        raise wording.invalid(where, "assess.other_version", lang, old=quoted(manifest.version), id=quoted(questionnaire.id),
                              new=bare(questionnaire.version))
    return store.Resumed([], questionnaire, [], [], manifest)


def new_token() -> str:
    """A secret for a URL or a cookie: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


@dataclass
class Workshop:
    """A room with its folder, its manifest and the locks that keep other sessions out."""

    state: core.RoomState
    folder: Path
    manifest: Manifest
    lock: SessionLock = field(default_factory=SessionLock)
    guard: threading.Lock = field(default_factory=threading.Lock)
    _seat_locks: dict[str, threading.Lock] = field(default_factory=dict)

    @property
    def room(self) -> Room:
        """Tokens, mode, position and reveals as the manifest keeps them."""
        assert self.manifest.room is not None
        return self.manifest.room

    # -- starting --------------------------------------------------------------------------------------
    @classmethod
    def create(cls, questionnaire: Questionnaire, folder: Path, partnership: str, lang: str, mode: core.Mode, force: bool) -> Workshop:
        """A new room in ``folder`` (made if missing); an earlier workshop there is continued with --resume."""
        if folder.exists() and not folder.is_dir():
            raise UsageError(message("serve.is_file", lang, path=folder)).in_language(lang)
        folder.mkdir(parents=True, exist_ok=True)
        lock = SessionLock()
        try:
            _lock(lock, folder, lang, folder=True)
            if not force and (manifest_path(folder).exists() or any(folder.glob("*.yaml"))):
                from slp_assess.assess.invocation import command

                raise UsageError(message("serve.exists", lang, path=folder, command=command("serve", "--resume", folder))).in_language(lang)
            room = Room(mode=mode, join_token=new_token(), presenter_token=new_token(), secret=new_token())
            manifest = Manifest(questionnaire=questionnaire.id, version=questionnaire.version, partnership=partnership,
                                language=lang, room=room)
            state = core.RoomState(questionnaire, partnership, lang, store.session_date(), mode=mode)
            workshop = cls(state, folder, manifest, lock)
            workshop.save_manifest()
            return workshop
        except BaseException:
            lock.release()
            raise

    @classmethod
    def resume(cls, folder: Path, lang: str | None, questionnaire_ref: str | None) -> Workshop:
        """Continue a room (or a group folder of `slp assess`) after a restart: people, tokens, position, reveals."""
        said = error_language(lang)
        if not folder.is_dir():
            raise UsageError(message("serve.resume_missing", said, path=folder)).in_language(said)
        lock = SessionLock()
        try:
            _lock(lock, folder, said, folder=True)
            resumed = _unjoined(folder, questionnaire_ref, said) or store.load_resume(
                folder, questionnaire_ref, QuestionnaireCatalog(), allow_migration=False, lang=said)
            manifest = resumed.manifest or read_manifest(folder)
            first = resumed.files[0][1] if resumed.files else None
            q = resumed.questionnaire
            language = lang or (manifest.language if manifest else None) or (first.language if first else None) or q.default_language
            if manifest is None:
                assert first is not None
                manifest = Manifest(questionnaire=q.id, version=q.version, partnership=first.partnership, language=language)
            if manifest.room is None:
                manifest.room = Room(join_token=new_token(), presenter_token=new_token(), secret=new_token())
            room = manifest.room
            state = core.RoomState(q, manifest.partnership, language, store.session_date(), mode=room.mode,
                                   position=room.position, revealed=set(room.revealed), finished=room.finished)
            seats = {seat.file: seat for seat in manifest.participants}
            for path, answers in resumed.files:
                _lock(lock, path, language)
                kept = seats[path.name].token if path.name in seats else None
                state.add_resumed(kept or new_token(), path.name, answers)
            manifest.participants = [Seat(file=s.file, token=s.token) for s in state.seats]
            workshop = cls(state, folder, manifest, lock)
            workshop.save_manifest()
            return workshop
        except BaseException:
            lock.release()
            raise

    @staticmethod
    def resume_lang(folder: Path) -> str | None:
        """The language a saved room was held in, for messages before it is read."""
        try:
            manifest = read_manifest(folder) if folder.is_dir() else None
        except Exception:  # an unreadable manifest is reported when the room is read
            return None
        return manifest.language if manifest else None

    # -- saving ----------------------------------------------------------------------------------------
    def save_manifest(self) -> None:
        """Write the manifest from the state (call with ``guard`` held, or before serving); SaveFailed keeps the old one."""
        manifest = self.manifest.model_copy(deep=True)
        room = manifest.room
        assert room is not None
        room.mode, room.position, room.finished = self.state.mode, self.state.position, self.state.finished
        room.revealed = sorted(self.state.revealed)
        manifest.participants = [Seat(file=s.file, token=s.token) for s in self.state.seats]
        with _saving(manifest_path(self.folder)):
            write_manifest(self.folder, manifest)
        self.manifest = manifest

    def _save_seat(self, seat: core.Seat) -> None:
        path = self.folder / seat.file
        with _saving(path):
            store.save(path, seat.session.answer_files()[0])

    @contextmanager
    def _seat_lock(self, seat: core.Seat) -> Iterator[None]:
        with self.guard:
            lock = self._seat_locks.setdefault(seat.file, threading.Lock())
        with lock:
            yield

    # -- what participants and the moderator do ----------------------------------------------------------
    def join(self, name: str, side: str, anonymous_label: str) -> core.Seat:
        """Seat someone: their file is named after their name (or the anonymous label) and saved at once."""
        with self.guard:
            taken = {s.file for s in self.state.seats} | {p.name for p in self.folder.glob("*.yaml")}
            label = name or anonymous_label.format(n=len(self.state.seats) + 1)
            file = store.unique_file_name(label, taken)
            path = self.folder / file
            with _saving(path):
                _lock(self.lock, path, self.state.language)
            seat = self.state.join(new_token(), file, label, side)
            try:
                self._save_seat(seat)
                self.save_manifest()
            except SaveFailed:
                # Nobody saw the seat (the guard is held): unseat, and leave no file the manifest does not name.
                self.state.leave(seat)
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
                raise
            return seat

    def answer(self, seat: core.Seat, step_id: str, value: str | list[str], note: str) -> None:
        """Record and save one answer; Refused (nothing saved) when the question is not open or the value is not allowed."""
        self._change(seat, lambda trial: self.state.answer(trial, step_id, value, note))

    def back(self, seat: core.Seat, step_id: str, note: str) -> None:
        """One question back (self-paced), keeping the note typed on the open question."""

        def move(trial: core.Seat) -> None:
            self.state.keep_note(trial, step_id, note)
            self.state.back(trial)

        self._change(seat, move)

    def skip(self, seat: core.Seat, step_id: str, note: str) -> None:
        """Leave a question for later (self-paced), keeping the note typed on it."""

        def move(trial: core.Seat) -> None:
            self.state.keep_note(trial, step_id, note)
            self.state.skip(trial, step_id)

        self._change(seat, move)

    def _change(self, seat: core.Seat, move: Callable[[core.Seat], None]) -> None:
        """Make ``move`` on a trial of the seat, save its file if the answers changed, and only then let the room see it.

        The seat's walk thus always matches its file: a failed save (SaveFailed) or a refusal leaves no trace.
        """
        with self._seat_lock(seat):
            with self.guard:
                trial = seat.trial()
                move(trial)
                answers = trial.session.answer_files()[0]
                changed = answers != seat.session.answer_files()[0]
            if changed:
                path = self.folder / seat.file
                with _saving(path):
                    store.save(path, answers)
            with self.guard:
                seat.adopt(trial)

    def moderate(self, action: str) -> None:
        """``next``, ``prev``, ``reveal``, ``finish``, ``self`` or ``moderated``; saved in the manifest at once."""
        with self.guard:
            state = self.state
            moves: dict[str, Callable[[], None]] = {
                "next": lambda: state.move(1), "prev": lambda: state.move(-1), "reveal": state.reveal,
                "finish": state.finish, "self": lambda: state.set_mode("self"), "moderated": lambda: state.set_mode("moderated"),
            }
            if action not in moves:
                raise core.Refused("action")
            before = (state.mode, state.position, set(state.revealed), state.finished)
            moves[action]()
            try:
                self.save_manifest()
            except SaveFailed:
                state.mode, state.position, state.revealed, state.finished = before
                raise

    def close(self) -> None:
        """Save everyone once more and free the locks."""
        try:
            with self.guard:
                for seat in self.state.seats:
                    self._save_seat(seat)
                self.save_manifest()
        finally:
            self.lock.release()


def _lock(lock: SessionLock, target: Path, lang: str, folder: bool = False) -> None:
    try:
        lock.acquire(target, folder=folder)
    except SessionBusy as busy:
        raise UsageError(message("assess.locked", lang, path=busy.target)).in_language(lang) from None
