"""Polite HTTP GETs for `suggest`: a pause between requests, timeouts, retries with backoff, a cache.

arXiv asks API users for "no more than one request every three seconds" and a single connection
at a time (https://info.arxiv.org/help/api/tou.html): :class:`Fetcher` waits ``interval``
seconds between its requests, retries a timeout, a refused connection, HTTP 429 and 5xx up to
``RETRIES`` times with a doubling pause, and keeps each answer in ``cache_dir`` (one file per URL,
reused for ``CACHE_SECONDS``), so that running `suggest` twice in an afternoon asks arXiv once.
Every failure is one :class:`ImportFailed` line naming the host and what to do; never a traceback.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from generator.errors import ImportFailed
from generator.importers.arxiv import network_reason
from generator.text import one_line

ARXIV_INTERVAL = 3.0  # seconds between two requests to arXiv: its published rate
TIMEOUT = 20.0  # seconds for connecting and for each read (arXiv's searches can take ~10 s)
RETRIES = 3  # further attempts after a timeout, a refused connection, HTTP 429 or 5xx
MAX_BYTES = 20_000_000  # an answer longer than this is refused (100 entries are ~300 KB)
CACHE_SECONDS = 6 * 3600
USER_AGENT = "emergent-reading-list suggest (https://github.com/; python -m generator suggest)"
OFFLINE_HINT = "check your connection and run it again"


class Fetcher:
    """GETs to one API, ``interval`` seconds apart, with retries and an answer cache."""

    def __init__(self, interval: float, cache_dir: Path | None, timeout: float = TIMEOUT,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.sleep = sleep
        self.clock = clock
        self.requests = 0  # made over the network (not answered from the cache)
        self._last: float | None = None

    def get(self, url: str, what: str) -> bytes:
        """The body of ``url`` (from the cache when fresh); ImportFailed with one line otherwise."""
        cached = self._cached(url)
        if cached is not None:
            return cached
        host = urllib.parse.urlsplit(url).netloc
        for attempt in range(RETRIES + 1):
            self._wait()
            try:
                data = self._once(url)
            except _Retry as retry:
                self._last = self.clock()
                if attempt == RETRIES:
                    raise ImportFailed(f"{what} at {host} {retry.reason} ({RETRIES + 1} attempts); "
                                       f"{retry.hint}") from None
                self.sleep(self.interval * 2 ** attempt)  # 3, 6, 12 s at arXiv's rate
                continue
            self._last = self.clock()
            self._store(url, data)
            return data
        raise AssertionError("unreachable")

    def _once(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data: bytes = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                raise _Retry(f"answered HTTP {exc.code} {one_line(str(exc.reason))}", "try again later") from None
            host = urllib.parse.urlsplit(url).netloc
            raise ImportFailed(f"the API at {host} answered HTTP {exc.code} {one_line(str(exc.reason))}; "
                               "check --arxiv-api and papers/watch.yml") from None
        except urllib.error.URLError as exc:
            raise _Retry(f"cannot be reached ({network_reason(exc.reason)})", OFFLINE_HINT) from None
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            raise _Retry(f"cannot be reached ({network_reason(exc)})", OFFLINE_HINT) from None
        if len(data) > MAX_BYTES:
            host = urllib.parse.urlsplit(url).netloc
            raise ImportFailed(f"the API at {host} answered more than {MAX_BYTES:,} bytes; lower max_results "
                               "in papers/watch.yml")
        return data

    def _wait(self) -> None:
        if self._last is not None:
            pause = self.interval - (self.clock() - self._last)
            if pause > 0:
                self.sleep(pause)

    def _path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".xml")

    def _cached(self, url: str) -> bytes | None:
        path = self._path(url)
        try:
            if path is None or time.time() - path.stat().st_mtime > CACHE_SECONDS:
                return None
            return path.read_bytes()
        except OSError:
            return None

    def _store(self, url: str, data: bytes) -> None:
        path = self._path(url)
        if path is None:
            return
        try:  # a cache that cannot be written only costs a request next time
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_name(f".{path.name}.{os.getpid()}")
            staging.write_bytes(data)
            staging.replace(path)
        except OSError:
            pass


class _Retry(Exception):
    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint

