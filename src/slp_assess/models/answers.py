"""The answer-file format that planners fill by hand and ``slp assess`` writes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from slp_assess.models.questionnaire import NOT_APPLICABLE, split_reference
from slp_assess.oneline import bare, quoted
from slp_assess.sides import OTHER, canonical_side, side_hint


def _key_as_text(value: object) -> object:
    # Hand-written YAML gives `4` as an int; scale keys are strings.
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


ScaleKey = Annotated[str, BeforeValidator(_key_as_text), StringConstraints(min_length=1)]


@dataclass(frozen=True)
class _Contradicted:
    """``version:`` of a file whose ``questionnaire: ID@VERSION`` names another version."""

    named: str
    at: str
    version: str


def _version_as_text(value: object) -> object:
    if isinstance(value, _Contradicted):
        qid = split_reference(value.named)[0]
        raise PydanticCustomError(
            "version_contradicted", "questionnaire {named} names version {at}, the file says {version}",
            {"named": quoted(value.named), "at": quoted(value.at), "version": quoted(value.version),
             "hint": f"write questionnaire: {bare(qid)} and set version: to the version the answers were given to"},
        )
    # `version: 2.0` unquoted is a float in YAML; it means the text "2.0", not "2".
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _side(value: object) -> object:
    if not isinstance(value, str):
        return value
    side = canonical_side(value)
    if side is None:
        raise PydanticCustomError("unknown_side", "unknown side {side}", {"side": quoted(value), "hint": side_hint(value)})
    return side


Side = Annotated[str, BeforeValidator(_side)]


def partnership_name(text: str) -> str:
    """A partnership's name as files are grouped by it and reports show it: white space trimmed, runs of
    it as one space, each umlaut (and any accented letter) one character.

    " Lindenau" typed into one file of six is the same partnership, not a second one of one respondent;
    so is "Müller" written with "u" and a combining diaeresis (as macOS writes file names and some forms
    send it), which looks the same. The file keeps the name as it was typed.
    """
    name = " ".join(text.split())
    return name if name.isascii() else unicodedata.normalize("NFC", name)


# Titles before a name, written without dots and hyphens and casefolded: "Dr.", "Prof. Dr.-Ing.",
# "Dipl.-Ing.". These are never a name of their own.
_TITLES = frozenset({
    "dr", "prof", "professor", "professorin", "doktor", "dipling", "diplkfm", "diplkffr", "diplgeogr", "diplvolksw",
    "drhc", "dring", "drmed", "drphil", "drrernat", "drrerpol", "drjur",
})
# Abbreviations that are titles only when written with a dot ("M.A.", "Mag."): without one, "Ma" or
# "Ing" may be a name.
_DOTTED_TITLES = frozenset({"ma", "ba", "msc", "bsc", "mag", "med", "rer", "nat", "pol", "phil", "jur", "hc", "habil",
                            "ing", "pd", "llm", "mba"})
# Forms of address: left out before a first name, kept before a surname alone ("Frau Berger" and
# "Herr Berger" are two people).
_ADDRESSES = frozenset({"frau", "herr"})
_DOTTED_ADDRESSES = frozenset({"fr", "hr", "mr", "mrs", "ms"})
_ADDRESS_WORDS = {"fr": "frau", "hr": "herr"}


def person_key(name: str | None) -> str:
    """Who answered, as answers of one person are recognised; empty for no name (nameless answers are
    never taken for one person).

    White space, case and Unicode composition do not count, nor do titles before the name ("Dr.
    Katrin Berger"), nor a form of address before a first name ("Frau Katrin Berger"), and "Berger,
    Katrin" is "Katrin Berger". Initials are kept ("K. Berger" and "J. Berger" stay two people), and so
    is the form of address before a surname alone ("Frau Berger" is not "Herr Berger").
    """
    text = " ".join(unicodedata.normalize("NFKC", name or "").split()).casefold()
    if text.count(",") == 1:  # "Berger, Katrin", also "Berger, Dr. Katrin" and "Katrin Berger, M.A."
        last, first = (part.strip() for part in text.split(","))
        text = f"{first} {last}".strip()
    words = text.split()
    address = None
    while len(words) > 1 and (kind := _title_kind(words[0])):
        if kind == "address":
            address = _ADDRESS_WORDS.get(words[0].rstrip("."), words[0].rstrip("."))
        words.pop(0)
    if address is not None and len(words) == 1:
        words.insert(0, address)
    return " ".join(words)


def _title_kind(word: str) -> str | None:
    """"title", "address", or None for a word that is part of the name."""
    bare_word = word.replace(".", "").replace("-", "")
    dotted = "." in word
    if bare_word in _TITLES or (dotted and bare_word in _DOTTED_TITLES):
        return "title"
    if bare_word in _ADDRESSES or (dotted and bare_word in _DOTTED_ADDRESSES):
        return "address"
    return None


class AnswerValue(BaseModel):
    """An answer with a note: ``{value: "4", note: "..."}``; value may be ``n/a``.

    A note without a value (``{note: "..."}``) keeps what a participant said about a question
    not answered yet; the item counts as unanswered.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: ScaleKey | None = None
    note: str | None = None


def _answer_as_mapping(value: object) -> object:
    if isinstance(value, dict):
        return value
    return {"value": value}


Answer = Annotated[AnswerValue, BeforeValidator(_answer_as_mapping)]
ContextAnswer = str | list[str]


class Respondent(BaseModel):
    """Who answered; ``role`` is the side they speak for (see ``slp_assess.sides``).

    Sides are ``stadt``, ``landkreis``, ``gemeinde``, ``land`` (rural, tier not specified) and
    ``other``, written in any case; ``sonstige`` means ``other``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    organisation: str | None = None
    role: Side = OTHER


def _without_version(data: dict[Any, Any], named: str) -> dict[Any, Any]:
    """``questionnaire: slp-readiness@1.0`` read as ``slp-readiness``: everything after reading knows a
    questionnaire by id and version, for scoring, reports, migration and resuming alike.

    The version after ``@`` says ``version:`` once more; when the two differ, ``version:`` is refused.
    """
    qid, at = split_reference(named)
    if at is None:
        return data
    data = {**data, "questionnaire": qid}
    version = _version_as_text(data.get("version"))
    if isinstance(version, str) and version != at:
        data["version"] = _Contradicted(named, at, version)
    return data


class AnswerFile(BaseModel):
    """A filled questionnaire.

    Attributes:
        questionnaire: id of the questionnaire answered; ``ID@VERSION`` (``slp-readiness@1.0``) names
            its version too and must agree with ``version``. Read as the id alone.
        version: its version.
        partnership: name of the partnership assessed.
        respondent: who answered.
        date: when.
        language: language the questions were shown in.
        answers: item id -> scale key, ``n/a``, or ``{value, note}``; absent means unanswered.
        context: context question id -> text or list of choice keys.
    """

    model_config = ConfigDict(extra="forbid")

    questionnaire: Annotated[str, StringConstraints(min_length=1)]
    version: Annotated[str, BeforeValidator(_version_as_text), StringConstraints(min_length=1)]
    partnership: str = ""
    respondent: Respondent = Field(default_factory=Respondent)
    date: dt.date | None = None
    language: str | None = None
    answers: dict[str, Answer] = Field(default_factory=dict)
    context: dict[str, ContextAnswer] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        named = data.get("questionnaire")
        if isinstance(named, str) and "@" in named:
            data = _without_version(data, named)
        # A blank entry (`item.id:` with nothing after it) in a template means "not answered yet".
        for key in ("answers", "context"):
            if isinstance(data.get(key), dict):
                data = {**data, key: {k: v for k, v in data[key].items() if v is not None and v != ""}}
            elif data.get(key) is None and key in data:
                data = {k: v for k, v in data.items() if k != key}
        return data

    def is_not_applicable(self, item_id: str) -> bool:
        """Whether the item was answered ``n/a`` (cannot judge)."""
        answer = self.answers.get(item_id)
        return answer is not None and answer.value == NOT_APPLICABLE
