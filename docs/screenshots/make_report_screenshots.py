"""Screenshots of the first screen of the Lindenau report, for the README and the docs.

    python docs/screenshots/make_report_screenshots.py

writes docs/screenshots/report-desktop.png (1280 x 800) and report-phone.png (390 x 844 at twice
the pixel density) beside this script. It renders examples/lindenau with a fixed report date, so
the pictures change only when the report does. Needs the `test` extra (Playwright) and Chromium
(/usr/bin/chromium, or the path in SLP_CHROMIUM).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from slp_assess import api

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHOTS = {
    "report-desktop.png": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
    "report-phone.png": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2},
}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--hide-scrollbars", "--font-render-hinting=none"]


def render(target: Path) -> None:
    """The Lindenau report as HTML, dated 1 April 2026."""
    loaded = api.load_assessments([REPO / "examples" / "lindenau"], api.QuestionnaireCatalog())
    if loaded.invalid:
        sys.exit(f"invalid example files: {loaded.invalid}")
    reports = api.build_reports(loaded, lang="de", generated="2026-04-01")
    [html] = api.render_reports(reports, api.ReportFormat.HTML, "de")
    target.write_text(html, encoding="utf-8")


def main() -> None:
    browser_path = os.environ.get("SLP_CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "lindenau.html"
        render(page_file)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, args=FLAGS)
            for name, options in SHOTS.items():
                page = browser.new_page(**options)
                page.goto(page_file.as_uri())
                page.screenshot(path=str(HERE / name))
                page.close()
                print(f"wrote {HERE / name}")
            browser.close()


if __name__ == "__main__":
    main()
