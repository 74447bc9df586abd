"""Catalog -> page contents: the generated Markdown pages, paper articles and head tags.

View models are plain dicts computed here, so templates only display.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

import jinja2
from markupsafe import Markup

from generator.exports.layout import WHOLE_LIST, downloads
from generator.made import FRESH, Made
from generator.model import Catalog, Paper, ReadingPath, Term, shared_tags
from generator.record.fields import LINK_NAMES
from generator.render.text import json_for_script, markdown_html, short_authors, summary
from generator.speed.presplit import Split
from generator.text import yaml_quoted
from generator.urls import link_host

TEMPLATES = Path(__file__).parent / "templates"
NEWEST_ON_HOME = 10
DESCRIPTION_CHARS = 200  # a paper page's meta description: what a search result or a link preview shows
LISTING_LIMIT = 200  # cards on one topic or tag page; the rest are one click away in browse


@dataclass(frozen=True)
class SiteInfo:
    """What pages need to know about the site, from mkdocs.yml."""

    site_name: str
    site_url: str  # absolute, ends with "/"
    repo_url: str = ""  # https://github.com/owner/name, or "" when unknown
    branch: str = "main"
    records_dir: str = "papers"  # the records folder inside the repository


@dataclass(frozen=True)
class GeneratedPage:
    """A Markdown page for MkDocs: its source path, text and extra head tags.

    ``late`` is HTML that replaces ``LATE_SLOT`` in the page MkDocs rendered: a listing's cards
    skip Python-Markdown and the theme's search index (the paper pages hold that text), which
    took most of the build's MkDocs time at 20k papers.
    """

    src_uri: str
    markdown: str
    title: str
    head: str = ""
    late: str = ""
    edit_url: str | None = None  # the file a reader may edit to change the page, if any


LATE_SLOT = '<div class="rl-late-slot"></div>'


# Jinja checks a template's file time when it is asked for it (auto_reload): an edited template shows on
# the next `mkdocs serve` rebuild. Paper pages never ask (their templates are split once per build).
_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=True,
)


def environment() -> jinja2.Environment:
    return _ENVIRONMENT


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def human_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def term_view(term: Term, count: int) -> dict[str, object]:
    return {"id": term.id, "title": term.title, "description": term.description, "count": count}


def card_view(paper: Paper, catalog: Catalog) -> dict[str, object]:
    """A paper's card: what emerges (the curator's line) when the record says, else the abstract's opening."""
    return {
        "id": paper.id, "title": paper.title, "authors": short_authors(paper.authors), "year": paper.year,
        "venue": paper.venue_text, "summary": paper.emerges or summary(paper.abstract),
        "tags": [catalog.tags[t] for t in paper.tags],
    }


def _front_matter(title: str, description: str) -> str:
    """Front matter for a generated page; values are HTML-escaped because the theme prints them raw."""
    # yaml_quoted, not json.dumps: an emoji or a U+2028 must read back as typed, or MkDocs
    # drops the front matter and renders it as Markdown (with live links).
    return (f"---\ntitle: {yaml_quoted(str(Markup.escape(title)), ascii_only=True)}\n"
            f"description: {yaml_quoted(str(Markup.escape(description)), ascii_only=True)}\n---\n\n")


def feeds_head(feeds: list[dict[str, str]], root: str) -> str:
    return render("feeds_head.html.j2", feeds=feeds, root=root)


def _take_links(kind: str, term_id: str, count: int) -> list[dict[str, str]]:
    """The feed and the export files of a topic, a tag or (kind "list") the whole list, as they exist."""
    feed = "feeds/all.atom.xml" if kind == "list" else f"feeds/{kind}s/{term_id}.atom.xml"
    base = WHOLE_LIST if kind == "list" else f"export/{kind}s/{term_id}"
    links = [{"href": feed, "label": "Atom feed", "type": "application/atom+xml"}]
    links += [{"href": d.path, "label": d.label, "type": ""} for d in downloads(base, count)]
    return links


