"""The HTML report in a real browser: nothing runs off a phone's or a desktop's screen, chart text
stays readable on a phone, and axe-core finds no serious accessibility problem.

Measured in the page (headless Chromium through Playwright), never by eye. Skipped with a reason
when Playwright (the `test` extra) or Chromium (apt: chromium) is missing; one browser serves the
whole module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
FIXTURES = REPO / "tests" / "fixtures" / "report"
REPORTS = {
    "lindenau": ["report", str(REPO / "examples" / "lindenau")],
    "lindenau-en-previous": ["report", str(REPO / "examples" / "lindenau"), "--lang", "en", "--anonymize",
                             "--previous", str(REPO / "examples" / "lindenau-2025")],
    "single": ["report", str(FIXTURES / "elbtal" / "stadt-weber.yaml"), "-q", str(FIXTURES / "questionnaire.yaml")],
    # Both rounds at once: the warning naming the four who answered twice, under the verdict.
    "both-rounds": ["report", str(REPO / "examples" / "lindenau"), str(REPO / "examples" / "lindenau-2025")],
}

# Every element whose box reaches beyond the viewport, unless a box that scrolls or clips (and
# itself fits) holds it, like a wide table in its scrolling frame; and the page's own scroll width.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const fits = (el) => el.getBoundingClientRect().right <= width + 0.5 && el.getBoundingClientRect().left >= -0.5;
  const held = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible' && fits(p)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (!fits(el) && !held(el)) out.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''} right=${r.right.toFixed(1)}`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, offenders: out.slice(0, 10)};
}"""

# The rendered size of every chart text (its font size times the SVG's scale on screen), and
# whether it lies within its chart: an SVG clips what runs over its edge.
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart text')].map((t) => {
  const svg = t.closest('svg');
  const size = parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize);
  const box = t.getBoundingClientRect(), frame = svg.getBoundingClientRect();
  const inside = box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5;
  return [size * svg.getScreenCTM().a, inside, t.textContent];
})"""


# The tables of numbers behind the charts are folded away; open them, so they are measured too.
OPEN_ALL = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright (pip, `test` extra)")
    if not CHROMIUM.exists():
        pytest.skip("needs Chromium at /usr/bin/chromium (apt: chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    written = {}
    for name, args in REPORTS.items():
        target = folder / f"{name}.html"
        result = CliRunner().invoke(app, [*args, "-o", str(target)], env={"SOURCE_DATE_EPOCH": "1775001600"})
        assert result.exit_code == 0, result.output
        written[name] = target
    return written


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_nothing_overflows_the_viewport(browser, pages, name, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(pages[name].as_uri())
        page.evaluate(OPEN_ALL)
        measured = page.evaluate(OVERFLOW)
    finally:
        page.close()
    assert measured["scrollWidth"] <= measured["width"], measured
    assert measured["offenders"] == [], measured


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_chart_text_is_at_least_10_px_on_a_phone_and_within_its_chart(browser, pages, name):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(pages[name].as_uri())
        sizes = page.evaluate(CHART_TEXT)
    finally:
        page.close()
    assert sizes, "the report has chart text"
    small = [(round(size, 2), text) for size, _, text in sizes if size < 10]
    assert small == []
    assert [text for _, inside, text in sizes if not inside] == []


@pytest.mark.parametrize("name", ["lindenau", "lindenau-en-previous"])
def test_axe_core_finds_no_serious_violation(browser, pages, name):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="needs axe-playwright-python (`test` extra)")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(pages[name].as_uri())
        page.evaluate(OPEN_ALL)
        results = axe_module.Axe().run(page)
    finally:
        page.close()
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
