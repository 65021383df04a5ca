"""Write a blank, commented answer file for a questionnaire, ready to fill in by hand."""

from __future__ import annotations

import json
import textwrap

from slp_assess.i18n import message, pick
from slp_assess.models.questionnaire import Questionnaire

_WIDTH = 100


def _comment(text: str, indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, _WIDTH - len(indent) - 2) or [""]
        lines.extend(f"{indent}# {line}".rstrip() for line in wrapped)
    return lines


def _quoted(text: str) -> str:
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(text, ensure_ascii=False)


def answer_template(questionnaire: Questionnaire, lang: str, schema_url: str | None = None) -> str:
    """Return the text of a blank answer file in ``lang``; every question is a comment."""
    q = questionnaire
    out: list[str] = []
    if schema_url:
        out.append(f"# yaml-language-server: $schema={schema_url}")
    title = pick(q.title, lang)
    out += _comment(message("template.header", lang, title=title, id=q.id, version=q.version), "")
    out += _comment(message("template.howto", lang), "")
    out += [
        f"questionnaire: {q.id}",
        f"version: {_quoted(q.version)}",
        'partnership: ""',
        "respondent:",
        '  name: ""',
        '  organisation: ""',
        f"  role: other  # {message('template.role', lang)}",
        "date:",
        f"language: {lang}",
        "answers:",
    ]
    for section in q.sections:
        out.append("")
        out += _comment(f"=== {pick(section.title, lang)} ===")
        for factor in section.factors:
            out += _comment(f"--- {pick(factor.title, lang)} ---")
            for item in factor.items:
                scale = q.scales[item.scale]
                options = ", ".join(f"{o.key} = {pick(o.label, lang)}" for o in scale.options)
                if not item.required:
                    options += f", n/a = {message('not_applicable', lang)}"
                marker = f" [{message('template.critical', lang)}]" if item.critical else ""
                out += _comment(pick(item.text, lang) + marker)
                out += _comment(f"{message('template.options', lang)}: {options}")
                out.append(f"  {item.id}:")
    if q.context:
        out += ["", "context:"]
        out += _comment(f"=== {message('template.context', lang)} ===")
        for question in q.context:
            out += _comment(pick(question.text, lang))
            if question.type == "text":
                out += _comment(f"({message('template.free_text', lang)})")
            else:
                choices = ", ".join(f"{o.key} = {pick(o.label, lang)}" for o in question.options)
                suffix = f" ({message('template.multiple', lang)})" if question.type == "multiple_choice" else ""
                out += _comment(f"{message('template.choices', lang)}{suffix}: {choices}")
            out.append(f"  {question.id}:")
    return "\n".join(out) + "\n"
