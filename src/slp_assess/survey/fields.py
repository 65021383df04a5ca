"""Every name a survey tool sees, derived from the questionnaire in one place.

The export writes these names and the import reads them back, so an export of ``slp export``
maps back to item ids without configuration. Two naming schemes:

* XLSForm (KoboToolbox, ODK): the item id is the question ``name`` (an XML name; an id starting
  with a digit gets a leading ``_``); the note to an item is ``<name>__note``; the choice names
  are the scale keys and ``n/a``; the header questions are ``slp_partnership``, ``slp_name``,
  ``slp_organisation``, ``slp_side`` and ``slp_date``.
* LimeSurvey: question codes must start with a letter, hold only letters and digits and have at
  most 20 characters; answer codes at most 5 letters or digits. See ``limesurvey_code`` and
  ``answer_codes`` for the rules; ``docs/import-export.en.md`` lists them with examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from slp_assess.errors import UsageError
from slp_assess.models.questionnaire import NOT_APPLICABLE, ContextQuestion, Questionnaire
from slp_assess.oneline import quoted
from slp_assess.sides import SIDES

# Header fields of an answer file a survey asks for, in the order asked.
PARTNERSHIP, NAME, ORGANISATION, ROLE, DATE, LANGUAGE = (
    "partnership", "respondent.name", "respondent.organisation", "respondent.role", "date", "language",
)
HEADER_FIELDS = (PARTNERSHIP, NAME, ORGANISATION, ROLE, DATE)
XLSFORM_HEADER = {PARTNERSHIP: "slp_partnership", NAME: "slp_name", ORGANISATION: "slp_organisation", ROLE: "slp_side", DATE: "slp_date"}
LIMESURVEY_HEADER = {PARTNERSHIP: "SLPpartnership", NAME: "SLPname", ORGANISATION: "SLPorganisation", ROLE: "SLPside", DATE: "SLPdate"}
XLSFORM_NOTE_SUFFIX = "__note"
XLSFORM_CONTEXT_GROUP = "slp_context"
# LimeSurvey's limits (application/models/Question.php and Answer.php rules, questions.title varchar(20)).
LIMESURVEY_CODE_MAX = 20
LIMESURVEY_ANSWER_MAX = 5
_LIMESURVEY_RESERVED = {"LANG", "SID", "SAVEDID", "TOKEN", "QID", "GID", "SGQ", "self", "that", "this", "time"}
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_ALNUM = re.compile(r"^[A-Za-z0-9]+$")


@dataclass(frozen=True)
class Target:
    """Where a column's values go in an answer file.

    Attributes:
        kind: ``header`` (a field of the file), ``item`` (an answer), ``note`` (the note to an
            answer), ``context`` (a context answer), ``option`` (one choice of a multiple-choice
            context question, as a column of its own), ``ignore``.
        id: the header field, item id or context question id.
        option: the choice key, for ``option``.
    """

    kind: str
    id: str = ""
    option: str | None = None

    def spelled(self) -> str:
        """How a map file writes this target."""
        match self.kind:
            case "note":
                return f"note:{self.id}"
            case "option":
                return f"{self.id}[{self.option}]"
            case "ignore":
                return "ignore"
            case _:
                return self.id


IGNORE = Target("ignore")


def xml_name(identifier: str) -> str:
    """An XLSForm name for an id: the id itself, with ``_`` in front when it starts with a digit."""
    return identifier if _NCNAME.match(identifier) else f"_{identifier}"


def limesurvey_code(identifier: str, taken: set[str]) -> str:
    """A LimeSurvey question code for an id: its parts in CamelCase, leading parts dropped to fit.

    ``success.eye_level.equal_say`` -> ``SuccessEyeLevelEqualSay`` is 23 characters, so the first
    part goes: ``EyeLevelEqualSay``. What still does not fit is cut to 20 characters; a code already
    taken ends in a number instead. A code starting with a digit gets a ``Q`` in front.
    """
    parts = [p for p in re.split(r"[._\-]+", identifier) if p]
    words = ["".join(ch for ch in p if ch.isalnum() and ch.isascii()).capitalize() for p in parts]
    words = [w for w in words if w] or ["Q"]
    while len(words) > 1 and len("".join(words)) > LIMESURVEY_CODE_MAX:
        words = words[1:]
    base = "".join(words)
    if base[0].isdigit():
        base = "Q" + base
    base = base[:LIMESURVEY_CODE_MAX]
    code, n = base, 2
    while code in taken or code in _LIMESURVEY_RESERVED:
        suffix = str(n)
        code, n = base[: LIMESURVEY_CODE_MAX - len(suffix)] + suffix, n + 1
    taken.add(code)
    return code


def answer_codes(keys: Iterable[str], subquestion: bool = False) -> dict[str, str]:
    """LimeSurvey codes for answer keys: the key itself where it is 1-5 letters or digits, else ``A<n>``.

    ``n/a`` becomes ``NA``. Subquestion codes (choices of a multiple-choice question) may be up to
    20 characters. Codes are unique within the list (``A<n>`` counts up past those taken).
    """
    limit = LIMESURVEY_CODE_MAX if subquestion else LIMESURVEY_ANSWER_MAX
    keys = list(keys)
    fitting = {k for k in keys if _ALNUM.match(k) and len(k) <= limit and k not in _LIMESURVEY_RESERVED}
    taken = {k.lower() for k in fitting}
    codes: dict[str, str] = {}
    for position, key in enumerate(keys, start=1):
        if key in fitting:
            codes[key] = key
            continue
        candidate = "NA" if key == NOT_APPLICABLE else f"A{position}"
        n = position
        while candidate.lower() in taken:
            n += 1
            candidate = f"A{n}"
        taken.add(candidate.lower())
        codes[key] = candidate
    return codes


class SurveyFields:
    """The names of one questionnaire's survey fields in XLSForm and LimeSurvey, both ways."""

    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.context = {c.id: c for c in q.context}

    def scale_keys(self, item_id: str) -> list[str]:
        """Answer keys of an item, with ``n/a`` unless the item is required."""
        item = self.q.item_index()[item_id]
        keys = [o.key for o in self.q.scales[item.scale].options]
        return keys if item.required else [*keys, NOT_APPLICABLE]

    # --- XLSForm ---
    @cached_property
    def xlsform_names(self) -> dict[str, Target]:
        """Question name -> target, for every question the XLSForm asks."""
        names: dict[str, Target] = {XLSFORM_HEADER[f]: Target("header", f) for f in HEADER_FIELDS}
        for _, item in self.q.items():
            names[xml_name(item.id)] = Target("item", item.id)
        for _, item in self.q.items():
            names.setdefault(xml_name(item.id) + XLSFORM_NOTE_SUFFIX, Target("note", item.id))
        for question in self.q.context:
            names.setdefault(xml_name(question.id), Target("context", question.id))
        self._check_unique(names, len(HEADER_FIELDS) + 2 * len(self.q.items()) + len(self.q.context), "XLSForm names")
        return names

    @cached_property
    def xlsform_groups(self) -> set[str]:
        """Group names, which KoboToolbox and ODK put in front of question names in their exports."""
        return {xml_name(f.id) for _, f in self.q.factors()} | {XLSFORM_CONTEXT_GROUP}

    # --- LimeSurvey ---
    @cached_property
    def limesurvey_codes(self) -> dict[str, Target]:
        """Question code -> target, in survey order."""
        taken = set(LIMESURVEY_HEADER.values())
        codes: dict[str, Target] = {LIMESURVEY_HEADER[f]: Target("header", f) for f in HEADER_FIELDS}
        for question in self.q.context:
            codes[limesurvey_code(question.id, taken)] = Target("context", question.id)
        for _, item in self.q.items():
            codes[limesurvey_code(item.id, taken)] = Target("item", item.id)
        return codes

    @cached_property
    def limesurvey_code_of(self) -> dict[tuple[str, str], str]:
        """(kind, id) -> question code."""
        return {(t.kind, t.id): code for code, t in self.limesurvey_codes.items()}

    def item_answer_codes(self, item_id: str) -> dict[str, str]:
        """Scale key (and ``n/a``) -> LimeSurvey answer code for an item."""
        return answer_codes(self.scale_keys(item_id))

    def context_answer_codes(self, question: ContextQuestion) -> dict[str, str]:
        """Choice key -> answer code (``choice``) or subquestion code (``multiple_choice``)."""
        return answer_codes((o.key for o in question.options), subquestion=question.type == "multiple_choice")

    @staticmethod
    def side_answer_codes() -> dict[str, str]:
        """Side -> answer code of the side question."""
        return answer_codes(SIDES)

    @staticmethod
    def _check_unique(names: dict[str, Target], expected: int, what: str) -> None:
        if len(names) != expected:
            raise UsageError(f"the questionnaire's ids give clashing {what}: rename ids that end in '__note' or start with 'slp_'")


# A spreadsheet program reads a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(text: str) -> str:
    """A questionnaire text for a spreadsheet cell: a leading ``'`` where it would read as a formula.

    This is OWASP's advice for CSV injection and what LimeSurvey's own export does (``MaskFormula``).
    """
    text = _CONTROL.sub("", text)  # XML, and so .xlsx, cannot hold control characters
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def safe_name(name: str, what: str) -> str:
    """A name or key for a spreadsheet cell; one that would read as a formula cannot be exported."""
    if name.startswith(FORMULA_STARTS):
        raise UsageError(f"{what} {quoted(name)} starts with {quoted(name[0])}, which spreadsheet programs read as a formula: rename it to export")
    return name
