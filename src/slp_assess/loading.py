"""Load and validate questionnaires and answer files into models (the "load" and "validate" steps)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from slp_assess import cache
from slp_assess.errors import InvalidInputError, Problem, UsageError
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire, split_reference, version_order
from slp_assess.oneline import bare, dotted, listed, quoted
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
    "finite_number": "write an ordinary number: .inf and .nan are not allowed",
}
_SPACE_AFTER_COLON = "write a space after the colon: `key: value`"
_KEY_RUN_ON = re.compile(r"^[^\s:'\"]+:[^\s/]")
# Bounds (pydantic's ge/gt/le) named in a hint: "use a number of at most 1,000,000".
_BOUND_HINTS = {"less_than_equal": ("le", "of at most"), "greater_than_equal": ("ge", "of at least"), "greater_than": ("gt", "above")}


def _hint(detail: ErrorDetails) -> str:
    ctx = detail.get("ctx", {})
    if "hint" in ctx:
        return str(ctx["hint"])
    if detail["type"] in _BOUND_HINTS:
        name, words = _BOUND_HINTS[detail["type"]]
        bound = ctx.get(name)
        if isinstance(bound, int | float):
            shown = f"{int(bound):,}" if float(bound).is_integer() else f"{bound:,}"
            return f"use a number {words} {shown}"
    return _HINTS.get(detail["type"], "")


def _location(loc: tuple[str | int, ...], data: Any) -> tuple[str | int, ...]:
    """``loc`` without pydantic's internal union and validator tags (``list[str]``, ``function-after[...]``).

    A part that is a key of the data there stays, whatever it holds: an unknown key written
    ``a[1]`` is named and set aside like any other, not lost with the other problems of its file.
    """
    kept: list[str | int] = []
    value = data
    for part in loc:
        is_key = isinstance(value, dict) and part in value
        if not is_key and isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue
        kept.append(part)
        if is_key:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            value = None
    return tuple(kept)


def validation_problems(doc: YamlDocument, error: ValidationError) -> list[Problem]:
    """Translate pydantic errors into problems located by YAML line."""
    problems = []
    for detail in error.errors(include_url=False):
        where = doc.locate(_location(detail["loc"], doc.data))
        message = detail["msg"]
        hint = _hint(detail)
        if detail["type"] == "extra_forbidden":
            key = where.written[-1] if where.written else ""
            message = f"unknown key {quoted(key)}" if where.written else "unknown key"
            if isinstance(key, str) and ":" in key.strip(":"):  # `note:"x"` in braces reads as one key
                hint = _SPACE_AFTER_COLON
        elif detail["type"] in ("dict_type", "model_type") and isinstance(detail["input"], str) and _KEY_RUN_ON.match(detail["input"]):
            hint = _SPACE_AFTER_COLON  # `answers:` followed by a lone `item:"3"` reads as text
        problems.append(Problem(doc.path, where.line, message, hint, dotted(where.written)))
    return problems


def by_line(problems: list[Problem]) -> list[Problem]:
    """Problems in the order they appear in the file, so users can fix them top to bottom."""
    return sorted(problems, key=lambda p: p.line or 0)


def parse_model(doc: YamlDocument, model: type[ModelT], what: str) -> ModelT:
    """Validate a parsed document against a model, raising every problem at once."""
    if not isinstance(doc.data, dict):
        article = "an" if what[:1] in "aeiou" else "a"
        raise InvalidInputError.single(doc.path, f"not {article} {what}: expected a YAML mapping at the top", doc.line_of(()))
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InvalidInputError(by_line(validation_problems(doc, exc))) from None


def load_questionnaire_file(path: Path) -> Questionnaire:
    """Read a questionnaire file and run every check on it (or take it from the cache, see ``cache``).

    A missing file is a usage error (exit 3), as a missing answer file is: the command line names
    a file that is not there, not a file whose content is wrong.
    """
    if not path.exists():
        raise UsageError(f"{path}: no such questionnaire file: check the path")
    source = cache.source_bytes(path)
    if source is not None and (cached := cache.cached_questionnaire(source)) is not None:
        return cached
    doc = read_yaml(path)
    questionnaire = parse_model(doc, Questionnaire, "questionnaire")
    problems = check_questionnaire(questionnaire, doc)
    if problems:
        raise InvalidInputError(by_line(problems))
    if source is not None and cache.source_bytes(path) == source:  # not changed while it was read
        cache.keep_questionnaire(source, questionnaire)
    return questionnaire


def resolve_questionnaire(reference: str) -> Path:
    """A bundled questionnaire id (``ID``, or ``ID@VERSION`` for any bundled version) or a path to a questionnaire file."""
    bundled = bundled_questionnaires()
    if reference in bundled:
        return bundled[reference]
    path = Path(reference)
    if path.is_file():
        return path
    qid, version = split_reference(reference)
    if version is not None and qid in bundled and not _looks_like_a_path(reference):
        if load_questionnaire_file(bundled[qid]).version == version:
            return bundled[qid]  # the current version, named with its number
        known = ", ".join(sorted({name.partition("@")[2] or load_questionnaire_file(p).version
                                  for name, p in bundled.items() if split_reference(name)[0] == qid}, key=version_order))
        raise UsageError(f"questionnaire {quoted(qid)} has no version {quoted(version)}: use one of {known} ({qid}@VERSION), or a file path")
    ids = ", ".join(sorted(bundled))
    if path.is_dir():
        raise UsageError(f"{reference}: a folder, not a questionnaire file: give the file, or one of {ids}")
    if _looks_like_a_path(reference):
        raise UsageError(f"{reference}: no such questionnaire file: check the path, or use one of {ids}")
    raise UsageError(f"unknown questionnaire {quoted(reference)}: use a file path or one of {ids}")


def _looks_like_a_path(reference: str) -> bool:
    """Whether ``reference`` was meant as a file (a folder in it, or a file suffix), not as an id.

    Ids are lowercase dotted words (``slp-readiness``, ``slp-readiness@1.0``), so a version's dot
    is no suffix; ``.yaml``, ``.yml`` and ``.json`` are.
    """
    return "/" in reference or os.sep in reference or Path(reference).suffix.lower() in (".yaml", ".yml", ".json")


def load_questionnaire(reference: str) -> Questionnaire:
    """Load a bundled questionnaire by id, or a questionnaire file by path."""
    return load_questionnaire_file(resolve_questionnaire(reference))


@dataclass
class QuestionnaireCatalog:
    """Questionnaires by id and version: the bundled ones plus any given by path, loaded once each.

    A bundled questionnaire ``ID`` is its current version; earlier versions ship as ``ID@VERSION``
    so that old answer files still score as they did.

    Attributes:
        extra: questionnaires given on the command line; they win over bundled ones.
    """

    extra: dict[str, Questionnaire] = field(default_factory=dict)
    _loaded: dict[str, Questionnaire] = field(default_factory=dict)

    @classmethod
    def with_files(cls, paths: list[Path]) -> QuestionnaireCatalog:
        """A catalog that also knows the questionnaires in these files.

        Several versions of one id may be given (e.g. to migrate): each is known as ``ID@VERSION``,
        and the highest version as ``ID``.
        """
        extra: dict[str, Questionnaire] = {}
        for q in sorted((load_questionnaire_file(p) for p in paths), key=lambda q: version_order(q.version)):
            extra[q.id] = extra[f"{q.id}@{q.version}"] = q
        return cls(extra=extra)

    def get(self, questionnaire_id: str, version: str | None = None) -> Questionnaire | None:
        """The questionnaire with this id (and version, if given), or None if neither given nor bundled.

        With a version that the current questionnaire does not have, an earlier version of that
        number is returned if there is one (given or bundled as ``ID@VERSION``), else the current one
        (whose check then names the mismatch and the way to migrate). ``ID@VERSION`` is the same as
        ``ID`` with that version, whichever version it is, the current one too.
        """
        questionnaire_id, named = split_reference(questionnaire_id)
        version = named or version
        current = self.extra.get(questionnaire_id) or self._bundled(questionnaire_id)
        if current is None or version is None or current.version == version:
            return current
        earlier = f"{questionnaire_id}@{version}"
        return self.extra.get(earlier) or self._bundled(earlier) or current

    def _bundled(self, name: str) -> Questionnaire | None:
        if name not in self._loaded:
            path = bundled_questionnaires().get(name)
            if path is None:
                return None
            self._loaded[name] = load_questionnaire_file(path)
        return self._loaded[name]

    def versions(self, questionnaire_id: str) -> list[str]:
        """The versions of a questionnaire this catalog knows, oldest first.

        Its current version, the earlier ones given or bundled as ``ID@VERSION``, and those its
        migrations carry answers over from: the versions an answer file can be migrated from.
        """
        current = self.get(questionnaire_id)
        if current is None:
            return []
        prefix = f"{questionnaire_id}@"
        earlier = {name[len(prefix):] for name in (*self.extra, *bundled_questionnaires()) if name.startswith(prefix)}
        known = {current.version, *earlier, *(m.from_version for m in current.migrations)}
        return sorted(known, key=version_order)

    def known_ids(self) -> list[str]:
        """Ids this catalog can resolve (earlier bundled versions as ``ID@VERSION``)."""
        return sorted(set(self.extra) | set(bundled_questionnaires()))


def load_answer_file(path: Path, catalog: QuestionnaireCatalog) -> tuple[AnswerFile, Questionnaire]:
    """Read an answer file and check it against its questionnaire; raise every problem."""
    doc = read_yaml(path)
    if isinstance(doc.data, dict) and "sections" in doc.data and "answers" not in doc.data:
        raise InvalidInputError.single(
            path, "this is a questionnaire, not an answer file", 1, "pass questionnaires with --questionnaire"
        )
    if not isinstance(doc.data, dict):
        raise InvalidInputError.single(doc.path, "not an answer file: expected a YAML mapping at the top", doc.line_of(()))
    answers, problems = _answers_and_problems(doc)
    if answers is None:
        raise InvalidInputError(by_line(problems))
    questionnaire = catalog.get(answers.questionnaire, answers.version)
    if questionnaire is None:
        unknown = Problem(doc.path, doc.line_of(("questionnaire",)), f"unknown questionnaire {quoted(answers.questionnaire)}",
                          f"use one of {listed(catalog.known_ids(), bare, None)} or pass the file with --questionnaire")
        raise InvalidInputError(by_line([*problems, unknown]))
    problems += check_answers(answers, questionnaire, doc, catalog.versions(questionnaire.id))
    if problems:
        raise InvalidInputError(by_line(problems))
    return answers, questionnaire


def _answers_and_problems(doc: YamlDocument) -> tuple[AnswerFile | None, list[Problem]]:
    """The answer file, and the format problems found on the way.

    When some fields are malformed, they are set aside and the rest is validated again, so a
    file's problems are reported all at once: a bad header does not hide a misspelt item id.
    """
    try:
        return AnswerFile.model_validate(doc.data), []
    except ValidationError as exc:
        problems = validation_problems(doc, exc)
        # The keys as read: pydantic names a key such as `null:` or `2026-01-01:` by its repr.
        bad = [doc.locate(_location(detail["loc"], doc.data)).keys for detail in exc.errors(include_url=False)]
    data = dict(doc.data)
    for loc in bad:
        if loc and loc[0] in ("answers", "context") and len(loc) > 1 and isinstance(data.get(loc[0]), dict):
            data[loc[0]] = {k: v for k, v in data[loc[0]].items() if k != loc[1]}
        elif loc:
            data.pop(loc[0], None)
    try:
        return AnswerFile.model_validate(data), problems
    except ValidationError:
        return None, problems  # the questionnaire or version itself is unusable
