"""A seeded generator of respondents and of the response sheets survey tools export for them.

Shapes, as the tools write them for a form made by `slp export`:
- ``kobo``: KoboToolbox CSV/XLSX, XML values and headers, group paths joined by ``/``, a
  multiple choice as one space-separated column plus one 0/1 column per choice, metadata columns;
- ``odk``: ODK Central CSV, group paths joined by ``-``, ``meta-instanceID``;
- ``limesurvey``: LimeSurvey's response export with question codes and answer codes
  (``CODE[comment]`` for a note, ``CODE[SQ]`` = ``Y`` for a ticked choice).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.sides import SIDES

NAMES = ["Anna Weber", "Jürgen Groß", "Émile Dubois", "Ayşe Yılmaz", "Ole Hansen", "Maria Schulz", "Jan Roth", "Lena Koch"]
NOTES = ["Gut; aber \"langsam\"", "Zeile 1\nZeile 2", "Kosten, Nutzen", "ß ä ö ü", "-1 ist kein Minus", "@Kreis fragen", "+ mehr"]


@dataclass
class Respondent:
    """One generated respondent and the answer file that says the same."""

    answers: AnswerFile


def respondents(q: Questionnaire, count: int, seed: int, partnership: str = "Elbtal") -> list[Respondent]:
    """``count`` respondents with random answers, n/a, notes, gaps and context answers."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        answers: dict[str, object] = {}
        for _, item in q.items():
            roll = rng.random()
            if roll < 0.1:
                continue  # unanswered
            keys = [o.key for o in q.scales[item.scale].options] + ([] if item.required else [NOT_APPLICABLE])
            value = rng.choice(keys)
            answers[item.id] = {"value": value, "note": rng.choice(NOTES)} if roll > 0.85 else value
        if not answers:
            first = q.items()[0][1]
            answers[first.id] = q.scales[first.scale].options[0].key
        context: dict[str, object] = {}
        for question in q.context:
            if question.type == "text":
                context[question.id] = rng.choice(NOTES).replace("\n", " ")
            elif question.type == "choice":
                context[question.id] = rng.choice(question.options).key
            else:
                chosen = [o.key for o in question.options if rng.random() < 0.5]
                if chosen:
                    context[question.id] = chosen
        name = f"{rng.choice(NAMES)} {n}" if rng.random() < 0.8 else None
        data = {
            "questionnaire": q.id, "version": q.version, "partnership": partnership,
            "respondent": {"name": name, "organisation": rng.choice([None, "Landratsamt", "Stadt; Amt 61"]), "role": rng.choice(SIDES)},
            "date": dt.date(2026, 3, 1) + dt.timedelta(days=rng.randrange(60)), "answers": answers, "context": context,
        }
        out.append(Respondent(AnswerFile.model_validate(data)))
    return out


def _value(answers: AnswerFile, item_id: str) -> tuple[str, str]:
    answer = answers.answers.get(item_id)
    return ((answer.value or "", answer.note or "") if answer else ("", ""))


def _header_value(answers: AnswerFile, name: str) -> str:
    who = answers.respondent
    return {
        "slp_partnership": answers.partnership, "slp_name": who.name or "", "slp_organisation": who.organisation or "",
        "slp_side": who.role, "slp_date": answers.date.isoformat() if answers.date else "",
    }[name]


