"""Turn the command line into a ready workshop: questionnaire, language, people, files.

New sessions ask for whatever the command line left out; resumed ones take it from the file.
An existing answer file is never overwritten without ``--force`` (or ``--resume``), and never by
two sessions at once: each session locks its files before it looks at them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from slp_assess.assess import store, wording
from slp_assess.assess.invocation import command
from slp_assess.assess.lock import LockFailed, SessionBusy, SessionLock
from slp_assess.assess.manifest import Manifest, ManifestNote, Seat, manifest_path
from slp_assess.assess.parsing import Invalid, Participant, parse_participants
from slp_assess.assess.screen import Screen
from slp_assess.assess.session import Session, SessionNote, Sheet, sheet_from
from slp_assess.assess.workshop import Workshop
from slp_assess.errors import OutputError, SlpError, UsageError
from slp_assess.i18n import error_language, message
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.oneline import bare, listed, quoted
from slp_assess.sides import SIDES, canonical_side
from slp_assess.yamlio import read_yaml

DEFAULT_QUESTIONNAIRE = "slp-readiness"


@dataclass(frozen=True)
class Options:
    """What ``slp assess`` was asked on the command line (None: not given)."""

    questionnaire: str | None = None
    lang: str | None = None
    out: Path | None = None
    partnership: str | None = None
    respondent: str | None = None
    role: str | None = None
    participants: str | None = None
    resume: Path | None = None
    force: bool = False
    migrate: bool = False


def _language(q: Questionnaire, wanted: str | None) -> str:
    lang = wanted or q.default_language
    if lang not in q.languages:
        said = error_language(wanted)
        raise UsageError(message("assess.no_language", said, id=quoted(q.id), wanted=quoted(lang), languages=", ".join(q.languages))).in_language(said)
    return lang


def _usage(key: str, wanted: str | None, **values: object) -> UsageError:
    said = error_language(wanted)
    return UsageError(message(key, said, **values)).in_language(said)


def _check_combinations(o: Options) -> None:
    if o.role is not None and canonical_side(o.role) is None:
        raise _usage("assess.bad_role", o.lang, role=quoted(o.role), sides=", ".join(SIDES))
    if o.participants is not None and (o.respondent is not None or o.role is not None):
        raise _usage("assess.participants_alone", o.lang)
    if o.resume is not None:
        given = [name for name, value in (("--out", o.out), ("--partnership", o.partnership), ("--respondent", o.respondent), ("--role", o.role), ("--participants", o.participants)) if value is not None]
        if given:
            raise _usage("assess.resume_alone", o.lang, options=", ".join(given))


def _cleaned(o: Options) -> Options:
    # Undecodable bytes on the command line arrive as lone surrogates, which no answer file can hold.
    def clean(text: str | None) -> str | None:
        return None if text is None else store.clean_text(text)

    role = canonical_side(o.role) if o.role is not None else None
    return dataclasses.replace(o, partnership=clean(o.partnership), respondent=clean(o.respondent), participants=clean(o.participants), role=role)


def prepare(options: Options, console: Console, check: Callable[[str], None] = lambda lang: None) -> tuple[Workshop, list[str]]:
    """The workshop to run and the notices to show first (resumed, migrated).

    ``check`` is called with the session's language as soon as it is known, before any prompt: it
    refuses what would fail only at the end (``--report``'s format). The workshop holds the locks
    on its files; ``Workshop.run`` releases them. Every error is worded in the session's language.
    """
    _check_combinations(options)
    options = _cleaned(options)
    lock = SessionLock()
    try:
        if options.resume is not None:
            return _resume(options, console, lock, check)
        return _new(options, console, lock, check)
    except OSError as exc:  # a path the system refuses to look at: a name too long, a folder we may not enter
        lock.release()
        said = _error_language(options)
        where = exc.filename if exc.filename is not None else options.out or options.resume
        raise UsageError(message("assess.cannot_use", said, path=where, reason=wording.os_reason(exc, said))).in_language(said) from None
    except SlpError as exc:
        lock.release()
        raise wording.in_session_language(exc, _error_language(options)) from None
    except BaseException:
        lock.release()
        raise


def _error_language(options: Options) -> str:
    """The language of errors before the session's is settled: the one asked for, else a resumed file's."""
    if options.lang is None and options.resume is not None:
        try:
            return _language_of(options.resume)
        except OSError:
            return error_language(None)
    return error_language(options.lang)


def _new(options: Options, console: Console, lock: SessionLock, check: Callable[[str], None]) -> tuple[Workshop, list[str]]:
    q = wording.questionnaire(options.questionnaire or DEFAULT_QUESTIONNAIRE, error_language(options.lang))
    lang = _language(q, options.lang)
    check(lang)
    resume_with = store.resume_reference(q, options.questionnaire)
    screen = Screen(console, q, lang)
    date = store.session_date()
    if options.participants is not None:
        people = parse_participants(options.participants)
        if isinstance(people, Invalid):
            raise _usage("assess.bad_participants", lang, problem=message(people.hint, lang, **people.values))
        if options.out is not None and options.out.is_dir():  # refused before anything is asked (see below)
            seats = store.participant_files(options.out, [p.name for p in people])
            _lock(lock, lang, seats, options.out)
            _refuse_overwrite([*seats, manifest_path(options.out)], options.force, options.out, lang, resume_with)
        partnership = options.partnership or _ask_text(screen, "assess.prompt.partnership")
        folder = options.out or store.default_group_dir(q.id, partnership, date)
        if folder.exists() and not folder.is_dir():
            raise _usage("assess.group_is_file", lang, path=folder)
        _make_folder(folder, lang)
        paths = store.participant_files(folder, [p.name for p in people])
        _lock(lock, lang, paths, folder)
        _refuse_overwrite([*paths, manifest_path(folder)], options.force, folder, lang, resume_with)
        target = folder
        manifest = Manifest(questionnaire=q.id, version=q.version, partnership=partnership, language=lang,
                            participants=[Seat(file=p.name) for p in paths])
    else:
        if options.out is not None and options.out.is_file():
            # Refused before anything is asked: names typed and then refused would be typed in vain.
            _lock(lock, lang, [options.out])
            _refuse_overwrite([options.out], options.force, options.out, lang, resume_with)
        partnership = options.partnership or _ask_text(screen, "assess.prompt.partnership")
        name = options.respondent or _ask_text(screen, "assess.prompt.respondent")
        role = options.role or _ask_role(screen)
        people = [Participant(name, role)]
        target = options.out or store.default_out(q.id, name, date)
        if target.is_dir():
            raise _usage("assess.out_is_folder", lang, path=target)
        _make_folder(target.parent, lang)
        paths = [target]
        _lock(lock, lang, paths)
        _refuse_overwrite(paths, options.force, target, lang, resume_with)
        manifest = None
    session = Session(q, [Sheet(p) for p in people], partnership, lang, date)
    return Workshop(session, screen, paths, target, lock, manifest, resume_with), []


def _make_folder(folder: Path, lang: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(message("assess.cannot_create_folder", lang, path=folder, reason=wording.os_reason(exc, lang))).in_language(lang) from None


def _lock(lock: SessionLock, lang: str | None, paths: list[Path], folder: Path | None = None) -> None:
    """Lock a group's folder and every answer file, before anything is read or checked."""
    try:
        if folder is not None:
            lock.acquire(folder, folder=True)
        for path in paths:
            lock.acquire(path)
    except SessionBusy as busy:
        said = lang or _language_of(busy.target)
        raise UsageError(message("assess.locked", said, path=busy.target)).in_language(said) from None
    except LockFailed as failed:
        raise failed.worded(lang or _language_of(failed.target)) from None


def _language_of(target: Path) -> str:
    """The language a saved session was held in, to word an error before the session is read."""
    files = sorted(target.glob("*.yaml")) if target.is_dir() else [target]
    try:
        data = read_yaml(files[0]).data if files else None
    except SlpError:
        data = None
    language = data.get("language") if isinstance(data, dict) else None
    return error_language(language if isinstance(language, str) else None)


def _refuse_overwrite(paths: list[Path], force: bool, target: Path, lang: str, resume_with: str | None) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        again = command("assess", *([resume_with] if resume_with else []), "--resume", target)
        raise UsageError(message("assess.exists", lang, path=existing[0], command=again)).in_language(lang)


def _resume(options: Options, console: Console, lock: SessionLock, check: Callable[[str], None]) -> tuple[Workshop, list[str]]:
    assert options.resume is not None
    target = options.resume
    if target.is_dir():
        _lock(lock, options.lang, sorted(p for p in target.glob("*.yaml") if p.is_file()), target)
    elif target.is_file():
        _lock(lock, options.lang, [target])
    resumed = store.load_resume(options.resume, options.questionnaire, QuestionnaireCatalog(), options.migrate, _error_language(options))
    q = resumed.questionnaire
    first = resumed.files[0][1]
    lang = _language(q, options.lang or (first.language if first.language in q.languages else None))
    check(lang)
    screen = Screen(console, q, lang)
    sheets = [sheet_from(answers) for _, answers in resumed.files]
    notes = [SessionNote(n.item, n.text) for n in resumed.manifest.notes] if resumed.manifest else []
    session = Session(q, sheets, first.partnership, lang, first.date or store.session_date(), session_notes=notes)
    notices = [message("assess.resumed", lang, done=session.answered_count(), total=len(session.steps))]
    if resumed.backups:
        dropped = listed(sorted(set(resumed.dropped)), bare, None) or "–"
        notices.append(message("assess.migrated", lang, version=q.version, ids=dropped))
        notices += [message("assess.backup", lang, path=b) for b in resumed.backups]
    paths = [path for path, _ in resumed.files]
    _lock(lock, lang, paths)  # a file that appeared in the folder after it was locked
    manifest = None
    if target.is_dir():
        # A folder from before manifests gets one now, in the order it was resumed in.
        manifest = resumed.manifest or Manifest(questionnaire=q.id, version=q.version, partnership=first.partnership,
                                                language=lang, participants=[Seat(file=p.name) for p in paths])
        manifest.notes = [ManifestNote(item=n.item, text=n.text) for n in notes]
    return Workshop(session, screen, paths, options.resume, lock, manifest, store.resume_reference(q, options.questionnaire)), notices


def _ask_text(screen: Screen, prompt_key: str) -> str:
    while True:
        text = screen.ask(f"{screen.t(prompt_key)}: ").strip()
        if text:
            return text
        screen.hint(Invalid("hint.required_text"))


def _ask_role(screen: Screen) -> str:
    while True:
        role = canonical_side(screen.ask(f"{screen.t('assess.prompt.role')}: "))
        if role is not None:
            return role
        screen.hint(Invalid("hint.role"))
