"""`make serve` shows an edit by rendering only what shows the edited record, and keeps serving
every page it wrote before (MkDocs would empty its folder and rewrite everything each time).

One real `mkdocs serve` on a copy of the mini list; waits poll and are generous, they time nothing.
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
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

WAIT = 120.0
REBUILD = re.compile(r"generator: (\d+) paper pages \((\d+) rendered\) and \d+ other files; (\d+) written")


class Serve:
    def __init__(self, base: str, process: subprocess.Popen[str]) -> None:
        self.base, self.process, self.log = base, process, list[str]()

    def page(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def shows(self, path: str, text: str) -> bool:
        status, body = self.page(path)
        return status == 200 and text in body

    def wait(self, what: str, done: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT
        while not done():
            assert self.process.poll() is None, "the server stopped:\n" + "\n".join(self.log[-30:])
            if time.monotonic() > deadline:
                pytest.fail(f"waited {WAIT:.0f} s for {what}; log:\n" + "\n".join(self.log[-40:]))
            time.sleep(0.2)

    def rebuilds(self) -> list[tuple[int, int, int]]:
        """(paper pages, rendered, files written) of each build so far."""
        return [tuple(int(g) for g in m.groups()) for line in self.log if (m := REBUILD.search(line))]  # type: ignore[misc]


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    shutil.copytree(FIXTURES / "mini", folder)
    return folder


@pytest.fixture
def serve(papers: Path) -> Iterator[Serve]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PAPERS": str(papers), "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = Serve(f"http://127.0.0.1:{port}/reading-list/", process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            server.log.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    try:
        server.wait("the first build", lambda: server.shows("papers/retool-2025/", "ReTool") and bool(server.rebuilds()))
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_is_served_and_only_its_page_is_rendered_again(serve: Serve, papers: Path) -> None:
    assert serve.rebuilds()[0][:2] == (4, 4)
    edit(papers / "retool-2025.md", "ReTool: Reinforcement", "ReTool Revisited: Reinforcement")
    serve.wait("the new title on the paper's page", lambda: serve.shows("papers/retool-2025/", "ReTool Revisited"))
    serve.wait("the rebuild", lambda: len(serve.rebuilds()) >= 2)
    for path in ("topics/reasoning/", "tags/tool-use/", ""):  # where the paper is listed
        serve.wait(f"the new title on /{path}", lambda path=path: serve.shows(path, "ReTool Revisited"))
    papers_total, rendered, written = serve.rebuilds()[-1]
    assert (papers_total, rendered) == (4, 1)
    assert written < 40, serve.rebuilds()  # the pages and files that show the paper, not the whole site
    for other in ("drone-volleyball-2025", "generative-agents-2023", "social-deduction-2025"):
        assert serve.page(f"papers/{other}/")[0] == 200  # written by the first build, still served


def test_a_vocabulary_edit_renders_every_page_again(serve: Serve, papers: Path) -> None:
    edit(papers / "tags.yml", "title: Reinforcement learning", "title: Learning from reward")
    for paper in ("retool-2025", "drone-volleyball-2025"):
        serve.wait(f"the new tag title on {paper}",
                   lambda paper=paper: serve.shows(f"papers/{paper}/", "Learning from reward"))
    serve.wait("the rebuild", lambda: len(serve.rebuilds()) >= 2)
    assert serve.rebuilds()[-1][:2] == (4, 4)