def listing_page(kind: str, term: Term, papers: tuple[Paper, ...], catalog: Catalog,
                 start: tuple[Paper, ...] = (), paths: tuple[ReadingPath, ...] = ()) -> GeneratedPage:
    """/topics/<id>/ or /tags/<id>/: description, the papers to ``start`` with and the reading ``paths``
    through them (a topic's), then papers newest first."""
    root = relative_root(f"{kind}s/{term.id}/index.html")
    shown = papers[:LISTING_LIMIT]
    count = len(papers)
    browse = f"browse/?{urlencode({'tags' if kind == 'tag' else 'topic': term.id})}"
    more = None
    if count > len(shown):
        more = {"text": f"Showing the newest {len(shown):,} of {count:,} papers.",
                "href": browse, "label": f"Browse all {count:,}"}
    label = "Topic" if kind == "topic" else "Tag"
    body = render(
        "listing.md.j2", heading=term.title, description=term.description, root=root, more=more, browse=browse,
        count_text=f"{count:,} paper{'' if count == 1 else 's'}, newest first.",
        take=_take_links(kind, term.id, count), papers=[card_view(p, catalog) for p in shown],
        start=[card_view(p, catalog) for p in start], paths=[{"id": p.id, "title": p.title} for p in paths],
    )
    feeds = [{"title": f"{label}: {term.title}", "href": f"feeds/{kind}s/{term.id}.atom.xml"},
             {"title": "All papers", "href": "feeds/all.atom.xml"}]
    title = f"{term.title}"
    body, cards = _lift_cards(body)
    return GeneratedPage(f"{kind}s/{term.id}.md", _front_matter(title, term.description) + body, title,
                         feeds_head(feeds, root), late=cards)


def _lift_cards(body: str) -> tuple[str, str]:
    """The listing with its card lists (from the first to the end of the last) replaced by ``LATE_SLOT``,
    and what it replaced."""
    start = body.find('<ol class="rl-cards"')
    end = body.rfind("</ol>") + len("</ol>")
    if start < 0 or end < start:
        return body, ""
    return body[:start] + LATE_SLOT + body[end:], body[start:end]


def topics_index(catalog: Catalog) -> GeneratedPage:
    topics = [term_view(t, len(catalog.papers_in_topic(t.id))) for t in catalog.topics.values()]
    body = render("topics_index.md.j2", topics=topics, root="../")
    return GeneratedPage("topics/index.md", _front_matter("Topics", "The topics of the reading list.") + body,
                         "Topics", feeds_head([{"title": "All papers", "href": "feeds/all.atom.xml"}], "../"))


def tags_index(catalog: Catalog) -> GeneratedPage:
    tags = sorted((term_view(t, len(catalog.papers_with_tag(t.id))) for t in catalog.tags.values()),
                  key=lambda t: str(t["title"]).casefold())
    groups: list[dict[str, object]] = []
    for tag in tags:
        letter = str(tag["title"])[:1].upper()
        letter = letter if letter.isalpha() else "#"
        if not groups or groups[-1]["letter"] != letter:
            groups.append({"letter": letter, "tags": []})
        groups[-1]["tags"].append(tag)  # type: ignore[attr-defined]
    body = render("tags_index.md.j2", tags=tags, groups=groups, root="../")
    return GeneratedPage("tags/index.md", _front_matter("Tags", "Every tag of the reading list, A to Z.") + body,
                         "Tags")


def generated_pages(catalog: Catalog, made: Made = FRESH) -> dict[str, GeneratedPage]:
    """Every Markdown page made from the records, keyed by source path.

    A listing depends on its papers (the first LISTING_LIMIT), their count and the vocabulary; a
    topic's also on its start-here papers and the reading paths through it.
    """
    from generator.render.curation import curation_pages  # it builds on this module

    pages = [topics_index(catalog), tags_index(catalog), *curation_pages(catalog)]
    vocabulary = (tuple(catalog.topics.items()), tuple(catalog.tags.items()))
    for kind, terms, members in (("topic", catalog.topics, catalog.papers_in_topic),
                                 ("tag", catalog.tags, catalog.papers_with_tag)):
        for term in terms.values():
            papers = members(term.id)
            start = catalog.start_here(term.id) if kind == "topic" else ()
            paths = catalog.paths_through(p.id for p in papers) if kind == "topic" and catalog.paths else ()
            inputs = (vocabulary, len(papers), papers[:LISTING_LIMIT], start, paths)
            pages.append(made.get("listing", f"{kind}s/{term.id}.md", inputs,
                                  partial(listing_page, kind, term, papers, catalog, start, paths)))
    return {page.src_uri: page for page in pages}


