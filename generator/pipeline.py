"""Stages 4 and 5 in order, with no MkDocs types: catalog in, site files written.

MkDocs renders the hand-written pages, the listing pages (:func:`listing_pages`) and one
paper-page shell; :func:`write_site` then writes everything else into the writer's folder:
every paper page (the shell filled), exports, feeds, the browse index and the sitemap.
``generator build`` and ``mkdocs build``/``serve`` both come here through the plugin.

A :class:`Plan` says how the work may be saved; it never changes what is written:
``previous`` names paper pages already in the folder, ``made`` reuses per-item results of the
last build (:mod:`generator.made`), ``share`` renders pages on a second process and
``exports_later`` returns the exports as a job to run after the build.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from generator.browse import browse_files
from generator.exports import render_exports
from generator.exports.bibtex import citation_keys, entry
from generator.made import FRESH, Made
from generator.model import Catalog, Paper
from generator.related import related_papers
from generator.render.pages import GeneratedPage, PaperRenderer, SiteInfo, generated_pages, outside_text
from generator.render.site import redirect_page, sitemap
from generator.speed.previous import Memory, Previous, remember, shell_digest
from generator.speed.shell import SHELL_ID, Shell
from generator.write import MARKER_TEXT, SITE_MARKER, SiteWriter

T = TypeVar("T")
Share = Callable[[int, Callable[[range], int], Callable[[], T]], tuple[T, int]]
LATER = ("export/", "feeds/", "browse/data/")  # what `exports_later` leaves to the job it returns
SHELL_PAGE = f"papers/{SHELL_ID}/index.html"  # the shell MkDocs renders is kept in memory, never published


def paper_path(paper: Paper) -> str:
    return f"papers/{paper.id}/index.html"


def listing_pages(catalog: Catalog, made: Made = FRESH) -> dict[str, GeneratedPage]:
    """The Markdown pages MkDocs renders from the records (topic and tag listings, their indexes)."""
    return generated_pages(catalog, made)


def bibtex_entries(catalog: Catalog, keys: Mapping[str, str], made: Made = FRESH) -> dict[str, str]:
    """Each paper's BibTeX entry, keyed by paper id (shown in its Cite block and the browse cards)."""
    return {paper.id: made.get(".bib", paper.id, (paper, keys[paper.id]), partial(entry, paper, keys[paper.id]))
            for paper in catalog.papers}


def export_parts(catalog: Catalog, site: SiteInfo, bibtex: Mapping[str, str] | None = None,
                 keys: Mapping[str, str] | None = None, made: Made = FRESH) -> Iterator[dict[str, bytes]]:
    """Exports and feeds, then the browse index: a writer writes and drops one before the next is made.

    ``bibtex`` (id -> entry) and ``keys`` (id -> citation key, which the entries were made with)
    when the caller has them.
    """
    yield render_exports(catalog, site.site_url, keys, bibtex if keys is not None else None, made)
    yield browse_files(catalog, site, bibtex, made)


def export_files(catalog: Catalog, site: SiteInfo) -> dict[str, bytes]:
    """Every export, feed and browse-index file in one mapping (tests and small lists)."""
    files: dict[str, bytes] = {}
    for part in export_parts(catalog, site):
        files.update(part)
    return files


@dataclass
class Plan:
    """How stage 5 may save work; none of it changes the bytes written."""

    previous: Previous | None = None  # what the folder holds, as far as it can be trusted
    made: Made = FRESH  # per-item results of the last build in this process
    share: Share[int] | None = None  # renders pages on a second process while this one makes the rest
    share_from: int = 0  # fewer pages than this are rendered here alone
    exports_later: bool = False  # return the exports, feeds and browse index as a job (serve)
    neighbours: Callable[[], Neighbours] | None = None  # :func:`neighbours`, computed aside (a big build)


@dataclass
class Written:
    """What :func:`write_site` did."""

    memory: Memory  # what the folder now holds, for the next build
    rendered: int  # paper pages rendered (the others were kept as they were)
    written: int  # files written
    other_files: int  # files besides paper pages
    removed: list[str] = field(default_factory=list)
    later: Callable[[], None] | None = None  # the exports job, when the plan asked for it


