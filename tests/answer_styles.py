"""Seeded writer of answer files in the YAML forms that editors, hand edits and survey exports produce.

``styled(rng, data, odd)`` writes an answer file (as loaded) so that it reads back as the same data, in
forms chosen at random: plain, quoted and block scalars (``|``, ``|-``, ``>-``), escapes (``\\x``, ``\\u``,
``\\U``, ``\\N``, ``\\_``, ``\\/``, line continuations), multi-line plain and quoted scalars, flow mappings
and lists (one line or several), explicit keys (``? key``), anchors, core tags (``!!str``, ``!!int``,
``!<tag:...>``, ``!``), comments after values and between keys, any indentation, document markers and
directives, and numbers and dates in every form YAML reads (``+3``, ``0x3``, ``03``, ``3.0``, ``0b11``,
``2026-03-18T00:00:00Z``). ``odd`` is how often an unusual form is chosen.

``varied`` changes the data the way people do (sides, names and partnerships with spaces or odd characters,
numbers for scale keys, notes with line breaks and controls, ``ID@VERSION``, unknown keys), ``damaged``
changes the text (a duplicated line, a tab, a stray character, a BOM), and ``as_bytes`` picks the line
endings (LF, CRLF, CR or mixed). Many of the results are invalid on purpose.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
# Answer files of every bundled questionnaire and version: the 2.0 examples and the 1.0 fixtures.
SOURCES = sorted([*REPO.glob("examples/**/*.yaml"), *(REPO / "tests" / "fixtures" / "v1").glob("*.yaml")])

_YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_NOT_IN_SINGLE = {0x2028, 0x2029, 0xFEFF}
_ESCAPES = {0x85: "\\N", 0x2028: "\\L", 0x2029: "\\P", 0xA0: "\\_", 0: "\\0", 7: "\\a", 8: "\\b", 0xB: "\\v", 0xC: "\\f", 0xD: "\\r", 0x1B: "\\e"}


def sources() -> list[dict[str, Any]]:
    """The bundled answer files as data."""
    return [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in SOURCES]  # noqa: S506


def _control(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 and char != "\n") or 0x7F <= code <= 0x9F or code in _NOT_IN_SINGLE or 0xD800 <= code <= 0xDFFF


def _plain_ok(text: str) -> bool:
    """Whether ``text`` may be written unquoted and reads back as this text."""
    if not text or text != text.strip(" ") or "\n" in text or "\t" in text or any(_control(c) for c in text):
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text or " #" in text or text.endswith(":") or _YAML11_BOOL.match(text):
        return False
    try:
        return bool(yaml.load(f"k: {text}\n", Loader=yaml.CSafeLoader) == {"k": text})  # noqa: S506
    except (yaml.YAMLError, ValueError):  # ValueError: a date that does not exist
        return False


def _single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _double(rng: random.Random, text: str, odd: float) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append(rng.choice(["\\t", "\\\t", "\\x09", "\\u0009"]))
        elif _control(char):
            out.append(_ESCAPES[code] if code in _ESCAPES and rng.random() < 0.5 else f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        elif rng.random() < odd / 4:
            out.append(rng.choice([f"\\x{code:02X}" if code < 0x100 else char, f"\\u{code:04x}" if code < 0x10000 else char, f"\\U{code:08x}",
                                   "\\/" if char == "/" else char, "\\_" if char == "\xa0" else char, "\\ " if char == " " else char]))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _folded_plain(rng: random.Random, text: str, indent: int) -> str:
    words = text.split(" ")
    if len(words) < 2 or not all(words):
        return text
    cut = rng.randrange(1, len(words))
    return " ".join(words[:cut]) + "\n" + " " * (indent + rng.randint(1, 3)) + " ".join(words[cut:])


def _folded_double(rng: random.Random, quoted: str, indent: int) -> str:
    at = quoted.find(" ", 1)
    if at < 0 or quoted[at - 1] == "\\" or quoted[at + 1 : at + 2] in (" ", "", '"'):
        return quoted
    pad = " " * (indent + rng.randint(1, 3))
    if rng.random() < 0.5:
        return quoted[:at] + "\n" + pad + quoted[at + 1 :]  # a line break folded to a space
    return quoted[: at + 1] + "\\\n" + pad + quoted[at + 1 :]  # an escaped line break: the space kept


def _block(rng: random.Random, text: str, indent: int) -> str | None:
    """``text`` as a literal or folded block scalar, or None where that cannot keep it."""
    if text != text.strip(" ") or "\t" in text or not text.strip() or any(_control(c) for c in text):
        return None
    pad = " " * (indent + rng.choice([1, 2, 4]))
    if "\n" not in text:
        comment = rng.choice(["", "", " # Anmerkung"])
        return rng.choice(["|-", ">-"]) + comment + "\n" + pad + text
    if text.startswith("\n") or "\n\n" in text.rstrip("\n"):
        return None
    body, ends = text.rstrip("\n"), len(text) - len(text.rstrip("\n"))
    lines = "\n".join(pad + line for line in body.split("\n"))
    return {0: "|-\n" + lines, 1: "|\n" + lines}.get(ends) if ends < 2 else "|+\n" + lines + "\n" * (ends - 1)


def text_scalar(rng: random.Random, text: str, indent: int, odd: float, flow: bool = False) -> str:
    """A scalar that reads back as ``text``."""
    plain = _plain_ok(text) and not (flow and any(c in text for c in ",[]{}"))
    quotable = not any(_control(c) for c in text)
    if rng.random() >= odd:
        if plain and rng.random() < 0.6:
            return text
        if quotable and '"' not in text and "\\" not in text and rng.random() < 0.5:
            return '"' + text + '"'
        return _single(text) if quotable else _double(rng, text, 0)
    style = rng.choice(["plain", "single", "double", "double", "block", "tagged"])
    if style == "plain" and plain:
        return text if flow else _folded_plain(rng, text, indent)
    if style == "block" and not flow and (block := _block(rng, text, indent)) is not None:
        return block
    if style == "tagged":
        return rng.choice(["!!str ", "!<tag:yaml.org,2002:str> ", "! "]) + (_single(text) if quotable else _double(rng, text, odd))
    if style == "single" and quotable:
        return _single(text)
    quoted = _double(rng, text, odd)
    return quoted if flow else _folded_double(rng, quoted, indent)


def scale_key(rng: random.Random, key: str, indent: int, odd: float, flow: bool = False) -> str:
    """A scale key as planners type it: ``"4"``, ``4``, ``+4``, ``4.0``, ``0x4``, ``!!str 4``; rarely one that YAML reads as other text."""
    if not key.isdigit() or rng.random() >= odd:
        return text_scalar(rng, key, indent, odd, flow)
    number = int(key)
    if rng.random() < 0.01:
        return rng.choice([f"{key}e0", f"0o{key}", f"0:{key}", f"{key},0", f"!!float {key}.5"])
    return rng.choice([key, f"+{key}", f"{key}.0", f"{key}.", f"{key}.00", f"0{key}" if number < 8 else key, hex(number), f"0b{number:b}",
                       f"!!int {key}", f"!!float {key}", f"!!str {key}", f"!!int '{key}'", f'!!str "{key}"'])


def _date(rng: random.Random, value: dt.date, odd: float) -> str:
    iso = value.isoformat()
    if rng.random() >= odd:
        return rng.choice([iso, iso, f"'{iso}'", f'"{iso}"'])
    if rng.random() < 0.1:
        return rng.choice([f"{iso}T12:30:00", f"{value.day}.{value.month}.{value.year}", f"{value.year}{value.month:02d}{value.day:02d}"])
    return rng.choice([f"!!timestamp {iso}", f"{iso}T00:00:00", f"{iso} 00:00:00", f"{iso}t00:00:00Z", f"{iso}T00:00:00+01:00",
                       f"{iso}T00:00:00.000", f"{value.year}-{value.month}-{value.day}"])


def scalar(rng: random.Random, value: Any, indent: int, odd: float, flow: bool = False) -> str:
    """Any scalar of an answer file."""
    if value is None:
        return rng.choice(["", "~", "null", "Null", "NULL", "!!null ''", "!!null"]) if rng.random() < odd else rng.choice(["", "null", "~"])
    if isinstance(value, bool):
        return rng.choice(["true", "True", "TRUE"] if value else ["false", "False", "FALSE"])
    if isinstance(value, int):
        return rng.choice([str(value), f"+{value}", f"!!int {value}", hex(value), f"{value}.0"]) if rng.random() < odd else str(value)
    if isinstance(value, float):
        return rng.choice([repr(value), f"!!float {value!r}", f"{value!r}0"])
    if isinstance(value, dt.datetime):
        return rng.choice([value.isoformat(), value.isoformat(sep=" "), f"'{value.isoformat()}'"])
    if isinstance(value, dt.date):
        return _date(rng, value, odd)
    return text_scalar(rng, str(value), indent, odd, flow)


class _Writer:
    """Writes an answer file's mapping line by line."""

    def __init__(self, rng: random.Random, odd: float) -> None:
        self.rng = rng
        self.odd = odd
        self.lines: list[str] = []
        self.anchors = 0

    def unusual(self, weight: float = 1.0) -> bool:
        return self.rng.random() < self.odd * weight

    def comment(self) -> str:
        return self.rng.choice([" # Anmerkung", "  #", " # 'quoted' \"x\" #: -", " # ä ß „x“", "\t# nach Tab"]) if self.unusual() else ""

    def properties(self, tag: str) -> str:
        found = []
        if self.unusual(0.3):
            self.anchors += 1
            found.append(f"&a{self.anchors}")
        if self.unusual(0.3):
            found.append(tag)
        return " " + " ".join(found) if found else ""

    def key(self, key: str) -> str:
        if _plain_ok(key) and not self.unusual(0.5):
            return key
        return _single(key) if self.rng.random() < 0.5 else _double(self.rng, key, self.odd)

    def leaf(self, value: Any, indent: int, path: tuple[str, ...], flow: bool = False) -> str:
        if path[:1] == ("answers",) and (len(path) == 2 or path[-1] == "value") and isinstance(value, str):
            return scale_key(self.rng, value, indent, self.odd, flow)
        return scalar(self.rng, value, indent, self.odd, flow)

    def flow(self, value: Any, indent: int, path: tuple[str, ...]) -> str:
        rng = self.rng
        if isinstance(value, dict):
            entries = [f"{self.key(k)}:" if v is None and self.unusual() else f"{self.key(k)}: {self.flow(v, indent, (*path, k))}" for k, v in value.items()]
            separator = rng.choice([", ", ",", " , "])
            if self.unusual(0.5):
                separator = ",\n" + " " * (indent + 1)  # a flow mapping over several lines
            return "{" + separator.join(entries) + ("," if entries and self.unusual(0.3) else "") + "}"
        if isinstance(value, list):
            items = [self.flow(v, indent, path) for v in value]
            return "[" + rng.choice([", ", ","]).join(items) + ("," if items and self.unusual(0.3) else "") + "]"
        return self.leaf(value, indent, path, flow=True)

    def mapping(self, mapping: dict[str, Any], indent: int, path: tuple[str, ...] = ()) -> None:
        rng = self.rng
        step = rng.choice([1, 2, 3, 4, 8]) if self.unusual(2) else 2
        entries = list(mapping.items())
        if self.unusual(0.5):
            rng.shuffle(entries)
        pad = " " * indent
        for key, value in entries:
            if self.unusual(0.3):
                self.lines.append(rng.choice(["", pad + "# Kommentar", "# am Rand", " " * rng.randint(0, 12) + "#", "   "]))
            head = f"{pad}? {self.key(key)}\n{pad}:" if self.unusual(0.2) else f"{pad}{self.key(key)}:"
            child = (*path, key)
            if isinstance(value, dict) and value and not self.unusual(1.5):
                self.lines.append(head + self.properties("!!map") + self.comment())
                self.mapping(value, indent + step, child)
            elif isinstance(value, dict) or (isinstance(value, list) and (not value or self.unusual(3))):
                self.lines.append(f"{head} {self.flow(value, indent, child)}{self.comment()}")
            elif isinstance(value, list):
                self.lines.append(head + self.properties("!!seq") + self.comment())
                item_pad = " " * (indent + rng.choice([0, step]))
                self.lines.extend(f"{item_pad}- {self.leaf(v, len(item_pad) + 2, child)}{self.comment()}" for v in value)
            else:
                text = self.leaf(value, indent, child)
                own_lines = text.startswith(("|", ">")) or "\n" in text
                self.lines.append(f"{head}{' ' if text else ''}{text}" + ("" if own_lines else self.comment()))


