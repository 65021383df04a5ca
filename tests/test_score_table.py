"""The `slp score` table: fits the terminal, cuts nothing, prints user strings as they are (no markup)."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from typer.testing import CliRunner

from slp_assess.batch import score_file
from slp_assess.cli import app
from slp_assess.i18n import side_label
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.results import FileError, FileErrorDetail, RespondentRef, ScoreResult
from slp_assess.output.distinct import distinct_names
from slp_assess.output.fit import Spec, fit_widths
from slp_assess.output.table import TableFormat

REPO = Path(__file__).resolve().parents[1]
CORE = Path(__file__).parent / "fixtures" / "core"
WIDTHS = (60, 80, 120)
runner = CliRunner()

MARKUP = ["Lindenau [/] Auental", "[entwurf] Lindenau", "[link=https://example.org]klick[/link]", "[bold red]x", "a\\[b]"]
word = st.text(st.characters(whitelist_categories=("L", "N", "P", "S")), min_size=1, max_size=40)
names = st.one_of(
    st.sampled_from(MARKUP),
    st.lists(word, min_size=1, max_size=6).map(" ".join),
    st.text(st.sampled_from("Stadt-Land-Partnerschaft东京 "), min_size=1, max_size=90),
)


@pytest.fixture(scope="module")
def catalog() -> QuestionnaireCatalog:
    return QuestionnaireCatalog.with_files([CORE / "mini.yaml"])


@pytest.fixture(scope="module")
def results(catalog) -> list[ScoreResult]:
    scored = [score_file(CORE / name, catalog) for name in ("answers-city.yaml", "answers-rural.yaml")]
    assert all(isinstance(r, ScoreResult) for r in scored)
    return scored  # type: ignore[return-value]


def _render(records, lang: str, width: int, catalog: QuestionnaireCatalog, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))  # what rich reads for a stream that is not a terminal
    out = io.StringIO()
    TableFormat(lang, catalog).write(records, out)
    return out.getvalue()


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _columns(output: str) -> list[str]:
    """The text of each column of the first table, whitespace removed, rows joined in order."""
    table = output.split("└")[0]
    lines = [line for line in table.splitlines() if line.startswith("│")]
    cells = [line.split("│")[1:-1] for line in lines]
    return ["".join(_squeezed(row[index]) for row in cells) for index in range(len(cells[0]))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(names, names, names, st.booleans()), min_size=1, max_size=4),
    width=st.sampled_from(WIDTHS), lang=st.sampled_from(["de", "en"]),
)
def test_the_table_fits_and_shows_every_name_whole(results, catalog, monkeypatch, rows, width, lang):
    records: list[ScoreResult | FileError] = []
    rows = [(file.replace("/", "|"), *rest) for file, *rest in rows]  # a file name has no folder in it
    for index, (file, partnership, person, broken) in enumerate(rows):
        if broken:
            records.append(FileError(file=f"{file}.yaml", errors=[FileErrorDetail(line=1, message="x")]))
            continue
        base = results[index % 2]
        records.append(base.model_copy(update={
            "file": f"{file}.yaml", "partnership": partnership,
            "respondent": RespondentRef(name=person, role=base.respondent.role),
        }))
    output = _render(records, lang, width, catalog, monkeypatch)
    assert "…" not in output
    assert max(cell_len(line) for line in output.splitlines()) <= width
    columns = _columns(output)
    # Names that would look alike (padded, empty, the same letters in other code points) are shown apart.
    shown = distinct_names([n for r in records if isinstance(r, ScoreResult) for n in (r.partnership, r.respondent.name)])
    files = distinct_names(f"{file}.yaml" for file, *_ in rows)
    shared = {r.partnership for r in records if isinstance(r, ScoreResult)}
    one_partnership = len(shared) == 1 and all(isinstance(r, ScoreResult) for r in records)
    if one_partnership:
        # Named once, above the table.
        title = output.split("┏")[0]
        assert _squeezed(title).endswith(_squeezed(shown[shared.pop()]))
        columns.insert(1, "")
    assert columns[0] == "".join(_squeezed(files[f"{file}.yaml"]) for file, *_ in rows)
    if not one_partnership:
        assert columns[1] == "".join(_squeezed(shown[r.partnership]) for r in records if isinstance(r, ScoreResult))
    people = [f"{shown[r.respondent.name]} ({side_label(r.respondent.role, lang)})" for r in records if isinstance(r, ScoreResult)]
    # Markup among the names (MARKUP) comes out letter for letter: not parsed, not dropped.
    assert columns[2] == "".join(map(_squeezed, people))


def test_control_characters_cannot_reach_the_terminal(results, catalog, monkeypatch):
    record = results[0].model_copy(update={"partnership": "Lindenau\x1b[2J\x07", "file": "a\x1b]8;;http://x\x07.yaml"})
    output = _render([record], "de", 80, catalog, monkeypatch)
    assert "\x1b" not in output and "\x07" not in output
    assert "Lindenau\\x1b[2J\\x07" in output


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_real_answers_fit_with_whole_level_labels(width, lang):
    env = {"COLUMNS": str(width)}
    for target in (REPO / "examples" / "lindenau", REPO / "examples" / "lindenau" / "lukas-brandt.yaml"):
        result = runner.invoke(app, ["score", str(target), "--format", "table", "--lang", lang], env=env)
        assert result.exit_code == 0, result.output
        assert "…" not in result.stdout
        assert max(cell_len(line) for line in result.stdout.splitlines()) <= width
        # Every word of every level label the table shows is a whole cell word, not a folded half.
        records = json.loads(runner.invoke(app, ["score", str(target), "--format", "json"]).stdout)
        questionnaire = QuestionnaireCatalog().get(records[0]["questionnaire"]["id"], records[0]["questionnaire"]["version"])
        labels = {lv.id: lv.label[lang] for lv in questionnaire.levels}
        shown = {r["overall"]["level"] for r in records} | {f["level"] for r in records if len(records) == 1 for f in r["factors"]}
        level_words = [word for level in shown if level for word in labels[level].split()]
        assert level_words
        cells = re.findall(r"[^│┃\s]+", result.stdout)
        for level_word in level_words:
            assert level_word in cells or width < 80  # whole words, not folded halves


def test_a_single_file_names_its_unmet_key_requirements(catalog):
    result = runner.invoke(app, ["score", str(CORE / "answers-rural.yaml"), "-q", str(CORE / "mini.yaml"), "--format", "table", "--lang", "en"],
                           env={"COLUMNS": "100"})
    assert "Key requirement not met: Equal say. (25.0 %)" in result.stdout
    german = runner.invoke(app, ["score", str(CORE / "answers-rural.yaml"), "-q", str(CORE / "mini.yaml"), "--format", "table"],
                           env={"COLUMNS": "100"})
    assert "Nicht erfüllte Kernanforderung: Gleiches Mitspracherecht. (25,0 %)" in german.stdout


@settings(max_examples=300, deadline=None)
@given(
    columns=st.lists(st.tuples(st.integers(1, 200), st.integers(1, 60), st.sampled_from(["text", "numeric", "level"])), min_size=1, max_size=8),
    available=st.integers(8, 200),
)
def test_widths_shrink_the_widest_first_and_fold_words_last(columns, available):
    lines = [max(line, word) for line, word, _ in columns]
    words = [word for _, word, _ in columns]
    specs = [Spec("h", numeric=kind == "numeric", keep_words=kind == "level") for *_, kind in columns]
    widths = fit_widths(lines, words, specs, available)
    assert all(1 <= w <= line for w, line in zip(widths, lines, strict=True))
    if sum(lines) <= available:
        assert widths == lines
    elif sum(words) <= available:
        assert sum(widths) <= available and all(w >= word for w, word in zip(widths, words, strict=True))
    elif len(columns) <= available:
        assert sum(widths) <= available


BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("seed", range(6))
def test_bidi_controls_in_names_cannot_reorder_the_table(results, catalog, monkeypatch, seed):
    rng = random.Random(seed)
    names = ["".join(rng.choice(["Linden", "au", " ", *BIDI]) for _ in range(rng.randint(2, 12))) for _ in results[:4]]
    records = [r.model_copy(update={"partnership": name}) for r, name in zip(results[:4], names, strict=True)]
    output = _render(records, "de", 100, catalog, monkeypatch)
    assert not set(BIDI) & set(output)
    partnerships = _columns(output)[1]  # wrapped cells joined, as a reader reads them
    for name in names:
        for char in set(BIDI) & set(name):
            assert f"\\u{ord(char):04x}" in partnerships


def test_rows_of_two_questionnaires_name_theirs_and_a_partnership_row_counts_who_answered_twice():
    """The example folder holds a quick check and both rounds of the full assessment of one partnership."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    env = {"COLUMNS": "200", "NO_COLOR": "1"}
    grouped = runner.invoke(app, ["score", str(examples), "--group-by", "partnership", "--format", "table"], env=env)
    assert grouped.exit_code == 0, grouped.output
    rows = [line for line in grouped.stdout.splitlines() if line.startswith("│")]
    assert "Fragebogen" in grouped.stdout and len(rows) == 2
    assert "slp-quickcheck 2.0" in rows[0] and "4 mehrfach geantwortet" not in rows[0]
    assert "slp-readiness 2.0" in rows[1] and "n = 12 (Stadt+Landkreis+Gemeinde+Sonstige); 4 mehrfach geantwortet" in rows[1]
    english = runner.invoke(app, ["score", str(examples), "--group-by", "partnership", "--format", "table", "--lang", "en"], env=env)
    assert "Questionnaire" in english.stdout and "4 answered more than once" in english.stdout
    one = runner.invoke(app, ["score", str(examples / "lindenau"), "--format", "table"], env=env)
    assert one.exit_code == 0 and "Fragebogen" not in one.stdout and "slp-readiness" not in one.stdout
