"""Rendered reports: golden files, escaping of hostile input, sandboxed user templates, JSON schema.

Golden files live in tests/golden/. After a deliberate change to templates or texts, regenerate them with

    SLP_UPDATE_GOLDEN=1 /work/venv/bin/pytest tests/test_report_render.py

and review the diff (and the HTML in a browser) before committing.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from slp_assess import __version__
from slp_assess.cli import app
from slp_assess.models.report import AggregateReport
from slp_assess.report import ReportFormat
from slp_assess.report.formatting import markdown_escape, number, signed

FIXTURES = Path(__file__).parent / "fixtures" / "report"
GOLDEN = Path(__file__).parent / "golden"
QUESTIONNAIRE = str(FIXTURES / "questionnaire.yaml")
EPOCH = "1775001600"  # 2026-04-01
runner = CliRunner()

REPO = Path(__file__).resolve().parents[1]
# Relative to the repository, where render() runs: golden files must not depend on the checkout's location.
CASES = {
    "single": ["tests/fixtures/report/elbtal/stadt-weber.yaml"],
    "multi": ["tests/fixtures/report/elbtal"],
}


def render(*args: str, epoch: str | None = EPOCH) -> str:
    env = {"SOURCE_DATE_EPOCH": epoch} if epoch else {}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        if epoch is None:
            mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = runner.invoke(app, ["report", *args, "-q", QUESTIONNAIRE], env=env)
    assert result.exit_code == 0, result.output
    # The version changes with every release; the golden files should not.
    return result.stdout.replace(f"slp-assess {__version__}", "slp-assess VERSION")


TEXT_FORMATS = [f for f in ReportFormat if not f.to_renderer().binary]


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case, fmt):
    text = render(*CASES[case], "--format", fmt.value)
    golden = GOLDEN / f"report-{case}{fmt.suffix}"
    if os.environ.get("SLP_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} differs; see the module docstring"


def test_every_format_has_a_renderer():
    for fmt in ReportFormat:
        renderer = fmt.to_renderer("en")
        assert renderer.suffix == fmt.suffix


def test_same_inputs_same_bytes_and_no_clock_date():
    first = render(*CASES["multi"], "--format", "html")
    assert render(*CASES["multi"], "--format", "html") == first
    # Without SOURCE_DATE_EPOCH the report is dated by its latest answer file, never by the clock.
    undated = render(*CASES["multi"], "--format", "json", epoch=None)
    assert json.loads(undated)["meta"]["generated"] == "2026-03-19"
    assert "Bericht erstellt: 19. März 2026" in render(*CASES["multi"], epoch=None)


def test_json_validates_against_the_models_schema():
    data = json.loads(render(*CASES["multi"], "--format", "json"))
    jsonschema.validate(data, AggregateReport.model_json_schema())
    assert data["overall"]["blockers"][0]["item"] == "success.eye_level.equal_say"


def test_english_numbers_and_german_decimal_comma():
    assert (number(62.5, "de"), number(62.25, "de"), number(62.5, "en"), number(None, "de")) == ("62,5", "62,3", "62.5", "–")
    assert (signed(12.5, "de"), signed(-3, "en"), signed(0.01, "de")) == ("+12,5", "−3.0", "±0,0")
    english = render(*CASES["multi"], "--format", "md", "--lang", "en")
    assert "The rural side rates “Eye level” 56.3 points lower than the city side." in english
    german = render(*CASES["multi"], "--format", "md")
    assert "Die ländliche Seite bewertet „Augenhöhe“ um 56,3 Punkte niedriger als die städtische Seite." in german


HOSTILE = "<script>alert(1)</script> | `x` \n# Überschrift\n- Liste | noch | mehr"


def _hostile_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    for source in (FIXTURES / "elbtal").glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        text = text.replace("Der Nutzen wurde im Kreistag vorgestellt.", HOSTILE.replace("\n", "\\n").replace('"', '\\"'))
        text = text.replace("name: Anna Weber", 'name: "<b>Anna</b> | # Weber"')
        (folder / source.name).write_text(text, encoding="utf-8")
    return folder


def _tables(markdown: str) -> list[tuple[int, list[int]]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables, rows, cells = [], [], 0
    for token in tokens:
        if token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            rows.append(cells)
            cells = 0
        elif token.type == "table_close":
            tables.append((len(rows), rows))
            rows = []
    return tables


def test_markdown_structure_survives_hostile_notes_and_names(tmp_path):
    clean = render(str(FIXTURES / "elbtal"), "--format", "md")
    hostile = render(str(_hostile_copy(tmp_path)), "--format", "md")
    assert _tables(hostile) == _tables(clean)
    md = MarkdownIt("commonmark").enable("table")
    headings = [t.tag for t in md.parse(hostile) if t.type == "heading_open"]
    assert headings == [t.tag for t in md.parse(clean) if t.type == "heading_open"]
    html = md.render(hostile)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_html_structure_survives_hostile_notes_and_names(tmp_path):
    clean, hostile = _Counter(), _Counter()
    clean.feed(render(str(FIXTURES / "elbtal"), "--format", "html"))
    text = render(str(_hostile_copy(tmp_path)), "--format", "html")
    hostile.feed(text)
    assert hostile.tags == clean.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script" not in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [("# h", "\\# h"), ("- l", "\\- l"), ("1. x", "1\\. x"), ("1.0", "1.0"), ("a|b", "a\\|b"), ("`c`", "\\`c\\`"),
     ("<i>", "&lt;i\\>"), ("a\n\nb", "a b")],
)
def test_markdown_escape(raw, escaped):
    assert markdown_escape(raw) == escaped


def test_user_templates_override_bundled_ones_in_a_sandbox(tmp_path):
    (tmp_path / "report.md.j2").write_text("Eigene Vorlage: {{ report.meta.partnership }} {{ report.overall.score | num }}\n")
    text = render(*CASES["multi"], "--template-dir", str(tmp_path))
    assert text == "Eigene Vorlage: Stadt-Land-Partnerschaft Elbtal 55,2\n"
    (tmp_path / "report.md.j2").write_text("{{ report.__class__.__mro__[1].__subclasses__() }}\n")
    result = runner.invoke(app, ["report", *CASES["multi"], "-q", QUESTIONNAIRE, "--template-dir", str(tmp_path)])
    assert result.exit_code == 3
    assert "template report.md.j2" in result.stderr and "unsafe" in result.stderr


def test_failing_render_leaves_no_file(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text("{{ no_such_variable }}")
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    result = runner.invoke(app, ["report", *CASES["multi"], "-q", QUESTIONNAIRE, "--template-dir", str(templates), "-o", str(target)])
    assert result.exit_code == 3, result.output
    assert list(target.parent.iterdir()) == []


def test_html_is_self_contained():
    text = render(*CASES["multi"], "--format", "html")
    assert not re.search(r"""(src|href)=["'](https?:)?//""", text)
    assert "<script" not in text and '<html lang="de">' in text
    assert text.count("<svg") >= 2 and 'role="img"' in text and "<desc" in text and "<title" in text


# Mostly letters and spaces, so that a string is often plain but for one character, or two spaces.
_MARKDOWN_TOUCHY = "#+-=.)0123456789\t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\\`*_[]|~>&<Z\u00e4\u202e\u2066\x07\U0001f600"
_MARKDOWN_TEXTS = st.lists(st.sampled_from("aä1.") | st.just(" ") | st.sampled_from(_MARKDOWN_TOUCHY), max_size=10).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_MARKDOWN_TEXTS | st.text(max_size=12))
def test_markdown_escape_leaves_as_it_is_only_what_every_step_would_leave(text):
    # The shortcut for plain strings must print exactly what the full steps print.
    from slp_assess.report.formatting import _markdown_escaped

    assert markdown_escape(text) == _markdown_escaped(text)
