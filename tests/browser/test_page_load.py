"""What a page does as it loads, in Chromium (issue 16): the search index only once search is used, a
skip link that moves focus, a browse page that does not move as its script starts, targets big enough."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator.model import Catalog

INDEX = "search/search_index.json"
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1350, "height": 940}}
# Every layout shift the page makes, summed as CLS sums them (no input happens in these tests).
SHIFTS = """window.rlShifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.rlShifts.push(e.value); })
  .observe({type: "layout-shift", buffered: true});"""


def test_the_search_index_is_fetched_only_once_search_is_used(page: Page, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url) if INDEX in request.url else None)
    page.goto(site_url + "contributing/")
    page.wait_for_load_state("networkidle")
    assert requested == []  # Material's bundle asked for it; header-search.js holds the request
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("record", delay=10)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15_000)
    assert requested == [site_url + INDEX]  # once, and the search answers from it


def test_the_keyboard_shortcut_opens_search_with_its_index(page: Page, site_url: str) -> None:
    with page.expect_request(lambda request: INDEX in request.url, timeout=15_000):
        page.goto(site_url + "about/")
        page.wait_for_load_state("networkidle")
        page.keyboard.press("/")  # Material's shortcut: focuses the search box, which releases the request


@pytest.mark.parametrize("path", ["", "papers/{paper}/", "tags/", "paths/"])
def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_past_the_header(
        page: Page, site_url: str, real_catalog: Catalog, path: str) -> None:
    page.goto(site_url + path.format(paper=real_catalog.papers[0].id))
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent.trim()]")
    assert "md-skip" in focused[0] and focused[1] == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate("!!document.activeElement.closest('.md-content, .md-sidebar--secondary')")
    assert inside, "the first Tab after the skip link stays in the header"


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_browse_page_does_not_move_as_it_starts(browser: Any, site_url: str, device: dict[str, Any]) -> None:
    context = browser.new_context(**device)
    page = context.new_page()
    page.add_init_script(SHIFTS)
    page.goto(site_url + "browse/")
    page.wait_for_selector("#rl-browse[data-status=ready]", state="attached", timeout=20_000)
    page.wait_for_timeout(500)
    shifts = page.evaluate("window.rlShifts")
    context.close()
    assert sum(shifts) <= 0.01, shifts


def test_browse_tag_checkboxes_are_24_pixels_or_more(page: Page, site_url: str) -> None:
    page.goto(site_url + "browse/")
    page.wait_for_selector("#rl-browse[data-status=ready]", state="attached", timeout=20_000)
    sizes = page.eval_on_selector_all(
        "#rl-tag-list input[type=checkbox]", "els => els.map(e => [e.getBoundingClientRect().width, "
        "e.getBoundingClientRect().height])")
    assert len(sizes) > 20
    assert all(w >= 24 and h >= 24 for w, h in sizes), sizes[:3]
