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
from slp_assess.survey.fields import (
    LIMESURVEY_HEADER,
    XLSFORM_CONTEXT_GROUP,
    XLSFORM_HEADER,
    XLSFORM_NOTE_SUFFIX,
    SurveyFields,
    xml_name,
)

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


def kobo_table(q: Questionnaire, people: list[Respondent], separator: str = "/") -> list[list[str]]:
    """Header and rows as KoboToolbox (``/``) or ODK Central (``-``) export a form of `slp export`."""
    fields = SurveyFields(q)
    header = ["start", "end", *XLSFORM_HEADER.values()]
    for question in q.context:
        header.append(f"{XLSFORM_CONTEXT_GROUP}{separator}{xml_name(question.id)}")
        if question.type == "multiple_choice" and separator == "/":
            header += [f"{XLSFORM_CONTEXT_GROUP}/{xml_name(question.id)}/{o.key}" for o in question.options]
    for factor, item in q.items():
        path = f"{xml_name(factor.id)}{separator}{xml_name(item.id)}"
        header += [path, path + XLSFORM_NOTE_SUFFIX]
    header += ["_id", "_uuid", "_submission_time"] if separator == "/" else ["meta-instanceID", "KEY", "SubmitterName"]
    rows = []
    for n, person in enumerate(people):
        a = person.answers
        who = a.respondent
        row = ["2026-03-01T10:00:00", "2026-03-01T10:20:00", a.partnership, who.name or "", who.organisation or "", who.role,
               a.date.isoformat() if a.date else ""]
        for question in q.context:
            value = a.context.get(question.id)
            if question.type == "multiple_choice":
                chosen = value or []
                row.append(" ".join(chosen))
                if separator == "/":
                    row += ["1" if o.key in chosen else "0" for o in question.options]
            else:
                row.append(value or "")
        for _, item in q.items():
            row += list(_value(a, item.id))
        uuid = f"uuid:{n:08d}-0000-4000-8000-000000000000"
        row += [str(1000 + n), uuid, "2026-03-02T08:00:00"] if separator == "/" else [uuid, uuid, "web"]
        rows.append(row)
    assert fields.xlsform_names  # the names above are the ones the importer knows
    return [header, *rows]


def limesurvey_table(q: Questionnaire, people: list[Respondent]) -> list[list[str]]:
    """Header and rows of LimeSurvey's response export (question codes, answer codes)."""
    fields = SurveyFields(q)
    codes = fields.limesurvey_code_of
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", *LIMESURVEY_HEADER.values()]
    for question in q.context:
        code = codes[("context", question.id)]
        if question.type == "multiple_choice":
            header += [f"{code}[{c}]" for c in fields.context_answer_codes(question).values()]
        else:
            header.append(code)
    for _, item in q.items():
        code = codes[("item", item.id)]
        header += [code, f"{code}[comment]"]
    side_codes = fields.side_answer_codes()
    rows = []
    for n, person in enumerate(people):
        a = person.answers
        who = a.respondent
        row = [str(n + 1), "2026-03-02 08:00:00", "9", "de", "12345", a.partnership, who.name or "", who.organisation or "",
               side_codes[who.role], f"{a.date.isoformat()} 00:00:00" if a.date else ""]
        for question in q.context:
            value = a.context.get(question.id)
            option_codes = fields.context_answer_codes(question)
            if question.type == "multiple_choice":
                row += ["Y" if o.key in (value or []) else "" for o in question.options]
            elif question.type == "choice":
                row.append(option_codes[value] if value else "")
            else:
                row.append(value or "")
        for _, item in q.items():
            value, note = _value(a, item.id)
            row += [fields.item_answer_codes(item.id)[value] if value else "", note]
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
