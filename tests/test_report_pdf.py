"""PDF output: the Lindenau report printed by headless Chromium, read back with pypdf; output names.

The printing tests skip with a reason when Chromium is missing; what happens without it (one line,
exit 3, no file) and the refusal of unknown suffixes are tested everywhere.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.report.pdf import fixed_dates

REPO = Path(__file__).resolve().parents[1]
LINDENAU = str(REPO / "examples" / "lindenau")
FIXTURES = REPO / "tests" / "fixtures" / "report"
EPOCH = {"SOURCE_DATE_EPOCH": "1775001600"}  # 2026-04-01
runner = CliRunner()
pypdf = pytest.importorskip("pypdf", reason="needs pypdf (pip, `test` extra)")


@pytest.fixture(scope="module")
def chromium():
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs Chromium at /usr/bin/chromium (apt: chromium)")


@pytest.fixture(scope="module")
def lindenau_pdf(chromium, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("pdf") / "lindenau.pdf"
    result = runner.invoke(app, ["report", LINDENAU, "-o", str(target)], env=EPOCH)
    assert result.exit_code == 0, result.output
    return target


def _texts(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_lindenau_fits_twelve_a4_pages_with_the_summary_on_page_one(lindenau_pdf):
    reader = pypdf.PdfReader(lindenau_pdf)
    pages = len(reader.pages)
    assert pages <= 12
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}
    first = reader.pages[0].extract_text()
    for heading in ("52,2", "in Entwicklung", "6 Kernanforderungen in 4 Faktoren sind nicht erfüllt", "Handlungsbedarf",
                    "Faktorprofil", "Sichtweisen", "So lesen Sie diesen Bericht", f"Seite 1 von {pages}"):
        assert heading in first
    # The short list: all five entries with their first steps and the blanks to fill in.
    for title in ("Absicherung über Wahlperioden hinaus", "Arbeitskapazitäten und persönlicher Einsatz",
                  "Transparenz von Kosten und Nutzen", "Verbindliche Regelung der Finanzierung", "Spielregeln für Konflikte und Krisen"):
        assert title in first
    assert first.count("Erster Schritt") == 5 and first.count("Bis wann") == 5
    # What follows the summary starts on page 2.
    assert "Nicht erfüllte Kernanforderungen" not in first


def test_every_page_has_its_number_and_a_running_header_and_none_is_mostly_empty(lindenau_pdf):
    texts = _texts(lindenau_pdf)
    for number, text in enumerate(texts, start=1):
        assert f"Seite {number} von {len(texts)}" in text
    for text in texts[1:]:
        assert text.startswith("Stadt-Land-Partnerschaft Lindenau-Auental-Hohenmoor")
        assert "Selbsteinschätzung der Stadt-Land-Partnerschaft · 1. April 2026" in text
    typical = statistics.median(len(t) for t in texts)
    assert all(len(t) > typical / 2 for t in texts[:-1]), [len(t) for t in texts]
    assert len(texts[-1]) > typical / 5


def _printed_twice_alike(print_one, seen: list[bytes]) -> bool:
    """Whether two of up to four prints (``seen`` and new ones from ``print_one``) are the same bytes.

    Chromium itself, seldom (about one full test run in eight on a loaded machine), lays a page out a
    hair differently: one content stream a byte longer. A date or anything else taken from the clock
    would make every print differ, and fails.
    """
    while len(seen) < 4:
        seen.append(print_one())
        if len(set(seen)) < len(seen):
            return True
    return False


def test_the_same_report_gives_the_same_bytes_dated_by_the_report(lindenau_pdf, tmp_path):
    again = tmp_path / "again.pdf"

    def print_one() -> bytes:
        assert runner.invoke(app, ["report", LINDENAU, "--format", "pdf", "-o", str(again)], env=EPOCH).exit_code == 0
        return again.read_bytes()

    assert _printed_twice_alike(print_one, [lindenau_pdf.read_bytes()])
    assert pypdf.PdfReader(again).metadata["/CreationDate"] == "D:20260401000000+00'00'"


def test_fixed_dates_keep_every_byte_offset():
    data = b"<< /CreationDate (D:20261127110753+00'00')\n/ModDate (D:20261127110753+01'00') >>"
    fixed = fixed_dates(data, "2026-03-18")
    assert len(fixed) == len(data) and fixed.count(b"(D:20260318000000+00'00')") == 2
    assert fixed_dates(data, None) == data.replace(b"20261127110753", b"19700101000000").replace(b"+01'00'", b"+00'00'")


@settings(max_examples=200, deadline=None)
@given(stamp=st.datetimes().map(lambda d: d.strftime("%Y%m%d%H%M%S").zfill(14)),
       zone=st.sampled_from(["", "Z", "+00'00'", "-05'30'", "+14'00'"]),
       date=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat().zfill(10))),
       around=st.binary(max_size=40))
def test_the_pdf_dates_never_keep_the_time_of_printing(stamp, zone, date, around):
    """Whatever Chromium stamped, with or without a report date, the dates become one constant of the same length."""
    data = around + f"/CreationDate (D:{stamp}{zone})/ModDate (D:{stamp}{zone})".encode() + around
    fixed = fixed_dates(data, date)
    day = (date or "1970-01-01").replace("-", "")
    utc = {"": "", "Z": "Z"}.get(zone, "+00'00'")
    assert len(fixed) == len(data)
    assert fixed == around + f"/CreationDate (D:{day}000000{utc})/ModDate (D:{day}000000{utc})".encode() + around


def test_an_undated_report_prints_the_same_bytes_dated_by_the_unix_epoch(chromium, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    undated = tmp_path / "undated.yaml"
    source = (REPO / "examples" / "lindenau" / "andrea-vogt.yaml").read_text(encoding="utf-8")
    undated.write_text("".join(line for line in source.splitlines(keepends=True) if not line.startswith("date:")),
                       encoding="utf-8")
    first = tmp_path / "first.pdf"

    def print_one() -> bytes:
        result = runner.invoke(app, ["report", str(undated), "-o", str(first)], env={"SOURCE_DATE_EPOCH": None})
        assert result.exit_code == 0, result.output
        return first.read_bytes()

    assert _printed_twice_alike(print_one, [])
    metadata = pypdf.PdfReader(tmp_path / "first.pdf").metadata
    assert metadata["/CreationDate"] == metadata["/ModDate"] == "D:19700101000000+00'00'"


def test_pdf_to_standard_output_and_a_portfolio_of_pdfs(chromium, tmp_path):
    piped = runner.invoke(app, ["report", str(FIXTURES / "elbtal"), "-q", str(FIXTURES / "questionnaire.yaml"), "-f", "pdf"], env=EPOCH)
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"%PDF")
    folder = tmp_path / "berichte"
    result = runner.invoke(app, ["report", str(FIXTURES / "elbtal"), str(FIXTURES / "nordheide"), "-q",
                                 str(FIXTURES / "questionnaire.yaml"), "-f", "pdf", "-o", str(folder)], env=EPOCH)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "index.html", "index.md", "partnerschaft-nordheide.pdf", "stadt-land-partnerschaft-elbtal.pdf",
    ]
    assert (folder / "stadt-land-partnerschaft-elbtal.pdf").read_bytes().startswith(b"%PDF")
    assert 'href="partnerschaft-nordheide.pdf"' in (folder / "index.html").read_text(encoding="utf-8")


def test_compare_prints_to_pdf(chromium, tmp_path):
    target = tmp_path / "entwicklung.pdf"
    result = runner.invoke(app, ["compare", str(FIXTURES / "elbtal-2025"), str(FIXTURES / "elbtal"), "-q",
                                 str(FIXTURES / "questionnaire.yaml"), "-o", str(target)], env=EPOCH)
    assert result.exit_code == 0, result.output
    first = _texts(target)[0]
    assert "Vergleich der Befragung vom 21. März 2025" in first and "Seite 1 von 1" in first


def test_without_a_browser_one_line_names_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser on this PATH
    monkeypatch.delenv("SLP_CHROMIUM", raising=False)
    target = tmp_path / "bericht.pdf"
    result = runner.invoke(app, ["report", str(FIXTURES / "elbtal"), "-q", str(FIXTURES / "questionnaire.yaml"), "-o", str(target)])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "apt install chromium" in result.stderr and "SLP_CHROMIUM" in result.stderr
    assert not target.exists()
    monkeypatch.setenv("SLP_CHROMIUM", str(tmp_path / "no-such-browser"))
    result = runner.invoke(app, ["report", str(FIXTURES / "elbtal"), "-q", str(FIXTURES / "questionnaire.yaml"), "-o", str(target)])
    assert result.exit_code == 3 and "no-such-browser" in result.stderr and not target.exists()


@settings(max_examples=40, deadline=None)
@given(suffix=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=1, max_size=6))
def test_an_unknown_suffix_is_a_usage_error_that_names_the_formats(tmp_path_factory, suffix):
    if suffix.lower() in {"md", "html", "json", "pdf"}:
        return
    folder = tmp_path_factory.mktemp("out")
    target = folder / f"bericht.{suffix}"
    result = runner.invoke(app, ["report", str(FIXTURES / "elbtal"), "-q", str(FIXTURES / "questionnaire.yaml"), "-o", str(target)])
    assert result.exit_code == 3, result.output
    assert re.search(r"\.md, \.html, \.json, \.pdf", result.stderr) and "--format" in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("name", ["bericht.htm", "bericht.docx", "bericht.markdown", "bericht.txt"])
def test_an_unknown_suffix_is_refused_by_compare_too_and_allowed_with_format(tmp_path, name):
    args = ["compare", str(FIXTURES / "elbtal-2025"), str(FIXTURES / "elbtal"), "-q", str(FIXTURES / "questionnaire.yaml")]
    refused = runner.invoke(app, [*args, "-o", str(tmp_path / name)])
    assert refused.exit_code == 3 and not (tmp_path / name).exists()
    chosen = runner.invoke(app, [*args, "-o", str(tmp_path / name), "--format", "md"])
    assert chosen.exit_code == 0 and (tmp_path / name).read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("name", ["Bericht.PDF", "bericht.Html", "bericht.MD"])
def test_known_suffixes_in_any_case(tmp_path, name):
    from slp_assess.cli.report import choose_format

    assert choose_format(None, str(tmp_path / name)).value == Path(name).suffix.lower().lstrip(".")
