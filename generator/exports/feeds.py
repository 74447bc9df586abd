"""Atom 1.0 feeds: the whole list, each topic and each tag, newest additions first.

Rendered from ``templates/feed.atom.xml.j2`` with autoescaping on; every value
also loses the characters XML 1.0 forbids (:func:`.text.xml_text`), so no
contributor text can break a feed. Feeds are deterministic: entry ``id`` is
the paper page's URL (it depends only on the paper id, so it survives edits),
``published``/``updated`` are the day the paper was added, and the feed's
``updated`` is the newest entry's, never the build time.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from generator.exports.text import xml_line, xml_text
from generator.model import Catalog, Paper

ENTRY_LIMIT = 50
LIST_TITLE = "Emergent behaviors reading list"
LIST_AUTHOR = "Emergent Behaviors reading list contributors"
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Category:
    term: str
    scheme: str
    label: str


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    url: str
    related: str | None
    published: str
    updated: str
    authors: tuple[str, ...]
    categories: tuple[Category, ...]
    summary: str


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    subtitle: str
    updated: str
    self_url: str
    page_url: str
    author: str = LIST_AUTHOR
    entries: tuple[Entry, ...] = field(default=())


def _clean(value: object) -> object:
    """Jinja2 ``finalize``: drop XML-forbidden characters from every string the template prints."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return xml_text(value)
    return value


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("generator.exports", "templates"), autoescape=True,
                       finalize=_clean, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def atom_time(day: dt.date) -> str:
    """An Atom date-time for a day: midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def newest_added(papers: Iterable[Paper], limit: int = ENTRY_LIMIT) -> list[Paper]:
    """The ``limit`` papers added last: newest ``added`` first, then by id."""
    return heapq.nsmallest(limit, papers, key=lambda p: (-p.added.toordinal(), p.id))


def paper_url(site_url: str, paper_id: str) -> str:
    return f"{site_url}papers/{paper_id}/"


def entry(paper: Paper, catalog: Catalog, site_url: str) -> Entry:
    """The feed entry of ``paper``."""
    page = paper_url(site_url, paper.id)
    categories = [Category(t, f"{site_url}topics/", catalog.topics[t].title if t in catalog.topics else t)
                  for t in paper.topics]
    categories += [Category(t, f"{site_url}tags/", catalog.tags[t].title if t in catalog.tags else t)
                   for t in paper.tags]
    return Entry(
        id=page, title=xml_line(paper.title), url=page, related=paper.arxiv_url,
        published=atom_time(paper.added), updated=atom_time(paper.added),
        authors=tuple(xml_line(a) for a in paper.authors), categories=tuple(categories),
        summary=f"What emerges: {paper.emerges}\n\n{paper.abstract.strip()}" if paper.emerges else paper.abstract.strip(),
    )


def feed(papers: Sequence[Paper], catalog: Catalog, site_url: str, *, path: str, title: str, subtitle: str,
         page_url: str) -> str:
    """One Atom feed of the newest additions among ``papers``, as XML text."""
    chosen = newest_added(papers)
    newest = chosen[0].added if chosen else max((p.added for p in catalog.papers), default=EPOCH)
    view = Feed(
        id=f"{site_url}{path}", title=title, subtitle=xml_line(subtitle), updated=atom_time(newest),
        self_url=f"{site_url}{path}", page_url=page_url,
        entries=tuple(entry(p, catalog, site_url) for p in chosen),
    )
    return environment().get_template("feed.atom.xml.j2").render(feed=view)


def feeds(catalog: Catalog, site_url: str) -> dict[str, str]:
    """Output path -> Atom XML for ``feeds/all.atom.xml`` and every topic's and tag's feed."""
    result = {"feeds/all.atom.xml": feed(
        catalog.papers, catalog, site_url, path="feeds/all.atom.xml", title=LIST_TITLE,
        subtitle="Papers on emergent behaviors, newest additions first.", page_url=site_url)}
    for topic in catalog.topics.values():
        path = f"feeds/topics/{topic.id}.atom.xml"
        result[path] = feed(catalog.papers_in_topic(topic.id), catalog, site_url, path=path,
                            title=f"{LIST_TITLE} — Topic: {xml_line(topic.title)}", subtitle=topic.description,
                            page_url=f"{site_url}topics/{topic.id}/")
    for tag in catalog.tags.values():
        path = f"feeds/tags/{tag.id}.atom.xml"
        result[path] = feed(catalog.papers_with_tag(tag.id), catalog, site_url, path=path,
                            title=f"{LIST_TITLE} — Tag: {xml_line(tag.title)}", subtitle=tag.description,
                            page_url=f"{site_url}tags/{tag.id}/")
    return result
