"""Seeded generator of answer files with one character placed in a chosen kind of position.

Shared by the differential and hostile-input tests. A generated text marks every place a character
may go with ``⟦slot⟧``; ``inject`` puts the character into one place of the chosen slot kind and
removes the other marks.
"""

from __future__ import annotations

import random
import re
import unicodedata

SLOTS = (
    "key", "plain", "single", "double", "flow_plain", "flow_single", "flow_double", "comment", "indent",
    "separator", "line_end", "blank", "sequence", "file_start", "file_end",
)
# ⟦slot⟧ marks a place; ⟦slot| ⟧ a place whose text (a space) the character replaces.
_MARK = re.compile("\u27e6([a-z_]+)(?:\\|([^\u27e7]*))?\u27e7")

# Every code point YAML or Python treats specially, and a few ordinary ones.
SPECIAL_CODE_POINTS = sorted(
    {
        *range(0x00, 0x20), 0x7F, *range(0x80, 0xA0),  # C0 (with tab, LF, CR), DEL, C1 (with NEL)
        *range(0x20, 0x7F),  # every printable ASCII character, YAML's indicators among them
        0xA0, 0xAD, 0x034F, 0x061C, 0x1680, 0x180E, *range(0x2000, 0x2010), 0x2028, 0x2029, 0x202F,
        0x205F, 0x2060, 0x3000, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0xE000, 0xF8FF,  # spaces, breaks, formats, BOM, ...
        0xD800, 0xDBFF, 0xDC00, 0xDFFF,  # lone surrogates: only as text, a file with them is not UTF-8
        0xE4, 0xDF, 0x201E, 0x201C, 0x2013, 0x20AC, 0x0301, 0x0660, 0xFF11, 0x2460,  # German text, marks, digits
        0x1F600, 0x1D11E, 0xE0001, 0xF0000, 0x10FFFF,  # astral: emoji, symbol, tag character, private, noncharacter
    }
)


def random_code_point(rng: random.Random) -> int:
    """Any code point; one in four from an ordinary Unicode category, to cover the vetted set well."""
    while True:
        code = rng.randrange(0x110000) if rng.random() < 0.75 else rng.randrange(0x3400)
        if rng.random() < 0.25 or unicodedata.category(chr(code))[0] in "LMNPS":
            return code


def _mark(slot: str, replaces: str = "") -> str:
    return f"\u27e6{slot}|{replaces}\u27e7" if replaces else f"\u27e6{slot}\u27e7"


def _unmark(match: re.Match[str]) -> str:
    return match.group(2) or ""


