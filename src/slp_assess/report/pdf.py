"""PDF: the HTML report printed by headless Chromium.

Why Chromium and not WeasyPrint: the HTML report is what the tests check for layout (overflow at
390 and 1280 px, axe-core) and what people open in a browser; printing it in the same engine gives
the same layout on paper, with no second CSS implementation to test against. Chromium prints the
report's @page margin boxes (running header, "Seite 3 von 12"), needs no Python dependency, and
is already an OS package of the test setup. WeasyPrint would add some fifteen Python packages and
still need pango from the OS.

A missing browser is a usage error naming what to install. Output is deterministic: Chromium
stamps the time of printing as /CreationDate and /ModDate, which are replaced by the report date, or
the Unix epoch when no date is known (same length, so no byte offset moves); the /Creator entry names the Chromium version.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from slp_assess.errors import OutputError, UsageError
from slp_assess.oneline import quoted

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = (
    "PDF output needs Chromium or Google Chrome: install it (Debian/Ubuntu: apt install chromium; "
    "macOS: brew install --cask chromium) or set SLP_CHROMIUM to the browser's path"
)
# Headless, offline and without a profile of its own: nothing but the page is loaded or kept.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-extensions",
    "--no-pdf-header-footer",
)
TIMEOUT = 180
UNDATED = "1970-01-01"
_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}(Z|[+-]\d{2}'\d{2}')?\)")
# UTC written in as many bytes as the zone Chromium wrote (none, Z or +hh'mm').
_UTC = {None: b"", b"Z": b"Z"}


def find_browser() -> str:
    """The browser that prints: ``SLP_CHROMIUM``, else the first of ``BROWSERS`` on the PATH."""
    chosen = os.environ.get("SLP_CHROMIUM", "").strip()
    if chosen:
        found = shutil.which(chosen)
        if found is None:
            raise UsageError(f"SLP_CHROMIUM={quoted(chosen)} is not an executable program; {INSTALL_HINT}")
        return found
    for name in BROWSERS:
        if (found := shutil.which(name)) is not None:
            return found
    raise UsageError(INSTALL_HINT)


def html_to_pdf(html: str, date: str | None = None) -> bytes:
    """Print one self-contained HTML page to PDF; ``date`` (ISO) becomes the PDF's creation date."""
    browser = find_browser()
    with tempfile.TemporaryDirectory(prefix="slp-pdf-") as folder:
        page, pdf = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [browser, *FLAGS, f"--user-data-dir={Path(folder) / 'profile'}", f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"{browser} did not finish printing the PDF within {TIMEOUT} s") from None
        except OSError as exc:
            raise UsageError(f"cannot run {browser}: {exc.strerror or exc}; {INSTALL_HINT}") from None
        if not pdf.exists() or pdf.stat().st_size == 0:
            detail = _last_line(done.stderr) or f"exit code {done.returncode}"
            raise OutputError(f"{browser} could not print the PDF: {detail}")
        return fixed_dates(pdf.read_bytes(), date)


def fixed_dates(data: bytes, date: str | None) -> bytes:
    """``data`` with its creation and modification dates set to ``date`` (midnight UTC), byte lengths kept.

    Without a date (no ``SOURCE_DATE_EPOCH``, no answer dated) the dates are the Unix epoch, 1970-01-01: a
    constant, so the same input still gives the same bytes; the clock time of printing would not.
    """
    stamp = (date or UNDATED).replace("-", "").encode("ascii") + b"000000"

    def replace(match: re.Match[bytes]) -> bytes:
        # Same length as what Chromium wrote, so every byte offset after it stays.
        return b"/" + match.group(1) + b" (D:" + stamp + _UTC.get(match.group(2), b"+00'00'") + b")"

    return _DATES.sub(replace, data)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
