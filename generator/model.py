"""The typed model: Paper, Topic, Tag and the Catalog that holds them. No I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType


@dataclass(frozen=True)
class Term:
    """An entry of the controlled vocabulary (a topic or a tag)."""

    id: str
    title: str
    description: str


class Topic(Term):
    """A broad area of the list; every paper belongs to one or more."""


@dataclass(frozen=True)
class Tag(Term):
    """A method, setting or phenomenon that readers filter by (its ``facet``)."""

    facet: str = "phenomenon"


FACETS: dict[str, str] = {  # facet -> what it answers, in the order pages show them
    "phenomenon": "What emerges",
    "method": "How it is produced or studied",
    "setting": "Environment, task or domain",
}


VENUE_KINDS: dict[str, str] = {  # kind -> what it means, for the guide and the checker
    "conference": "a paper in a conference's proceedings (Findings included)",
    "workshop": "a paper at a workshop",
    "journal": "an article in a journal",
    "preprint": "a preprint on a server other than arXiv (an arXiv id alone already says arXiv)",
}


@dataclass(frozen=True)
class Venue:
    """Where a paper was published: what a citation of the published version needs.

    ``year`` is the venue's (the proceedings' or the issue's), which may be later than the
    paper's first public year; ``volume``, ``issue`` and ``pages`` are kept as written
    ("9", "S1", "e1234", "101-118"). Each is None when not known.
    """

    kind: str  # a key of VENUE_KINDS
    name: str
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None

    @property
    def first_page(self) -> str | None:
        return self.pages.split("-")[0] if self.pages else None

    @property
    def last_page(self) -> str | None:
        return self.pages.split("-")[-1] if self.pages and "-" in self.pages else None

    @property
    def text(self) -> str:
        """The readable form pages show: "ICLR 2026", "Nature Human Behaviour 9(7), 2025", "... pp. 1-9"."""
        where = self.name
        if self.volume:
            where += f" {self.volume}" + (f"({self.issue})" if self.issue else "")
        elif self.issue:
            where += f", no. {self.issue}"
        parts = [where]
        if self.pages:
            parts.append(("pp. " if self.last_page else "p. ") + self.pages.replace("-", "\u2013"))
        text = ", ".join(parts)
        if self.year:
            text += f" {self.year}" if not (self.volume or self.issue or self.pages) else f", {self.year}"
        if self.kind == "workshop" and "workshop" not in self.name.lower():
            text += " (workshop)"
        return text


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    authors: tuple[str, ...]
    year: int
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    added: dt.date
    abstract: str
    date: dt.date | None = None
    arxiv: str | None = None
    doi: str | None = None
    venue: Venue | None = None  # None: not published (a preprint when it has an arXiv id)
    links: tuple[tuple[str, str], ...] = ()
    notes: str = ""
    source: str = ""  # the record's path, as shown to contributors
    emerges: str | None = None  # the curator's line: what emerges, in what system, from what
    start_here: bool = False  # an entry point for newcomers to its topics
    builds_on: tuple[str, ...] = ()  # ids of papers on the list it builds on
    challenges: tuple[str, ...] = ()  # ids of papers on the list whose claims it challenges

    @property
    def venue_text(self) -> str | None:
        """The venue's readable form, or None."""
        return self.venue.text if self.venue else None

    @property
    def cited_year(self) -> int:
        """The year a citation gives: the venue's when published there, else the first public year."""
        return self.venue.year if self.venue and self.venue.year else self.year

    @property
    def arxiv_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else None

    @property
    def pdf_url(self) -> str | None:
        return f"https://arxiv.org/pdf/{self.arxiv}" if self.arxiv else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def sort_key(self) -> tuple[dt.date, dt.date, str]:
        """Newest first when sorted in reverse: by first-public date, then by added."""
        return (self.date or dt.date(self.year, 1, 1), self.added, self.id)


@dataclass(frozen=True)
class Step:
    """One step of a reading path: a paper, and why it comes at this point."""

    paper: str
    note: str


@dataclass(frozen=True)
class ReadingPath:
    """An ordered walk through the list (papers/paths/<id>.yml)."""

    id: str
    title: str
    description: str
    steps: tuple[Step, ...]


def shared_tags(a: Paper, b: Paper) -> tuple[str, ...]:
    """The tags ``a`` and ``b`` both carry, in ``a``'s order (a related paper's "shares ...")."""
    theirs = set(b.tags)
    return tuple(dict.fromkeys(t for t in a.tags if t in theirs))


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: p.sort_key, reverse=True)


