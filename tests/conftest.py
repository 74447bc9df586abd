"""Shared fixtures: small record folders to copy and break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.load import load
from generator.model import Catalog

from .support import FIXTURES, ROOT, built


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/mini: four valid records and their vocabulary."""
    target = tmp_path / "papers"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture
def write_record(mini: Path) -> Callable[[str, str], Path]:
    """Write a record file into the mini list and return its path."""

    def write(name: str, text: str) -> Path:
        path = mini / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def real_catalog() -> Catalog:
    """The real list (papers/), loaded once per test session."""
    result = load(ROOT / "papers")
    assert result.catalog is not None, [p.text() for p in result.errors]
    return result.catalog


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the real papers/ folder, built once per test session."""
    return built(ROOT / "papers", tmp_path_factory.mktemp("real") / "site")


@pytest.fixture
def catalog(real_catalog: Catalog) -> Catalog:
    """The real list, unless a test module defines its own ``catalog``."""
    return real_catalog


@pytest.fixture
def site(real_site: Path) -> Path:
    """The real list's site, unless a test module defines its own ``site``."""
    return real_site
