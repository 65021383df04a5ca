"""The map file: how the columns and answer texts of any sheet become answer files.

Written by hand or drafted by ``slp import --suggest-map``::

    questionnaire: slp-readiness
    columns:
      "Name der Partnerschaft": partnership
      "Ihr Name": respondent.name
      "Für welche Seite antworten Sie?": respondent.role
      "Alle Partner haben gleiches Gewicht.": success.eye_level.equal_say   # an item id
      "Anmerkung zur Augenhöhe": note:success.eye_level.equal_say          # the note to an item
      "Welche Herausforderungen?": context.barriers                         # a context question
      "E-Mail": ignore
    values:
      agreement:                  # a scale id: answer text -> scale key
        "stimme voll zu": "5"
      respondent.role:            # the side question: answer text -> side
        "Kreisverwaltung": landkreis
    defaults:
      partnership: Elbtal         # when the sheet has no column for it

Targets are a header field (``partnership``, ``respondent.name``, ``respondent.organisation``,
``respondent.role``, ``date``, ``language``, ``id`` for a submission id), an item id,
``note:<item id>``, a context question id, ``<context id>[<choice key>]`` for a column that ticks
one choice, or ``ignore``. Answer texts that are a scale key or an option label (de or en) need no
entry under ``values``. A target or value left empty (``null``) is an open point: the import
refuses to run until it is filled in.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from slp_assess.models.answers import ScaleKey, Side


def _text_keys(value: Any) -> Any:
    # A sheet's answers are often numbers, and YAML reads `5:` as the number 5.
    if isinstance(value, dict):
        return {(str(int(k)) if isinstance(k, float) and k.is_integer() else str(k)): v for k, v in value.items()}
    return value


TextKeyed = Annotated[dict[str, ScaleKey | None], BeforeValidator(_text_keys)]


class MapDefaults(BaseModel):
    """Header values for every row, used where the sheet has no column (or an empty cell) for them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partnership: str | None = None
    role: Side | None = Field(None, description="A side (stadt, landkreis, gemeinde, land, other) for every respondent.")
    language: str | None = None


class ImportMap(BaseModel):
    """A map from a sheet's columns and answer texts to an answer file.

    Attributes:
        questionnaire: the questionnaire id the map was written for; checked when given.
        columns: column header -> target (see the module documentation); null = not decided yet.
        values: scale id, context question id or ``respondent.role`` -> {answer text -> key}.
        defaults: header values where the sheet has none.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    questionnaire: str | None = None
    columns: Annotated[dict[str, str | None], BeforeValidator(_text_keys)] = Field(default_factory=dict)
    values: dict[str, TextKeyed] = Field(default_factory=dict)
    defaults: MapDefaults = Field(default_factory=MapDefaults)
