"""Score many answer files: one bad file yields an error record, never stops the rest."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from slp_assess.errors import InvalidInputError, UsageError
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.results import FileError, FileErrorDetail, ScoreResult
from slp_assess.scoring import score_answers

ANSWER_SUFFIXES = (".yaml", ".yml")


def collect_files(inputs: Iterable[Path]) -> list[Path]:
    """Expand directories recursively to their YAML files; keep given files as they are.

    Files inside a directory are sorted so output does not depend on the file system's order.
    """
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in ANSWER_SUFFIXES and p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    return files


def error_record(file: str, error: InvalidInputError) -> FileError:
    """Turn an exception into the error record emitted in place of a result."""
    return FileError(
        file=file,
        errors=[FileErrorDetail(line=p.line, message=p.message if not p.location else f"{p.location}: {p.message}", hint=p.hint) for p in error.problems],
    )


def score_file(path: Path, catalog: QuestionnaireCatalog) -> ScoreResult | FileError:
    """Score one file, or describe why it cannot be scored."""
    try:
        answers, questionnaire = load_answer_file(path, catalog)
    except InvalidInputError as exc:
        return error_record(str(path), exc)
    return score_answers(answers, questionnaire, str(path))


def score_files(files: Iterable[Path], catalog: QuestionnaireCatalog) -> Iterator[ScoreResult | FileError]:
    """Score files one after another, in the given order."""
    for path in files:
        yield score_file(path, catalog)
