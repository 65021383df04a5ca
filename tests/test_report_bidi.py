"""A bidi control in a name or note cannot reorder what the report prints after it.

A seeded generator puts bidi embeddings, overrides and isolates (opened, closed, stray closers)
into the partnership's name, respondents' names and organisations and the notes. In the HTML report
(and its portfolio index and a comparison) no text between two tags, and in the Markdown report no
table cell or line, may end with an embedding or isolate still open (Unicode UAX #9, rules X1-X8).
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from portfolio_support import ITEMS, QUESTIONNAIRE
from slp_assess.cli.app import app

runner = CliRunner()
OPENERS = {"\u202a": "embedding", "\u202b": "embedding", "\u202d": "embedding", "\u202e": "embedding",
           "\u2066": "isolate", "\u2067": "isolate", "\u2068": "isolate"}
CONTROLS = [*OPENERS, "\u202c", "\u2069", "\u200f", "\u061c"]
WORDS = ["Elbtal", "שלום", "مرحبا", "42", "(", ")", " ", "Gemeinde"]


def still_open(text: str) -> list[str]:
    """The embeddings and isolates open at the end of ``text``, by UAX #9: PDF closes an embedding only
    when no isolate is innermost; PDI closes the innermost isolate and all inside it."""
    stack: list[str] = []
    for char in text:
        if char in OPENERS:
            stack.append(OPENERS[char])
        elif char == "\u202c" and stack and stack[-1] == "embedding":
            stack.pop()
        elif char == "\u2069" and "isolate" in stack:
            while stack.pop() != "isolate":
                pass
    return stack


def _text(rng: random.Random) -> str:
    parts = [rng.choice(CONTROLS if rng.random() < 0.4 else WORDS) for _ in range(rng.randint(1, 8))]
    return "".join(parts) + rng.choice(list(OPENERS))  # at least one left open


class _Chunks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.chunks.extend(value for _, value in attrs if value)


def _write(folder: Path, rng: random.Random, partnership: str) -> None:
    folder.mkdir(parents=True)
    for number, side in enumerate(["stadt", "land", "land"]):
        answers: dict[str, object] = {item: rng.choice(keys) for item, keys in ITEMS.items()}
        for item in rng.sample(sorted(ITEMS), 3):
            answers[item] = {"value": rng.choice(["1", "3", "5", "n/a"]), "note": _text(rng)}
        answers["success.leadership.anchored"] = "partly"
        data = {"questionnaire": "report-mini", "version": "1.0", "partnership": partnership,
                "respondent": {"name": _text(rng), "organisation": _text(rng), "role": side},
                "date": "2026-03-19", "answers": answers}
        (folder / f"{number}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("seed", range(8))
def test_no_user_string_leaves_a_bidi_control_open(tmp_path, monkeypatch, seed):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    rng = random.Random(seed)
    partnership = _text(rng)
    _write(tmp_path / "old", rng, partnership)
    _write(tmp_path / "new", rng, partnership)
    q = ["-q", str(QUESTIONNAIRE)]
    assert runner.invoke(app, ["report", str(tmp_path / "new"), *q, "-o", str(tmp_path / "out/")]).exit_code == 0
    assert runner.invoke(app, ["report", str(tmp_path / "new"), *q, "--format", "html", "-o", str(tmp_path / "html/")]).exit_code == 0
    for fmt in ("md", "html"):
        args = ["compare", str(tmp_path / "old"), str(tmp_path / "new"), *q, "-o", str(tmp_path / f"compare.{fmt}")]
        assert runner.invoke(app, args).exit_code == 0
    pages = [*tmp_path.glob("out/*"), *tmp_path.glob("html/*"), *tmp_path.glob("compare.*")]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page.suffix == ".html":
            parser = _Chunks()
            parser.feed(text)
            pieces = parser.chunks
        else:
            pieces = [cell for line in text.splitlines() for cell in re.split(r"(?<!\\)\|", line)]
        for piece in pieces:
            assert still_open(piece) == [], (page.name, piece)
    assert any(any(c in p.read_text(encoding="utf-8") for c in OPENERS) for p in pages)  # the names are there
