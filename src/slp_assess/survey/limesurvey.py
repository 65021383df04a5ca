"""A questionnaire as a LimeSurvey survey structure in tab-separated text (``.txt``).

Built from LimeSurvey's published definition of the format: the manual page "Tab Separated Value
survey structure" (manual.limesurvey.org/Tab_Separated_Value_survey_structure) and the code that
reads and writes it, ``TSVImportSurvey()`` in ``application/helpers/admin/import_helper.php`` and
``tsvSurveyExport()`` in ``application/helpers/export_helper.php`` of the LimeSurvey repository.
The base columns are those ``tsvSurveyExport`` writes; ``assessment_value`` carries an answer's
points. Row classes used: ``S`` (survey setting), ``SL`` (setting per language), ``G`` (group),
``Q`` (question), ``SQ`` (subquestion), ``A`` (answer). The whole structure is written once per
language, the default language first, with the same ids, as the import expects.

Question types: an item is ``O`` ("List with comment": the answer codes, and the comment is the
item's note), a choice context question ``L`` (list), a multiple-choice one ``M`` (one subquestion
per choice), a free-text one ``T``; the header asks ``S`` (short text) for partnership, name and
organisation, ``L`` for the side and ``D`` for the date. Codes: :mod:`slp_assess.survey.fields`.

No LimeSurvey server is run by the tests: they check the columns and row classes against this
definition and read the file back as LimeSurvey's import does (tab-separated, double quotes).
"""

from __future__ import annotations

import csv
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
    SurveyFields,
    safe_name,
    safe_text,
)

# The base columns of tsvSurveyExport(), in its order, plus the answers' assessment value.
COLUMNS = (
    "id", "related_id", "class", "type/scale", "name", "relevance", "text", "help", "language",
    "validation", "mandatory", "other", "default", "same_default", "assessment_value",
)
ROW_CLASSES = ("S", "SL", "G", "Q", "SQ", "A")
_HEADER_TYPES = {PARTNERSHIP: "S", NAME: "S", ORGANISATION: "S", ROLE: "L", DATE: "D"}
_HEADER_TEXTS = {PARTNERSHIP: "assess.prompt.partnership", NAME: "survey.name", ORGANISATION: "survey.organisation", ROLE: "survey.side", DATE: "survey.date"}


def _one_line(text: str) -> str:
    # The format has one record per line; LimeSurvey's own export drops line breaks the same way.
    return safe_text(" ".join(text.replace("\t", " ").split()))


class _Rows:
    """The rows of one language's copy of the structure; ids restart so that every copy has the same."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.rows: list[dict[str, str]] = []
        self.groups = 0
        self.questions = 0

    def group(self, title: str) -> None:
        self.groups += 1
        self.rows.append({"id": str(self.groups), "class": "G", "type/scale": str(self.groups), "name": _one_line(title), "language": self.lang})

    def question(self, kind: str, code: str, text: str, help_text: str = "", mandatory: bool = False) -> str:
        self.questions += 1
        self.rows.append({"id": str(self.questions), "class": "Q", "type/scale": kind, "name": code, "text": _one_line(text),
                          "help": _one_line(help_text), "language": self.lang, "mandatory": "Y" if mandatory else "N",
                          "other": "N", "same_default": "0"})
        return str(self.questions)

    def subquestion(self, code: str, text: str) -> None:
        # Subquestions share the id sequence of questions, as in LimeSurvey's questions table.
        self.questions += 1
        self.rows.append({"id": str(self.questions), "class": "SQ", "name": safe_name(code, "choice code"), "text": _one_line(text),
                          "language": self.lang, "mandatory": "N", "other": "N", "same_default": "0"})

    def answers(self, qid: str, labelled: list[tuple[str, str, float | None]]) -> None:
        for code, label, points in labelled:
            value = str(int(points)) if points is not None and float(points).is_integer() else ""
            self.rows.append({"id": qid, "class": "A", "type/scale": "0", "name": safe_name(code, "answer code"), "text": _one_line(label),
                              "language": self.lang, "assessment_value": value})


def _language_rows(q: Questionnaire, fields: SurveyFields, lang: str) -> list[dict[str, str]]:
    codes = fields.limesurvey_code_of
    out = _Rows(lang)
    out.group(message("survey.about_you", lang))
    for field in HEADER_FIELDS:
        qid = out.question(_HEADER_TYPES[field], codes[("header", field)], message(_HEADER_TEXTS[field], lang), mandatory=field in (PARTNERSHIP, ROLE))
        if field == ROLE:
            side_codes = fields.side_answer_codes()
            out.answers(qid, [(side_codes[s], side_label(s, lang), None) for s in SIDES])
    if q.context:
        out.group(message("assess.context_title", lang))
        for question in q.context:
            kind = {"text": "T", "choice": "L", "multiple_choice": "M"}[question.type]
            qid = out.question(kind, codes[("context", question.id)], pick(question.text, lang), pick(question.help, lang))
            option_codes = fields.context_answer_codes(question)
            if question.type == "choice":
                out.answers(qid, [(option_codes[o.key], pick(o.label, lang), None) for o in question.options])
            elif question.type == "multiple_choice":
                for option in question.options:
                    out.subquestion(option_codes[option.key], pick(option.label, lang))
    for section in q.sections:
        for factor in section.factors:
            out.group(f"{pick(section.title, lang)}: {pick(factor.title, lang)}")
            for item in factor.items:
                help_text = pick(item.help, lang) or (message("survey.critical", lang) if item.critical else "")
                qid = out.question("O", codes[("item", item.id)], pick(item.text, lang), help_text)
                answer_codes = fields.item_answer_codes(item.id)
                labelled: list[tuple[str, str, float | None]] = [(answer_codes[o.key], pick(o.label, lang), o.points) for o in q.scales[item.scale].options]
                if not item.required:
                    labelled.append((answer_codes[NOT_APPLICABLE], message("not_applicable", lang), None))
                out.answers(qid, labelled)
    return out.rows


def survey_rows(q: Questionnaire) -> list[dict[str, str]]:
    """Every row of the structure as column -> value (missing columns are empty)."""
    fields = SurveyFields(q)
    langs = [q.default_language, *(lang for lang in q.languages if lang != q.default_language)]
    rows: list[dict[str, str]] = [
        {"class": "S", "name": "language", "text": langs[0]},
        {"class": "S", "name": "additional_languages", "text": " ".join(langs[1:])},
        {"class": "S", "name": "format", "text": "G"},  # one group per page
    ]
    for lang in langs:
        rows += [
            {"class": "SL", "name": "surveyls_title", "text": _one_line(pick(q.title, lang)), "language": lang},
            {"class": "SL", "name": "surveyls_description", "text": _one_line(pick(q.description, lang)), "language": lang},
        ]
    for lang in langs:
        rows += _language_rows(q, fields, lang)
    return rows


def build_limesurvey(q: Questionnaire) -> bytes:
    """The structure as LimeSurvey's .txt: UTF-8 with a byte order mark, tab-separated, one header line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in survey_rows(q):
        writer.writerow([row.get(c, "") for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
