"""Shared fixtures: small record folders to copy and break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .support import FIXTURES


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