def xlsform_questions(form: bytes) -> list[tuple[str, str, str]]:
    """(group path, type, name) of every question of an exported XLSForm, read with openpyxl."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(form))["survey"]
    rows = list(sheet.iter_rows(values_only=True))
    column = {name: i for i, name in enumerate(rows[0])}
    groups: list[str] = []
    out = []
    for row in rows[1:]:
        kind, name = row[column["type"]], row[column["name"]]
        if kind == "begin_group":
            groups.append(name)
        elif kind == "end_group":
            groups.pop()
        else:
            out.append(("/".join(groups), kind, name))
    return out


def kobo_table(form: bytes, q: Questionnaire, people: list[Respondent], separator: str = "/") -> list[list[str]]:
    """Header and rows as KoboToolbox (``/``) or ODK Central (``-``) export responses to the form.

    The columns come from the exported form itself: the question names, with their group path.
    """
    items = q.item_index()
    context = {c.id: c for c in q.context}
    header = ["start", "end"]
    fillers = []
    for path, kind, name in xlsform_questions(form):
        column = f"{path.replace('/', separator)}{separator}{name}" if path else name
        header.append(column)
        if name in items:
            fillers.append(lambda a, name=name: [_value(a, name)[0]])
        elif name.endswith("__note") and name[: -len("__note")] in items:
            fillers.append(lambda a, name=name[: -len("__note")]: [_value(a, name)[1]])
        elif name in context and kind.startswith("select_multiple"):
            keys = [o.key for o in context[name].options]
            if separator == "/":  # KoboToolbox adds a 0/1 column per choice
                header += [f"{column}/{key}" for key in keys]
            fillers.append(lambda a, name=name, keys=keys: [" ".join(a.context.get(name, [])), *(
                ["1" if k in a.context.get(name, []) else "0" for k in keys] if separator == "/" else [])])
        elif name in context:
            fillers.append(lambda a, name=name: [a.context.get(name, "")])
        else:
            fillers.append(lambda a, name=name: [_header_value(a, name)])
    header += ["_id", "_uuid", "_submission_time"] if separator == "/" else ["meta-instanceID", "KEY", "SubmitterName"]
    rows = []
    for n, person in enumerate(people):
        row = ["2026-03-01T10:00:00", "2026-03-01T10:20:00"]
        for fill in fillers:
            row += fill(person.answers)
        uuid = f"uuid:{n:08d}-0000-4000-8000-000000000000"
        row += [str(1000 + n), uuid, "2026-03-02T08:00:00"] if separator == "/" else [uuid, uuid, "web"]
        rows.append(row)
    return [header, *rows]


def limesurvey_questions(structure: bytes, lang: str) -> list[dict[str, object]]:
    """The questions of an exported LimeSurvey structure in one language: code, type, answer and subquestion codes."""
    reader = csv.DictReader(io.StringIO(structure.decode("utf-8-sig")), delimiter="\t")
    questions: list[dict[str, object]] = []
    for row in reader:
        if row["language"] != lang:
            continue
        if row["class"] == "Q":
            questions.append({"code": row["name"], "type": row["type/scale"], "answers": [], "subquestions": []})
        elif row["class"] == "A":
            questions[-1]["answers"].append(row["name"])  # type: ignore[union-attr]
        elif row["class"] == "SQ":
            questions[-1]["subquestions"].append(row["name"])  # type: ignore[union-attr]
    return questions


def limesurvey_table(structure: bytes, q: Questionnaire, people: list[Respondent]) -> list[list[str]]:
    """Header and rows of LimeSurvey's response export (question codes, answer codes) for the structure.

    Questions are matched to the questionnaire by their order in the structure: header, context, items.
    """
    questions = limesurvey_questions(structure, q.default_language)
    names = ["slp_partnership", "slp_name", "slp_organisation", "slp_side", "slp_date"]
    parts = [*names, *(c.id for c in q.context), *(i.id for _, i in q.items())]
    assert len(parts) == len(questions)
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
    for question in questions:
        code = question["code"]
        if question["type"] == "M":
            header += [f"{code}[{sq}]" for sq in question["subquestions"]]  # type: ignore[union-attr]
        else:
            header.append(str(code))
        if question["type"] == "O":
            header.append(f"{code}[comment]")
    context = {c.id: c for c in q.context}
    rows = []
    for n, person in enumerate(people):
        a = person.answers
        row = [str(n + 1), "2026-03-02 08:00:00", "9", "de", "12345"]
        for part, question in zip(parts, questions, strict=True):
            codes: list[str] = question["answers"]  # type: ignore[assignment]
            if part in names:
                value = _header_value(a, part)
                row.append(codes[list(SIDES).index(value)] if part == "slp_side" else (f"{value} 00:00:00" if part == "slp_date" and value else value))
            elif part in context:
                keys = [o.key for o in context[part].options]
                value = a.context.get(part)
                if question["type"] == "M":
                    row += ["Y" if k in (value or []) else "" for k in keys]
                elif question["type"] == "L":
                    row.append(codes[keys.index(value)] if value else "")
                else:
                    row.append(value or "")
            else:
                item = q.item_index()[part]
                keys = [o.key for o in q.scales[item.scale].options] + ([] if item.required else [NOT_APPLICABLE])
                value, note = _value(a, part)
                row += [codes[keys.index(value)] if value else "", note]
        rows.append(row)
    return [header, *rows]


def write_csv(path: Path, table: list[list[str]], delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    """The table as CSV, the way a spreadsheet program saves it."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, table: list[list[str]]) -> Path:
    """The table as a workbook; numbers as numbers, the way a tool's XLSX export has them."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in table:
        sheet.append([int(v) if v.isdigit() and len(v) < 6 else v for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    workbook.save(path)
    return path
