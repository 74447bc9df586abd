"""What an earlier build left in the site folder, and which paper pages must be rendered again.

A paper page depends on its record, the vocabulary (tag and topic titles), its
context (its citation key and what it shows of other papers: related papers,
relations, reading paths; another paper's edit can change it) and the shell
around it. When
all of these are as in the build that wrote the folder, the page on disk is the
page this build would write, so it is kept without rendering it.

`generator build` learns what changed from the state it saved (record sizes and
times, see :mod:`.build_state`); `mkdocs serve` from the catalog it built last
in this process (:class:`Memory`, kept by :class:`generator.speed.reuse.Reuse`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from generator.model import Catalog, Paper, Tag, Topic


@dataclass(frozen=True)
class Previous:
    """The folder an earlier build wrote, as far as this build can trust it."""

    outputs: frozenset[str] | None  # its files (relative paths); None when unknown
    shell: str  # digest of the paper-page shell it filled
    unchanged: frozenset[str]  # ids of papers whose record and vocabulary are as then
    contexts: Mapping[str, str]  # paper id -> its page's context then (citation key and :func:`generator.pipeline.neighbours` digest)

    def keeps(self, paper: Paper, context: str, shell: str) -> bool:
        """Whether the page of ``paper`` on disk is the one this build would write."""
        return shell == self.shell and paper.id in self.unchanged and self.contexts.get(paper.id) == context


def shell_digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


@dataclass
class Memory:
    """What the last build in this process wrote (for `mkdocs serve` rebuilds)."""

    root: str
    papers: dict[str, Paper]
    topics: dict[str, Topic]
    tags: dict[str, Tag]
    contexts: dict[str, str]
    shell: str
    outputs: frozenset[str]

    def previous(self, root: str, catalog: Catalog) -> Previous | None:
        """How the folder ``root`` relates to ``catalog``; None when it is another folder."""
        if root != self.root:
            return None
        same_vocabulary = dict(catalog.topics) == self.topics and dict(catalog.tags) == self.tags
        unchanged = frozenset(p.id for p in catalog.papers if self.papers.get(p.id) == p) if same_vocabulary \
            else frozenset()
        return Previous(self.outputs, self.shell, unchanged, self.contexts)


def remember(root: str, catalog: Catalog, contexts: dict[str, str], shell: str, outputs: frozenset[str]) -> Memory:
    return Memory(root, {p.id: p for p in catalog.papers}, dict(catalog.topics), dict(catalog.tags), contexts, shell,
                  outputs)
