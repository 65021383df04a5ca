"""Keep Python's cyclic garbage collector from walking every loaded answer again and again.

Loading thousands of answer files creates millions of objects that live until the command ends.
The collector examines its young generation every 700 new objects and everything older whenever
that has grown by a quarter; while the files load and again while reports are built and rendered
from them, it walks all of them over and over and frees nothing: at 10,000 respondents about a
third of the time of ``slp report``.

``loading_many_objects`` turns automatic collection off while files load, then moves everything
that exists into the collector's permanent generation (``gc.freeze``), where it is never examined
again. That changes nothing else: reference counting still frees each object as soon as it is no
longer used; only a reference cycle among these objects would stay, and loading and building
reports make none (``tests/test_caches_and_streaming.py``).

The same holds for the command line itself (``starting`` and ``started``): the modules a command
imports make some 40,000 objects the collector tracks and no garbage, and when the interpreter
ends, its last collections walk all of them again: about a fifth of the time of ``slp score ONE``.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading_many_objects() -> Iterator[None]:
    """Automatic collection off inside the block; afterwards what exists is frozen and collection is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def collected_afterwards() -> Iterator[None]:
    """Automatic collection off inside the block, then one collection of the youngest generation.

    For a block that may leave reference cycles behind as garbage (rendering a report through a
    template with macros does: a macro and its template's context refer to each other, and through
    the context to the whole report; the bundled HTML templates have none, the Markdown report and
    user templates may). Left to the automatic collector, the report's objects survive a few
    collections while the report is built and rendered, move to older generations and are freed
    only by full collections; collected here, in one pass over what the block created, they are
    freed as soon as the block ends, each examined once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


def starting() -> None:
    """No automatic collection while the command's modules are imported (see ``started``); at exit,
    what the command kept is frozen, so that the interpreter's last collections do not walk it all again.

    Exit handlers registered before this one, thread joins and the release of every object still
    happen; only an object caught in a reference cycle is not finalised at exit (the command closes
    every file it opens). As an exit handler, not at the end of the command: a program that runs the
    command line in its own process and goes on keeps its collector as it was.
    """
    gc.disable()
    atexit.register(gc.freeze)


def started() -> None:
    """The modules are imported: what they made is frozen, and automatic collection is back on."""
    gc.freeze()
    gc.enable()
