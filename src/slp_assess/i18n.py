"""Texts a workshop participant or planner reads, in German and English.

Questionnaire texts come from the questionnaire files; this table holds the tool's own words.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("de", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "not_applicable": {"de": "kann ich nicht beurteilen", "en": "cannot judge"},
    "no_data": {"de": "keine Daten", "en": "no data"},
    "template.header": {
        "de": "Antwortbogen für {title} ({id}, Version {version})",
        "en": "Answer sheet for {title} ({id}, version {version})",
    },
    "template.howto": {
        "de": "Tragen Sie hinter jeder Frage den Schlüssel einer Antwort ein (z. B. 4) oder n/a für „kann ich nicht beurteilen“.\nLeer gelassene Fragen gelten als unbeantwortet. Eine Anmerkung: {{value: \"4\", note: \"…\"}}",
        "en": "Enter the key of an answer after each question (e.g. 4), or n/a for \"cannot judge\".\nQuestions left blank count as unanswered. With a note: {{value: \"4\", note: \"…\"}}",
    },
    "template.role": {"de": "stadt | land | other", "en": "stadt (city) | land (rural) | other"},
    "template.options": {"de": "Antworten", "en": "Answers"},
    "template.choices": {"de": "Auswahl", "en": "Choices"},
    "template.multiple": {"de": "mehrere möglich, als Liste: [a, b]", "en": "several allowed, as a list: [a, b]"},
    "template.free_text": {"de": "freier Text", "en": "free text"},
    "template.critical": {"de": "Kernfrage", "en": "key question"},
    "template.context": {"de": "Angaben zur Partnerschaft (nicht bewertet)", "en": "About the partnership (not scored)"},
}


def message(key: str, lang: str, **values: object) -> str:
    """A tool text in the language asked for, falling back to English."""
    texts = MESSAGES[key]
    text = texts.get(lang) or texts["en"]
    return text.format(**values)


def pick(text: Mapping[str, str] | None, lang: str, fallback: str = "en") -> str:
    """A questionnaire text in ``lang``; falls back when a user's questionnaire lacks it."""
    if not text:
        return ""
    return text.get(lang) or text.get(fallback) or next(iter(text.values()))
