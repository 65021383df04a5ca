"""The one function that builds the Jinja environment for a report format.

Bundled templates come from ``templates/``; ``--template-dir`` puts a user folder in front of
them (so one partial can be overridden) and switches to Jinja's immutable sandbox, since user
templates are code we did not write. Whatever a template is given cannot be changed from it (the
text table is a read-only copy, lists and dicts are read-only in the sandbox), ``say()`` fills
only plain ``{name}`` fields, and no template is read from outside the template folders, not
even through a symbolic link.
"""

from __future__ import annotations

import functools
import os
import re
import string
import sys
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

import jinja2
from jinja2 import (
    BaseLoader,
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateRuntimeError,
    TemplateSyntaxError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape
from pydantic import BaseModel

from slp_assess.cache import cache_dir, code_fingerprint
from slp_assess.oneline import bare, quoted
from slp_assess.report import codegen, factorblock, formatting, limits, sectionblocks
from slp_assess.report.limits import MAX_POWER_BITS, refuse_huge_sizes
from slp_assess.report.texts import side, texts
from slp_assess.resources import data_dir


class TemplateFolders(BaseLoader):
    """Templates from the given folders, the first folder that has a name winning.

    A file whose real path (symbolic links resolved) lies outside its folder is refused. The
    loader remembers which file each template name came from, to name it in error messages.
    """

    def __init__(self, folders: list[Path], native: Mapping[str, Callable[..., Any]] | None = None) -> None:
        self.folders = [(FileSystemLoader(str(folder)), os.path.realpath(folder)) for folder in folders]
        self.names: dict[str, str] = {}
        # Templates rendered by a Python function instead (``NATIVE_PARTIALS``): only for
        # the bundled templates, whose files the functions print byte for byte.
        self.native = native or {}

    def load(self, environment: Environment, name: str, globals: MutableMapping[str, Any] | None = None) -> Template:
        """The template ``name``: compiled from its file, or the Python function that renders it."""
        root = self.native.get(name)
        if root is None:
            return super().load(environment, name, globals)
        _, filename, _ = self.get_source(environment, name)
        namespace: dict[str, Any] = {"name": name, "__file__": filename, "root": root, "blocks": {}, "debug_info": ""}
        return environment.template_class._from_namespace(environment, namespace, environment.make_globals(globals))

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        """Source, file name and freshness check of ``template``; TemplateNotFound if no folder has it."""
        for loader, root in self.folders:
            try:
                source, filename, uptodate = loader.get_source(environment, template)
            except TemplateNotFound:
                continue
            assert filename is not None  # a FileSystemLoader always reads a file
            real = os.path.realpath(filename)
            if os.path.commonpath([real, root]) != root:
                raise SecurityError(f"template {quoted(template)} is a link to {bare(real, 4096)}, outside the template folders")
            self.names[filename] = template
            return source, filename, uptodate
        raise TemplateNotFound(template)


_NESTED_FIELD = re.compile(r"\{[^{}]*\{")


class _ReportTemplate(Template):
    """A template whose printed values are escaped by ``formatting.template_escape``.

    Compiled template code calls the ``escape`` it imports from Jinja (markupsafe's) for every
    printed value; this binds the faster equivalent in that code's namespace instead, and what
    code compiled by ``codegen.BundledCodeGenerator`` calls.
    """

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: MutableMapping[str, Any], globals: MutableMapping[str, Any]) -> Template:
        namespace["escape"] = formatting.template_escape
        namespace.update(codegen.namespace_additions(_printer(environment.finalize)))
        if isinstance(environment, _UserTemplateSandbox):
            # "~" compiles to a call of these; the sandbox has no hook of its own for it.
            namespace["str_join"] = limits.bounded_concat(namespace["str_join"], markup=False)
            namespace["markup_join"] = limits.bounded_concat(namespace["markup_join"], markup=True)
        return super()._from_namespace(environment, namespace, globals)


def _printer(finalize: Callable[[Any], Any] | None) -> Callable[[object], Markup]:
    """``escape(finalize(value))``, as an autoescaped template prints a value."""
    if finalize is formatting.finalize_html:
        return formatting.print_html
    return lambda value: formatting.template_escape(finalize(value) if finalize else value)


