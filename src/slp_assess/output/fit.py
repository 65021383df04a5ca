"""Fit a rich table into the terminal's width: wrap at spaces first, fold long words last, cut nothing.

rich shares out width by itself, but cuts words with "…" and ignores a column's minimum when space
runs out; here the widths are decided up front and given to rich as fixed column widths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

# Narrowest a column is folded to before its words are given up entirely.
FOLD_FLOOR = 4


@dataclass(frozen=True)
class Spec:
    """A column to fit.

    Attributes:
        header: the column's title.
        numeric: right-aligned, and narrowed only as a last resort.
        keep_words: its words (level labels) are folded only when nothing else is left to narrow.
    """

    header: str
    numeric: bool = False
    keep_words: bool = False


def fitted_table(console: Console, specs: Sequence[Spec], rows: Sequence[Sequence[Text]], title: Text | None = None) -> Table:
    """A table of ``rows`` whose every line fits ``console.width``."""
    headers = [Text(spec.header) for spec in specs]
    cells = [[header, *(row[index] for row in rows)] for index, header in enumerate(headers)]
    longest_line = [max(_line_width(cell) for cell in column) for column in cells]
    longest_word = [max(_word_width(cell) for cell in column) for column in cells]
    # Heavy box: a border left of every column and one at the end, one space of padding either side.
    available = max(console.width - (3 * len(specs) + 1), len(specs))
    widths = fit_widths(longest_line, longest_word, specs, available)
    table = Table(
        *(Column(header, width=width, overflow="fold", justify="right" if spec.numeric else "left")
          for header, width, spec in zip(headers, widths, specs, strict=True)),
        title=title, title_justify="left",
    )
    for row in rows:
        table.add_row(*row)
    return table


def fit_widths(longest_line: Sequence[int], longest_word: Sequence[int], specs: Sequence[Spec], available: int) -> list[int]:
    """Content widths summing to at most ``available``: the widest column gives way first.

    First text columns wrap at spaces down to their longest word, then level columns too; then words
    are folded in text columns (not below ``FOLD_FLOOR``), then in level columns, and only then
    anywhere, down to one character.
    """
    widths = [max(1, width) for width in longest_line]
    floors_by_stage = [
        [line if spec.numeric or spec.keep_words else max(1, word) for line, word, spec in zip(widths, longest_word, specs, strict=True)],
        [max(1, word) for word in longest_word],
        [word if spec.numeric or spec.keep_words else min(word, FOLD_FLOOR) for word, spec in zip(longest_word, specs, strict=True)],
        [word if spec.numeric else min(word, FOLD_FLOOR) for word, spec in zip(longest_word, specs, strict=True)],
        [1] * len(specs),
    ]
    for floors in floors_by_stage:
        while sum(widths) > available:
            shrinkable = [index for index, width in enumerate(widths) if width > floors[index]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda index: widths[index])
            widths[widest] -= 1
        if sum(widths) <= available:
            break
    return widths


def _line_width(text: Text) -> int:
    return max((line.cell_len for line in text.split("\n")), default=0)


def _word_width(text: Text) -> int:
    return max((Text(word).cell_len for word in text.plain.split()), default=0)