def home_fragments(catalog: Catalog, root: str = "") -> dict[str, str]:
    """HTML for the markers in the hand-written home page (docs/index.md)."""
    from generator.render.curation import map_fragment, paths_fragment  # they build on this module

    topics = [term_view(t, len(catalog.papers_in_topic(t.id))) for t in catalog.topics.values()]
    newest = catalog.newest_added(NEWEST_ON_HOME)
    last = max((p.added for p in catalog.papers), default=None)
    return {
        "counts": render("counts.html.j2", papers=f"{len(catalog):,}", topics=len(catalog.topics),
                         tags=len(catalog.tags), last_added=human_date(last) if last else "none yet", root=root),
        "newest": render("newest.html.j2", papers=[card_view(p, catalog) for p in newest], root=root),
        "topics": render("topic_list.html.j2", topics=topics, root=root),
        "take": render("take.html.j2", links=_take_links("list", "", len(catalog)), root=root),
        "map": map_fragment(catalog, root),
        "paths": paths_fragment(catalog, root),
    }


# --- paper pages ---------------------------------------------------------------------------

def relative_root(path: str) -> str:
    """The relative URL of the site root from the page written at ``path`` (e.g. ``topics/x/index.html``)."""
    return "../" * path.count("/")


PAPER_ROOT = relative_root("papers/<id>/index.html")  # "../../"

def paper_url(site: SiteInfo, paper_id: str) -> str:
    return f"{site.site_url}papers/{paper_id}/"


def edit_url(site: SiteInfo, record_id: str) -> str:
    """Where a reader edits the record ``record_id`` on the forge; "" when the repository is unknown."""
    if not site.repo_url:
        return ""
    return f"{site.repo_url}/edit/{site.branch}/{site.records_dir}/{record_id}.md"


def _links(paper: Paper) -> list[dict[str, str]]:
    """The paper's outward links: where each goes (canonical), what it is, and the host it leads to."""
    links = []
    if paper.arxiv_url:  # made here from a checked id: the host is known
        links.append({"href": paper.arxiv_url, "label": "arXiv abstract", "host": "arxiv.org"})
        links.append({"href": str(paper.pdf_url), "label": "PDF", "host": "arxiv.org"})
    if paper.doi_url:
        links.append({"href": paper.doi_url, "label": f"DOI {paper.doi}", "host": "doi.org"})
    for label, url in paper.links:  # a contributor's: the host the parser reads, as check did
        links.append({"href": url, "label": LINK_NAMES.get(label, label.replace("-", " ").capitalize()),
                      "host": link_host(url)})
    return links


def json_ld(paper: Paper, catalog: Catalog, site: SiteInfo) -> Markup:
    """schema.org data for search engines; no abstract: the page shows it, and it would double the head."""
    data: dict[str, object] = {
        "@context": "https://schema.org", "@type": "ScholarlyArticle", "headline": paper.title,
        "name": paper.title, "author": [{"@type": "Person", "name": a} for a in paper.authors],
        "datePublished": paper.date.isoformat() if paper.date else str(paper.year),
        "url": paper_url(site, paper.id), "keywords": [catalog.tags[t].title for t in paper.tags],
    }
    same_as = [u for u in (paper.arxiv_url, paper.doi_url) if u]
    if same_as:
        data["sameAs"] = same_as
    if paper.arxiv:
        data["identifier"] = f"arXiv:{paper.arxiv}"
    if paper.venue:
        kind = "Periodical" if paper.venue.kind == "journal" else "PublicationEvent"
        data["isPartOf"] = {"@type": kind, "name": paper.venue.name}
    return Markup(json_for_script(data))


