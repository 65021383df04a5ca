"""Answer texts -> keys: scale keys, option labels in every language, LimeSurvey codes and a map's entries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from slp_assess.i18n import LANGUAGES, message, side_label
from slp_assess.models.questionnaire import NOT_APPLICABLE
from slp_assess.sides import SIDES, canonical_side
from slp_assess.survey.fields import FORMULA_STARTS, safe_text

_TICKED = {"1", "y", "yes", "ja", "j", "x", "true", "wahr", "✓", "✔"}
_UNTICKED = {"", "0", "n", "no", "nein", "false", "falsch"}


def normal(text: str) -> str:
    """Text compared without case, surrounding spaces or doubled spaces."""
    return " ".join(text.split()).casefold()


class Vocabulary:
    """The texts that mean each key of one answer list.

    Built from the keys themselves, their labels in every language, extra codes (LimeSurvey's
    answer codes) and a map's ``values`` entries (which win). Lookup ignores case and spacing.
    """

    def __init__(self, labelled: Iterable[tuple[str, Mapping[str, str]]], codes: Mapping[str, str] | None = None,
                 extra: Mapping[str, str | None] | None = None) -> None:
        self.keys: list[str] = []
        self.labels: dict[str, str] = {}
        # Texts as written first (the common case, no normalising), then compared without case/spacing.
        self._as_written: dict[str, str] = {}
        for key, label in labelled:
            self.keys.append(key)
            self.labels[key] = next(iter(label.values()), key)
            for text in label.values():
                self._as_written.setdefault(text, key)
                if text.startswith(FORMULA_STARTS):  # as `slp export` wrote it, and the survey tool showed it
                    self._as_written.setdefault(safe_text(text), key)
        for key, code in (codes or {}).items():
            self._as_written.setdefault(code, key)
        self._as_written.update({key: key for key in self.keys})  # a key wins over a label that reads like another key
        self._as_written.update({text: key for text, key in (extra or {}).items() if key is not None})
        self._by_text: dict[str, str] = {}
        for text, key in self._as_written.items():
            self._by_text.setdefault(normal(text), key)
        for text in [*self.keys, *(t for t, k in (extra or {}).items() if k is not None)]:
            self._by_text[normal(text)] = self._as_written[text]

    def key(self, text: str) -> str | None:
        """The key a text means, or None."""
        return self._as_written.get(text) or self._by_text.get(normal(text))

    def texts(self) -> dict[str, str]:
        """Every known text (compared form) with its key."""
        return dict(self._by_text)

    def listing(self) -> str:
        """``1 = trifft gar nicht zu, 2 = …``: what to write instead of an unknown text."""
        return ", ".join(f"{k} = {self.labels[k]}" for k in self.keys)


def scale_vocabulary(options: Iterable[tuple[str, Mapping[str, str]]], allow_na: bool, codes: Mapping[str, str],
                     extra: Mapping[str, str | None] | None) -> Vocabulary:
    """The vocabulary of an item's scale, with ``n/a`` ("kann ich nicht beurteilen") when it is allowed."""
    labelled = list(options)
    if allow_na:
        labelled.append((NOT_APPLICABLE, {lang: message("not_applicable", lang) for lang in LANGUAGES}))
    return Vocabulary(labelled, codes, extra)


def side_vocabulary(codes: Mapping[str, str], extra: Mapping[str, str | None] | None) -> Vocabulary:
    """Sides by their key, their label in German and English, and the side question's answer codes."""
    return Vocabulary(((s, {lang: side_label(s, lang) for lang in LANGUAGES}) for s in SIDES), codes, extra)


def side_of(text: str, vocabulary: Vocabulary) -> str | None:
    """The side a text means: a key, an alias (``Sonstige``, ``Kreis``), a label or a map entry."""
    return vocabulary.key(text) or canonical_side(text)


def ticked(text: str, labels: Iterable[str]) -> bool | None:
    """Whether a one-choice column is ticked (``1``, ``Y``, ``Ja``, ``x``, the choice's label); None if unclear."""
    word = normal(text)
    if word in _TICKED or word in {normal(label) for label in labels}:
        return True
    if word in _UNTICKED:
        return False
    return None


def split_choices(text: str, vocabulary: Vocabulary) -> tuple[list[str], list[str]]:
    """The keys in a multiple-choice cell, and the parts that mean none.

    The whole cell may be one choice; otherwise parts are separated by ``;`` (Microsoft Forms),
    ``,`` or, for KoboToolbox and ODK, spaces between keys.
    """
    whole = vocabulary.key(text)
    if whole is not None:
        return [whole], []
    attempts = [re.split(r"\s*;\s*", text), re.split(r"\s*,\s*", text), text.split()]
    best: tuple[list[str], list[str]] | None = None
    for parts in attempts:
        parts = [p for p in parts if p.strip()]
        keys = [k for p in parts if (k := vocabulary.key(p)) is not None]
        unknown = [p for p in parts if vocabulary.key(p) is None]
        if not unknown:
            return list(dict.fromkeys(keys)), []
        if best is None:
            best = (keys, unknown)
    return best or ([], [])


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d")


def parse_date(text: str) -> dt.date | None:
    """A date as survey tools and spreadsheets write it (ISO, 18.03.2026, 3/18/2026), a time after it ignored."""
    day = re.split(r"[ T]", text.strip(), maxsplit=1)[0]
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(day, pattern).date()
        except ValueError:
            continue
    return None