class _UserTemplateSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, which also hides pydantic's own machinery on our models.

    Templates read fields and the methods our models define; ``model_copy``, ``model_config``
    and the like are not theirs to call. ``"x" * 10**9``, ``9 ** 9 ** 9``, ``"x".ljust(10**9)`` and
    the other ways of ``limits`` are refused before they are computed (ranges are limited by the
    sandbox itself, and time by the renderer).
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        for name in limits.SIZED_FILTERS:
            self.filters[name] = limits.bounded_filter(name, self.filters[name])
        self.filters.update(replace=limits.replace_filter, join=limits.join_filter, sum=limits.sum_filter)
        self.globals["lipsum"] = limits.bounded_lipsum(self.globals["lipsum"])  # type: ignore[arg-type]  # Jinja types its globals as object

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # Jinja asks this of every attribute a template reads, so it is also where the str methods
        # that build by a size are swapped for checked ones.
        formatting_call = super().wrap_str_format(value)
        if formatting_call is None:
            return limits.str_method(value)
        template: str = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            # A width can also come from an argument: "{:>{w}}".format(7, w=10**9).
            nested = _NESTED_FIELD.search(template) is not None
            refuse_huge_sizes("str.format", (template, *((*args, *kwargs.values()) if nested else ())))
            return formatting_call(*args, **kwargs)

        return checked

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            # "%*d" % (10**9, 7) takes its width from the values.
            widths_given = right if isinstance(right, tuple) else (right,)
            refuse_huge_sizes("'%'", (left, *(widths_given if "*" in left else ())))
        elif operator == "+":
            limits.refuse_huge_plus(left, right)
        elif operator == "*":
            for repeated, times in ((left, right), (right, left)):
                if isinstance(repeated, str | list | tuple) and isinstance(times, int):
                    limits.refuse_huge_result("'*'", len(repeated) * times)
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1 and (
            right > MAX_POWER_BITS or right * abs(left).bit_length() > MAX_POWER_BITS
        ):
            raise SecurityError(f"'**' would compute a number of about {right * abs(left).bit_length():,} bits; at most {MAX_POWER_BITS:,} are allowed")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, BaseModel) and hasattr(BaseModel, attr):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))


def fill(sentence: str, values: Mapping[str, object]) -> str:
    """``sentence`` with its ``{name}`` fields replaced by ``values``.

    Unlike ``str.format`` no field can reach into a value (``{a.b}``, ``{a[0]}``) or format it
    (``{a!r}``, ``{a:>9}``), so a text can never run code or read more than it is given.
    """
    parts: list[str] = []
    for literal, field, spec, conversion in _fields(sentence):
        parts.append(literal)
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise SecurityError(f"text field {{{bare(field)}}} is not allowed: only plain {{name}} fields are filled")
        if field not in values:
            raise TemplateRuntimeError(f"say() needs a value for {{{bare(field)}}}")
        parts.append(str(values[field]))
    return "".join(parts)


@functools.lru_cache(maxsize=1024)
def _fields(sentence: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    # A report fills the same few dozen sentences again and again.
    try:
        return tuple(string.Formatter().parse(sentence))
    except ValueError as exc:
        raise SecurityError(f"malformed text {quoted(sentence)}: {exc}") from None


# The bundled partials printed by Python functions (byte for byte what their files print).
NATIVE_PARTIALS: Mapping[str, Callable[..., Any]] = {**factorblock.NATIVE_PARTIALS, **sectionblocks.NATIVE_SECTIONS}


def build_environment(kind: str, lang: str, template_dir: Path | None = None) -> Environment:
    """An environment for ``kind`` ``"html"`` (autoescaped) or ``"md"`` (Markdown-escaped).

    Every printed string is escaped for its format unless a filter marks it safe; numbers and
    dates come out of our own filters and are safe by construction.
    """
    folders = [template_dir] if template_dir else []
    options: dict[str, Any] = {
        "loader": TemplateFolders(folders + [data_dir("templates")], None if template_dir else NATIVE_PARTIALS),
        "undefined": StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "auto_reload": False,
    }
    if kind == "html":
        options["autoescape"] = True
        options["finalize"] = formatting.finalize_html
        escape_value: Callable[[object], str] = formatting.html_escape
    else:
        options["autoescape"] = False
        options["finalize"] = formatting.finalize_markdown
        escape_value = formatting.markdown_escape
    if template_dir is None:
        # Only our own templates are cached compiled; a user's stay in the sandbox, compiled afresh.
        options["bytecode_cache"] = bundled_bytecode_cache(kind)
    env = _UserTemplateSandbox(**options) if template_dir else Environment(**options)
    env.template_class = _ReportTemplate
    if template_dir is None:
        env.code_generator_class = codegen.BundledCodeGenerator

    def safe(function: Callable[..., str]) -> Callable[..., Markup]:
        return lambda *args, **kwargs: formatting.as_markup(function(*args, **kwargs))

    def num(value: float | None, digits: int = 1) -> Markup:
        # Printed some two hundred times a report: one frame, not safe()'s two.
        return formatting.as_markup(formatting.number(value, lang, digits))

    env.filters["num"] = num
    env.filters["signed"] = safe(lambda v, digits=1: formatting.signed(v, lang, digits))
    env.filters["longdate"] = safe(lambda v: str(escape(formatting.long_date(v, lang))))
    env.filters["md"] = safe(formatting.markdown_escape)
    env.filters["css"] = safe(formatting.css_string)
    # A copy behind a read-only view: no template can change the words of another report.
    t = MappingProxyType(dict(texts(lang)))
    # Our own texts are trusted; only HTML needs them escaped (for "&" and quotes).
    sentences = {key: str(escape(text)) for key, text in t.items()} if kind == "html" else dict(t)

    def say(key: str, **values: object) -> Markup:
        if key not in sentences:
            raise TemplateRuntimeError(f"say(): there is no text {quoted(key)}")
        # Values are escaped here, so the sentence can be printed as it is.
        safe_values = {k: v if isinstance(v, Markup) else escape_value(v) for k, v in values.items()}
        return formatting.as_markup(fill(sentences[key], safe_values))

    env.globals.update(t=t, say=say, lang=lang, side=lambda g: side(g.role, g.label, lang))
    return env


def bundled_bytecode_cache(kind: str) -> BytecodeCache | None:
    """Compiled bundled templates kept between runs (see ``slp_assess.cache``); None when the cache is off.

    Jinja checks each entry against the template's source, so an edited template is compiled again.
    Its key is the template's name only, while the code differs with the environment's escaping and
    finalising: each kind (html, md) has a folder of its own.
    """
    # The environment's options and the code generator shape the compiled code.
    code = code_fingerprint("report.environment", "report.codegen")
    if not code:
        return None
    folder = cache_dir(f"templates-{kind}-{_cache_key()}-{code}")
    return FileSystemBytecodeCache(str(folder)) if folder is not None else None


def _cache_key() -> str:
    # Compiled code belongs to one Jinja and one Python version.
    return f"jinja{jinja2.__version__}-py{sys.version_info[0]}{sys.version_info[1]}"


def describe_failure(env: Environment, name: str, exc: BaseException) -> str:
    """One line naming the template file and line where rendering ``name`` failed, and why."""
    names = env.loader.names if isinstance(env.loader, TemplateFolders) else {}
    where = _template_frame(exc.__traceback__, names)
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        where = (exc.filename or exc.name or name, exc.lineno)
    if isinstance(exc, TemplateNotFound):
        reason = f"no template {quoted(exc.name)} in the template folders"
    elif isinstance(exc, TemplateError):
        reason = exc.message or type(exc).__name__
    else:
        reason = f"{type(exc).__name__}: {exc}"
    reason = bare(" ".join(reason.split()), 200)
    if where is None:
        return f"template {name}: {reason}"
    filename, line = where
    shown = names.get(filename, filename)
    return f"template {shown} line {line} ({filename}): {reason}"


def _template_frame(tb: TracebackType | None, names: Mapping[str, str]) -> tuple[str, int] | None:
    # Jinja rewrites tracebacks so that template code appears as frames of the template file at
    # its own line numbers; the innermost such frame is where the template failed.
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in names:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
