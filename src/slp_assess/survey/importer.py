"""Rows of a response sheet -> answer files, with every problem located by row and column.

Nothing is dropped silently: columns that go nowhere are listed (an error with ``strict``), an
unknown answer text, a formula, an empty row in the middle or a respondent given twice is a
problem naming its row and column, and one problem anywhere means no file is written at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from slp_assess.errors import InvalidInputError, Problem
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.oneline import bare, dotted, listed, quoted
from slp_assess.sides import side_hint
from slp_assess.survey.columns import SUBMISSION_ID, Binding, bind, where
from slp_assess.survey.fields import DATE, LANGUAGE, NAME, ORGANISATION, PARTNERSHIP, ROLE, SurveyFields, Target
from slp_assess.survey.mapcheck import check_values
from slp_assess.survey.mapping import ImportMap
from slp_assess.survey.responses import Formula, Sheet
from slp_assess.survey.values import Vocabulary, parse_date, scale_vocabulary, side_of, side_vocabulary, split_choices, ticked
from slp_assess.yamlio import YamlDocument


@dataclass
class ImportedRow:
    """One respondent: the sheet row and the answer file made from it."""

    row: int
    answers: AnswerFile


@dataclass
class ImportResult:
    """What an import made of a sheet.

    Attributes:
        rows: one answer file per respondent, in sheet order (empty when each went to ``on_row``).
        unmapped: columns that go nowhere (not imported).
        metadata: survey-tool columns skipped (timestamps, device, status).
        without_column: item ids no column answers (left unanswered in every file).
    """

    source: str
    rows: list[ImportedRow] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)
    without_column: list[str] = field(default_factory=list)


class _Converter:
    """Turns rows into answer files for one sheet, questionnaire and binding, collecting problems."""

    def __init__(self, sheet: Sheet, q: Questionnaire, binding: Binding, import_map: ImportMap | None) -> None:
        self.sheet, self.q, self.binding = sheet, q, binding
        self.map = import_map or ImportMap()
        self.fields = SurveyFields(q)
        self.items = q.item_index()
        self.problems: list[Problem] = []
        values = self.map.values
        self.sides = side_vocabulary(self.fields.side_answer_codes(), values.get(ROLE))
        self.item_vocabulary: dict[str, Vocabulary] = {}
        for _, item in q.items():
            scale = q.scales[item.scale]
            codes = self.fields.item_answer_codes(item.id)
            self.item_vocabulary[item.id] = scale_vocabulary(((o.key, o.label) for o in scale.options), not item.required, codes, values.get(item.scale))
        self.context_vocabulary = {
            c.id: Vocabulary(((o.key, o.label) for o in c.options), self.fields.context_answer_codes(c), values.get(c.id)) for c in q.context
        }
        self.last_header: dict[str, Any] = {}
        self.header_columns = {t.id: i for i, t in enumerate(binding.targets) if t is not None and t.kind == "header"}
        self.option_labels: dict[tuple[str, str | None], list[str]] = {}
        self.used = [(i, t, self.item_vocabulary[t.id] if t.kind == "item" else None)
                     for i, t in enumerate(binding.targets) if t is not None and t.kind != "ignore"]

    def problem(self, row: int, index: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(str(self.sheet.path), None, message, hint, where(self.sheet, index, row)))

    def convert(self, row: int, cells: list[str]) -> AnswerFile | None:
        header: dict[str, Any] = {}
        self.last_header = header  # who the row is, also when it has problems: a duplicate is still found
        answers: dict[str, dict[str, str]] = {}
        context: dict[str, Any] = {}
        before = len(self.problems)
        for index, target, vocabulary in self.used:
            cell = cells[index]
            if not cell:
                continue
            if isinstance(cell, Formula):
                self.problem(row, index, f"a formula ({quoted(cell)}); slp import never evaluates formulas", "copy the column and paste it as values")
            elif vocabulary is not None and (key := vocabulary.key(cell)) is not None:
                answers.setdefault(target.id, {})["value"] = key  # the common case, kept short: an item's answer
            else:
                self._cell(row, index, target, cell, header, answers, context)
        self._required_header(row, cells)
        if len(self.problems) > before:
            return None
        if not any(a.get("value") for a in answers.values()):
            self.problems.append(Problem(str(self.sheet.path), None, "no answer to any question (an empty or test submission?)",
                                         "delete the row, or fill in its answers", f"row {row}"))
            return None
        defaults = self.map.defaults
        role, partnership = header.get(ROLE) or defaults.role, header.get(PARTNERSHIP) or defaults.partnership
        if role is None or partnership is None:
            return None  # no column and no default: the sheet's "missing column" problem says so once
        data = {
            "questionnaire": self.q.id, "version": self.q.version,
            "partnership": partnership,
            "respondent": {"name": header.get(NAME), "organisation": header.get(ORGANISATION), "role": role},
            "date": header.get(DATE), "language": header.get(LANGUAGE) or defaults.language,
            "answers": {i: answers[i] for i in self.items if i in answers},
            "context": {c.id: context[c.id] for c in self.q.context if c.id in context},
        }
        try:
            return AnswerFile.model_validate(data)
        except ValidationError as exc:  # the checks above should leave nothing; if one slips, a row problem, not a traceback
            for error in exc.errors():
                self.problems.append(Problem(str(self.sheet.path), None, f"{dotted(error['loc'])}: {error['msg']}", "", f"row {row}"))
            return None

    def _required_header(self, row: int, cells: list[str]) -> None:
        # An empty side or partnership cell is a gap in the sheet (in .xlsx also the lower rows of a
        # merged cell), not a respondent of side "other" in a partnership without a name.
        defaults = self.map.defaults
        merged = "; in .xlsx, a merged cell holds its text in its first row only" if self.sheet.dialect.startswith("xlsx") else ""
        for name, what, default, fill in ((ROLE, "the side", defaults.role, "fill in the side (stadt, landkreis, gemeinde, land, other)"),
                                          (PARTNERSHIP, "the partnership", defaults.partnership, "fill in the partnership's name")):
            index = self.header_columns.get(name)
            if index is not None and not default and not cells[index].strip():
                self.problem(row, index, f"{what} is required ({name}): the cell is empty", f"{fill}, or set defaults.{name.split('.')[-1]} in a map{merged}")

    def _cell(self, row: int, index: int, target: Target, cell: str, header: dict[str, Any],
              answers: dict[str, dict[str, str]], context: dict[str, Any]) -> None:
        def fail(message: str, hint: str = "") -> None:
            self.problem(row, index, message, hint)

        match target.kind:
            case "item":
                vocabulary = self.item_vocabulary[target.id]
                key = vocabulary.key(cell)
                if key is None:
                    fail(f"unknown answer {quoted(cell)} for item {quoted(target.id)}",
                         f"use one of: {vocabulary.listing()}; or add it under values.{self.items[target.id].scale} in a map")
                else:
                    answers.setdefault(target.id, {})["value"] = key
            case "note":
                answers.setdefault(target.id, {})["note"] = cell
            case "context":
                self._context(target.id, cell, context, fail)
            case "option":
                assert target.option is not None  # every "option" target names its option (survey.columns)
                state = ticked(cell, self._option_labels(target.id, target.option))
                if state is None:
                    fail(f"{quoted(cell)} is neither ticked nor empty for choice {quoted(target.option)} of {quoted(target.id)}", "write 1 or leave it empty")
                elif state:
                    chosen = context.setdefault(target.id, [])
                    if target.option not in chosen:
                        chosen.append(target.option)
            case _:
                self._header(target.id, cell, header, fail)

    def _option_labels(self, question_id: str, option: str) -> list[str]:
        # Asked for every 0/1 cell of a multiple choice (a dozen per row): built once per choice.
        labels = self.option_labels.get((question_id, option))
        if labels is None:
            question = self.fields.context[question_id]
            labels = self.option_labels[question_id, option] = [label for o in question.options if o.key == option for label in o.label.values()]
        return labels

    def _context(self, question_id: str, cell: str, context: dict[str, Any], fail: Callable[[str, str], None]) -> None:
        question = self.fields.context[question_id]
        vocabulary = self.context_vocabulary[question_id]
        if question.type == "text":
            context[question_id] = cell
        elif question.type == "choice":
            key = vocabulary.key(cell)
            if key is None:
                fail(f"unknown choice {quoted(cell)} for {quoted(question_id)}", f"use one of: {vocabulary.listing()}; or add it under values.{question_id} in a map")
            else:
                context[question_id] = key
        else:
            keys, unknown = split_choices(cell, vocabulary)
            if unknown:
                fail(f"unknown choice(s) {listed(unknown)} for {quoted(question_id)}", f"use: {vocabulary.listing()}; or add them under values.{question_id} in a map")
            else:
                chosen = context.setdefault(question_id, [])
                chosen += [k for k in keys if k not in chosen]

    def _header(self, name: str, cell: str, header: dict[str, Any], fail: Callable[[str, str], None]) -> None:
        if name == ROLE:
            side = side_of(cell, self.sides)
            if side is None:
                fail(f"unknown side {quoted(cell)}", f"{side_hint(cell)}; or add it under values.respondent.role in a map")
            header[ROLE] = side
        elif name == DATE:
            day = parse_date(cell)
            if day is None:
                fail(f"{quoted(cell)} is not a date", "write it as 2026-03-18 or 18.03.2026")
            header[DATE] = day
        elif name == LANGUAGE:
            language = cell.strip().lower()[:2]
            header[LANGUAGE] = language if language in self.q.languages else None
        else:
            header[name] = " ".join(cell.split()) if name != SUBMISSION_ID else cell


def import_sheet(sheet: Sheet, q: Questionnaire, import_map: ImportMap | None = None,
                 map_doc: YamlDocument | None = None, strict: bool = False,
                 on_row: Callable[[ImportedRow], None] | None = None, incomplete: bool = False) -> ImportResult:
    """Convert every row; raise InvalidInputError with every problem of the sheet (and map) at once.

    A LimeSurvey response that was never submitted (its ``submitdate`` empty) is a problem of its row
    unless ``incomplete``: it may stop after any page, and a half-filled questionnaire would count
    as a whole respondent.

    ``on_row``, when given, receives each converted row instead of ``ImportResult.rows``: a caller
    that only writes the files keeps their text, not 10,000 parsed answer files (a few hundred MB).
    Rows reach it before every row is checked, so it must not write anything yet.
    """
    binding = bind(sheet, q, import_map, map_doc)
    problems = list(binding.problems)
    path = str(sheet.path)
    result = ImportResult(path, metadata=binding.metadata)
    result.unmapped = [c for c, t in zip(sheet.columns, binding.targets, strict=True) if t is None and c not in binding.metadata]
    bound = {(t.kind, t.id) for t in binding.targets if t is not None}
    if not binding.columns_of("item") and import_map is None:
        raise InvalidInputError([Problem(path, None, f"no column matches a question of {quoted(q.id)}: not an export of `slp export {q.id}`",
                                         f"draft a map with: slp import {sheet.path.name} --questionnaire {q.id} --suggest-map map.yaml", "row 1")])
    defaults = (import_map or ImportMap()).defaults
    for name, what, default in ((ROLE, "the respondent's side", defaults.role), (PARTNERSHIP, "the partnership", defaults.partnership)):
        if ("header", name) not in bound and not default:
            problems.append(Problem(path, None, f"missing column for {what} ({name})", f"add the column, map one to {name}, or set defaults in a map", "row 1"))
    for _, item in q.items():
        if ("item", item.id) not in bound:
            result.without_column.append(item.id)
            if item.required:
                problems.append(Problem(path, None, f"missing column for the required item {quoted(item.id)}", "add the column, or map one to it", "row 1"))
    if strict:
        problems += [Problem(path, None, "not imported: no question matches this column (--strict)", "map it in a map file, or write it as ignore", where(sheet, i))
                     for i, t in enumerate(binding.targets) if t is None and sheet.columns[i] not in binding.metadata]
    problems += [Problem(path, None, f"{count} cells, the header has {len(sheet.columns)} (a delimiter inside an unquoted cell?)",
                         "quote the cell or export the sheet again", f"row {row}") for row, count in sheet.ragged]
    problems += [Problem(path, None, f"one cell where the header has {len(sheet.columns)}: is this row separated by {quoted(delimiter)}?",
                         "save the whole sheet again with one delimiter", f"row {row}") for row, delimiter in sheet.misdelimited]
    map_problems = binding.problems + (check_values(import_map, q, map_doc) if import_map is not None else [])
    if map_problems:
        # A wrong map would make every row it touches a wrong answer file or a row problem: the map first.
        raise InvalidInputError(sorted(problems + map_problems[len(binding.problems):], key=_position))
    broken = {row for row, _ in sheet.misdelimited} | {row for row, _ in sheet.ragged}
    converter = _Converter(sheet, q, binding, import_map)
    last = max((n for n, (_, cells) in enumerate(sheet.rows) if any(cells)), default=-1)
    if last < 0:
        problems.append(Problem(path, None, "no responses below the header row", "export the responses again", "row 2"))
    seen: dict[tuple[str, ...], int] = {}
    id_column = next((i for i, t in enumerate(binding.targets) if t == Target("header", SUBMISSION_ID)), None)
    submitted = None if incomplete else next((i for i, c in enumerate(sheet.columns) if c.strip().lower() == "submitdate"), None)
    for row, cells in sheet.rows[: last + 1]:
        if not any(cells):
            problems.append(Problem(path, None, "empty row between responses", "delete the row", f"row {row}"))
            continue
        if row in broken:
            continue
        if submitted is not None and not cells[submitted].strip():
            problems.append(Problem(path, None, "an incomplete response: it was never submitted (no submitdate)",
                                    "export completed responses only, or import it as it is with --incomplete", where(sheet, submitted, row)))
        answers = converter.convert(row, cells)
        for key, shown in _identities(converter.last_header, defaults.partnership, cells, id_column):
            if key in seen:
                problems.append(Problem(path, None, f"the same respondent as row {seen[key]} ({shown})", "delete one of the two rows", f"row {row}"))
                break
            seen[key] = row
        if answers is not None:
            (on_row or result.rows.append)(ImportedRow(row, answers))
    problems += converter.problems
    if problems:
        raise InvalidInputError(sorted(problems, key=_position))
    return result


def _identities(header: dict[str, Any], default_partnership: str | None, cells: list[str],
                id_column: int | None) -> list[tuple[tuple[str, ...], str]]:
    """What makes a row the same respondent as another: its submission id, or its name in its partnership.

    Read from the row's header cells, not its answer file: a row with a problem has none, and its
    duplicate is reported in the same run.
    """
    keys: list[tuple[tuple[str, ...], str]] = []
    if id_column is not None and cells[id_column].strip():
        keys.append((("submission", cells[id_column].strip()), f"submission {bare(cells[id_column].strip())}"))
    name = header.get(NAME)
    partnership = header.get(PARTNERSHIP) or default_partnership or ""
    if name:
        shown = f"{bare(name)}, {bare(partnership)}" if partnership else bare(name)
        keys.append((("name", partnership.casefold(), name.casefold()), shown))
    return keys


def _position(problem: Problem) -> tuple[int, int, str]:
    # Sheet order: row, then column letter length and letters (B before AA); map problems first.
    location = problem.location
    if not location.startswith("row "):
        return (0, 0, location)
    row_text, _, column = location[4:].partition(", column ")
    letters = column.split(" ", 1)[0]
    return (int(row_text), len(letters), letters)
