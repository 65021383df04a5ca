"""Which column of a response sheet goes where: recognised without configuration, or by a map.

Recognised without a map: the names of the XLSForm export as KoboToolbox and ODK write them
(``success.eye_level.equal``, with group paths such as ``success.eye_level/…`` or ODK Central's
``success.eye_level-…``; a multiple choice also as one 0/1 column per choice), the question codes of
the LimeSurvey export (``DiscoveryGoalsShared``, ``…[comment]``, ``ContextBarriers[konkurrenz]``,
or with ``_`` instead of brackets), and the metadata columns these tools add.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from slp_assess.errors import Problem
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.oneline import quoted
from slp_assess.survey.fields import HEADER_FIELDS, IGNORE, LANGUAGE, SurveyFields, Target
from slp_assess.survey.mapping import ImportMap
from slp_assess.survey.responses import Sheet, column_letter
from slp_assess.yamlio import YamlDocument

SUBMISSION_ID = "id"
# Columns survey tools add to every export (KoboToolbox, ODK Central, LimeSurvey, Microsoft Forms).
_METADATA = {
    "start", "end", "today", "deviceid", "username", "simserial", "subscriberid", "phonenumber", "audit", "__version__",
    "meta/instancename", "meta/rootuuid", "meta/deprecatedid", "formhub/uuid", "meta-instancename",
    "submissiondate", "submitterid", "submittername", "attachmentspresent", "attachmentsexpected", "status", "reviewstate",
    "edits", "formversion", "submitdate", "lastpage", "seed", "token", "startdate", "datestamp", "ipaddr", "refurl",
    "interviewtime", "start time", "email", "last modified time", "startzeit", "e-mail", "zeitpunkt der letzten änderung",
}
_SUBMISSION_IDS = {"_uuid", "meta/instanceid", "instanceid", "meta-instanceid", "key", "id"}
_LANGUAGE_COLUMNS = {"startlanguage"}


@dataclass
class Binding:
    """The columns of a sheet and where each goes.

    Attributes:
        targets: per column, its target, or None when nothing matches.
        metadata: columns of survey-tool metadata, skipped.
        problems: problems of the map file (unknown targets, open points, columns not in the sheet).
    """

    targets: list[Target | None]
    metadata: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def columns_of(self, kind: str) -> list[int]:
        """Indexes of the columns with targets of this kind."""
        return [i for i, t in enumerate(self.targets) if t is not None and t.kind == kind]


def where(sheet: Sheet, index: int, row: int = 1) -> str:
    """``row 5, column C ("Frage 1")``: what a person finds in the spreadsheet."""
    return f"row {row}, column {column_letter(index)} ({quoted(sheet.columns[index])})"


class ColumnMatcher:
    """Recognises the columns of the exports of ``slp export`` for one questionnaire."""

    def __init__(self, q: Questionnaire) -> None:
        self.fields = SurveyFields(q)
        self.context = self.fields.context
        self.codes = self.fields.limesurvey_codes
        self.names = self.fields.xlsform_names

    def target(self, column: str) -> Target | None:
        """The target of a column of an export of ours, or None."""
        if column in self.names:
            return self.names[column]
        if column in self.codes:
            return self.codes[column]
        found = self._limesurvey_part(column) or self._with_group_path(column)
        if found is not None:
            return found
        lowered = column.lower()
        if lowered in _SUBMISSION_IDS:
            return Target("header", SUBMISSION_ID)
        if lowered in _LANGUAGE_COLUMNS:
            return Target("header", LANGUAGE)
        return None

    def is_metadata(self, column: str) -> bool:
        """Whether a column is one survey tools add (timestamps, device, status, timings)."""
        lowered = column.lower()
        return lowered in _METADATA or column.startswith("_") or lowered.endswith("time") and column[:-4] in self.codes

    def _limesurvey_part(self, column: str) -> Target | None:
        match = re.fullmatch(r"([A-Za-z][A-Za-z0-9]*)(?:\[([A-Za-z0-9]+)\]|_([A-Za-z0-9]+))", column)
        if match is None or match.group(1) not in self.codes:
            return None
        base, part = self.codes[match.group(1)], match.group(2) or match.group(3)
        if base.kind == "item" and part == "comment":
            return Target("note", base.id)
        if base.kind == "context" and self.context[base.id].type == "multiple_choice":
            by_code = {code: key for key, code in self.fields.context_answer_codes(self.context[base.id]).items()}
            if part in by_code:
                return Target("option", base.id, by_code[part])
        return None

    def _with_group_path(self, column: str) -> Target | None:
        # KoboToolbox writes group/name, ODK Central group-name; the leftmost cut gives the longest name.
        for position, char in enumerate(column):
            if char in "/-" and (found := self._name_or_choice(column[position + 1:])) is not None:
                return found
        return None

    def _name_or_choice(self, rest: str) -> Target | None:
        if rest in self.names:
            return self.names[rest]
        question, slash, key = rest.rpartition("/")
        target = self.names.get(question) if slash else None
        if target is not None and target.kind == "context" and self.context[target.id].type == "multiple_choice":
            if key in {o.key for o in self.context[target.id].options}:
                return Target("option", target.id, key)
        return None


def parse_target(text: str, q: Questionnaire) -> Target | str:
    """A map file's target, or the reason it is not one."""
    items = q.item_index()
    context = {c.id: c for c in q.context}
    if text == "ignore":
        return IGNORE
    if text in (*HEADER_FIELDS, LANGUAGE, SUBMISSION_ID):
        return Target("header", text)
    if text.startswith("note:"):
        item_id = text[5:]
        return Target("note", item_id) if item_id in items else f"unknown item id {quoted(item_id)}{_guess(item_id, list(items))}"
    if text in items:
        return Target("item", text)
    if text in context:
        return Target("context", text)
    if (match := re.fullmatch(r"(.+)\[(.+)\]", text)) and match.group(1) in context:
        question = context[match.group(1)]
        keys = [o.key for o in question.options]
        if question.type == "multiple_choice" and match.group(2) in keys:
            return Target("option", question.id, match.group(2))
        return f"{quoted(match.group(2))} is not a choice of the multiple-choice question {quoted(question.id)}{_guess(match.group(2), keys)}"
    known = [*HEADER_FIELDS, LANGUAGE, SUBMISSION_ID, *items, *context]
    return f"unknown target {quoted(text)}{_guess(text, known)}; use an item id, note:<item id>, a context question id, a header field or ignore"


