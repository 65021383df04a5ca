"""Answer files on disk: write after every answer (atomically), read them back to resume.

Files are written by hand rather than with a YAML dumper so that the order is the
questionnaire's, scale keys are always quoted (``"4"``, ``"yes"`` must stay text) and the file
reads like the ones planners fill in with ``slp template``. Every string is written as a YAML
double-quoted scalar that escapes whatever YAML readers refuse or fold, so any text typed in a
session reads back exactly as typed (lone surrogates, which UTF-8 cannot hold, become U+FFFD).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import yaml

from slp_assess.assess import wording
from slp_assess.assess.manifest import Manifest, read_manifest
from slp_assess.atomic import write_bytes_atomic, write_text_atomic
from slp_assess.errors import InvalidInputError, OutputError, UsageError
from slp_assess.i18n import message
from slp_assess.loading import QuestionnaireCatalog, load_answer_file, parse_model
from slp_assess.migration import migrate_answers
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.naming import MAX_STEM, cut_slug, slug, source_date
from slp_assess.oneline import bare, quoted
from slp_assess.yamlio import StrictLoader, read_yaml

_STR_TAG = "tag:yaml.org,2002:str"


def session_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` so that runs can be reproduced."""
    return source_date() or dt.date.today()


# The questionnaire's part of a default file name; with a name's MAX_STEM, the date and the lock
# file's dot and suffix, a name stays far below the 255 bytes a file system allows.
_MAX_ID_STEM = 60


def default_out(questionnaire_id: str, respondent: str, date: dt.date) -> Path:
    """``slp-<questionnaire>-<respondent>-<date>.yaml`` in the current folder; long names are cut at a word."""
    # Questionnaire ids hold only letters, digits, '_', '-' and '.': safe in a file name as they are.
    name = cut_slug(questionnaire_id if questionnaire_id.startswith("slp-") else f"slp-{questionnaire_id}", _MAX_ID_STEM)
    return Path(f"{name}-{cut_slug(slug(respondent, 'anonymous'))}-{date.isoformat()}.yaml")


def default_group_dir(questionnaire_id: str, partnership: str, date: dt.date) -> Path:
    """``slp-<questionnaire>-<partnership>-<date>/`` in the current folder, for group mode."""
    return default_out(questionnaire_id, partnership, date).with_suffix("")


def participant_files(folder: Path, names: list[str]) -> list[Path]:
    """One file per participant in ``folder``; equal slugs get a number so none overwrites another."""
    taken: set[str] = set()
    paths: list[Path] = []
    for name in names:
        unique = unique_file_name(name, taken)
        taken.add(unique)
        paths.append(folder / unique)
    return paths


def unique_file_name(name: str, taken: set[str]) -> str:
    """``anna-weber.yaml``, or ``anna-weber-2.yaml`` and so on when that name is taken (the only way a name becomes a file name).

    A long name is cut at a word (``MAX_STEM``), and shorter still to make room for a number.
    """
    base = cut_slug(slug(name))
    candidate, n = base, 2
    while f"{candidate}.yaml" in taken:
        candidate, n = f"{cut_slug(base, MAX_STEM - len(str(n)) - 1)}-{n}", n + 1
    return f"{candidate}.yaml"