@dataclass(frozen=True)
class Catalog:
    """Every paper and the vocabulary, with the questions the renderers ask."""

    papers: tuple[Paper, ...]
    topics: Mapping[str, Topic]
    tags: Mapping[str, Tag]
    paths: Mapping[str, ReadingPath] = field(default_factory=dict)  # by id, in id order
    redirects: Mapping[str, str] = field(default_factory=dict)  # old page path -> new ("topics/a" -> "tags/b")
    _by_id: Mapping[str, Paper] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "papers", tuple(newest_first(self.papers)))
        object.__setattr__(self, "topics", MappingProxyType(dict(self.topics)))
        object.__setattr__(self, "tags", MappingProxyType(dict(self.tags)))
        object.__setattr__(self, "paths", MappingProxyType(dict(sorted(self.paths.items()))))
        object.__setattr__(self, "redirects", MappingProxyType(dict(sorted(self.redirects.items()))))
        object.__setattr__(self, "_by_id", MappingProxyType({p.id: p for p in self.papers}))

    def paper(self, paper_id: str) -> Paper:
        return self._by_id[paper_id]

    def __len__(self) -> int:
        return len(self.papers)

    def _index(self, terms: Mapping[str, Term], field: str) -> dict[str, tuple[Paper, ...]]:
        """Each term id -> the papers naming it in ``field``, newest first (papers are sorted)."""
        index: dict[str, list[Paper]] = {t: [] for t in terms}
        for paper in self.papers:
            for term in getattr(paper, field):
                index.setdefault(term, []).append(paper)
        return {t: tuple(ps) for t, ps in index.items()}

    @cached_property
    def _tag_index(self) -> dict[str, tuple[Paper, ...]]:
        return self._index(self.tags, "tags")

    @cached_property
    def _topic_index(self) -> dict[str, tuple[Paper, ...]]:
        return self._index(self.topics, "topics")

    def papers_with_tag(self, tag: str) -> tuple[Paper, ...]:
        """Papers carrying ``tag``, newest first."""
        return self._tag_index.get(tag, ())

    def papers_in_topic(self, topic: str) -> tuple[Paper, ...]:
        """Papers in ``topic``, newest first."""
        return self._topic_index.get(topic, ())

    @cached_property
    def _cited_by(self) -> dict[tuple[str, str], tuple[Paper, ...]]:
        """(relation, paper id) -> the papers naming it in that relation, newest first."""
        index: dict[tuple[str, str], list[Paper]] = {}
        for paper in self.papers:
            for relation in ("builds_on", "challenges"):
                for target in getattr(paper, relation):
                    index.setdefault((relation, target), []).append(paper)
        return {key: tuple(ps) for key, ps in index.items()}

    def built_upon_by(self, paper_id: str) -> tuple[Paper, ...]:
        """The papers that name ``paper_id`` in their ``builds_on``."""
        return self._cited_by.get(("builds_on", paper_id), ())

    def challenged_by(self, paper_id: str) -> tuple[Paper, ...]:
        """The papers that name ``paper_id`` in their ``challenges``."""
        return self._cited_by.get(("challenges", paper_id), ())

    @cached_property
    def _steps(self) -> dict[str, tuple[tuple[ReadingPath, int], ...]]:
        index: dict[str, list[tuple[ReadingPath, int]]] = {}
        for path in self.paths.values():
            for number, step in enumerate(path.steps):
                index.setdefault(step.paper, []).append((path, number))
        return {paper: tuple(found) for paper, found in index.items()}

    def steps_of(self, paper_id: str) -> tuple[tuple[ReadingPath, int], ...]:
        """(path, step index) of every reading path that passes through ``paper_id``, by path id."""
        return self._steps.get(paper_id, ())

    def start_here(self, topic: str) -> tuple[Paper, ...]:
        """The papers marked as entry points in ``topic``, newest first."""
        return tuple(p for p in self.papers_in_topic(topic) if p.start_here)

    def paths_through(self, paper_ids: Iterable[str]) -> tuple[ReadingPath, ...]:
        """The reading paths with a step on any of ``paper_ids``, by path id."""
        wanted = set(paper_ids)
        return tuple(path for path in self.paths.values() if any(s.paper in wanted for s in path.steps))

    def newest_added(self, count: int) -> list[Paper]:
        """The ``count`` papers that joined the list last."""
        return sorted(self.papers, key=lambda p: (p.added, p.sort_key), reverse=True)[:count]