def styled(rng: random.Random, data: dict[str, Any], odd: float) -> str:
    """``data`` as an answer file in randomly chosen YAML forms, unusual ones at rate ``odd``."""
    writer = _Writer(rng, odd)
    head: list[str] = []
    if writer.unusual(0.5):
        head.append(rng.choice(["# Selbsteinschätzung", "#!", "# -*- coding: utf-8 -*-"]))
    if writer.unusual(0.5):
        head.append(rng.choice(["---", "--- # Antworten", "%YAML 1.1\n---", "%YAML 1.2\n---", "%TAG !e! tag:example.com,2026:\n---"]))
    if writer.unusual(0.3):  # the whole file as one flow mapping, as a JSON export writes it
        return "".join(line + "\n" for line in head) + writer.flow(data, 0, ()) + "\n"
    writer.mapping(data, 0)
    ending = rng.choice(["\n", "\n", "", "\n\n", "\n...\n", "\n# Ende\n", "\n...\n# nach dem Ende\n"]) if writer.unusual() else "\n"
    return "\n".join(head + writer.lines) + ending


ODD_TEXTS = ["Zeile 1\nZeile 2", "Zeile\n", "tab\there", "x\x85y", "a\u2028b", "p\u2029q", "ctl\x07", "\ufeffbom", "e\u0301", "emoji \U0001f600",
             "𝔘𝔫𝔦", "nbsp\u00a0x", " lead", "trail ", "", "#hash", "a # b", "a: b", "'quote'", '"dq"', "\\back", "x" * 3000, "yes", "no",
             "on", "~", "null", "1e2", "0x10", ".inf", "nan", "2026-03-18", "=SUMME(A1)", "- item", "\u200bzw", "\U000e0001tag", "\ufffd",
             "lang " * 300, "a\r\nb", "\x1b[31mrot", "\u202eRTL"]
