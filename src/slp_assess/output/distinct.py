"""Names in a table that can be told apart: different files, different partnerships, different rows.

Two answer files of the same name in different folders (``lindenau/katrin-berger.yaml`` and
``lindenau-2025/katrin-berger.yaml``) are shown by as many trailing path parts as it takes to tell
them apart. A name whose difference would not show is made visible: quoted when it is empty or has
spaces at its ends (``"Lindenau "``), with ``\\x09`` or ``\\u200b`` for a tab or a character that takes no
room, and spelt out as ``\\u00e9`` when two names still look alike (an ``é`` as one character or as ``e`` and an accent).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePath


def short_paths(files: Iterable[str]) -> dict[str, str]:
    """Each file's shortest trailing part (the bare name if it is unique) no other file ends in."""
    parts = {file: PurePath(file).parts or (file,) for file in set(files)}
    depth = dict.fromkeys(parts, 1)
    while True:
        ending_in: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for file, its_parts in parts.items():
            ending_in[its_parts[-depth[file]:]].append(file)
        # A file that is the whole of another's ending (b.yaml and a/b.yaml) stays as it is; the other grows.
        longer = [f for clash in ending_in.values() if len(clash) > 1 for f in clash if depth[f] < len(parts[f])]
        if not longer:
            return {file: str(PurePath(*its_parts[-depth[file]:])) for file, its_parts in parts.items()}
        for file in longer:
            depth[file] += 1


def _escaped(char: str) -> str:
    """A character that shows as nothing, or as some space (a tab), spelt out as the terminal lines spell it."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _quoted_if_needed(name: str) -> str:
    """``name`` with its invisible parts shown: quoted when empty or padded, control and zero-width characters escaped."""
    shown = "".join(_escaped(c) if unicodedata.category(c) in ("Cc", "Cf") else c for c in name)
    # Quoting a name that is already in quotes too keeps a quoted name from passing for a padded one.
    if not shown or shown != shown.strip() or (len(shown) > 1 and shown[0] == shown[-1] == '"'):
        return f'"{shown}"'
    return shown


def distinct_names(names: Iterable[str]) -> dict[str, str]:
    """How to show each name so that different names look different."""
    shown = {name: _quoted_if_needed(name) for name in set(names)}
    looking_alike: dict[str, list[str]] = defaultdict(list)
    for name, text in shown.items():
        looking_alike[unicodedata.normalize("NFKC", text)].append(name)
    for alike in looking_alike.values():
        if len(alike) > 1:
            for name in alike:
                shown[name] = '"' + "".join(c if " " <= c <= "~" else _escaped(c) for c in name) + '"'
    return shown
