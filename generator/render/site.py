"""Site-wide parts made from the catalog: the sitemap and the generated parts of hand-written pages."""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

from generator.model import Catalog
from generator.record.fields import FIELDS, LIMITS
from generator.render.pages import SiteInfo, home_fragments, relative_root, render


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


def redirect_page(old: str, new: str, site: SiteInfo) -> bytes:
    """The page left at ``old`` (``topics/<id>``) that sends its readers to ``new``: no script, no theme."""
    target = relative_root(f"{old}/index.html") + f"{new}/"
    canonical = f"{site.site_url}{new}/"
    return render("redirect.html.j2", target=target, canonical=canonical, site_name=site.site_name).encode("utf-8")


def contributing_fragments(catalog: Catalog, root: str) -> dict[str, str]:
    """The parts of docs/contributing.md made from the record format and the vocabulary."""
    fields = [{"name": f.name, "required": f.required, "kind": f.kind, "help": f.help, "limit": f.limit} for f in FIELDS]
    topics = [{"id": t.id, "title": t.title, "count": len(catalog.papers_in_topic(t.id))}
              for t in catalog.topics.values()]
    tags = sorted(({"id": t.id, "title": t.title, "count": len(catalog.papers_with_tag(t.id))}
                   for t in catalog.tags.values()), key=lambda t: str(t["id"]))
    return {
        "fields": render("contributing_fields.html.j2", fields=fields),
        "limits": render("contributing_limits.html.j2", limits=LIMITS),
        "vocabulary": render("contributing_vocabulary.html.j2", topics=topics, tags=tags, root=root),
    }


def page_fragments(catalog: Catalog, root: str) -> dict[str, str]:
    """Every generated part of the hand-written pages (``<!-- reading-list:NAME -->``), for pages at ``root``."""
    return {**home_fragments(catalog, root), **contributing_fragments(catalog, root)}
