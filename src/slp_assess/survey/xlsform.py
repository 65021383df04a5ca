"""A questionnaire as an XLSForm, the survey format of KoboToolbox and ODK.

Built from the XLSForm specification (https://xlsform.org/en/): a ``survey`` sheet (type, name,
``label::Deutsch (de)`` per language, ``hint::…`` from an item's help, required, appearance,
default), a ``choices`` sheet (list_name, name, labels) and a ``settings`` sheet (form_title,
form_id, version, default_language). The tests convert the result with pyxform, the reference
converter, and run ODK Validate on it where Java is installed.

Layout: the respondent's header questions first (partnership, name, organisation, side, date),
then the context questions in a group, then one group per factor (``field-list``: one page each),
each item followed by an optional text field for a note. Names are those of
:mod:`slp_assess.survey.fields`, so the response export maps back without configuration.
"""

from __future__ import annotations

import io

from slp_assess.i18n import message, pick, side_label
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.sides import SIDES
from slp_assess.survey.fields import (
    DATE,
    HEADER_FIELDS,
    NAME,
    ORGANISATION,
    PARTNERSHIP,
    ROLE,
    XLSFORM_CONTEXT_GROUP,
    XLSFORM_HEADER,
    XLSFORM_NOTE_SUFFIX,
    safe_name,
    safe_text,
    xml_name,
)
from slp_assess.xlsxsave import save_workbook

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "fr": "Français", "pl": "Polski", "cs": "Čeština", "da": "Dansk", "nl": "Nederlands"}
SIDE_LIST = "slp_side"
_HEADER_TEXTS = {PARTNERSHIP: "assess.prompt.partnership", NAME: "survey.name", ORGANISATION: "survey.organisation", ROLE: "survey.side", DATE: "survey.date"}


def language_column(lang: str) -> str:
    """The XLSForm language of a code: ``Deutsch (de)``, as KoboToolbox writes it."""
    return f"{LANGUAGE_NAMES.get(lang, lang)} ({lang})"


def survey_sheets(q: Questionnaire) -> dict[str, list[dict[str, str]]]:
    """The three sheets as lists of rows (column -> cell); ``build_xlsform`` writes them."""
    langs = q.languages

    def texts(column: str, text: dict[str, str] | None) -> dict[str, str]:
        return {f"{column}::{language_column(lang)}": safe_text(pick(text, lang)) for lang in langs} if text else {}

    def tool_texts(column: str, key: str) -> dict[str, str]:
        return texts(column, {lang: message(key, lang) for lang in langs})

    survey: list[dict[str, str]] = []
    choices: list[dict[str, str]] = []
    for field in HEADER_FIELDS:
        row = {"type": "text", "name": XLSFORM_HEADER[field], **tool_texts("label", _HEADER_TEXTS[field])}
        if field == ROLE:
            row["type"] = f"select_one {SIDE_LIST}"
        if field == DATE:
            row.update(type="date", default="today()")
        if field in (PARTNERSHIP, ROLE, DATE):
            row["required"] = "yes"
        survey.append(row)
    choices += [{"list_name": SIDE_LIST, "name": side, **texts("label", {lang: side_label(side, lang) for lang in langs})} for side in SIDES]

    if q.context:
        survey.append({"type": "begin_group", "name": XLSFORM_CONTEXT_GROUP, **tool_texts("label", "assess.context_title")})
        for n, question in enumerate(q.context, start=1):
            row = {"type": "text", "name": xml_name(question.id), **texts("label", question.text), **texts("hint", question.help)}
            if question.type != "text":
                list_name = f"slp_context_{n}"
                row["type"] = f"{'select_one' if question.type == 'choice' else 'select_multiple'} {list_name}"
                choices += [{"list_name": list_name, "name": safe_name(o.key, "choice key"), **texts("label", o.label)} for o in question.options]
            survey.append(row)
        survey.append({"type": "end_group"})

    lists: dict[tuple[str, bool], str] = {}
    for section in q.sections:
        for factor in section.factors:
            title = {lang: f"{pick(section.title, lang)}: {pick(factor.title, lang)}" for lang in langs}
            survey.append({"type": "begin_group", "name": xml_name(factor.id), "appearance": "field-list", **texts("label", title)})
            for item in factor.items:
                key = (item.scale, not item.required)
                if key not in lists:
                    lists[key] = f"slp_scale_{len(lists) + 1}"
                    options = [(o.key, o.label) for o in q.scales[item.scale].options]
                    if not item.required:
                        options.append((NOT_APPLICABLE, {lang: message("not_applicable", lang) for lang in langs}))
                    choices += [{"list_name": lists[key], "name": safe_name(k, "scale key"), **texts("label", label)} for k, label in options]
                hint = item.help or ({lang: message("survey.critical", lang) for lang in langs} if item.critical else None)
                survey.append({"type": f"select_one {lists[key]}", "name": xml_name(item.id), **texts("label", item.text), **texts("hint", hint)})
                survey.append({"type": "text", "name": xml_name(item.id) + XLSFORM_NOTE_SUFFIX, "appearance": "multiline",
                               **tool_texts("label", "survey.note")})
            survey.append({"type": "end_group"})

    settings = [{
        "form_title": safe_text(pick(q.title, q.default_language)),
        "form_id": q.id,
        "version": q.version,
        "default_language": language_column(q.default_language),
    }]
    return {"survey": survey, "choices": choices, "settings": settings}


def build_xlsform(q: Questionnaire) -> bytes:
    """The questionnaire as an XLSForm workbook (.xlsx); the same questionnaire gives the same bytes."""
    from openpyxl import Workbook  # type: ignore[import-untyped]  # here: `slp score` never pays for it

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in survey_sheets(q).items():
        sheet = workbook.create_sheet(title)
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c, "") for c in columns])
        for cells in sheet.iter_rows():
            for cell in cells:
                cell.data_type = "s"  # text, never a formula, whatever it starts with
    buffer = io.BytesIO()
    save_workbook(workbook, buffer)
    return buffer.getvalue()

