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
"""

from __future__ import annotations

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
