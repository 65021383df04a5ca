"""Our own templates compile to shorter code (``report.codegen``) and must do exactly what Jinja's would.

Every snippet is rendered twice, by the environment our bundled templates use and by the same
environment with Jinja's own code generator and template class: the text, or the error, must be
the same, for generated values and for every kind of object a template meets (attributes, items,
undefined names, functions that want the context, macros, callers, blocks, imports).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader, Template, pass_context, pass_environment, pass_eval_context
from jinja2.compiler import CodeGenerator
from markupsafe import Markup
from pydantic import BaseModel

from slp_assess.report import codegen
from slp_assess.report.environment import build_environment


@dataclass
class Inner:
    c: Any
    word: str = "<inner>"


class Thing:
    """Attributes, a property that fails as an attribute would, one that fails otherwise, and items."""

    def __init__(self, a: Any) -> None:
        self.a = a
        self.b = Inner({"d": a, "e": Markup("<e>")})

    @property
    def vanishing(self) -> Any:
        raise AttributeError("vanishing")

    @property
    def broken(self) -> Any:
        raise ValueError("broken")

    def __getitem__(self, key: str) -> str:
        if key == "vanishing":
            return "item instead of the attribute"
        raise KeyError(key)

    def method(self, x: Any) -> str:
        return f"method({x})"


class Model(BaseModel):
    name: str
    score: float | None = None


@pass_context
def in_context(context: Any, name: str) -> Any:
    return context.get(name, "<not in the context>")


@pass_environment
def with_environment(environment: Any, value: Any) -> str:
    return f"{type(environment).__name__}:{value}"


@functools.cache
def cached(value: Any) -> str:
    return f"cached({value})"


@functools.cache
@pass_context
def cached_in_context(context: Any, name: str) -> Any:
    return context.get(name)


@pass_eval_context
def with_eval_context(eval_ctx: Any, value: Any) -> str:
    return f"{eval_ctx.autoescape}:{value}"


class ContextCallable:
    @pass_context
    def __call__(self, context: Any, name: str) -> Any:
        return context.get(name)


def stopper() -> None:
    raise StopIteration


def plain(*args: Any, **kwargs: Any) -> str:
    return f"plain{args}{sorted(kwargs.items())}"


def _globals(a: str, b: Markup, c: object) -> dict[str, Any]:
    return {
        "a": a, "b": b, "c": c, "thing": Thing(a), "model": Model(name=a, score=c if isinstance(c, float) else None),
        "d": {"x": a, "items": b, "nested": {"y": c}}, "proxy": MappingProxyType({"key": a, "other": b}),
        "plain": plain, "lam": lambda v: f"<{v}>", "partial": functools.partial(plain, "p"), "in_context": in_context,
        "partial_in_context": functools.partial(in_context), "marked_partial": pass_context(functools.partial(in_context)),
        "cached": cached, "cached_in_context": cached_in_context,
        "with_environment": with_environment, "with_eval_context": with_eval_context, "context_callable": ContextCallable(),
        "stopper": stopper, "markup": Markup, "items": [a, b, c], "rtl": "\u202eevil <b>", "rtl_markup": Markup("\u202e<b>"),
    }


SNIPPETS = [
    "{{ a }}{{ b }}{{ c }}",
    "{{ rtl }}|{{ rtl_markup }}|{{ [rtl] | join }}|{{ thing.a ~ rtl }}",
    "{% set x %}<i>{{ a }}</i>{% endset %}{{ x }}|{{ x | e }}",
    "{{ a | e }}{{ b | safe }}{{ a ~ b }}{{ [a, b] | join(', ') }}",
    "{% macro m(v) %}<{{ v }}>{% endmacro %}{% macro n(v) %}[{{ caller() }}{{ v }}]{% endmacro %}{{ m(a) }}{% call n(b) %}{{ c }}{% endcall %}",
    "{% autoescape false %}{{ a }}{{ thing.a }}{% endautoescape %}{{ a }}",
    "{% autoescape true %}{{ a }}{{ thing.b.word }}{% endautoescape %}",
    "{{ a if c else b }}{{ '%s' | format(a) }}{{ a | replace('<', '&') }}{{ (a ~ b) | length }}",
    "{% for v in [a, b, c] %}{{ loop.index }}{{ v }}{{ loop.cycle('x', 'y') }}{% endfor %}",
    # attributes, items, and the fallback from one to the other
    "{{ thing.a }}|{{ thing.b.c.d }}|{{ thing.b.c.e }}|{{ thing['a'] }}|{{ thing.b['word'] }}|{{ thing.vanishing }}",
    "{{ d.x }}|{{ d.nested.y }}|{{ d['items'] }}|{{ d.items is callable }}|{{ proxy.key }}{{ proxy.other }}",
    "{{ model.name }}|{{ model.score }}|{{ model.name.upper() }}|{{ thing.method(a) }}|{{ a.upper() }}",
    "{{ (thing.b).word }}{{ plain(thing.a, k=thing.b.word).upper() }}{{ items[0] }}{{ items.0 }}",
    "{{ thing.missing is defined }}{{ thing.missing | default('dflt') }}{{ d.absent is defined }}{{ proxy.absent | default(a) }}",
    "{{ thing.missing }}",
    "{{ d.absent.deeper }}",
    "{{ thing.broken }}",
    "{% if thing.missing %}yes{% endif %}",
    # calls: plain functions, lambdas, partials, and those that want the context, environment or eval context
    "{{ plain(a, b, k=c) }}{{ lam(a) }}{{ partial(a) }}{{ markup(a) }}",
    "{{ in_context('a') }}{{ with_environment(a) }}{{ with_eval_context(a) }}{{ context_callable('b') }}",
    "{{ partial_in_context('a') }}",
    "{{ marked_partial('a') }}{{ cached(a) }}{{ cached_in_context('a') }}{% for v in items %}{{ cached_in_context('v') }}{% endfor %}",
    "{% for v in items %}{{ in_context('v') }}{{ plain(v, loop.index) }}{% endfor %}",
    "{% set ns = namespace(n=0) %}{% for v in items %}{% set ns.n = ns.n + 1 %}{{ in_context('ns').n }}{% endfor %}{{ ns.n }}",
    "{{ stopper() is defined }}",
    "{{ stopper() }}",
    "{{ undefined_function(a) }}",
    "{% filter upper %}{{ a }}{{ thing.b.word }}{% endfilter %}",
    "{% with w = thing.b %}{{ w.word }}{{ in_context('w').word }}{% endwith %}",
    "{{ items | map(attribute='real') | list if c is number else '' }}{{ [thing, thing] | map(attribute='a') | join }}",
    # templates of a loader: blocks, inheritance, imports, includes
    "{% extends 'base' %}{% block body %}[{{ super() }}|{{ a }}|{{ in_context('a') }}]{% endblock %}",
    "{% import 'macros' as mx %}{{ mx.shout(a) }}{{ mx.shout(thing.b.word) }}{% from 'macros' import shout %}{{ shout(b) }}",
    "{% include 'part' %}{% for v in items %}{% include 'part' %}{% endfor %}",
]

LOADED = {
    "base": "<{% block body %}base {{ thing.a }}{% endblock %}>{{ self.body() }}",
    "macros": "{% macro shout(v) %}{{ v | upper }}!{{ caller() if caller }}{% endmacro %}",
    "part": "({{ a }}{{ thing.b.word }}{{ in_context('v') }})",
}


def _pair(kind: str) -> tuple[Any, Any]:
    ours = build_environment(kind, "en")
    stock = build_environment(kind, "en")
    stock.code_generator_class = CodeGenerator
    stock.template_class = Template
    for env in (ours, stock):
        env.loader = DictLoader(LOADED)
        env.bytecode_cache = None
    return ours, stock


def _outcome(env: Any, snippet: str, values: dict[str, Any]) -> tuple[str, str]:
    try:
        return "text", env.from_string(snippet).render(values)
    except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
        return type(exc).__name__, str(exc)


ENVIRONMENTS = {kind: _pair(kind) for kind in ("html", "md")}


@pytest.mark.parametrize("kind", ["html", "md"])
@pytest.mark.parametrize("snippet", SNIPPETS)
@settings(max_examples=40, deadline=None)
@given(a=st.text(max_size=12), b=st.text(max_size=12).map(Markup), c=st.one_of(st.integers(), st.none(), st.floats(allow_nan=False)))
def test_our_templates_do_what_jinjas_own_code_does(kind: str, snippet: str, a: str, b: Markup, c: object) -> None:
    ours, stock = ENVIRONMENTS[kind]
    values = _globals(a, b, c)
    assert _outcome(ours, snippet, values) == _outcome(stock, snippet, values)


def test_the_bundled_templates_compile_with_the_shorter_code_and_user_templates_do_not(tmp_path: Any) -> None:
    bundled = build_environment("html", "en")
    source = "{{ r.meta.partnership }}{{ say('x') }}"
    code = bundled.compile(source, raw=True)
    assert f"{codegen.PRINT}(" in code and f"{codegen.CALL}(context, " in code and "environment.getattr(" not in code
    user = build_environment("html", "en", tmp_path)
    code = user.compile(source, raw=True)
    assert codegen.PRINT not in code and codegen.CALL not in code and "environment.getattr(" in code
    template = bundled.get_template("report.html.j2")
    assert template.root_render_func.__globals__[codegen.CALL] is codegen.call_plainly


def test_a_user_template_still_meets_the_sandbox_on_attributes_and_calls(tmp_path: Any) -> None:
    from jinja2.exceptions import SecurityError

    env = build_environment("html", "en", tmp_path)
    for snippet in ("{{ model.model_copy() }}", "{{ thing.__class__.__mro__ }}", "{{ plain.__globals__ }}"):
        with pytest.raises(SecurityError):
            env.from_string(snippet).render(_globals("a", Markup("b"), 1))