@dataclass(frozen=True)
class PaperPage:
    """A paper page's parts: everything that differs between two paper pages."""

    id: str
    title: str  # plain text
    description: str  # plain text
    article: str  # HTML
    head: str  # HTML for <head>


ARTICLE_SLOTS = ("id", "title", "authors", "emerges", "path_nav", "year", "first_public", "venue", "topics", "tags",
                 "added", "added_text", "links", "abstract", "notes", "read_next", "bibtex", "edit_url", "report_url")
HEAD_SLOTS = ("title", "authors", "citation_date", "optional", "url", "description", "json_ld")
ARTICLE_HTML = ("authors", "emerges", "path_nav", "first_public", "venue", "topics", "tags", "links", "abstract",
                "notes", "read_next")  # made here
HEAD_HTML = ("authors", "optional", "json_ld")


class PaperRenderer:
    """Paper pages of one catalog and site: templates split once (:mod:`.presplit`), pieces that
    depend only on the vocabulary (topic links, tag chips) made once per topic and tag."""

    def __init__(self, catalog: Catalog, site: SiteInfo) -> None:
        env = environment()
        self.catalog, self.site = catalog, site
        self.article = Split.of(env.get_template("paper.html.j2").render, ARTICLE_SLOTS, html=ARTICLE_HTML)
        self.head = Split.of(env.get_template("paper_head.html.j2").render, HEAD_SLOTS, html=HEAD_HTML,
                             site_name=site.site_name)
        parts: Any = env.get_template("paper_parts.html.j2").module  # its macros, by name
        self.author = Split.of(parts.author, ["name"])
        self.no_authors = str(parts.no_authors())
        self.first_public = Split.of(parts.first_public, ["date", "date_text"])
        self.venue = Split.of(parts.venue, ["venue"])
        self.links = Split.of(parts.links, ["items"], html=["items"])
        self.link = Split.of(parts.link, ["href", "label", "host"])
        self.notes = Split.of(parts.notes, ["html"], html=["html"])
        self.meta_author = Split.of(parts.meta_author, ["name"])
        self.meta_online_date = Split.of(parts.meta_online_date, ["date"])
        self.meta_arxiv = Split.of(parts.meta_arxiv, ["arxiv", "pdf_url"])
        self.meta_doi = Split.of(parts.meta_doi, ["doi"])
        self.meta_venue = Split.of(parts.meta_venue, ["name", "value"])
        self.topic = {t.id: str(parts.topic(t.id, t.title, PAPER_ROOT)) for t in catalog.topics.values()}
        self.curation = _Curation(parts, catalog)
        macros: Any = env.get_template("macros.html.j2").module
        self.chips = _Chips(macros.chips, catalog)
        self.report = f"{site.repo_url}/issues/new?" if site.repo_url else ""

    def page(self, paper: Paper, bibtex: str, related: tuple[str, ...] = ()) -> PaperPage:
        """The page of ``paper``; ``related``: the ids of the papers most like it (:mod:`generator.related`)."""
        site = self.site
        date = paper.date
        citation_date = date.strftime("%Y/%m/%d") if date else str(paper.year)
        url = paper_url(site, paper.id)
        description = paper.emerges or summary(paper.abstract, DESCRIPTION_CHARS)
        curation = self.curation
        links = _links(paper)
        article = self.article.fill({
            "id": paper.id, "title": paper.title, "year": paper.year,
            "authors": ", ".join(self.author(name=a) for a in paper.authors) if paper.authors else self.no_authors,
            "emerges": curation.emerges(text=paper.emerges) if paper.emerges else "",
            "path_nav": curation.path_nav(paper), "read_next": curation.read_next(paper, related),
            "first_public": self.first_public(date=date.isoformat(), date_text=human_date(date)) if date else "",
            "venue": self.venue(venue=paper.venue.text) if paper.venue else "",
            "topics": ", ".join(self.topic[t] for t in paper.topics), "tags": self.chips.of(paper.tags),
            "added": paper.added.isoformat(), "added_text": human_date(paper.added),
            "links": self.links(items="".join(self.link(href=k["href"], label=k["label"], host=k["host"]) for k in links))
            if links else "",
            "abstract": markdown_html(paper.abstract),
            "notes": self.notes(html=markdown_html(paper.notes)) if paper.notes else "",
            "bibtex": bibtex, "edit_url": edit_url(site, paper.id), "report_url": self._report_url(paper),
        })
        optional = [self.meta_online_date(date=citation_date)] if date else []
        if paper.arxiv:
            optional.append(self.meta_arxiv(arxiv=paper.arxiv, pdf_url=paper.pdf_url))
        if paper.doi:
            optional.append(self.meta_doi(doi=paper.doi))
        optional += self.venue_meta(paper)
        head = self.head.fill({
            "title": paper.title, "authors": "".join(self.meta_author(name=a) for a in paper.authors),
            "citation_date": str(paper.cited_year) if paper.venue and paper.venue.year else citation_date, "optional": "".join(optional), "url": url, "description": description,
            "json_ld": json_ld(paper, self.catalog, site),
        })
        return PaperPage(id=paper.id, title=paper.title, description=description, article=article, head=head)

    def venue_meta(self, paper: Paper) -> list[str]:
        """Highwire tags of the venue: the journal's title, volume, issue and pages, or the conference's title."""
        place = paper.venue
        if place is None:
            return []
        title = "citation_journal_title" if place.kind == "journal" else (
            "citation_conference_title" if place.kind in ("conference", "workshop") else "citation_publisher")
        tags = [(title, place.name), ("citation_volume", place.volume), ("citation_issue", place.issue),
                ("citation_firstpage", place.first_page), ("citation_lastpage", place.last_page)]
        return [self.meta_venue(name=name, value=value) for name, value in tags if value]

    def _report_url(self, paper: Paper) -> str:
        """The forge's "fix this record" issue form for ``paper``, with the part every paper shares made once."""
        if not self.report:
            return ""
        name = quote_plus(paper.id)
        return f"{self.report}template=fix-record.yml&title=Fix+record%3A+{name}&paper-id={name}"