def write_site(writer: SiteWriter, catalog: Catalog, site: SiteInfo, shell_html: str, page_urls: list[str],
               plan: Plan) -> Written:
    """Write every paper page, the exports, feeds, browse index and sitemap; remove what is no longer made."""
    shell = Shell(shell_html)
    digest = shell_digest(shell_html)
    keys = citation_keys(catalog, plan.made)
    entries = bibtex_entries(catalog, keys, plan.made)
    renderer = PaperRenderer(catalog, site)  # templates split once, before any helper process starts
    related, outside = plan.neighbours() if plan.neighbours is not None else neighbours(catalog)
    contexts = {paper_id: f"{keys[paper_id]} {digest_of}" for paper_id, digest_of in outside.items()}
    todo = [paper for paper in catalog.papers if not _kept(writer, paper, contexts[paper.id], digest, plan.previous)]

    def pages(chunk: range) -> int:
        """Write the pages of ``todo[chunk]``, one at a time (100k pages never sit in memory together)."""
        return sum(writer.write(paper_path(paper := todo[i]),
                                shell.fill(renderer.page(paper, entries[paper.id], related.get(paper.id, ()))))
                   for i in chunk)

    def exports(target: SiteWriter) -> int:
        count = 0
        for part in export_parts(catalog, site, entries, keys, plan.made):  # written, then dropped
            count += len(part)
            target.write_many(part)
        return count

    later = plan.exports_later and writer.previous is not None

    def others() -> int:
        count = 0 if later else exports(writer)
        xml = sitemap(site, page_urls, catalog)
        files = {shell.icons.path: shell.icons.data, "sitemap.xml": xml, "sitemap.xml.gz": gzip.compress(xml, mtime=0)}
        files.update((f"{old}/index.html", redirect_page(old, new, site)) for old, new in catalog.redirects.items())
        writer.write_many(files)
        return count + len(files)

    if plan.share is not None and len(todo) >= plan.share_from:
        other_files, helped = plan.share(len(todo), pages, others)
        writer.produced.update(paper_path(paper) for paper in todo)
    else:
        pages(range(len(todo)))
        other_files, helped = others(), 0
    writer.write(SITE_MARKER, MARKER_TEXT)  # `build --out` replaces only folders that hold it
    deferred = frozenset(p for p in writer.previous or () if p.startswith(LATER)) if later else frozenset()
    writer.produced.update(deferred)  # the last exports stay until the job below replaces them
    removed = writer.remove_stale()
    memory = remember(str(writer.root), catalog, contexts, digest, frozenset(writer.produced))
    written = Written(memory, len(todo), len(writer.written) + helped, other_files, removed)
    if later:
        written.later = partial(_exports_job, exports, SiteWriter(writer.root, set(deferred)), memory)
    return written


def _exports_job(exports: Callable[[SiteWriter], int], writer: SiteWriter, memory: Memory) -> None:
    try:
        exports(writer)
        writer.remove_stale()
    finally:
        memory.outputs = (memory.outputs - (writer.previous or set())) | frozenset(writer.produced) \
            | frozenset(writer.written)


Neighbours = tuple[dict[str, tuple[str, ...]], dict[str, str]]


def neighbours(catalog: Catalog) -> Neighbours:
    """Each paper's related papers, and a digest of what its page shows of other papers (related papers,
    relations, reading-path steps: :func:`outside_text`). With its citation key, the digest is the
    page's context: a page whose record and context are as before is the page as before."""
    related = related_papers(catalog)
    outside = {}
    for paper in catalog.papers:
        text = outside_text(catalog, paper, related.get(paper.id, ())).encode("utf-8")
        outside[paper.id] = hashlib.blake2b(text, digest_size=12).hexdigest()
    return related, outside


def _kept(writer: SiteWriter, paper: Paper, context: str, digest: str, previous: Previous | None) -> bool:
    """Whether the paper's page in the folder is the one this build would write (then it is kept)."""
    return previous is not None and previous.keeps(paper, context, digest) and writer.keep(paper_path(paper))
