"""A built site served on 127.0.0.1 the way a static host serves it: gzip when the client asks.

Lighthouse's performance score counts bytes on the wire, so an uncompressed server would
measure a site nobody deploys. Text files are gzipped once (level 6, what common static hosts
use) and kept; the site is mounted at its ``site_url`` path, so absolute links (the 404 page)
resolve as they do online.
"""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSED_TYPES = ("text/", "application/json", "application/javascript", "application/xml",
                    "image/svg+xml", "application/manifest+json")
MIN_COMPRESS = 256  # bytes: below this gzip's header costs more than it saves


@lru_cache(maxsize=4096)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "javascript")) else kind


class _Handler(http.server.BaseHTTPRequestHandler):
    root: Path
    prefix: str

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def do_GET(self) -> None:
        self._respond(body=True)

    def _respond(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        target = self._file(path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                self._send(301, b"", "text/plain", extra={"Location": path + "/"}, body=body)
                return
            target = target / "index.html"
        status = 200
        if target is None or not target.is_file():
            target, status = self.root / "404.html", 404
        kind = _content_type(target)
        data = target.read_bytes()
        compress = ("gzip" in self.headers.get("Accept-Encoding", "") and kind.startswith(COMPRESSED_TYPES)
                    and len(data) >= MIN_COMPRESS)
        if compress:
            data = _gzipped(target, target.stat().st_mtime_ns)
        self._send(status, data, kind, extra={"Content-Encoding": "gzip"} if compress else {}, body=body)

    def _file(self, path: str) -> Path | None:
        """What a URL path names under the site, or None outside it."""
        if not path.startswith(self.prefix):
            return None
        target = (self.root / path[len(self.prefix):]).resolve()
        return target if target.is_relative_to(self.root) else None

    def _send(self, status: int, data: bytes, kind: str, extra: dict[str, str], body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Vary", "Accept-Encoding")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)


@contextmanager
def serving(site: Path, prefix: str = "/") -> Iterator[str]:
    """Serve ``site`` under ``prefix`` on a free port; yields the base URL (ends with '/')."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("Handler", (_Handler,), {"root": site.resolve(), "prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