SIDES = ["stadt", "Stadt", " stadt", "STADT", "landkreis", "Landkreis", "gemeinde", "land", "other", "sonstige", "Sonstige", "Kreis", "", None,
         "\u200bstadt", "stadt\u00a0"]
PARTNERSHIPS = ["Lindenau", " Lindenau", "Lindenau ", "Lindenau\u00a0", "Lin  denau", "Lin\tdenau", "lindenau", "", "=Elbe", "Nord <Heide>",
                "Ahrbach\u2028Tal", "Ahr\u0308", "𝔏𝔦𝔫𝔡𝔢𝔫𝔞𝔲", None, 7, "Lindenau\n"]
DATES: list[Any] = [dt.date(2026, 3, 18), dt.date(5, 1, 2), "2026-03-18", "18.03.2026", "2026-3-8", dt.datetime(2026, 3, 18, 0, 0),
                    dt.datetime(2026, 3, 18, 10, 30), "2026-02-30", None, "", 20260318]
ANSWERS: list[Any] = ["n/a", "N/A", " n/a", None, "", " 4", "4 ", "9", "ja", 3, 3.0, 2.5, True, "yes", "0x3", {}, {"note": "nur eine Notiz"}, {"value": None}]


def varied(rng: random.Random, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with some values changed as people and exports change them; often still valid."""
    changed = copy.deepcopy(data)
    answers = changed.get("answers") or {}
    for item in list(answers):
        value = answers[item]
        key = value["value"] if isinstance(value, dict) else value
        roll = rng.random()
        if roll < 0.03:
            answers[item] = rng.choice([*ANSWERS, {"value": key, "note": None}, {"value": key, "note": rng.choice(ODD_TEXTS)}, [key]])
        elif roll < 0.08:
            answers[item] = {"value": key, "note": rng.choice(ODD_TEXTS)}
        elif roll < 0.1 and isinstance(key, str) and key.isdigit():
            answers[item] = int(key)
    if answers and rng.random() < 0.05:
        item = rng.choice(list(answers))
        answers[rng.choice([item.upper(), " " + item, item + "\u200b", item.replace(".", "_"), item + ".x"])] = answers.pop(item)
    respondent = changed.get("respondent")
    if isinstance(respondent, dict):
        if rng.random() < 0.3:
            respondent["role"] = rng.choice(SIDES)
        if rng.random() < 0.15:
            respondent["name"] = rng.choice([*ODD_TEXTS, None, 5])
        if rng.random() < 0.03:
            respondent["email"] = "x@example.org"
    if rng.random() < 0.03:
        changed["respondent"] = rng.choice([None, {}, "Anna", []])
    if rng.random() < 0.3:
        changed["partnership"] = rng.choice(PARTNERSHIPS)
    if rng.random() < 0.3:
        changed["date"] = rng.choice(DATES)
    if rng.random() < 0.05:
        changed["language"] = rng.choice(["de", "en", "EN", None, "", 1])
    if rng.random() < 0.08:
        qid, version = changed["questionnaire"], changed["version"]
        changed["questionnaire"] = rng.choice([f"{qid}@{version}", f"{qid}@1.0", qid.upper(), f" {qid}"])
    if rng.random() < 0.08:
        changed["version"] = rng.choice([float(changed["version"]), changed["version"] + "0", "1.0", "2.0", " 2.0", 2])
    context = changed.get("context")
    if isinstance(context, dict) and rng.random() < 0.3:
        question = rng.choice(list(context) or ["context.phase"])
        context[question] = rng.choice([None, "", [], "aufbau", "Aufbau", ["aufbau"], "personal", ["personal", "personal"], rng.choice(ODD_TEXTS), 5])
    if rng.random() < 0.03:
        changed[rng.choice(["extra", "Answers", "notes"])] = "x"
    if rng.random() < 0.03:
        changed[rng.choice(["answers", "context"])] = rng.choice([None, {}, [], "keine"])
    return changed


STRAY = ["\t", "\r", "\x85", "\u2028", "\ufeff", "\u00a0", "\u200b", "\x00", "\x1b", "\ud800", "\U0001f600", "e\u0301", "#", "'", '"', ":",
         "- ", "&x ", "*x", "!", "|", ">", "%", "@", "`", "{", "}", "[", "]", ",", "?", " ", "\\", "\n", "---\n", "...\n"]


def damaged(rng: random.Random, text: str) -> str:
    """``text`` with one slip of the keyboard: a duplicated line, a trailing blank or tab, a stray character, a BOM."""
    lines = text.split("\n")
    index = rng.randrange(len(lines))
    roll = rng.random()
    if roll < 0.25:
        lines.insert(index, lines[index])
    elif roll < 0.5:
        lines[index] += rng.choice([" ", "  ", "\t", " \t ", "\u3000"])
    elif roll < 0.75:
        cut = rng.randrange(len(lines[index]) + 1)
        lines[index] = lines[index][:cut] + rng.choice(STRAY) + lines[index][cut:]
    else:
        lines[index] = lines[index].replace("  ", "\t", 1)
    return ("\ufeff" if rng.random() < 0.3 else "") + "\n".join(lines)


def as_bytes(rng: random.Random, text: str) -> bytes:
    """UTF-8 (lone surrogates left invalid, on purpose) with LF, CRLF, CR or mixed line endings."""
    data = text.encode("utf-8", "surrogatepass")
    roll = rng.random()
    if roll < 0.1:
        return data.replace(b"\n", b"\r\n")
    if roll < 0.13:
        return data.replace(b"\n", b"\r")
    if roll < 0.15:
        return b"\n".join(line + (b"\r" if rng.random() < 0.5 else b"") for line in data.split(b"\n"))
    return data


def answer_bytes(rng: random.Random, bases: list[dict[str, Any]]) -> bytes:
    """One generated answer file: a bundled one, perhaps varied, styled, perhaps damaged."""
    data = rng.choice(bases)
    data = varied(rng, data) if rng.random() < 0.35 else data
    text = styled(rng, data, rng.choice([0.0, 0.1, 0.3, 0.6]))
    return as_bytes(rng, damaged(rng, text) if rng.random() < 0.15 else text)
