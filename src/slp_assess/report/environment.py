"""The one function that builds the Jinja environment for a report format.

Bundled templates come from ``templates/``; ``--template-dir`` puts a user folder in front of
them (so one partial can be overridden) and switches to Jinja's sandbox, since user templates
are code we did not write.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from slp_assess.report import formatting
from slp_assess.report.texts import side, texts
from slp_assess.resources import data_dir


def build_environment(kind: str, lang: str, template_dir: Path | None = None) -> Environment:
    """An environment for ``kind`` ``"html"`` (autoescaped) or ``"md"`` (Markdown-escaped).

    Every printed string is escaped for its format unless a filter marks it safe; numbers and
    dates come out of our own filters and are safe by construction.
    """
    folders = [str(template_dir)] if template_dir else []
    loader = ChoiceLoader([FileSystemLoader(folders + [str(data_dir("templates"))])])
    options: dict[str, Any] = {
        "loader": loader,
        "undefined": StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    if kind == "html":
        options["autoescape"] = True
        escape_value: Callable[[object], str] = escape
    else:
        options["autoescape"] = False
        options["finalize"] = formatting.finalize_markdown
        escape_value = formatting.markdown_escape
    env = SandboxedEnvironment(**options) if template_dir else Environment(**options)

    def safe(function: Callable[..., str]) -> Callable[..., Markup]:
        return lambda *args, **kwargs: Markup(function(*args, **kwargs))

    env.filters["num"] = safe(lambda v, digits=1: formatting.number(v, lang, digits))
    env.filters["signed"] = safe(lambda v, digits=1: formatting.signed(v, lang, digits))
    env.filters["longdate"] = safe(lambda v: str(escape(formatting.long_date(v, lang))))
    env.filters["md"] = safe(formatting.markdown_escape)
    t = texts(lang)

    def say(key: str, **values: object) -> Markup:
        # Values are escaped here, so the sentence can be printed as it is.
        safe_values = {k: v if isinstance(v, Markup) else escape_value(v) for k, v in values.items()}
        # Our own texts are trusted; only HTML needs them escaped (for "&" and quotes).
        sentence = str(escape(t[key])) if kind == "html" else t[key]
        return Markup(sentence.format(**safe_values))

    env.globals.update(t=t, say=say, lang=lang, side=lambda g: side(g.role, g.label, lang))
    return env