REPLACEMENT = "\ufffd"
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# Characters written as they are inside a double-quoted scalar: printable ASCII except the quote
# and the backslash, and printable Unicode except what a YAML reader refuses (U+FFFE, U+FFFF,
# surrogates), reads as a line break (U+0085, U+2028, U+2029) or hides the order or start of the
# text in an editor (bidi controls, the BOM). Everything else is escaped.
_UNSAFE = re.compile(
    r"[^\x20\x21\x23-\x5b\x5d-\x7e\xa0-\u2027\u202f-\u2065\u206a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_NAMED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


def clean_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD.

    Python decodes invalid UTF-8 from the terminal or the command line into lone surrogates; no
    UTF-8 file can hold them, so input is cleaned where it enters a session.
    """
    return _SURROGATES.sub(REPLACEMENT, text)


def _escape(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:  # input that missed clean_text: written as U+FFFD, never as bad UTF-8
        return "\\ufffd"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def yaml_quote(text: str) -> str:
    """``text`` as a one-line YAML double-quoted scalar that reads back as exactly ``text``."""
    return '"' + _UNSAFE.sub(lambda m: _escape(m.group()), text) + '"'


_PLAIN_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_RESOLVER = StrictLoader("")


@functools.lru_cache(maxsize=1024)  # the same few ids and keys in every file (600,000 calls for 10,000 imported files)
def _plain_or_quoted(text: str) -> str:
    """Ids and keys stay plain (``role: stadt``) unless YAML would read them as something else.

    ``true``, ``null``, ``2024`` or ``1.0`` are valid ids that a plain scalar would turn into a
    boolean, nothing or a number.
    """
    if _PLAIN_ID.fullmatch(text) and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG:  # type: ignore[no-untyped-call]
        return text
    return yaml_quote(text)


def _comment(text: str) -> str:
    # A comment has no escapes: show what a reader would refuse or break the line at as an escape.
    return _UNSAFE.sub(lambda m: m.group() if m.group() in '\\"' else _escape(m.group()), text)


def render(answers: AnswerFile, resume_hint: str) -> str:
    """The YAML text of an answer file; its entries keep the order they have in ``answers``."""
    who = answers.respondent
    out = [
        f"# Written by slp assess after every answer. {_comment(resume_hint)}",
        f"questionnaire: {_plain_or_quoted(answers.questionnaire)}",
        f"version: {yaml_quote(answers.version)}",
        f"partnership: {yaml_quote(answers.partnership)}",
        "respondent:",
        f"  name: {yaml_quote(who.name or '')}",
    ]
    if who.organisation:
        out.append(f"  organisation: {yaml_quote(who.organisation)}")
    out.append(f"  role: {_plain_or_quoted(who.role)}")
    if answers.date:
        out.append(f"date: {answers.date.isoformat()}")
    if answers.language:
        out.append(f"language: {_plain_or_quoted(answers.language)}")
    out.append("answers:" if answers.answers else "answers: {}")
    for item_id, answer in answers.answers.items():
        key = _plain_or_quoted(item_id)
        if answer.value is None:
            out.append(f"  {key}: {{note: {yaml_quote(answer.note or '')}}}")
        elif answer.note:
            out.append(f"  {key}: {{value: {yaml_quote(answer.value)}, note: {yaml_quote(answer.note)}}}")
        else:
            out.append(f"  {key}: {yaml_quote(answer.value)}")
    if answers.context:
        out.append("context:")
        for question_id, value in answers.context.items():
            shown = "[" + ", ".join(yaml_quote(v) for v in value) + "]" if isinstance(value, list) else yaml_quote(value)
            out.append(f"  {_plain_or_quoted(question_id)}: {shown}")
    return "\n".join(out) + "\n"


def resume_command(path: Path, questionnaire: str | None = None) -> str:
    """The command line that continues a session saved at ``path``, as the answer file's comment states it.

    The file says ``slp`` whatever started the session, so that the same answers give the same
    bytes; the hint printed at the end names the command that works in the user's shell
    (``slp_assess.assess.invocation``). ``questionnaire``: see ``resume_reference``.
    """
    named = f"{shlex.quote(questionnaire)} " if questionnaire else ""
    return f"slp assess {named}--resume {shlex.quote(str(path))}"


def resume_reference(questionnaire: Questionnaire, typed: str | None) -> str | None:
    """What ``slp assess --resume`` must be told to continue in ``questionnaire``; None when it finds it alone.

    Without a questionnaire, ``--resume`` takes the bundled questionnaire the file names, in its current
    version. An earlier bundled version is named ``ID@VERSION``; a questionnaire of one's own, by its
    file as the user gave it (``typed``).
    """
    bundled = QuestionnaireCatalog()
    current = bundled.get(questionnaire.id)
    if current is not None and current.version == questionnaire.version:
        return None
    earlier = bundled.get(questionnaire.id, questionnaire.version)
    if earlier is not None and earlier.version == questionnaire.version:
        return f"{questionnaire.id}@{questionnaire.version}"
    return typed


def save(path: Path, answers: AnswerFile, questionnaire: str | None = None) -> None:
    """Replace ``path`` atomically: a crash leaves the old or the new file, never half of one.

    An error is worded in the session's language, the one the file records. ``questionnaire``: what
    the resume command in the file's first line names (``resume_reference``).
    """
    try:
        write_text_atomic(path, render(answers, f"Resume with: {resume_command(path, questionnaire)}"))
    except OutputError as exc:
        raise wording.cannot_write(path, exc, answers.language or "en") from None


def backup(path: Path, version: str) -> Path:
    """Keep a copy of a file about to be migrated; ``.bak`` so that ``slp score DIR`` skips it."""
    target = backup_path(path, version)
    write_bytes_atomic(target, path.read_bytes())
    return target


def backup_path(path: Path, version: str) -> Path:
    """Where :func:`backup` keeps the copy of ``path`` before it becomes ``version``."""
    return path.with_name(f"{path.name}.v{cut_slug(slug(version), _MAX_ID_STEM)}.bak")


def migrate(answers: AnswerFile, questionnaire: Questionnaire) -> tuple[AnswerFile, list[str]]:
    """Carry answers over to another version through the questionnaire's mapping (``slp_assess.migration``).

    Returns the migrated file and the ids of the answers dropped.
    """
    result = migrate_answers(answers, questionnaire)
    return result.answers, [d.id for d in result.dropped]


@dataclass
class Resumed:
    """Answer files read back to continue a session.

    Attributes:
        files: each file with its answers, in the order participants are asked.
        questionnaire: the questionnaire they answer.
        dropped: answers not carried over by a migration.
        backups: copies of migrated files.
        manifest: the group folder's manifest (seating order, session notes), if it has one.
    """

    files: list[tuple[Path, AnswerFile]]
    questionnaire: Questionnaire
    dropped: list[str]
    backups: list[Path]
    manifest: Manifest | None = None


def folder_files(folder: Path, lang: str = "en") -> tuple[list[Path], Manifest | None]:
    """A group folder's answer files in seating order: the manifest's order, then any file it does not list.

    A listed file that is gone is an error: resuming without it would quietly shift every later
    participant's answers in the moderator's typing order. ``lang``: the language of the errors.
    """
    manifest = read_manifest(folder, lang)
    listed = manifest.files(folder) if manifest else []
    for path in listed:
        if not path.is_file():
            raise wording.invalid(path, "assess.participant_missing", lang)
    others = sorted(p for p in folder.glob("*.yaml") if p.is_file() and p not in listed)
    return listed + others, manifest


def load_resume(target: Path, questionnaire_ref: str | None, catalog: QuestionnaireCatalog, allow_migration: bool,
                lang: str = "en") -> Resumed:
    """Read a saved answer file, or a group's folder of them, and check it fits its questionnaire.

    A file for another questionnaire is refused; one for another version is refused unless
    ``allow_migration``, which keeps the answers whose questions still exist. ``lang``: the
    language of the errors.
    """
    manifest = None
    if target.is_dir():
        paths, manifest = folder_files(target, lang)
        if not paths:
            raise UsageError(message("assess.resume_empty", lang, path=target)).in_language(lang)
    elif target.is_file():
        paths = [target]
    else:
        raise UsageError(message("assess.resume_missing", lang, path=target)).in_language(lang)
    questionnaire = wording.questionnaire(questionnaire_ref, lang) if questionnaire_ref else None
    validated_with = wording.questionnaire_file(questionnaire_ref)
    files, dropped, backups = [], [], []
    for path in paths:
        try:
            answers = parse_model(read_yaml(path), AnswerFile, "answer file")
        except InvalidInputError as exc:
            raise wording.checked_file(exc, "assess.invalid_answers", lang, validated_with, path=path) from None
        if questionnaire is None:
            questionnaire = catalog.get(answers.questionnaire)
            if questionnaire is None:
                raise wording.invalid(path, "assess.file_questionnaire_unknown", lang, id=quoted(answers.questionnaire))
        if answers.questionnaire != questionnaire.id:
            raise wording.invalid(path, "assess.other_questionnaire", lang, found=quoted(answers.questionnaire), wanted=quoted(questionnaire.id))
        if answers.version != questionnaire.version:
            if not allow_migration:
                raise wording.invalid(path, "assess.other_version", lang, old=quoted(answers.version), id=quoted(questionnaire.id), new=bare(questionnaire.version))
            try:
                backups.append(backup(path, answers.version))
            except OutputError as exc:
                raise wording.cannot_write(backup_path(path, answers.version), exc, lang) from None
            answers, lost = migrate(answers, questionnaire)
            dropped += lost
        else:
            try:
                answers, _ = load_answer_file(path, QuestionnaireCatalog(extra={questionnaire.id: questionnaire}))
            except InvalidInputError as exc:
                raise wording.checked_file(exc, "assess.invalid_answers", lang, validated_with, path=path) from None
        files.append((path, answers))
    assert questionnaire is not None  # paths is never empty
    return Resumed(files, questionnaire, dropped, backups, manifest)
