"""The link parser agrees with Chromium (issue 15, item 9): for every link of the hostile link cases, what
``ada`` (generator/urls.py) reads is what Chromium's own URL parser reads, so the host `check` judges and the
pages show is the host a reader's browser goes to."""

from __future__ import annotations

import ada_url
import pytest
from playwright.sync_api import Page

from ..hostile.test_links_and_out import BROWSERS_READ, REFUSED

READ = "text => { try { const u = new URL(text); return [u.href, u.host, u.username]; } catch (e) { return null; } }"


def _refused_links() -> list[str]:
    links = []
    for path in sorted(REFUSED.iterdir()):
        line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("  code: "))
        links.append(line.removeprefix("  code: ").strip('"').replace("\\\\", "\\"))
    return links


def _ada(text: str) -> list[str] | None:
    try:
        url = ada_url.URL(text)
    except ValueError:
        return None
    return [url.href, url.host, url.username]


@pytest.mark.parametrize("text", sorted(BROWSERS_READ) + _refused_links())
def test_ada_reads_each_link_as_chromium_does(page: Page, text: str) -> None:
    assert _ada(text) == page.evaluate(READ, text)


def test_chromium_goes_to_evil_com_for_the_backslash_link(page: Page) -> None:
    assert page.evaluate(READ, "https://\\evil.com\\@good.org/") == ["https://evil.com/@good.org/", "evil.com", ""]
