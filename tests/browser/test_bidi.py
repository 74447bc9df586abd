"""Right-to-left names in Chromium: a card whose authors are Arabic and Hebrew still shows its year
after them, reading "2025" (issue 15, item 4).

Without isolation the bidi algorithm makes one right-to-left run of the names, the " · " and the
year (digits after Arabic letters take its direction), and lays it out reversed: the year lands to
the left of the names. Each test measures where the browser put the year, then takes the <bdi>
away in the live page and measures again, to show that the isolation is what keeps it in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

from ..hostile.test_lookalikes import ORIGINAL, lookalike_papers
from ..support import built, serve

PAPER_ID = ORIGINAL.removesuffix(".md")

UNWRAP = """card => { for (const bdi of card.querySelectorAll(".rl-card__meta bdi"))
  bdi.replaceWith(document.createTextNode(bdi.textContent)); }"""


@pytest.fixture(scope="module")
def lookalike_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("bidi-browser")
    yield from serve(built(lookalike_papers(folder), folder / "site"))


def _year_after_authors(card: Locator) -> bool:
    """Whether the year is laid out to the right of the authors (and, as read, reads 2025)."""
    authors = card.locator(".rl-card__authors").bounding_box()
    year_element = card.locator(".rl-card__year")
    year = year_element.bounding_box()
    assert authors is not None and year is not None
    assert year_element.inner_text() == "2025"
    return year["x"] >= authors["x"] + authors["width"] - 1


def _check(card: Locator) -> None:
    assert card.locator(".rl-card__authors bdi").inner_text() == "محمد علي, דוד לוי"
    assert _year_after_authors(card), "the year left its place after the right-to-left names"
    card.evaluate(UNWRAP)  # the same card without isolation: the year jumps to the left of the names
    assert not _year_after_authors(card)


def test_a_listing_card_keeps_the_year_after_arabic_and_hebrew_names(page: Page, lookalike_url: str) -> None:
    page.goto(lookalike_url + "topics/scripts-and-breakouts/")
    card = page.locator("li.rl-card", has=page.locator(f'a[href$="papers/{PAPER_ID}/"]'))
    _check(card)


def test_a_browse_card_built_by_script_keeps_the_year_after_the_names(page: Page, lookalike_url: str) -> None:
    if not Path(__file__).parent.parent.parent.joinpath("docs", "browse.md").exists():
        pytest.skip("no browse page")
    page.goto(lookalike_url + "browse/?topic=scripts-and-breakouts")
    card = page.locator(f'li.rl-card[data-id="{PAPER_ID}"]')
    card.wait_for()
    _check(card)