def _guess(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.75)
    return f" (did you mean {quoted(close[0])}?)" if close else ""


def bind(sheet: Sheet, q: Questionnaire, import_map: ImportMap | None, map_doc: YamlDocument | None) -> Binding:
    """Where each column goes: the map's entries first, then what is recognised without one."""
    matcher = ColumnMatcher(q)
    binding = Binding([None] * len(sheet.columns))
    position = {name: i for i, name in enumerate(sheet.columns)}
    if import_map is not None:
        map_file = map_doc.path if map_doc else "map"
        for header, text in import_map.columns.items():
            line = map_doc.line_of(("columns", header)) if map_doc else None
            if text is None:
                binding.problems.append(Problem(map_file, line, f"column {quoted(header)} has no target yet (UNMATCHED)",
                                                "write an item id, note:<item id>, a context question id, a header field or ignore"))
                continue
            target = parse_target(text.strip(), q)
            if isinstance(target, str):
                binding.problems.append(Problem(map_file, line, f"column {quoted(header)}: {target}"))
            elif header not in position:
                close = difflib.get_close_matches(header, sheet.columns, n=1, cutoff=0.75)
                hint = f"did you mean {quoted(close[0])}?" if close else "check the header in the sheet, or remove the entry from the map"
                binding.problems.append(Problem(str(sheet.path), None, f"missing column {quoted(header)} (named in {map_file} line {line})", hint, "row 1"))
            else:
                binding.targets[position[header]] = target
    for index, column in enumerate(sheet.columns):
        if binding.targets[index] is not None:
            continue
        binding.targets[index] = matcher.target(column)
        if binding.targets[index] is None and matcher.is_metadata(column):
            binding.metadata.append(column)
    binding.problems += _same_target(sheet, binding.targets, {h: map_doc.line_of(("columns", h)) if map_doc else None
                                                              for h in (import_map.columns if import_map else {})})
    return binding


def _same_target(sheet: Sheet, targets: list[Target | None], map_lines: dict[str, int | None]) -> list[Problem]:
    """Two columns for one target: which one's answer counts would depend on the column order."""
    first: dict[Target, int] = {}
    problems: list[Problem] = []
    for index, target in enumerate(targets):
        # Several submission ids are what ODK Central writes (meta-instanceID and KEY): one suffices.
        if target is None or target == IGNORE or target == Target("header", SUBMISSION_ID):
            continue
        if target not in first:
            first[target] = index
            continue
        mapped = [f"{quoted(name)} in the map line {map_lines[name]}" for name in (sheet.columns[first[target]], sheet.columns[index]) if map_lines.get(name)]
        by = f" ({', '.join(mapped)})" if mapped else ""
        problems.append(Problem(str(sheet.path), None, f"this column and column {column_letter(first[target])} ({quoted(sheet.columns[first[target]])}) "
                                f"both go to {target.spelled()}{by}", "map one of them to ignore in a map file, or delete it", where(sheet, index)))
    return problems
