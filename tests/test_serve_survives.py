"""`make serve` survives what a contributor does while editing: a broken record, a deleted
record, a renamed tag, a vocabulary file with a YAML syntax error. Each time the server says
what is wrong, keeps serving the last good site, and shows the fixed list once the file is fixed.

One real `mkdocs serve` (the command behind `make serve`) on a copy of the mini list; the
waits are generous and poll, they time nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ROOT

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
FIXTURE = ROOT / "tests" / "fixtures" / "mini"
WAIT = 120.0  # seconds; a rebuild of the mini list takes one or two


@dataclass
class Server:
    base: str
    process: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def wait_for(self, what: str, ok: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server stopped:\n" + "\n".join(self.log[-30:])
            if ok():
                return
            time.sleep(0.3)
        pytest.fail(f"waited {WAIT:.0f} s for {what}; server log:\n" + "\n".join(line for line in self.log if " code 404" not in line)[-6000:])

    def wait_for_log(self, pattern: str, after: int) -> str:
        regex = re.compile(pattern)
        found: list[str] = []
        self.wait_for(f"a log line matching {pattern!r}",
                      lambda: bool(found.extend(line for line in self.log[after:] if regex.search(line)) or found))
        return found[0]

    def page_shows(self, path: str, text: str) -> bool:
        status, body = self.get(path)
        return status == 200 and text in body

    def page_is_gone(self, path: str) -> bool:
        return self.get(path)[0] == 404


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    shutil.copytree(FIXTURE, folder)
    return folder


@pytest.fixture
def server(papers: Path) -> Iterator[Server]:
    port = _free_port()
    env = {**os.environ, "PAPERS": str(papers), "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen([str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    running = Server(f"http://127.0.0.1:{port}/reading-list/", process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.log.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    try:
        running.wait_for("the first build", lambda: running.page_shows("papers/retool-2025/", "ReTool"))
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


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
