"""Browser tests: Debian's Chromium driven by Playwright, over a site built and served here.

Locally the tests skip when Chromium is missing; in CI (CI is set) they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..support import serve

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and is missing at {CHROMIUM} (.ci/run installs it)")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": FLAGS}


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    """Base URL (ends with '/') of the real site, served on 127.0.0.1."""
    yield from serve(real_site)


@pytest.fixture
def outside_requests(page: Any, site_url: str) -> list[str]:
    """Every request the page makes to anything but the local server (should stay empty)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url)
            if not request.url.startswith((site_url, "data:", "blob:", "about:")) else None)
    return seen


__all__ = ["serve", "shutil"]
