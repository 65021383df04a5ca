"""Portfolio file names: unique, bounded, never an index file's name; the index links each report's own file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.api import INDEX_STEM
from slp_assess.cli import app
from slp_assess.models.answers import partnership_name
from slp_assess.naming import DEVICE_NAMES, MAX_STEM, cut_slug, slug, unique_stems
from slp_assess.oneline import listed
from slp_assess.portfolio import similar_partnerships

CORE = Path(__file__).parent / "fixtures" / "core"
runner = CliRunner()

TRICKY = [
    "Lindenau-Auental", "Lindenau Auental", "lindenau  auental", "LINDENAU_AUENTAL", "Index", "index", "INDEX ",
    "Index 2", "index-2", "", "Partnership", "partnership-index", "Jürgen Groß", "Juergen Gross", "con", "NUL",
    "東京", "Ελληνικά", "COM1", "lpt9", "Stadt-Land-Partnerschaft " * 12, "x" * 277, "Lindenau-Auental-2",
]
names = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(whitelist_categories=("L", "N", "Pd", "Zs")), max_size=30),
    st.lists(st.sampled_from(["Lindenau", "Auental", "-", " ", "Index", "2"]), max_size=6).map("".join),
    st.text(st.characters(whitelist_categories=("L", "Zs")), min_size=81, max_size=300),
)
STEM = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@settings(max_examples=400, deadline=None)
@given(st.lists(names, max_size=12))
def test_stems_are_unique_bounded_and_never_an_index(given_names):
    stems = unique_stems(given_names, "partnership", reserved=(INDEX_STEM,))
    assert len(stems) == len(given_names)
    assert len({s.lower() for s in stems}) == len(stems)
    assert all(STEM.fullmatch(s) and len(s) <= MAX_STEM for s in stems)
    assert INDEX_STEM not in stems and not DEVICE_NAMES & set(stems)
    assert unique_stems(given_names, "partnership", reserved=(INDEX_STEM,)) == stems
    # A name alone with its slug keeps the plain slug: adding a partnership renames no other.
    for name, stem in zip(given_names, stems, strict=True):
        plain = cut_slug(slug(name, "partnership"))
        if plain != INDEX_STEM and plain not in DEVICE_NAMES and [cut_slug(slug(n, "partnership")) for n in given_names].count(plain) == 1:
            assert stem == plain


def test_a_long_name_is_cut_at_a_word():
    full = slug("Stadt-Land-Partnerschaft " * 12)
    stem = cut_slug(full)
    assert len(stem) <= MAX_STEM and full.startswith(stem + "-")
    assert cut_slug("x" * 277) == "x" * MAX_STEM


portfolio_names = st.lists(
    # Names are compared with their white space trimmed and collapsed (one partnership, however spaced).
    st.one_of(st.sampled_from(TRICKY), st.text(st.characters(whitelist_categories=("L", "N", "Pd")), max_size=20)).map(partnership_name),
    min_size=2, max_size=6, unique=True,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(partnerships=portfolio_names, fmt=st.sampled_from(["json", "html", "md"]))
def test_the_index_links_each_partnerships_own_report(tmp_path_factory, partnerships, fmt):
    folder = tmp_path_factory.mktemp("answers")
    template = yaml.safe_load((CORE / "answers-city.yaml").read_text(encoding="utf-8"))
    for number, partnership in enumerate(partnerships):
        text = yaml.safe_dump({**template, "partnership": partnership}, allow_unicode=True)
        (folder / f"{number}.yaml").write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("reports") / "portfolio"
    result = runner.invoke(app, ["report", str(folder), "-q", str(CORE / "mini.yaml"), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    # German, the default; before it, a line for each set of names written nearly alike (test_similar_partnerships).
    alike = [f"fast gleich benannt und darum getrennt ausgewertet: {listed(group, most=None)}. Ist es eine Partnerschaft, "
             "schreiben Sie ihren Namen in allen Dateien gleich.\n" for group in similar_partnerships(partnerships)]
    assert result.stderr == "".join(alike) + f"{len(partnerships)} Bericht(e) und ein Index geschrieben nach {out}\n"
    index_files = {f"{INDEX_STEM}.html", f"{INDEX_STEM}.md"} | ({f"{INDEX_STEM}.json"} if fmt == "json" else set())
    reports = {p.name for p in out.iterdir()} - index_files
    assert {p.name for p in out.iterdir()} >= index_files
    assert len(reports) == len(partnerships)
    html_index = (out / f"{INDEX_STEM}.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([^"#]+)"', html_index)) == reports
    assert all(len(Path(name).stem) <= MAX_STEM for name in reports)
    if fmt == "json":
        rows = json.loads((out / f"{INDEX_STEM}.json").read_text(encoding="utf-8"))["rows"]
        assert sorted(row["partnership"] for row in rows) == sorted(partnerships)
        for row in rows:
            report = json.loads((out / row["href"]).read_text(encoding="utf-8"))
            assert report["meta"]["partnership"] == row["partnership"]


QUESTIONNAIRE_TAILS = ["slp-readiness 2.0", "slp-quickcheck 2.0", "slp-readiness 1.0", "report-mini 1.0", "q " * 50]
long_names = st.builds(
    lambda unit, count, rest: unit * count + rest,
    st.sampled_from(["Ä", "x", "Stadt-Land ", "ß-", "東", " "]), st.integers(0, 300),
    st.text(st.characters(whitelist_categories=("L", "N", "Zs")), max_size=5),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(long_names, st.sampled_from(QUESTIONNAIRE_TAILS)), min_size=1, max_size=8))
def test_the_questionnaire_part_of_a_name_is_kept_whatever_the_names_length(pairs):
    stems = unique_stems(pairs, "partnership", reserved=(INDEX_STEM,))
    assert len({s.lower() for s in stems}) == len(stems)
    for (name, tail), stem in zip(pairs, stems, strict=True):
        assert STEM.fullmatch(stem) and len(stem) <= MAX_STEM, stem
        kept = cut_slug(slug(tail, ""), MAX_STEM // 2)
        # The questionnaire, then a number where names come out alike.
        assert re.fullmatch(rf"[a-z0-9-]+-{re.escape(kept)}(-[0-9]+)?", stem), (name, tail, stem)
        head = stem[: stem.rindex(kept) - 1]
        assert head and (slug(name, "partnership").startswith(head) or head.startswith("partnership-")), (name, stem)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(length=st.integers(1, 200), unit=st.sampled_from(["Ä", "Lindenau ", "x"]))
def test_a_long_partnership_name_keeps_the_questionnaire_in_its_file_names(tmp_path_factory, length, unit):
    folder = tmp_path_factory.mktemp("answers")
    examples = Path(__file__).resolve().parents[1] / "examples"
    for number, source in enumerate([examples / "lindenau" / "andrea-vogt.yaml", examples / "quickcheck-lindenau.yaml"]):
        document = yaml.safe_load(source.read_text(encoding="utf-8"))
        document["partnership"] = unit * length
        (folder / f"{number}.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    out = tmp_path_factory.mktemp("reports")
    result = runner.invoke(app, ["report", str(folder), "-f", "html", "-o", f"{out}/"], env={"SOURCE_DATE_EPOCH": "1774000000"})
    assert result.exit_code == 0, result.output
    reports = sorted(p.stem for p in out.iterdir() if p.stem != INDEX_STEM)
    tails = ["-slp-quickcheck-2-0", "-slp-readiness-2-0"]
    assert len(reports) == 2 and all(len(stem) <= MAX_STEM for stem in reports), reports
    for tail in tails:
        [stem] = [s for s in reports if s.endswith(tail)]
        assert slug(unit * length).startswith(stem.removesuffix(tail)), (stem, tail)
