"""Report models built from values the code has just computed itself, without validating them again.

A partnership's report is some 500 small frozen models. Validating each costs more than computing
what goes in it, though every value comes from code (scores already rounded, counts, texts of a
checked questionnaire) and is of its field's type by construction. ``made(Model, **values)`` gives
what ``Model(**values)`` gives without that cost: the same ``__dict__`` (every field, in the
model's order; fields left out take their default), the same fields marked as set (those given),
no extra or private values. It is pydantic's ``model_construct`` without its per-field Python loop,
which makes that one slower than validating.

What validation would have done, the caller does: each value of its field's exact type (a float
field gets a float, never an int; a list field gets a list of its own, never a tuple or a list
another model holds; a model field an instance of that model). ``tests/test_report_building.py``
builds generated reports both ways and compares them type for type. Models with validators, private
attributes or ``model_post_init`` are refused, since those would be skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__
_MISSING = object()


class _Fields:
    """A model's fields as ``made`` fills them: defaults in field order, and what must be given."""

    __slots__ = ("defaults", "factories", "names", "required")

    def __init__(self, cls: type[BaseModel]) -> None:
        decorators = cls.__pydantic_decorators__
        checks = (decorators.validators, decorators.field_validators, decorators.root_validators,
                  decorators.model_validators)
        if any(checks) or cls.__pydantic_post_init__ or cls.__private_attributes__ or cls.__pydantic_root_model__ \
                or cls.model_config.get("extra") == "allow":
            raise TypeError(f"{cls.__name__} has validators, private attributes or extra fields: validate it")
        self.defaults: dict[str, Any] = {}
        self.factories: dict[str, Callable[[], Any]] = {}
        self.required: set[str] = set()
        self.names = list(cls.__pydantic_fields__)
        for name, field in cls.__pydantic_fields__.items():
            self.defaults[name] = _MISSING
            if field.default_factory is not None:
                self.factories[name] = field.default_factory  # type: ignore[assignment]
            elif field.is_required() or not _immutable(field.default):
                self.required.add(name)
            else:
                self.defaults[name] = field.default


def _immutable(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


_fields: dict[type[BaseModel], _Fields] = {}


def made(cls: type[Model], /, **values: Any) -> Model:
    """``cls(**values)`` without validation, for values of their fields' exact types (see the module)."""
    fields = _fields.get(cls)
    if fields is None:
        fields = _fields[cls] = _Fields(cls)
    if list(values) == fields.names:
        data = values  # every field, in the model's order: already what validation would keep
    else:
        data = fields.defaults.copy()
        data.update(values)
        if len(data) != len(fields.names) or not fields.required <= values.keys():
            unknown = sorted(values.keys() - fields.defaults.keys())
            missing = sorted(fields.required - values.keys())
            raise TypeError(f"{cls.__name__}: unknown fields {unknown}, missing fields {missing}")
        if fields.factories and not fields.factories.keys() <= values.keys():
            for name, factory in fields.factories.items():
                if name not in values:
                    data[name] = factory()
    model = _new(cls)
    _set(model, "__dict__", data)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model
