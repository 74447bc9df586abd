"""What tests share: where things are, the fixed day, and building a records folder into a site.

Import from here (``from .support import ...``); conftest.py holds only pytest fixtures.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.load import load
from generator.related import related_papers

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 24)


def build(papers: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator build` as a contributor would, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--papers", str(papers), "--out", str(out), *extra],
        cwd=ROOT, capture_output=True, text=True, check=False, env=build_env())


def built(papers: Path, out: Path) -> Path:
    """``out`` after a build of ``papers`` that must succeed (its output shown when it does not)."""
    run = build(papers, out)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def build_env() -> dict[str, str]:
    """The environment of a build run by a test (MkDocs' banner about version 2 silenced)."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(directory: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a random port) for the duration of a fixture."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def pages_showing(papers: Path, paper_id: str) -> set[str]:
    """The ids of the other papers whose pages link ``paper_id`` (related papers, relations, paths)."""
    catalog = load(papers).catalog
    assert catalog is not None
    related = related_papers(catalog)
    return {p.id for p in catalog.papers if p.id != paper_id and (
        paper_id in related.get(p.id, ()) or paper_id in p.builds_on + p.challenges
        or any(paper_id in (s.paper for s in path.steps) for path, _ in catalog.steps_of(p.id)))}
