"""`make serve` shows an edit by rendering only what shows the edited record, and keeps serving
every page it wrote before (MkDocs would empty its folder and rewrite everything each time).

One real `mkdocs serve` on a copy of the mini list; waits poll and are generous, they time nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .mkdocs_serve import Server, mkdocs_serve
from .support import FIXTURES, pages_showing


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    shutil.copytree(FIXTURES / "mini", folder)
    return folder


@pytest.fixture
def serve(papers: Path) -> Iterator[Server]:
    with mkdocs_serve(papers, lambda running: running.page_shows("papers/retool-2025/", "ReTool")
                      and bool(running.rebuilds())) as running:
        yield running


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_is_served_and_only_the_pages_showing_it_are_rendered_again(serve: Server, papers: Path) -> None:
    assert serve.rebuilds()[0][:2] == (4, 4)
    edit(papers / "retool-2025.md", "ReTool: Reinforcement", "ReTool Revisited: Reinforcement")
    serve.wait_for("the new title on the paper's page", lambda: serve.page_shows("papers/retool-2025/", "ReTool Revisited"))
    serve.wait_for("the rebuild", lambda: len(serve.rebuilds()) >= 2)
    for path in ("topics/reasoning/", "tags/tool-use/", ""):  # where the paper is listed
        serve.wait_for(f"the new title on /{path}", lambda path=path: serve.page_shows(path, "ReTool Revisited"))
    papers_total, rendered, written = serve.rebuilds()[-1]
    showing = pages_showing(papers, "retool-2025")  # its title in their related papers
    assert (papers_total, rendered) == (4, 1 + len(showing))
    for other in showing:
        assert serve.page_shows(f"papers/{other}/", "ReTool Revisited")
    assert written < 40, serve.rebuilds()  # the pages and files that show the paper, not the whole site
    for other in ("drone-volleyball-2025", "generative-agents-2023", "social-deduction-2025"):
        assert serve.get(f"papers/{other}/")[0] == 200  # written by the first build, still served


def test_a_vocabulary_edit_renders_every_page_again(serve: Server, papers: Path) -> None:
    edit(papers / "tags.yml", "title: Reinforcement learning", "title: Learning from reward")
    for paper in ("retool-2025", "drone-volleyball-2025"):
        serve.wait_for(f"the new tag title on {paper}",
                   lambda paper=paper: serve.page_shows(f"papers/{paper}/", "Learning from reward"))
    serve.wait_for("the rebuild", lambda: len(serve.rebuilds()) >= 2)
    assert serve.rebuilds()[-1][:2] == (4, 4)
