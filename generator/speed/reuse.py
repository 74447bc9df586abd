"""What a build may reuse from the one before: one :class:`Reuse` object, and what it knows.

The pure stages never keep anything between builds. ``mkdocs serve`` gives them a
:class:`Reuse` (a :class:`generator.made.Made`) that keeps per-item results (citation-key
bases, BibTeX and other export pieces, browse words, listing pages) while their inputs are
equal, the last build's :class:`~generator.speed.previous.Memory`, the theme's compiled templates and the thread that
writes a rebuild's exports after it returned. ``generator build`` passes what the folder it
builds into holds (:class:`generator.speed.previous.Previous`) instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

import jinja2.bccache

from generator.speed.previous import Memory

T = TypeVar("T")
log = logging.getLogger("mkdocs.generator")


class Reuse:
    """Everything one `mkdocs serve` build may take from the build before it in this process."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], tuple[object, object]] = {}  # (kind, name) -> (inputs, item)
        self._used: set[tuple[str, str]] = set()
        self.memory: Memory | None = None  # what the last build wrote
        self.templates = CompiledTemplates()  # the theme's, for MkDocs' Jinja environment
        self._background: threading.Thread | None = None

    def get(self, kind: str, name: str, inputs: object, make: Callable[[], T]) -> T:
        """:meth:`generator.made.Made.get`: the item of the last build while its inputs are equal."""
        slot = (kind, name)
        self._used.add(slot)
        hit = self._kept.get(slot)
        if hit is not None and hit[0] == inputs:
            return hit[1]  # type: ignore[return-value]  # stored by this method with the same kind and name
        item = make()
        self._kept[slot] = (inputs, item)
        return item

    def begin_build(self) -> None:
        """Wait for the last build's exports, then drop the items it did not use (papers gone)."""
        self.wait()
        self._kept = {slot: kept for slot, kept in self._kept.items() if slot in self._used}
        self._used = set()

    def later(self, job: Callable[[], None]) -> None:
        """Run ``job`` in a thread: the server holds every request while it rebuilds, and a rebuild's
        exports, feeds and browse index are a third of it but no page the edit shows."""

        def run() -> None:
            try:
                job()
            except Exception:
                log.exception("generator: writing the exports, feeds and browse index failed")

        self._background = threading.Thread(target=run, name="generator-exports", daemon=True)
        self._background.start()

    def wait(self) -> None:
        job, self._background = self._background, None
        if job is not None:
            job.join()


class CompiledTemplates(jinja2.bccache.BytecodeCache):
    """Compiled templates in memory, by name and source checksum (an edited template compiles again):
    MkDocs makes a new Jinja environment on each rebuild, and compiling Material's templates took a
    fifth of a rebuild."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.kept.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()