def outside_text(catalog: Catalog, paper: Paper, related: tuple[str, ...]) -> str:
    """Everything the curator's parts of ``paper``'s page (:class:`_Curation`) show that is not in its own
    record (other papers' titles and tags, paths): a page whose record and this text are as before is
    the page as before."""
    built, challenged = catalog.built_upon_by(paper.id), catalog.challenged_by(paper.id)
    steps = catalog.steps_of(paper.id)
    parts = list(related)
    linked: list[str] = list(related)
    if paper.builds_on or paper.challenges or built or challenged or steps:  # few papers: the plain way
        linked += [*paper.builds_on, *paper.challenges, *(p.id for p in built), *(p.id for p in challenged)]
        parts.append(repr((tuple(p.id for p in built), tuple(p.id for p in challenged))))
        for path, index in steps:
            neighbours = tuple(s.paper for s in path.steps[max(index - 1, 0):index + 2])
            linked += neighbours
            parts.append(repr((path.id, path.title, index, len(path.steps), neighbours)))
    for other in linked:
        found = catalog.paper(other)
        parts.append(found.title)
        parts.extend(found.tags)
    return "\x1f".join(parts)


class _Curation:
    """The curator's parts of a paper page: its `emerges` line, where it stands in reading paths,
    the papers it builds on or challenges (both ways) and the related papers."""

    def __init__(self, parts: Any, catalog: Catalog) -> None:
        self.catalog = catalog
        self.emerges = Split.of(parts.emerges, ["text"])
        self._path_nav = Split.of(parts.path_nav, ["items"], html=["items"])
        self._path_step = Split.of(parts.path_step, ["href", "title", "number", "count"])
        self._path_moves = Split.of(parts.path_moves, ["items"], html=["items"])
        self._previous = Split.of(parts.path_previous, ["href", "title"])
        self._next = Split.of(parts.path_next, ["href", "title"])
        self._read_next = Split.of(parts.read_next, ["items"], html=["items"])
        self._relations = Split.of(parts.relations, ["items"], html=["items"])
        self._relation = Split.of(parts.relation, ["label", "items"], html=["items"])
        self._link = Split.of(parts.paper_link, ["href", "title"])
        self._related = Split.of(parts.related, ["items"], html=["items"])
        self._related_item = Split.of(parts.related_item, ["href", "title", "shared"])

    def path_nav(self, paper: Paper) -> str:
        steps = self.catalog.steps_of(paper.id)
        if not steps:
            return ""
        items = []
        for path, index in steps:
            items.append(self._path_step(href=f"{PAPER_ROOT}paths/{path.id}/", title=path.title,
                                         number=index + 1, count=len(path.steps)))
            moves = []
            if index > 0:
                moves.append(self._previous(href=self._href(path.steps[index - 1].paper),
                                            title=self._title(path.steps[index - 1].paper)))
            if index + 1 < len(path.steps):
                moves.append(self._next(href=self._href(path.steps[index + 1].paper),
                                        title=self._title(path.steps[index + 1].paper)))
            items.append(self._path_moves(items=" · ".join(moves)))
        return self._path_nav(items="".join(items))

    def read_next(self, paper: Paper, related: tuple[str, ...]) -> str:
        catalog = self.catalog
        relations = [(label, ids) for label, ids in (
            ("Builds on", paper.builds_on),
            ("Built upon by", tuple(p.id for p in catalog.built_upon_by(paper.id))),
            ("Challenges", paper.challenges),
            ("Challenged by", tuple(p.id for p in catalog.challenged_by(paper.id))),
        ) if ids]
        parts = []
        if relations:
            parts.append(self._relations(items="".join(
                self._relation(label=label, items="".join(self._link(href=self._href(i), title=self._title(i))
                                                          for i in ids))
                for label, ids in relations)))
        if related:
            parts.append(self._related(items="".join(
                self._related_item(href=self._href(i), title=self._title(i), shared=self._shared(paper, i))
                for i in related)))
        return self._read_next(items="".join(parts)) if parts else ""

    def _href(self, paper_id: str) -> str:
        return f"{PAPER_ROOT}papers/{paper_id}/"

    def _title(self, paper_id: str) -> str:
        return self.catalog.paper(paper_id).title

    def _shared(self, paper: Paper, other_id: str) -> str:
        shared = [self.catalog.tags[t].title for t in shared_tags(paper, self.catalog.paper(other_id))]
        return f"shares {', '.join(shared)}" if shared else ""


