"""JSON Schemas (draft 2020-12) of every file format, generated from the pydantic models.

Never written by hand: ``python -m slp_assess.schemas --write`` regenerates the committed
``*.schema.json`` files next to this module, and a test fails when they differ from the models.
Editors use them for completion and checks (``# yaml-language-server: $schema=<url>``).

Pydantic cannot see what a ``BeforeValidator`` accepts, so the generator is told about the two
in the answer-file model: scale keys may be written as numbers, and an answer may be a bare key
instead of ``{value, note}``. Blank ``answers:``/``context:`` entries (a fresh template) are null.
"""

from __future__ import annotations

import copy
import importlib
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from slp_assess.models.questionnaire import Questionnaire

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_URL = "https://raw.githubusercontent.com/slp-assess/slp-assess/main/src/slp_assess/schemas/"
SCHEMA_DIR = Path(__file__).parent
ANSWERS_SCHEMA_URL = f"{BASE_URL}answers.schema.json"
NOT_APPLICABLE = "n/a"


class SchemaChoice(StrEnum):
    """The schemas ``slp schema`` can print."""

    QUESTIONNAIRE = "questionnaire"
    ANSWERS = "answers"
    RESULT = "result"
    REPORT = "report"
    MAP = "map"

    def model(self) -> type[BaseModel] | None:
        """The model the schema is generated from; None if this installation has none."""
        match self:
            case SchemaChoice.QUESTIONNAIRE:
                from slp_assess.models.questionnaire import Questionnaire

                return Questionnaire
            case SchemaChoice.ANSWERS:
                from slp_assess.models.answers import AnswerFile

                return AnswerFile
            case SchemaChoice.RESULT:
                from slp_assess.models.results import ScoreResult

                return ScoreResult
            case SchemaChoice.REPORT:
                return _report_model()
            case SchemaChoice.MAP:
                from slp_assess.survey.mapping import ImportMap

                return ImportMap

    @property
    def file_name(self) -> str:
        """Name of the committed file."""
        return f"{self.value}.schema.json"

    @property
    def url(self) -> str:
        """Stable public URL, used as the schema's ``$id``."""
        return BASE_URL + self.file_name


def _report_model() -> type[BaseModel] | None:
    # The report data model arrived after the others; pick it up only where it exists.
    try:
        module = importlib.import_module("slp_assess.models.report")
    except ModuleNotFoundError:
        return None
    model: type[BaseModel] | None = getattr(module, "AggregateReport", None)
    return model


def _generator() -> type[Any]:
    from pydantic.json_schema import GenerateJsonSchema

    from slp_assess.models import answers

    class Generator(GenerateJsonSchema):
        """Knows what the answer-file before-validators accept."""

        def function_before_schema(self, schema: Any) -> Any:
            inner = super().function_before_schema(schema)
            function = schema.get("function", {}).get("function")
            if function is answers._key_as_text:
                return {"anyOf": [inner, {"type": "number"}]}
            if function is answers._answer_as_mapping:
                return {"anyOf": [{"type": ["string", "number"], "minLength": 1}, inner]}
            return inner

    return Generator


def generate(choice: SchemaChoice) -> dict[str, Any]:
    """The JSON Schema of one file format."""
    model = choice.model()
    if model is None:
        raise LookupError(f"this version of slp-assess has no {choice.value} model")
    body = model.model_json_schema(schema_generator=_generator())
    if choice is SchemaChoice.ANSWERS:
        for key in ("answers", "context"):  # blank entries of a template: "not answered yet"
            prop = body["properties"][key]
            prop["additionalProperties"] = {"anyOf": [prop["additionalProperties"], {"type": "null"}]}
            body["properties"][key] = {"anyOf": [prop, {"type": "null"}]}
    return {"$schema": DRAFT, "$id": choice.url, **body}


def available() -> list[SchemaChoice]:
    """Schemas this installation can generate."""
    return [c for c in SchemaChoice if c.model() is not None]


def dumps(schema: dict[str, Any]) -> str:
    """Stable text form: what is committed and what ``slp schema`` prints."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def answers_schema_for(q: Questionnaire, lang: str | None = None) -> dict[str, Any]:
    """The answers schema specialised to one questionnaire, for completion of ids and keys.

    ``answers`` lists every item id (with its question as description); each accepts the keys
    of its scale and ``n/a`` (unless required), bare or as ``{value, note}``. Unknown ids are errors.
    """
    from slp_assess.i18n import pick

    language = lang or q.default_language
    schema = copy.deepcopy(generate(SchemaChoice.ANSWERS))
    schema["$id"] = f"{BASE_URL}answers/{q.id}-{q.version}.schema.json"
    schema["title"] = f"Answers to {q.id} {q.version}"
    props = schema["properties"]
    props["questionnaire"] = {**props["questionnaire"], "enum": [q.id, f"{q.id}@{q.version}"]}  # ID@VERSION: see AnswerFile
    props["version"] = {"anyOf": [{"const": q.version}, *_numeric(q.version)]}
    props["language"] = {"anyOf": [{"enum": list(q.languages)}, {"type": "null"}]}
    items: dict[str, Any] = {}
    for _, item in q.items():
        keys = [o.key for o in q.scales[item.scale].options] + ([] if item.required else [NOT_APPLICABLE])
        value = {"enum": keys + [n for k in keys for n in _numeric(k, as_enum=True)]}
        described = " | ".join(f"{o.key} = {pick(o.label, language)}" for o in q.scales[item.scale].options)
        items[item.id] = {
            "description": f"{pick(item.text, language)}\n{described}",
            "anyOf": [
                value,
                {
                    "type": "object",
                    "properties": {"value": {"anyOf": [value, {"type": "null"}]}, "note": {"type": ["string", "null"]}},
                    "additionalProperties": False,
                },
                {"type": "null"},
            ],
        }
    props["answers"] = {"anyOf": [{"type": "object", "properties": items, "additionalProperties": False}, {"type": "null"}]}
    context: dict[str, Any] = {}
    for question in q.context:
        keys = [o.key for o in question.options]
        one: dict[str, Any] = {"type": "string"} if question.type == "text" else {"enum": keys}
        shape = {"anyOf": [one, {"type": "array", "items": one}]} if question.type == "multiple_choice" else one
        context[question.id] = {"description": pick(question.text, language), "anyOf": [shape, {"type": "null"}]}
    props["context"] = {"anyOf": [{"type": "object", "properties": context, "additionalProperties": False}, {"type": "null"}]}
    return schema


def _numeric(key: str, as_enum: bool = False) -> list[Any]:
    """Hand-written YAML turns ``4`` or ``1.0`` into numbers; the loader accepts them as keys."""
    try:
        number = int(key) if key.isdigit() else float(key)
    except ValueError:
        return []
    if str(number) != key and not (isinstance(number, float) and number.is_integer() and key.endswith(".0")):
        return []
    return [number] if as_enum else [{"const": number}]


def write_all(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Regenerate the committed schema files; returns the files written."""
    written = []
    for choice in available():
        path = folder / choice.file_name
        path.write_text(dumps(generate(choice)), encoding="utf-8")
        written.append(path)
    return written
