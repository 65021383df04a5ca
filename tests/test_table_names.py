"""Rows of the `slp score` table can be told apart: files of the same name in different folders show
as much of their path as it takes, and names that differ only where nothing shows (spaces at the
ends, an empty name, zero-width characters, another spelling of the same letter) look different."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path, PurePath

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.cli.app import app
from slp_assess.models.answers import partnership_name
from slp_assess.output.distinct import distinct_names, short_paths

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
runner = CliRunner()

paths = st.lists(
    st.lists(st.sampled_from(["a", "b", "lindenau", "lindenau-2025", "x y"]), max_size=4).flatmap(
        lambda folders: st.sampled_from(["/", ""]).flatmap(
            lambda root: st.sampled_from(["katrin.yaml", "b", "a"]).map(lambda name: root + "/".join([*folders, name])))),
    max_size=12,
)
# Letters that look alike or take no room: NFC and NFD é, a fullwidth e, a zero-width space and joiner.
pieces = st.sampled_from(["L", "e", "é", "e\u0301", "ｅ", " ", "\u00a0", "\u200b", "\u2060", '"', "\t"])
names = st.lists(st.lists(pieces, max_size=6).map("".join), max_size=10)


@settings(max_examples=300, deadline=None)
@given(paths)
def test_a_file_shows_the_shortest_ending_of_its_path_that_no_other_file_has(files):
    shown = short_paths(files)
    assert set(shown) == set(files)
    endings = {file: PurePath(file).parts for file in files}
    for file, text in shown.items():
        parts = PurePath(text).parts
        assert endings[file][-len(parts):] == parts
        others = [endings[other] for other in shown if other != file]
        if len(parts) < len(endings[file]):
            assert any(o[-len(parts):] == parts for o in others) is False
        if len(parts) > 1:  # one part less would be another file's ending too
            assert any(o[-(len(parts) - 1):] == parts[1:] for o in others)
    assert len(set(shown.values())) == len(shown)


@settings(max_examples=300, deadline=None)
@given(names)
def test_different_names_look_different(raw):
    shown = distinct_names(raw)
    assert set(shown) == set(raw)
    looks = [unicodedata.normalize("NFKC", text) for text in shown.values()]
    assert len(set(looks)) == len(looks)
    for name, text in shown.items():
        assert text and text == text.strip(), (name, text)  # the ends of a name show
        assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in text)
        # A lone name with nothing invisible about it is shown as written (in quotes if it is quoted).
        if name and name == name.strip() and all(unicodedata.category(c) not in ("Cc", "Cf") for c in name) and len(looks) == 1:
            assert text == name or (name[0] == name[-1] == '"' and text == f'"{name}"')


def _cells(stdout: str) -> list[str]:
    """The first column's cells, one per table row (the table is wide enough for one line each)."""
    return [line.split("│")[1].strip() for line in stdout.splitlines() if line.startswith("│")]


def test_files_of_the_same_name_show_their_folder(tmp_path):
    bad = tmp_path / "lindenau" / "katrin-berger.yaml"
    bad.parent.mkdir()
    bad.write_text("questionnaire: slp-readiness\nanswers: [\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(EXAMPLES), str(bad), "-f", "table"], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    files = _cells(result.stdout)
    assert files.count("examples/lindenau/katrin-berger.yaml") == 1
    assert files.count("lindenau-2025/katrin-berger.yaml") == 1
    assert files.count(f"{tmp_path.name}/lindenau/katrin-berger.yaml") == 1  # the invalid one
    assert "andrea-vogt.yaml" in files  # a name no other file has stays bare
    assert len(set(files)) == len(files)


def test_partnerships_that_differ_only_where_nothing_shows_get_rows_that_look_different(tmp_path):
    rng = random.Random(7)
    template = yaml.safe_load((EXAMPLES / "lindenau" / "andrea-vogt.yaml").read_text(encoding="utf-8"))
    variants = ["Lindenau", "Lindenau ", " Lindenau", "Lindenau\u200b", "Linde\u0301nau", "Lindénau", "", "Lindenau\u00a0",
                '"Lindenau"', "Lindenau\t"]
    for number in range(30):
        partnership = rng.choice(variants)
        (tmp_path / f"{number:02d}.yaml").write_text(yaml.safe_dump({**template, "partnership": partnership}, allow_unicode=True),
                                                     encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path), "-f", "table", "--group-by", "partnership"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    rows = [line.split("│")[2].strip() for line in result.stdout.splitlines() if line.startswith("│")]
    # White space around or inside a name makes no partnership of its own (partnership_name); what stays apart is shown apart.
    used = {partnership_name(yaml.safe_load(path.read_text(encoding="utf-8"))["partnership"]) for path in tmp_path.glob("*.yaml")}
    assert len(rows) == len(set(rows)) == len(used) > 4
    assert "Lindenau" in rows and '""' in rows and '"Lindenau "' not in rows
    assert all(re.fullmatch(r"[\x21-\x7e](.*[\x21-\x7e])?", row) for row in rows if row != "Lindenau")


def test_a_single_partnership_title_shows_what_cannot_be_seen(tmp_path):
    answers = yaml.safe_load((EXAMPLES / "lindenau" / "andrea-vogt.yaml").read_text(encoding="utf-8"))
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({**answers, "partnership": "Lindenau\u200b"}, allow_unicode=True), encoding="utf-8")
    single = runner.invoke(app, ["score", str(tmp_path / "a.yaml"), "-f", "table"], env={"COLUMNS": "200"})
    assert "Partnerschaft: Lindenau\\u200b" in single.stdout
