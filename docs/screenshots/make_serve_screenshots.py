"""Screenshots of `slp serve` for the README: a phone (390 px wide) and the presenter view.

Starts a demo workshop on loopback in a temporary folder, lets five simulated participants join
and answer, moves the room to a question everyone has answered, and captures the pages with
Playwright driving the system Chromium (never a downloaded browser):

    python docs/screenshots/make_serve_screenshots.py            # writes docs/screenshots/serve-*.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from serve_support import Phone, start_workshop  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
PEOPLE = [("Anna Weber", "stadt", ["4", "5"]), ("Jan Roth", "landkreis", ["2", "3"]), ("Eva Öz", "stadt", ["5", "4"]),
          ("Ole Bauer", "landkreis", ["2", "2"]), ("Kim Ay", "gemeinde", ["3", "2"])]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = start_workshop(Path(tmp) / "workshop")
        try:
            phones = []
            for name, side, answers in PEOPLE:
                phone = Phone(server.port)
                page = phone.join(server, name, side)
                page = phone.answer(server, page, answers[0])
                phones.append((phone, answers))
            server.workshop.moderate("next")
            for phone, answers in phones[1:]:
                page = phone.get(f"{server.join_path}/q")
                phone.answer(server, page, answers[1])
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                base = f"http://127.0.0.1:{server.port}"
                phone_page = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2).new_page()
                phone_page.context.add_cookies([{"name": k, "value": v, "url": f"{base}{server.join_path}/"} for k, v in phones[0][0].cookies.items()])
                phone_page.goto(f"{base}{server.join_path}/q")
                phone_page.get_by_label("trifft eher zu", exact=True).check()
                phone_page.screenshot(path=str(HERE / "serve-phone.png"))
                presenter = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
                server.workshop.moderate("reveal")
                presenter.goto(f"{base}{server.presenter_path}/")
                presenter.screenshot(path=str(HERE / "serve-presenter.png"), full_page=True)
                server.workshop.moderate("finish")
                presenter.goto(f"{base}{server.presenter_path}/")
                presenter.screenshot(path=str(HERE / "serve-result.png"), full_page=True)
                browser.close()
        finally:
            server.stop()
    for name in ("serve-phone.png", "serve-presenter.png", "serve-result.png"):
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
