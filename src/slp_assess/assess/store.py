"""Answer files on disk: write after every answer (atomically), read them back to resume.

Files are written by hand rather than with a YAML dumper so that the order is the
questionnaire's, scale keys are always quoted (``"4"``, ``"yes"`` must stay text) and the file
reads like the ones planners fill in with ``slp template``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from slp_assess.atomic import write_bytes_atomic, write_text_atomic
from slp_assess.errors import InvalidInputError, UsageError
from slp_assess.loading import QuestionnaireCatalog, load_answer_file, load_questionnaire, parse_model
from slp_assess.migration import migrate_answers
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.naming import slug, source_date
from slp_assess.yamlio import read_yaml


def session_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` so that runs can be reproduced."""
    return source_date() or dt.date.today()


def default_out(questionnaire_id: str, respondent: str, date: dt.date) -> Path:
    """``slp-<questionnaire>-<respondent>-<date>.yaml`` in the current folder."""
    name = questionnaire_id if questionnaire_id.startswith("slp-") else f"slp-{questionnaire_id}"
    return Path(f"{name}-{slug(respondent, 'anonymous')}-{date.isoformat()}.yaml")


def default_group_dir(questionnaire_id: str, partnership: str, date: dt.date) -> Path:
    """``slp-<questionnaire>-<partnership>-<date>/`` in the current folder, for group mode."""
    return default_out(questionnaire_id, partnership, date).with_suffix("")


def participant_files(folder: Path, names: list[str]) -> list[Path]:
    """One file per participant in ``folder``; equal slugs get a number so none overwrites another."""
    paths: list[Path] = []
    for name in names:
        base = slug(name)
        candidate, n = base, 2
        while folder / f"{candidate}.yaml" in paths:
            candidate, n = f"{base}-{n}", n + 1
        paths.append(folder / f"{candidate}.yaml")
    return paths


def _q(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar: umlauts, quotes and newlines survive.
    return json.dumps(text, ensure_ascii=False)


def render(answers: AnswerFile, resume_hint: str) -> str:
    """The YAML text of an answer file; its entries keep the order they have in ``answers``."""
    who = answers.respondent
    out = [
        f"# Written by slp assess after every answer. {resume_hint}",
        f"questionnaire: {answers.questionnaire}",
        f"version: {_q(answers.version)}",
        f"partnership: {_q(answers.partnership)}",
        "respondent:",
        f"  name: {_q(who.name or '')}",
    ]
    if who.organisation:
        out.append(f"  organisation: {_q(who.organisation)}")
    out.append(f"  role: {who.role}")
    if answers.date:
        out.append(f"date: {answers.date.isoformat()}")
    if answers.language:
        out.append(f"language: {answers.language}")
    out.append("answers:" if answers.answers else "answers: {}")
    for item_id, answer in answers.answers.items():
        if answer.value is None:
            out.append(f"  {item_id}: {{note: {_q(answer.note or '')}}}")
        elif answer.note:
            out.append(f"  {item_id}: {{value: {_q(answer.value)}, note: {_q(answer.note)}}}")
        else:
            out.append(f"  {item_id}: {_q(answer.value)}")
    if answers.context:
        out.append("context:")
        for question_id, value in answers.context.items():
            shown = "[" + ", ".join(_q(v) for v in value) + "]" if isinstance(value, list) else _q(value)
            out.append(f"  {question_id}: {shown}")
    return "\n".join(out) + "\n"


def resume_command(path: Path) -> str:
    """The command line that continues a session saved at ``path``."""
    return f"slp assess --resume {path}"


def save(path: Path, answers: AnswerFile) -> None:
    """Replace ``path`` atomically: a crash leaves the old or the new file, never half of one."""
    write_text_atomic(path, render(answers, f"Resume with: {resume_command(path)}"))


def backup(path: Path, version: str) -> Path:
    """Keep a copy of a file about to be migrated; ``.bak`` so that ``slp score DIR`` skips it."""
    target = path.with_name(f"{path.name}.v{slug(version)}.bak")
    write_bytes_atomic(target, path.read_bytes())
    return target


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
    """

    files: list[tuple[Path, AnswerFile]]
    questionnaire: Questionnaire
    dropped: list[str]
    backups: list[Path]


def load_resume(target: Path, questionnaire_ref: str | None, catalog: QuestionnaireCatalog, allow_migration: bool) -> Resumed:
    """Read a saved answer file, or a group's folder of them, and check it fits its questionnaire.

    A file for another questionnaire is refused; one for another version is refused unless
    ``allow_migration``, which keeps the answers whose questions still exist.
    """
    if target.is_dir():
        paths = sorted(p for p in target.glob("*.yaml") if p.is_file())
        if not paths:
            raise UsageError(f"{target}: no answer files (*.yaml) to resume")
    elif target.is_file():
        paths = [target]
    else:
        raise UsageError(f"{target}: no such file or folder to resume")
    questionnaire = load_questionnaire(questionnaire_ref) if questionnaire_ref else None
    files, dropped, backups = [], [], []
    for path in paths:
        answers = parse_model(read_yaml(path), AnswerFile, "answer file")
        if questionnaire is None:
            questionnaire = catalog.get(answers.questionnaire)
            if questionnaire is None:
                raise InvalidInputError.single(
                    path, f"unknown questionnaire {answers.questionnaire!r}", hint="name the questionnaire file as argument"
                )
        if answers.questionnaire != questionnaire.id:
            raise InvalidInputError.single(
                path,
                f"this file answers questionnaire {answers.questionnaire!r}, not {questionnaire.id!r}",
                hint="resume it without naming a questionnaire, or start a new session with --out",
            )
        if answers.version != questionnaire.version:
            if not allow_migration:
                raise InvalidInputError.single(
                    path,
                    f"this file answers version {answers.version} of {questionnaire.id!r}, "
                    f"the questionnaire is version {questionnaire.version}",
                    hint="add --migrate to keep the answers whose questions still exist",
                )
            backups.append(backup(path, answers.version))
            answers, lost = migrate(answers, questionnaire)
            dropped += lost
        else:
            answers, _ = load_answer_file(path, QuestionnaireCatalog(extra={questionnaire.id: questionnaire}))
        files.append((path, answers))
    assert questionnaire is not None  # paths is never empty
    return Resumed(files, questionnaire, dropped, backups)
