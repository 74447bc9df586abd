"""A real `mkdocs serve` (the command behind `make serve`) on a records folder, for tests.

Waits poll and are generous: they time nothing.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .support import ROOT

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
WAIT = 120.0  # seconds; a rebuild of the mini list takes one or two
REBUILD = re.compile(r"generator: (\d+) paper pages \((\d+) rendered\) and \d+ other files; (\d+) written")


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

    def page_shows(self, path: str, text: str) -> bool:
        status, body = self.get(path)
        return status == 200 and text in body

    def page_is_gone(self, path: str) -> bool:
        return self.get(path)[0] == 404

    def wait_for(self, what: str, ok: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT
        while not ok():
            assert self.process.poll() is None, "the server stopped:\n" + "\n".join(self.log[-30:])
            if time.monotonic() > deadline:
                shown = "\n".join(line for line in self.log if " code 404" not in line)[-6000:]
                pytest.fail(f"waited {WAIT:.0f} s for {what}; server log:\n{shown}")
            time.sleep(0.2)

    def wait_for_log(self, pattern: str, after: int) -> str:
        """The first log line from index ``after`` on that matches ``pattern`` (waiting for it)."""
        regex = re.compile(pattern)
        found: list[str] = []
        self.wait_for(f"a log line matching {pattern!r}",
                      lambda: bool(found.extend(line for line in self.log[after:] if regex.search(line)) or found))
        return found[0]

    def rebuilds(self) -> list[tuple[int, int, int]]:
        """(paper pages, rendered, files written) of each build so far."""
        return [tuple(int(g) for g in m.groups()) for line in self.log if (m := REBUILD.search(line))]  # type: ignore[misc]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def mkdocs_serve(papers: Path, ready: Callable[[Server], bool]) -> Iterator[Server]:
    """`mkdocs serve` with PAPERS=``papers``, once ``ready`` says the first build is served; stopped after."""
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
        running.wait_for("the first build", lambda: ready(running))
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
