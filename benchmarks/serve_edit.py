"""How long an edit takes to show up in `mkdocs serve` (the design target: within a second at 20k).

    python benchmarks/serve_edit.py [--n 20000] [--seed 1] [--port 8765]

Starts ``.venv/bin/mkdocs serve`` from the repository with ``PAPERS`` set to a
synthetic corpus of N records, waits until it serves the paper page, changes
that record's title, then polls the page until the new title appears and
prints the seconds from the edit to visible. The record is restored and the
server stopped afterwards, whatever happened.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from corpus import DEFAULT_OUT, ROOT, begin_edit, ensure_corpus, pick_record, restore_edit

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
TITLE_LINE = re.compile(r'^title: "(.*)"$', re.MULTILINE)


def mount_path(config: Path) -> str:
    """The path `mkdocs serve` serves the site under: the path of site_url ('/reading-list/')."""
    match = re.search(r"^site_url:\s*(\S+)", config.read_text(encoding="utf-8"), re.MULTILINE)
    if not match:
        return "/"
    path = re.sub(r"^https?://[^/]+", "", match.group(1).strip("'\""))
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def fetch(url: str) -> str | None:
    """The page's text, or None while the server does not serve it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body: bytes = response.read()
            return body.decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # the server's own process group (started below)
        process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000, help="corpus size (default 20000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where corpora live (default benchmarks/out)")
    parser.add_argument("--startup-timeout", type=float, default=float(os.environ.get("TIMEOUT", "1800")),
                        help="seconds to wait for the first build (default: $TIMEOUT or 1800)")
    parser.add_argument("--settle", type=float, default=10.0,
                        help="seconds to let the server finish its work before the edit (default 10)")
    parser.add_argument("--edit-timeout", type=float, default=120.0,
                        help="seconds to wait for the edit to show (default 120)")
    args = parser.parse_args(argv)

    corpus, _ = ensure_corpus(args.out.resolve(), args.n, args.seed)
    record = pick_record(corpus)
    record_id = record.stem
    url = f"http://127.0.0.1:{args.port}{mount_path(ROOT / 'mkdocs.yml')}papers/{record_id}/"
    log = args.out.resolve() / "logs" / f"serve-edit-{args.n}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PAPERS": str(corpus), "NO_MKDOCS_2_WARNING": "1"}
    command = [str(MKDOCS), "serve", "-a", f"127.0.0.1:{args.port}"]
    print(f"starting {' '.join(command)} with PAPERS={corpus} ({args.n} records); log: {log}", flush=True)
    with open(log, "wb") as output:
        started = time.perf_counter()
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        page = None
        while page is None:
            if server.poll() is not None:
                print(f"FAILED: mkdocs serve exited with {server.returncode} before serving {url}\n{tail(log)}")
                return 1
            if time.perf_counter() - started > args.startup_timeout:
                print(f"FAILED: {url} not served within {args.startup_timeout:g} s\n{tail(log)}")
                return 1
            page = fetch(url)
            if page is None:
                time.sleep(0.25)
        print(f"serving after {time.perf_counter() - started:.1f} s: {url}", flush=True)
        original = begin_edit(record)  # writes a backup beside the records: the watcher rebuilds once for it
        time.sleep(1.5)
        fetch(url)  # returns once that rebuild is done
        time.sleep(args.settle)  # and its exports, written after it (one edit, not two in a row, is measured)
        marker = f"Edited{secrets.token_hex(4)}"
        match = TITLE_LINE.search(original)
        if match is None:
            print(f"FAILED: no quoted title line in {record}")
            return 1
        edited = original[: match.end(1)] + f" {marker}" + original[match.end(1):]
        record.write_text(edited, encoding="utf-8")
        edited_at = time.perf_counter()
        while True:
            page = fetch(url)  # the server holds requests while it rebuilds: this returns once it is done
            waited = time.perf_counter() - edited_at
            if page is not None and marker in page:
                print(f"edit visible after {waited:.2f} s (N={args.n}; target: within 1 s at 20k)")
                return 0
            if server.poll() is not None:
                print(f"FAILED: mkdocs serve exited with {server.returncode} after the edit\n{tail(log)}")
                return 1
            if waited > args.edit_timeout:
                print(f"FAILED: the new title of {record_id} did not appear at {url} within "
                      f"{args.edit_timeout:g} s of the edit (is {corpus} watched?)\n{tail(log)}")
                return 1
            time.sleep(0.05)
    finally:
        restore_edit(corpus)
        stop(server)


if __name__ == "__main__":
    sys.exit(main())
