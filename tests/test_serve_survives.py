"""`make serve` survives what a contributor does while editing: a broken record, a deleted
record, a renamed tag, a vocabulary file with a YAML syntax error. Each time the server says
what is wrong, keeps serving the last good site, and shows the fixed list once the file is fixed.

One real `mkdocs serve` (the command behind `make serve`) on a copy of the mini list; the
waits are generous and poll, they time nothing.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .mkdocs_serve import Server, mkdocs_serve
from .support import FIXTURES

FIXTURE = FIXTURES / "mini"


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    shutil.copytree(FIXTURE, folder)
    return folder


@pytest.fixture
def server(papers: Path) -> Iterator[Server]:
    with mkdocs_serve(papers, lambda running: running.page_shows("papers/retool-2025/", "ReTool")) as running:
        yield running


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_broken_record_is_reported_and_the_last_good_site_stays(server: Server, papers: Path) -> None:
    record = papers / "retool-2025.md"
    before = len(server.log)
    _edit(record, "tags: [reinforcement-learning, tool-use]", "tags: [reinforcement-learning, tool-use")  # unclosed
    line = server.wait_for_log(r"retool-2025\.md:\d+", before)
    assert "retool-2025.md:" in line and "not valid YAML" in line, line
    server.wait_for_log(r"still serving the last good version", before)
    assert server.page_shows("papers/retool-2025/", "ReTool: Reinforcement Learning")
    assert server.page_shows("", "ReTool")  # the home page lists it still

    record.write_text((FIXTURE / "retool-2025.md").read_text(encoding="utf-8").replace(
        "ReTool: Reinforcement", "ReTool (fixed): Reinforcement"), encoding="utf-8")
    server.wait_for("the fixed title", lambda: server.page_shows("papers/retool-2025/", "ReTool (fixed)"))


def test_a_deleted_record_leaves_the_site(server: Server, papers: Path) -> None:
    (papers / "drone-volleyball-2025.md").unlink()
    server.wait_for("the deleted paper's page to go", lambda: server.page_is_gone("papers/drone-volleyball-2025/"))
    status, home = server.get("")
    assert status == 200 and "drone-volleyball-2025" not in home and "retool-2025" in home
    assert server.page_shows("papers/retool-2025/", "ReTool")


def test_a_renamed_tag_is_reported_until_the_records_follow(server: Server, papers: Path) -> None:
    before = len(server.log)
    _edit(papers / "tags.yml", "tool-use:\n", "tool-calling:\n")
    server.wait_for_log(r"retool-2025\.md:\d+.*tool-use", before)
    server.wait_for_log(r"still serving the last good version", before)
    assert server.page_shows("tags/tool-use/", "Tool use")  # the last good site
    assert server.page_is_gone("tags/tool-calling/")

    for record in papers.glob("*.md"):  # the records follow the new name
        record.write_text(re.sub(r"\btool-use\b", "tool-calling", record.read_text(encoding="utf-8")), encoding="utf-8")
    server.wait_for("the renamed tag's page", lambda: server.page_shows("tags/tool-calling/", "ReTool"))
    assert server.page_is_gone("tags/tool-use/")


def test_a_vocabulary_syntax_error_is_reported_and_fixed(server: Server, papers: Path) -> None:
    topics = papers / "topics.yml"
    good = topics.read_text(encoding="utf-8")
    before = len(server.log)
    topics.write_text(good + "broken: [\n", encoding="utf-8")
    line = server.wait_for_log(r"topics\.yml:\d+", before)
    assert "not valid YAML" in line, line
    server.wait_for_log(r"still serving the last good version", before)
    assert server.page_shows("papers/retool-2025/", "ReTool")
    assert server.page_shows("topics/", "Topics")

    topics.write_text(good.replace("title: Reasoning", "title: Reasoning (fixed)", 1), encoding="utf-8")
    server.wait_for("the fixed vocabulary", lambda: server.page_shows("topics/", "Reasoning (fixed)"))
