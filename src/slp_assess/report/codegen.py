"""The Python our own templates compile to: Jinja's, with shorter paths for the three commonest steps.

A report prints some four thousand values. For each, Jinja's compiled code calls the environment's
``getattr`` method for every ``a.b`` (a Python frame around the builtin), ``finalize`` and then
``escape`` (two frames), and ``context.call`` for every function call (a frame that asks each
callable how it wants to be called). Together that was about a fifth of the time of rendering a
report, and a portfolio renders hundreds.

``BundledCodeGenerator`` writes the same steps so that the common case stays in bytecode:

- ``a.b`` is the builtin ``getattr(a, "b", missing)``; only when ``a`` has no attribute ``b`` does a
  function look up the item ``a["b"]`` (or return undefined), as ``Environment.getattr`` does;
- a printed value goes through one function (``formatting.print_html`` for HTML) instead of
  ``escape(finalize(...))``;
- a call of a plain Python function (or a partial, or a cached function) without Jinja's
  ``pass_context`` marks is made directly by ``call_plainly``; anything else goes through
  ``context.call`` as before.

The results are Jinja's own: ``tests/test_codegen.py`` renders snippets of every kind both ways
and compares text and errors. Only our own templates are compiled this way; a user's run in the
sandbox, whose checks need Jinja's own paths.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from types import FunctionType
from typing import Any

from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Block, Call, Extends, Getattr, Node, Template

# Names the compiled code finds in its module namespace (see ``namespace_additions``).
MISSING = "_slp_missing"
ITEM_OR_UNDEFINED = "_slp_item_or_undefined"
PRINT = "_slp_print"
CALL = "_slp_call"
# The list the root function of a partial collects its text in.
ROOT_BUFFER = "_slp_out"
# The folder of the templates that are only ever included, and buffered whole.
PARTIALS = "partials/"


class BundledCodeGenerator(CodeGenerator):
    """Jinja's code generator, writing attribute access, printing and calls along their common path."""

    # The body of the partial being compiled, while its root function is still to be written with
    # a buffer (see ``blockvisit``); None once written, and for every other template.
    _buffered_root_body: Any = None

    def visit_Template(self, node: Template, frame: Frame | None = None) -> None:
        # Only partials: a report itself is streamed piece by piece (``render_pieces``), so that one of
        # ten thousand respondents never has to be held whole; a partial is a part of a page.
        buffered = (self.name or "").startswith(PARTIALS) and not (self.environment.is_async or node.find(Extends) or node.find(Block))
        self._buffered_root_body = node.body if buffered else None
        super().visit_Template(node, frame)

    def blockvisit(self, nodes: Iterable[Node], frame: Frame) -> None:
        # Jinja's root function yields every piece of text on its own, and an included template's
        # pieces are yielded once more by a loop in the including one: a report's four thousand
        # pieces passed through two or three generator frames each. The root function of our own
        # partials appends its pieces to a list and yields them joined, once.
        if nodes is not self._buffered_root_body or frame.buffer is not None:
            super().blockvisit(nodes, frame)
            return
        self._buffered_root_body = None
        frame.buffer = ROOT_BUFFER
        self.writeline(f"{ROOT_BUFFER} = []")
        super().blockvisit(nodes, frame)
        self.writeline(f"yield concat({ROOT_BUFFER})")

    def visit_Getattr(self, node: Getattr, frame: Frame) -> None:
        if self.environment.is_async or self.environment.sandboxed:
            super().visit_Getattr(node, frame)
            return
        # The object is evaluated once, kept in _slp_o for the fallback; nested accesses finish
        # theirs before the outer one assigns, so one pair of names serves every level.
        self.write("(_slp_a if (_slp_a := getattr(_slp_o := ")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}, {MISSING})) is not {MISSING} else {ITEM_OR_UNDEFINED}(environment, _slp_o, {node.attr!r}))")

    def _output_child_pre(self, node: Any, frame: Frame, finalize: Any) -> None:
        if self._prints_in_one_call(frame, finalize):
            self.write(f"{PRINT}(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Any, frame: Frame, finalize: Any) -> None:
        if self._prints_in_one_call(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    def _prints_in_one_call(self, frame: Frame, finalize: Any) -> bool:
        return bool(not self.environment.sandboxed and not frame.eval_ctx.volatile and frame.eval_ctx.autoescape
                    and finalize.src == "environment.finalize(")

    _plain_call_next = False

    def visit_Call(self, node: Call, frame: Frame, forward_caller: bool = False) -> None:
        # Jinja writes the call itself (its arguments, and the loop's and block's variables a
        # pass_context function needs, stay exactly Jinja's); only its opening "context.call(" is
        # pointed at call_plainly, by ``write``. Should Jinja ever open a call otherwise, the call
        # stays its own.
        self._plain_call_next = not (self.environment.is_async or self.environment.sandboxed)
        super().visit_Call(node, frame, forward_caller=forward_caller)

    def write(self, x: str) -> None:
        if self._plain_call_next:
            self._plain_call_next = False
            if x == "context.call(":
                x = f"{CALL}(context, "
        super().write(x)


_missing = object()


def item_or_undefined(environment: Any, obj: Any, attribute: str) -> Any:
    """What ``Environment.getattr`` returns once ``obj`` has no attribute ``attribute``."""
    try:
        return obj[attribute]
    except (TypeError, LookupError, AttributeError):
        return environment.undefined(obj=obj, name=attribute)


# Callables whose only way to ask for the context is a mark in their own __dict__ (Jinja's
# ``pass_context`` and the like, also copied there by ``functools.wraps``): a function, a partial
# (its __call__ is a C slot, which cannot carry a mark), a function behind ``functools.lru_cache``.
_PLAIN_CALLABLES = frozenset({FunctionType, functools.partial, type(functools.lru_cache(maxsize=None)(lambda: None))})


def call_plainly(context: Any, obj: Any, *args: Any, **kwargs: Any) -> Any:
    """``context.call(obj, ...)``: a plain function without Jinja's marks is called directly."""
    if type(obj) in _PLAIN_CALLABLES and "jinja_pass_arg" not in obj.__dict__:
        kwargs.pop("_loop_vars", None)
        kwargs.pop("_block_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:
            return context.environment.undefined("value was undefined because a callable raised a StopIteration exception")
    return context.call(obj, *args, **kwargs)


def namespace_additions(print_value: Callable[[object], Any]) -> dict[str, Any]:
    """What the compiled code of ``BundledCodeGenerator`` needs in its module namespace."""
    return {MISSING: _missing, ITEM_OR_UNDEFINED: item_or_undefined, PRINT: print_value, CALL: call_plainly}
