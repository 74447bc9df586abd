"""Helpers for tests that build a site: build a records folder into a folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def build(papers: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator build` as a contributor would, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--papers", str(papers), "--out", str(out), *extra],
        cwd=ROOT, capture_output=True, text=True, check=False, env=_env())


def _env() -> dict[str, str]:
    import os
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
