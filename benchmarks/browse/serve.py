"""A static file server for the benchmark that honours HTTP Range requests (single ranges).

Python's http.server ignores Range, and sql.js-httpvfs reads its database in pages with
``Range: bytes=a-b``. Optionally gzips text responses, like GitHub Pages does, so the
benchmark can report both raw and compressed transfer sizes.

    python benchmarks/browse/serve.py SITE_DIR [PORT]    # prints the URL, serves until killed
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_TYPES = {".wasm": "application/wasm", ".js": "text/javascript", ".bin": "application/octet-stream"}
_COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".bib", ".wasm", ".bin")


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler plus ``Range: bytes=a-b`` (206) and optional gzip."""

    gzip_enabled = False
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return _TYPES.get(os.path.splitext(str(path))[1], "") or super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            index = os.path.join(path, "index.html")
            if not self.path.split("?", 1)[0].endswith("/") or not os.path.exists(index):
                super().do_GET()
                return
            path = index
        if not os.path.isfile(path):
            super().do_GET()
            return
        data = Path(path).read_bytes()
        ctype = self.guess_type(path)
        match = _RANGE.match(self.headers.get("Range", "").strip())
        if match and (match.group(1) or match.group(2)):
            size = len(data)
            if match.group(1):
                start = int(match.group(1))
                end = min(size - 1, int(match.group(2))) if match.group(2) else size - 1
            else:
                start, end = max(0, size - int(match.group(2))), size - 1
            if start >= size or start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.end_headers()
                return
            body = data[start:end + 1]
            self.send_response(206)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            self.wfile.write(body)
            return
        body = data
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Accept-Ranges", "bytes")
        if (self.gzip_enabled and path.endswith(_COMPRESSIBLE)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(data, compresslevel=6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serving(directory: Path, gzip_enabled: bool = False, port: int = 0) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port unless given); yields the base URL."""
    handler_class = type("Handler", (RangeHandler,), {"gzip_enabled": gzip_enabled})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    with serving(Path(sys.argv[1]), gzip_enabled="--gzip" in sys.argv,
                 port=int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 0) as url:
        print(url, flush=True)
        threading.Event().wait()