def _within(rng: random.Random, text: str, slot: str) -> str:
    cut = rng.choice((0, len(text) // 2, len(text)))
    return text[:cut] + _mark(slot) + text[cut:]


def _scalar(rng: random.Random, text: str, flow: bool = False, plain_ok: bool = True) -> str:
    plain_ok = plain_ok and not (flow and "," in text)
    style = rng.choice(("plain", "single", "double") if plain_ok else ("single", "double"))
    slot = f"flow_{style}" if flow else style
    inner = _within(rng, text, slot)
    if style == "single":
        return f"'{inner}'"
    if style == "double":
        return f'"{inner}"'
    return inner


def _key(rng: random.Random, key: str) -> str:
    return _within(rng, key, "key") if rng.random() < 0.5 else key


def _sep(rng: random.Random) -> str:
    return rng.choice((":" + _mark("separator") + " ", ": " + _mark("separator"), ": "))


def _eol(rng: random.Random) -> str:
    return rng.choice(("", _mark("line_end"), f"  # Anmerkung{_mark('comment')}", f" #{_mark('comment')}"))


def _pad(rng: random.Random, indent: int) -> str:
    if indent and rng.random() < 0.3:
        return " " * (indent - 1) + _mark("indent", " ")  # the character takes the place of a space
    return " " * indent + (_mark("indent") if indent and rng.random() < 0.2 else "")


NOTES = ["Eher selten.", "Im Lenkungskreis besprochen, noch offen", "Hängt von der Förderung ab – „bald“", "ok"]
DATES = ["2026-03-18"] * 6 + ["'2026-03-18'", "2026-3-8", "2026-02-30"]
AGREEMENT = ['"4"', "'2'", "3", "n/a", "'1'", "5", ""]
ANSWERS = {  # mini's items and values on their scales; now and then a value off the scale
    "success.eye_level.equal_say": AGREEMENT,
    "success.eye_level.city_dominates": AGREEMENT,
    "success.leadership.anchored": ['"yes"', "partly", "'no'", "n/a", '"yes"', "partly", "'no'", "4"],
    "financing.transparency.costs": AGREEMENT,
    "financing.transparency.benefits": ['"4"', "'2'", "3", "1"],
}


def answer_text(rng: random.Random) -> str:
    """A `mini` answer file in varied styles, with ⟦slot⟧ marks."""
    ind = rng.choice((2, 4))
    lines: list[str] = []
    add = lines.append
    if rng.random() < 0.1:
        add("---")
    if rng.random() < 0.5:
        add(f"# Selbsteinschätzung{_mark('comment')}")
    add(f"{_key(rng, 'questionnaire')}{_sep(rng)}{_scalar(rng, 'mini')}{_eol(rng)}")
    add(f"version{_sep(rng)}{_scalar(rng, '1.0', plain_ok=False)}{_eol(rng)}")
    add(f"{_key(rng, 'partnership')}{_sep(rng)}{_scalar(rng, 'Stadt Lindenau')}{_eol(rng)}")
    if rng.random() < 0.5:
        add(f"respondent: {{name: {_scalar(rng, 'Anna Weber', flow=True)}, {_key(rng, 'role')}: stadt}}{_eol(rng)}")
    else:
        add("respondent:")
        add(f"{_pad(rng, ind)}name{_sep(rng)}{_scalar(rng, 'Anna Weber')}{_eol(rng)}")
        add(f"{_pad(rng, ind)}{_key(rng, 'organisation')}{_sep(rng)}{_scalar(rng, 'Stadt')}{_eol(rng)}")
    if rng.random() < 0.7:
        add(f"date{_sep(rng)}{rng.choice(DATES)}{_eol(rng)}")
    add(f"answers:{_eol(rng)}")
    for item, values in ANSWERS.items():
        value = rng.choice(values)
        note = rng.choice(NOTES)
        shape = rng.random()
        pad = _pad(rng, ind)
        if shape < 0.4:
            add(f"{pad}{_key(rng, item)}{_sep(rng)}{value}{_eol(rng)}")
        elif shape < 0.75:
            add(f"{pad}{item}: {{value: {value or 'n/a'}, {_key(rng, 'note')}: {_scalar(rng, note, flow=True)}}}{_eol(rng)}")
        else:
            add(f"{pad}{item}:{_eol(rng)}")
            add(f"{_pad(rng, 2 * ind)}value{_sep(rng)}{value or 'n/a'}{_eol(rng)}")
            add(f"{_pad(rng, 2 * ind)}note{_sep(rng)}{_scalar(rng, note)}{_eol(rng)}")
        if rng.random() < 0.15:
            add(rng.choice(("", _mark("blank"), f"{' ' * ind}# {_mark('comment')}", f"{' ' * ind}{_mark('blank')}")))
    add("context:")
    add(f"{_pad(rng, ind)}context.stage{_sep(rng)}{_scalar(rng, rng.choice(('umsetzung', 'findung')))}{_eol(rng)}")
    partners = rng.random()
    if partners < 0.5:
        add(f"{_pad(rng, ind)}context.partners{_sep(rng)}{_scalar(rng, 'Lindenau, Auental')}{_eol(rng)}")
    elif partners < 0.75:
        add(f"{_pad(rng, ind)}context.partners: [{_scalar(rng, 'Lindenau', flow=True)}, Auental]{_eol(rng)}")
    else:
        add(f"{_pad(rng, ind)}context.partners:")
        item_pad = " " * rng.choice((ind, 2 * ind))
        for name in ("Lindenau", "Auental"):
            add(f"{item_pad}-{rng.choice((' ', ' ' + _mark('sequence'), _mark('sequence') + ' '))}{_scalar(rng, name)}")
    lines.extend(_beyond_the_line_reader(rng))
    if rng.random() < 0.1:
        add(rng.choice(("...", "# Ende")))
    text = "\n".join(lines) + rng.choice(("\n", "", "\n\n"))
    return _mark("file_start") + text + _mark("file_end")


def _beyond_the_line_reader(rng: random.Random) -> list[str]:
    """Sometimes a construct only libyaml reads, so the fast path's libyaml stage is compared too."""
    extra = rng.random()
    if extra < 0.85:
        return []
    return [rng.choice((
        "language: &lang de",
        "language: !!str de",
        "language: |\n  de",
        "language: \"d\\u0065\"",
        "language: >-\n  d\n  e",
        "language: d\n  e",
        "? language\n: de",
        "language: [de,\n  en]",
    ))]


def inject(rng: random.Random, text: str, slot: str, insert: str) -> str | None:
    """The text with ``insert`` at one mark of this slot kind and no other marks; None if it has none."""
    marks = [m for m in _MARK.finditer(text) if m.group(1) == slot]
    if not marks:
        return None
    chosen = rng.choice(marks)
    return _MARK.sub(_unmark, text[: chosen.start()]) + insert + _MARK.sub(_unmark, text[chosen.end():])


def clean(text: str) -> str:
    """The text without any marks."""
    return _MARK.sub(_unmark, text)


def injected(rng: random.Random, code: int) -> str:
    """What to insert for a code point: mostly the character alone, sometimes doubled or next to a letter."""
    char = chr(code)
    return rng.choice((char, char, char, char * 2, "x" + char, char + "x"))


def generated_text(rng: random.Random, code: int, slot: str) -> str:
    """An answer file with the code point placed in a position of this kind (any slot if it has none)."""
    while True:
        text = answer_text(rng)
        result = inject(rng, text, slot, injected(rng, code))
        if result is not None:
            return result
        slot = rng.choice(SLOTS)
