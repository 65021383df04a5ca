"""`slp serve` in a real browser: two phones and a laptop answer the quick-check, moderated from the projector.

Playwright drives the system Chromium (never a downloaded browser). The pages' own script moves
the phones when the moderator moves the room; one phone reloads half-way and keeps its place.
At the end the answer files on disk hold exactly what was tapped.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
import yaml

pytest.importorskip("starlette", reason="slp serve needs the serve extra: pip install 'slp-assess[serve]'")
playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs playwright (pip install '.[test]')")
CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no system Chromium at /usr/bin/chromium (.ci/run installs it); no browser is ever downloaded", allow_module_level=True)

from serve_support import Phone, start_workshop  # noqa: E402
from slp_assess.loading import load_questionnaire  # noqa: E402
from slp_assess.serve.security import Limits  # noqa: E402


def _quickcheck_steps() -> int:
    """Questions a participant of the bundled quick check is asked: its items and context questions."""
    from slp_assess.loading import load_questionnaire

    questionnaire = load_questionnaire("slp-quickcheck")
    return len(questionnaire.items()) + len(questionnaire.context)


STEPS = _quickcheck_steps()


FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
# Who sits where: two phones at 390 px and a laptop; per person where on each scale they tap, as a fraction
# of the way from its first option to its last (the city high, the district low, whatever the scale).
PEOPLE = [
    ("Anna Weber", "stadt", {"width": 390, "height": 844}, 1.0),
    ("Jan Roth", "landkreis", {"width": 390, "height": 844}, 0.0),
    ("Eva Öz", "stadt", {"width": 1280, "height": 800}, 0.75),
]


def _option(scale, position: float):
    """The option a person at ``position`` taps on ``scale``."""
    return scale.options[round(position * (len(scale.options) - 1))]


def _launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        launched = _launch(playwright)
        yield launched
        launched.close()


def _expected(questionnaire) -> list[dict[str, str]]:
    """Per person: the scale key each tap must leave in their answer file."""
    result: list[dict[str, str]] = [{} for _ in PEOPLE]
    for _, item in questionnaire.items():
        scale = questionnaire.scales[item.scale]
        for k, (_, _, _, position) in enumerate(PEOPLE):
            result[k][item.id] = _option(scale, position).key
    return result


def test_three_people_answer_the_quickcheck_moderated_from_the_projector(tmp_path):
    server = start_workshop(tmp_path / "ws", "moderated", limits=Limits(requests=(2000, 500.0)), poll_ms=150)
    questionnaire = load_questionnaire("slp-quickcheck")
    try:
        # The three people answer at the same time, as in the room: asyncio drives their pages side by side.
        seen_urls, problems = asyncio.run(_workshop_in_the_browser(server, questionnaire))
    finally:
        server.stop()
    base = f"http://127.0.0.1:{server.port}"
    # Every request stayed on this server: no CDN, no fonts, nothing from outside.
    assert seen_urls and all(url.startswith(base) for url in seen_urls), {u for u in seen_urls if not u.startswith(base)}
    assert not problems, problems  # a CSP violation or a script error would show here
    expected = _expected(questionnaire)
    for (name, *_), wanted in zip(PEOPLE, expected, strict=True):
        file = tmp_path / "ws" / f"{re.sub('[^a-z0-9]+', '-', name.lower().replace('ö', 'oe'))}.yaml"
        saved = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert saved["answers"] == wanted, name
        assert saved["context"]["context.partners"] == f"Partner von {name}"


async def _workshop_in_the_browser(server, questionnaire) -> tuple[list[str], list[str]]:
    from playwright.async_api import async_playwright

    base = f"http://127.0.0.1:{server.port}"
    seen_urls: list[str] = []
    problems: list[str] = []
    steps = server.workshop.state.steps
    async with async_playwright() as playwright:
        browser = await _launch(playwright)

        async def open_page(viewport):
            page = await (await browser.new_context(viewport=viewport)).new_page()
            page.on("request", lambda request: seen_urls.append(request.url))
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
            return page

        async def join(name, side, viewport):
            page = await open_page(viewport)
            await page.goto(f"{base}{server.join_path}/")
            await page.get_by_label("Ihr Name").fill(name)
            await page.get_by_label({"stadt": "Stadt", "landkreis": "Landkreis"}[side], exact=True).check()
            async with page.expect_navigation():
                await page.get_by_role("button", name="Teilnehmen").click()
            return page

        async def answer(page, number, step, person, questionnaire, reload):
            await page.get_by_text(f"Frage {number} von {len(steps)}").first.wait_for()
            if reload:
                await page.reload()  # half-way, Jan's phone reloads: the cookie keeps his place
                await page.get_by_text(f"Frage {number} von {len(steps)}").first.wait_for()
            await _tap(page, step, person, questionnaire)
            async with page.expect_navigation():
                await page.get_by_role("button", name="Antworten").click()
            await page.get_by_text("Danke! Gleich geht es weiter.").wait_for()

        pages = [await join(name, side, viewport) for name, side, viewport, _ in PEOPLE]
        presenter = await open_page({"width": 1280, "height": 800})
        await presenter.goto(f"{base}{server.presenter_path}/")
        await presenter.get_by_text("3 Teilnehmende").wait_for()
        for number, step in enumerate(steps, start=1):
            await asyncio.gather(*(answer(page, number, step, PEOPLE[k], questionnaire, number == len(steps) // 2 and k == 1)
                                   for k, page in enumerate(pages)))
            if step.item is not None and number == 2:
                # Everyone has answered: the projector shows the distribution per side by itself.
                await presenter.locator("table.dist").wait_for()
                await _assert_counts(presenter, step, questionnaire)
            async with presenter.expect_navigation():
                await presenter.get_by_role("button", name="Ergebnis zeigen" if number == len(steps) else "Weiter").click()
        for page in pages:
            await page.get_by_text("Vielen Dank!").wait_for()
        await presenter.get_by_text("Ergebnis der Gruppe").wait_for()
        group = await presenter.inner_text("table.group")
        assert "Stadt (2)" in group and "Landkreis (1)" in group
        await browser.close()
    return seen_urls, problems


async def _tap(page, step, person, questionnaire) -> None:
    name, _, _, position = person
    if step.item is not None:
        await page.get_by_label(_option(questionnaire.scales[step.item.scale], position).label["de"], exact=True).check()
        return
    question = step.question
    if question.type == "text":
        await page.get_by_label("Ihre Antwort").fill(f"Partner von {name}")
    elif question.type == "choice":
        await page.get_by_label(question.options[0].label["de"], exact=True).check()
    else:
        for option in question.options[:2]:
            await page.get_by_label(option.label["de"], exact=True).check()


async def _assert_counts(presenter, step, questionnaire) -> None:
    """The revealed distribution: per option, the count per side (Stadt, Landkreis) and in all."""
    scale = questionnaire.scales[step.item.scale]
    rows = {}
    for row in await presenter.locator("table.dist tbody tr").all():
        label = await row.locator("th").inner_text()
        rows[label] = [int(await cell.inner_text()) for cell in await row.locator("td.num").all()]
    by_label = {o.label["de"]: [0, 0, 0] for o in scale.options}
    for _, side, _, position in PEOPLE:
        chosen = _option(scale, position).label["de"]
        by_label[chosen][0 if side == "stadt" else 1] += 1
        by_label[chosen][2] += 1
    assert rows == by_label
    assert await presenter.locator("thead th.side-stadt").inner_text() == "Stadt"


def test_a_phone_without_javascript_still_answers_with_plain_forms(browser, tmp_path):
    server = start_workshop(tmp_path / "ws", "self")
    base = f"http://127.0.0.1:{server.port}"
    try:
        page = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False).new_page()
        page.goto(f"{base}{server.join_path}/")
        page.get_by_label("Stadt", exact=True).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Teilnehmen").click()
        first = load_questionnaire("slp-quickcheck").items()[0][1]
        tapped = _option(load_questionnaire("slp-quickcheck").scales[first.scale], 0.75)
        page.get_by_label(tapped.label["de"], exact=True).check()
        page.get_by_label("Notiz (freiwillig)").fill("ohne <b>JS</b>")
        with page.expect_navigation():
            page.get_by_role("button", name="Antworten").click()
        page.get_by_text(f"Frage 2 von {STEPS}").wait_for()
        with page.expect_navigation():
            page.get_by_role("button", name="Zurück").click()
        page.get_by_text(f"Ihre Antwort: {tapped.label['de']}").wait_for()
        assert page.get_by_label("Notiz (freiwillig)").input_value() == "ohne <b>JS</b>"
        # Anonymous: a number instead of a name, and the file is named after it.
        assert Phone(server.port).get(f"{server.join_path}/").status == 200
        saved = yaml.safe_load((tmp_path / "ws" / "teilnehmer-1.yaml").read_text(encoding="utf-8"))
        assert saved["respondent"]["name"] == "Teilnehmer 1"
        assert list(saved["answers"].values()) == [{"value": tapped.key, "note": "ohne <b>JS</b>"}]
    finally:
        server.stop()
