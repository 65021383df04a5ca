"""The German and English pages of docs/ say the same: the same commands, options, fields and numbers."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p.name.removesuffix(".de.md") for p in DOCS.glob("*.de.md"))

# Example names a page translates; everything else in backticks is the same in both languages.
GERMAN_EXAMPLES = {
    "mein-fragebogen.yaml antworten/": "my-questionnaire.yaml answers/",
    "mein-fragebogen.yaml": "my-questionnaire.yaml",
    "antworten-2026/ --previous antworten-2025/": "answers-2026/ --previous answers-2025/",
    "bericht.pdf": "report.pdf",
    "1 − Antwortwert": "1 − item score",
    "ANTWORTEN.(csv|xlsx) --questionnaire ID -o ORDNER/": "RESPONSES.(csv|xlsx) --questionnaire ID -o FOLDER/",
    "zuordnung.yaml": "map.yaml",
    "slp report antworten/": "slp report answers/",
    "antworten/2025/": "answers/2025/",
    "antworten/2026/": "answers/2026/",
}


def _prose(text: str) -> str:
    return re.sub(r"```.*?```", "", text, flags=re.S)


def _code(text: str, german: bool) -> Counter[str]:
    spans = [" ".join(s.split()) for s in re.findall(r"`([^`]+)`", _prose(text))]
    if german:
        for de, en in GERMAN_EXAMPLES.items():
            spans = [s.replace(de, en) for s in spans]
    return Counter(spans)


def _blocks(text: str, german: bool) -> list[str]:
    """Commands in the shell and YAML examples, without their comments (which are translated)."""
    lines = []
    for block in re.findall(r"```(?:sh|yaml)\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            code = re.sub(r"\s+#.*$", "", line).rstrip()
            if code and not code.lstrip().startswith("#"):
                lines.append(code)
    joined = "\n".join(lines)
    if german:
        for de, en in GERMAN_EXAMPLES.items():
            joined = joined.replace(de, en)
    return re.sub(r"\{de: [^{}]*?, en: [^{}]*?\}", "{de: …, en: …}", joined).splitlines()


def _numbers(text: str, german: bool) -> Counter[str]:
    prose = re.sub(r"`[^`]*`", "", _prose(text))
    prose = re.sub(r"\]\([^)]*\)", "]", prose)  # link targets
    found = []
    for number in re.findall(r"\d+(?:[.,]\d+)*", prose):
        if german and re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+", number):
            number = number.replace(".", "").replace(",", ".")
        elif not german and re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number):
            number = number.replace(",", "")
        found.append(number)
    return Counter(found)


@pytest.mark.parametrize("page", PAGES)
def test_both_languages_name_the_same_commands_options_and_fields(page):
    german = (DOCS / f"{page}.de.md").read_text(encoding="utf-8")
    english = (DOCS / f"{page}.en.md").read_text(encoding="utf-8")
    de, en = _code(german, True), _code(english, False)
    assert de - en == Counter() and en - de == Counter(), (sorted(de - en), sorted(en - de))
    assert _blocks(german, True) == _blocks(english, False)


@pytest.mark.parametrize("page", PAGES)
def test_both_languages_state_the_same_numbers(page):
    german = (DOCS / f"{page}.de.md").read_text(encoding="utf-8")
    english = (DOCS / f"{page}.en.md").read_text(encoding="utf-8")
    de, en = _numbers(german, True), _numbers(english, False)
    # The German page writes ±1,000,000 as "zwischen −1.000.000 und 1.000.000"; the report's German words
    # quoted on the English page ("aus Sicht von Landkreis 25,0") keep their decimal comma.
    assert set(de - en) <= {"1000000", "25.0"} and set(en - de) <= {"25,0"}, (de - en, en - de)


def test_every_page_has_both_languages():
    english = sorted(p.name.removesuffix(".en.md") for p in DOCS.glob("*.en.md"))
    assert PAGES == english and len(PAGES) >= 4
