"""Partnership names written nearly alike are named, since they split one partnership into reports of some sides each.

"Lindenau-Auental" in the city's files and "Lindenau – Auental" in the district's make two reports, each of one
side: no perception gap can show. Files are still grouped by the name as written; the user is told. Names are
generated (case, spaces, hyphens and dashes, punctuation changed) and checked against what must be found.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.portfolio import similar_partnerships

ENV = {"SOURCE_DATE_EPOCH": "1756339200", "NO_COLOR": "1"}
BASES = ("Lindenau-Auental", "Stadt-Land-Partnerschaft Elbtal", "Region Nord", "Nordregion", "Köln/Bonn")
runner = CliRunner()


def _variant(rng: random.Random, base: str) -> str:
    """``base`` as another file might write it: other case, spaces, hyphens, dashes or punctuation."""
    text = base
    if rng.random() < 0.4:
        text = text.upper() if rng.random() < 0.5 else text.lower()
    if rng.random() < 0.4:
        text = text.replace("-", rng.choice((" – ", "–", " - ", "‐", " ")))
    if rng.random() < 0.3:
        text = text.replace(" ", rng.choice(("  ", "-", " ")))
    if rng.random() < 0.2:
        text = text + rng.choice((".", " ", "!"))
    return text


def test_generated_names_are_grouped_by_their_letters_and_digits_only():
    for seed in range(300):
        rng = random.Random(seed)
        names = [_variant(rng, rng.choice(BASES)) for _ in range(rng.randint(1, 8))]
        found = similar_partnerships(names)
        # As written (spaces collapsed), per base: two or more ways of writing it must be one set.
        written: dict[str, set[str]] = {}
        for name in names:
            key = "".join(ch for ch in name.casefold() if ch.isalnum())
            written.setdefault(key, set()).add(" ".join(name.split()))
        assert found == sorted(sorted(s) for s in written.values() if len(s) > 1), (seed, names)
        assert all(len(group) > 1 for group in found)


def test_names_that_differ_in_letters_are_never_taken_for_one():
    assert similar_partnerships(["Region Nord", "Nordregion", "Linden", "Lindenau", " Lindenau ", "–", ""]) == []
    assert similar_partnerships(["Köln/Bonn", "KÖLN BONN", "Koeln Bonn"]) == [["KÖLN BONN", "Köln/Bonn"]]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "answers"
    folder.mkdir()
    for n, (partnership, side) in enumerate((("Lindenau-Auental", "stadt"), ("Lindenau-Auental", "stadt"),
                                             ("lindenau – auental", "land"), ("Linden", "land"))):
        (folder / f"{n}.yaml").write_text(yaml.safe_dump({
            "questionnaire": "slp-quickcheck", "version": "2.0", "partnership": partnership,
            "respondent": {"name": f"P{n}", "role": side}, "answers": {},
        }, allow_unicode=True), encoding="utf-8")
    return folder


def test_report_and_score_by_partnership_name_them_on_one_line(tmp_path):
    folder = _folder(tmp_path)
    line = ("fast gleich benannt und darum getrennt ausgewertet: 'Lindenau-Auental', 'lindenau – auental'. "
            "Ist es eine Partnerschaft, schreiben Sie ihren Namen in allen Dateien gleich.\n")
    report = runner.invoke(app, ["report", str(folder), "-o", f"{tmp_path / 'out'}/"], env=ENV)
    assert report.exit_code == 0 and line in report.stderr, report.output
    assert len(list((tmp_path / "out").glob("*.md"))) == 4  # three reports and the index: still apart
    grouped = runner.invoke(app, ["score", str(folder), "--group-by", "partnership", "--format", "json", "--lang", "en"], env=ENV)
    assert grouped.exit_code == 0, grouped.output
    assert grouped.stderr == ("named nearly alike and so evaluated apart: 'Lindenau-Auental', 'lindenau – auental'. "
                              "If they are one partnership, write its name the same way in every file.\n")
    plain = runner.invoke(app, ["score", str(folder), "--format", "json"], env=ENV)
    assert plain.exit_code == 0 and plain.stderr == ""  # file by file, nothing is grouped
    quiet = runner.invoke(app, ["--quiet", "report", str(folder), "-o", f"{tmp_path / 'quiet'}/"], env=ENV)
    assert quiet.exit_code == 0 and quiet.stderr == ""
