"""What a build may reuse from the one before: one :class:`Reuse` object, and what it knows.

The pure stages never keep anything between builds. ``mkdocs serve`` gives them a
:class:`Reuse` (a :class:`generator.made.Made`) that keeps per-item results (citation-key
bases, BibTeX and other export pieces, browse words, listing pages) while their inputs are
equal, the last build's :class:`Memory`, the theme's compiled templates and the thread that
writes a rebuild's exports after it returned. ``generator build`` passes what the folder it
builds into holds (:class:`Previous`) instead.

Which paper pages must be rendered again:

A paper page depends on its record, the vocabulary (tag and topic titles), its
citation key (another paper's edit can change it) and the shell around it. When
all of these are as in the build that wrote the folder, the page on disk is the
page this build would write, so it is kept without rendering it.

`generator build` learns what changed from the state it saved (record sizes and
times, see :mod:`.build_state`); `mkdocs serve` from the catalog it built last
in this process (:class:`Memory`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import jinja2.bccache

from generator.model import Catalog, Paper, Tag, Topic

T = TypeVar("T")
log = logging.getLogger("mkdocs.generator")


@dataclass(frozen=True)
class Previous:
    """The folder an earlier build wrote, as far as this build can trust it."""

    outputs: frozenset[str] | None  # its files (relative paths); None when unknown
    shell: str  # digest of the paper-page shell it filled
    unchanged: frozenset[str]  # ids of papers whose record and vocabulary are as then
    keys: Mapping[str, str]  # paper id -> citation key then

    def keeps(self, paper: Paper, key: str, shell: str) -> bool:
        """Whether the page of ``paper`` on disk is the one this build would write."""
        return shell == self.shell and paper.id in self.unchanged and self.keys.get(paper.id) == key


def shell_digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


@dataclass
class Memory:
    """What the last build in this process wrote (for `mkdocs serve` rebuilds)."""

    root: str
    papers: dict[str, Paper]
    topics: dict[str, Topic]
    tags: dict[str, Tag]
    keys: dict[str, str]
    shell: str
    outputs: frozenset[str]

    def previous(self, root: str, catalog: Catalog) -> Previous | None:
        """How the folder ``root`` relates to ``catalog``; None when it is another folder."""
        if root != self.root:
            return None
        same_vocabulary = dict(catalog.topics) == self.topics and dict(catalog.tags) == self.tags
        unchanged = frozenset(p.id for p in catalog.papers if self.papers.get(p.id) == p) if same_vocabulary \
            else frozenset()
        return Previous(self.outputs, self.shell, unchanged, self.keys)


def remember(root: str, catalog: Catalog, keys: dict[str, str], shell: str, outputs: frozenset[str]) -> Memory:
    return Memory(root, {p.id: p for p in catalog.papers}, dict(catalog.topics), dict(catalog.tags), keys, shell,
                  outputs)


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
