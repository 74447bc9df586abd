"""The curator's parts of the site in Chromium: the map of topics x phenomena, and reading paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from generator.load import load
from generator.model import Catalog

from ..support import ROOT

SCREENSHOTS = Path(__file__).parent.parent.parent / ".cache" / "screenshots"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load(ROOT / "papers")
    assert result.catalog is not None
    return result.catalog


def both(catalog: Catalog, topic: str, tag: str) -> list[str]:
    """The ids of the papers in ``topic`` with ``tag``, newest first (as browse lists them)."""
    return [p.id for p in catalog.papers_in_topic(topic) if tag in p.tags]


def test_the_map_counts_what_the_records_say(page: Page, site_url: str, catalog: Catalog) -> None:
    page.goto(site_url)
    table = page.locator(".rl-map table")
    expect(table.locator("caption")).to_be_visible()
    columns = table.locator("thead th[scope=col] a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    phenomena = [h.strip("/").split("/")[-1] for h in columns]
    assert phenomena == sorted((t.id for t in catalog.tags.values() if t.facet == "phenomenon"),
                               key=lambda t: catalog.tags[t].title.casefold()) or set(phenomena) == {
        t.id for t in catalog.tags.values() if t.facet == "phenomenon"}
    rows = table.locator("tbody tr")
    assert rows.count() == len(catalog.topics)
    for r in range(rows.count()):
        row = rows.nth(r)
        topic = row.locator("th[scope=row] a").get_attribute("href").strip("/").split("/")[-1]  # type: ignore[union-attr]
        cells = row.locator("td")
        assert cells.count() == len(phenomena)
        for c, tag in enumerate(phenomena):
            text = cells.nth(c).inner_text().strip()
            count = len(both(catalog, topic, tag))
            assert text == (str(count) if count else "·"), (topic, tag)


def test_a_map_cell_opens_the_browse_view_of_exactly_its_papers(page: Page, site_url: str, catalog: Catalog) -> None:
    page.goto(site_url)
    cells = page.locator(".rl-map td a")
    assert cells.count() > 10
    for index in (0, cells.count() // 2, cells.count() - 1):
        page.goto(site_url)
        cell = page.locator(".rl-map td a").nth(index)
        href = cell.get_attribute("href") or ""
        topic, tag = re.match(r"browse/\?topic=([a-z0-9-]+)&tags=([a-z0-9-]+)$", href).groups()  # type: ignore[union-attr]
        expected = both(catalog, topic, tag)
        assert cell.inner_text() == str(len(expected))
        cell.click()
        page.wait_for_selector("#rl-browse[data-status=ready]", state="attached")
        expect(page.locator("#rl-status")).to_contain_text(f"{len(expected)} paper")
        shown = page.eval_on_selector_all("#rl-results > li", "items => items.map(i => i.dataset.id)")
        assert shown == expected


def test_the_map_scrolls_on_a_phone_and_is_accessible(browser: object, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site_url)
    region = page.locator(".rl-map")
    box = region.bounding_box()
    assert box is not None and box["width"] <= 390
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # the page itself does not scroll sideways
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # the table does, inside its region
    assert Axe().run(page, context={"include": [".rl-map"]}).violations_count == 0
    context.close()


def test_path_navigation_walks_the_steps_in_order(page: Page, site_url: str, catalog: Catalog) -> None:
    for path in catalog.paths.values():
        page.goto(f"{site_url}paths/{path.id}/")
        expect(page.locator("h1")).to_contain_text(path.title)
        page.locator(".md-content a[href$='/papers/" + path.steps[0].paper + "/']").first.click()
        for number, step in enumerate(path.steps, 1):
            expect(page).to_have_url(f"{site_url}papers/{step.paper}/")
            nav = page.locator(".rl-pathnav")
            where = nav.locator(".rl-pathnav__where", has_text=path.title)
            expect(where).to_contain_text(f"Step {number} of {len(path.steps)} in {path.title}")
            if number < len(path.steps):
                moves = where.locator("xpath=following-sibling::p[1]")
                moves.locator("a[rel=next]").click()
        for number in range(len(path.steps) - 1, 0, -1):  # and back, with Previous
            where = page.locator(".rl-pathnav .rl-pathnav__where", has_text=path.title)
            where.locator("xpath=following-sibling::p[1]").locator("a[rel=prev]").click()
            expect(page).to_have_url(f"{site_url}papers/{path.steps[number - 1].paper}/")


def test_screenshots_for_the_record(browser: object, site_url: str, catalog: Catalog) -> None:
    """Not an assertion: pictures of the curator's parts for the issue (in .cache/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = next(iter(catalog.paths.values()))
    step = path.steps[2].paper
    topic = next(iter(catalog.topics))
    shots = [("home-desktop", "", 1280, 900, ".rl-map"), ("home-phone", "", 390, 844, ".rl-map"),
             ("topic-start-here", f"topics/{topic}/", 1280, 1000, None), ("paper", f"papers/{step}/", 1280, 1000, None),
             ("paper-read-next", f"papers/{step}/", 1280, 1000, "#read-next"), ("path", f"paths/{path.id}/", 1280, 1000, None)]
    for name, url, width, height, anchor in shots:
        context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(site_url + url)
        if anchor:
            page.locator(anchor).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        context.close()
