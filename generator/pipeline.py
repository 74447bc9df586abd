"""Site files beside the pages: exports and feeds, the sitemap, and the generated
parts of the hand-written pages (the contributing guide's field table)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from xml.sax.saxutils import escape as xml_escape

from generator.browse import browse_files
from generator.browse.index import Words
from generator.exports import Pieces, render_exports
from generator.exports.bibtex import entries, entry
from generator.model import Catalog, Paper
from generator.record.fields import FIELDS
from generator.render.pages import SiteInfo, render


def bibtex_entries(catalog: Catalog, keys: Mapping[str, str] | None = None,
                   cache: dict[str, tuple[Paper, str, str]] | None = None) -> dict[str, str]:
    """Each paper's BibTeX entry, keyed by paper id (shown in its Cite block).

    ``cache`` (id -> (paper, key, entry)) holds the entries of a previous build in this
    process; an entry is reused while its paper and key are the same, and the cache is
    updated to this build's entries.
    """
    if keys is None:
        return entries(catalog)
    result: dict[str, str] = {}
    fresh: dict[str, tuple[Paper, str, str]] = {}
    for paper in catalog.papers:
        key = keys[paper.id]
        hit = cache.get(paper.id) if cache is not None else None
        text = hit[2] if hit is not None and hit[1] == key and hit[0] == paper else entry(paper, key)
        result[paper.id] = text
        fresh[paper.id] = (paper, key, text)
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    return result


def export_files(catalog: Catalog, site: SiteInfo, bibtex: Mapping[str, str] | None = None,
                 keys: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """Exports, feeds and the browse page's index; ``bibtex`` (id -> entry) and ``keys`` (id -> citation
    key, which the entries were made with) when the caller has them."""
    files: dict[str, bytes] = {}
    for part in export_parts(catalog, site, bibtex, keys):
        files.update(part)
    return files


def export_parts(catalog: Catalog, site: SiteInfo, bibtex: Mapping[str, str] | None = None,
                 keys: Mapping[str, str] | None = None, kept_pieces: Pieces | None = None,
                 kept_words: Words | None = None) -> Iterator[dict[str, bytes]]:
    """:func:`export_files` in two parts (exports and feeds, then the browse index), so that a
    writer can write and drop one before the next is made."""
    yield render_exports(catalog, site.site_url, keys, bibtex if keys is not None else None, kept_pieces)
    yield browse_files(catalog, site, bibtex, kept_words)


def sitemap(site: SiteInfo, page_urls: list[str], catalog: Catalog) -> bytes:
    """Every page, sorted, with no build date: the same records give the same bytes."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(set(page_urls)):
        lines.append(f"<url><loc>{xml_escape(site.site_url + url)}</loc></url>")
    for paper in sorted(catalog.papers, key=lambda p: p.id):
        lines.append(f"<url><loc>{xml_escape(site.site_url)}papers/{paper.id}/</loc>"
                     f"<lastmod>{paper.added.isoformat()}</lastmod></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def contributing_fragments(catalog: Catalog, root: str) -> dict[str, str]:
    """The parts of docs/contributing.md made from the record format and the vocabulary."""
    fields = [{"name": f.name, "required": f.required, "kind": f.kind, "help": f.help} for f in FIELDS]
    topics = [{"id": t.id, "title": t.title, "count": len(catalog.papers_in_topic(t.id))}
              for t in catalog.topics.values()]
    tags = sorted(({"id": t.id, "title": t.title, "count": len(catalog.papers_with_tag(t.id))}
                   for t in catalog.tags.values()), key=lambda t: str(t["id"]))
    return {
        "fields": render("contributing_fields.html.j2", fields=fields),
        "vocabulary": render("contributing_vocabulary.html.j2", topics=topics, tags=tags, root=root),
    }