class _Chips:
    """A paper's tag chips, made with the shared ``chips`` macro: each tag's chip rendered once."""

    def __init__(self, chips: Callable[..., object], catalog: Catalog) -> None:
        self.macro, self.catalog = chips, catalog
        tags = list(catalog.tags.values())
        empty = str(chips([], PAPER_ROOT))
        self.items: dict[str, str] = {}
        self.open, self.close = empty, ""
        for tag in tags:
            one = str(chips([tag], PAPER_ROOT))
            split = _common_prefix(empty, one)
            self.open, self.close = empty[:split], empty[split:]
            self.items[tag.id] = one[split:len(one) - len(self.close)]
        sample = tags[:2]  # the pieces must add up to what the macro makes of several tags
        self.joinable = str(chips(sample, PAPER_ROOT)) == self._joined(t.id for t in sample)

    def _joined(self, ids: Iterable[str]) -> str:
        return self.open + "".join(self.items[i] for i in ids) + self.close

    def of(self, tag_ids: tuple[str, ...]) -> str:
        if self.joinable:
            return self._joined(tag_ids)
        return str(self.macro([self.catalog.tags[t] for t in tag_ids], PAPER_ROOT))


def _common_prefix(a: str, b: str) -> int:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return size



def paper_markdown(page: PaperPage) -> str:
    """The paper page as an ordinary MkDocs page (for comparison with the fast path)."""
    return _front_matter(page.title, page.description) + page.article
