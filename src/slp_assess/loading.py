"""Load and validate questionnaires and answer files into models (the "load" and "validate" steps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from slp_assess.errors import InvalidInputError, Problem, UsageError
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.resources import bundled_questionnaires
from slp_assess.validation import check_answers, check_questionnaire
from slp_assess.yamlio import YamlDocument, read_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)

_HINTS = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check the spelling of the key",
    "string_type": "write it as text (quote it)",
    "string_pattern_mismatch": "use lowercase letters, digits, '_' or '-', dotted",
    "float_parsing": "write a number",
    "float_type": "write a number",
    "dict_type": "write a mapping (key: value)",
    "list_type": "write a list",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "date_type": "write a date as YYYY-MM-DD",
    "literal_error": "use one of the allowed values",
    "too_short": "add at least the minimum number of entries",
}


def validation_problems(doc: YamlDocument, error: ValidationError) -> list[Problem]:
    """Translate pydantic errors into problems located by YAML line."""
    problems = []
    for detail in error.errors(include_url=False):
        # Drop pydantic's internal union/validator tags from the location.
        loc = tuple(p for p in detail["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        message = detail["msg"]
        if detail["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}" if loc else "unknown key"
        problems.append(
            Problem(doc.path, doc.line_of(loc), message, _HINTS.get(detail["type"], ""), ".".join(map(str, loc)))
        )
    return problems


def by_line(problems: list[Problem]) -> list[Problem]:
    """Problems in the order they appear in the file, so users can fix them top to bottom."""
    return sorted(problems, key=lambda p: p.line or 0)


def parse_model(doc: YamlDocument, model: type[ModelT], what: str) -> ModelT:
    """Validate a parsed document against a model, raising every problem at once."""
    if not isinstance(doc.data, dict):
        raise InvalidInputError.single(doc.path, f"not a {what}: expected a YAML mapping at the top", doc.line_of(()))
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InvalidInputError(by_line(validation_problems(doc, exc))) from None


def load_questionnaire_file(path: Path) -> Questionnaire:
    """Read a questionnaire file and run every check on it."""
    doc = read_yaml(path)
    questionnaire = parse_model(doc, Questionnaire, "questionnaire")
    problems = check_questionnaire(questionnaire, doc)
    if problems:
        raise InvalidInputError(by_line(problems))
    return questionnaire


def resolve_questionnaire(reference: str) -> Path:
    """A bundled questionnaire id or a path to a questionnaire file."""
    bundled = bundled_questionnaires()
    if reference in bundled:
        return bundled[reference]
    path = Path(reference)
    if path.is_file():
        return path
    raise UsageError(f"unknown questionnaire {reference!r}: use a file path or one of {', '.join(sorted(bundled))}")


def load_questionnaire(reference: str) -> Questionnaire:
    """Load a bundled questionnaire by id, or a questionnaire file by path."""
    return load_questionnaire_file(resolve_questionnaire(reference))


@dataclass
class QuestionnaireCatalog:
    """Questionnaires by id: the bundled ones plus any given by path, loaded once each.

    Attributes:
        extra: questionnaires given on the command line; they win over bundled ones.
    """

    extra: dict[str, Questionnaire] = field(default_factory=dict)
    _loaded: dict[str, Questionnaire] = field(default_factory=dict)

    @classmethod
    def with_files(cls, paths: list[Path]) -> QuestionnaireCatalog:
        """A catalog that also knows the questionnaires in these files."""
        loaded = [load_questionnaire_file(p) for p in paths]
        return cls(extra={q.id: q for q in loaded})

    def get(self, questionnaire_id: str) -> Questionnaire | None:
        """The questionnaire with this id, or None if neither given nor bundled."""
        if questionnaire_id in self.extra:
            return self.extra[questionnaire_id]
        if questionnaire_id not in self._loaded:
            path = bundled_questionnaires().get(questionnaire_id)
            if path is None:
                return None
            self._loaded[questionnaire_id] = load_questionnaire_file(path)
        return self._loaded[questionnaire_id]

    def known_ids(self) -> list[str]:
        """Ids this catalog can resolve."""
        return sorted(set(self.extra) | set(bundled_questionnaires()))


def load_answer_file(path: Path, catalog: QuestionnaireCatalog) -> tuple[AnswerFile, Questionnaire]:
    """Read an answer file and check it against its questionnaire; raise every problem."""
    doc = read_yaml(path)
    if isinstance(doc.data, dict) and "sections" in doc.data and "answers" not in doc.data:
        raise InvalidInputError.single(
            path, "this is a questionnaire, not an answer file", 1, "pass questionnaires with --questionnaire"
        )
    answers = parse_model(doc, AnswerFile, "answer file")
    questionnaire = catalog.get(answers.questionnaire)
    if questionnaire is None:
        raise InvalidInputError.single(
            path,
            f"unknown questionnaire {answers.questionnaire!r}",
            doc.line_of(("questionnaire",)),
            f"use one of {', '.join(catalog.known_ids())} or pass the file with --questionnaire",
        )
    problems = check_answers(answers, questionnaire, doc)
    if problems:
        raise InvalidInputError(by_line(problems))
    return answers, questionnaire
