"""The curator's voice: reading paths (/paths/, /paths/<id>/) and the home page's map and paths.

Pure like the rest of ``render/``: catalog in, pages and HTML out. What a topic page opens with
(its start-here papers, the paths through it) is part of :func:`generator.render.pages.listing_page`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from generator.model import Catalog, Paper, ReadingPath
from generator.render.pages import GeneratedPage, _front_matter, relative_root, render
from generator.render.text import short_authors

PATHS_INDEX = "paths/index.md"
PATHS_TITLE = "Reading paths"
PATHS_DESCRIPTION = "Ordered walks through the reading list, with a note on why each paper comes where it does."
MAP_FACET = "phenomenon"  # the map's columns: what emerges


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _stepped(path: ReadingPath, catalog: Catalog) -> list[Paper]:
    """The papers of ``path``'s steps, in order (the checker makes every step name a paper on the list)."""
    return [catalog.paper(step.paper) for step in path.steps]


def path_view(path: ReadingPath) -> dict[str, object]:
    return {"id": path.id, "title": path.title, "description": path.description,
            "steps": _plural(len(path.steps), "step")}


def step_views(path: ReadingPath, catalog: Catalog) -> list[dict[str, object]]:
    return [{"number": number, "id": paper.id, "title": paper.title, "authors": short_authors(paper.authors),
             "year": paper.year, "emerges": paper.emerges or "", "note": step.note}
            for number, (step, paper) in enumerate(zip(path.steps, _stepped(path, catalog), strict=True), 1)]


def paths_index(catalog: Catalog) -> GeneratedPage:
    """/paths/: every reading path, its description and its number of steps."""
    root = relative_root("paths/index.html")
    body = render("paths_index.md.j2", paths=[path_view(p) for p in catalog.paths.values()], root=root)
    return GeneratedPage(PATHS_INDEX, _front_matter(PATHS_TITLE, PATHS_DESCRIPTION) + body, PATHS_TITLE)


def path_page(path: ReadingPath, catalog: Catalog) -> GeneratedPage:
    """/paths/<id>/: the path's title and description, then its steps in order."""
    root = relative_root(f"paths/{path.id}/index.html")
    body = render("path.md.j2", path=path_view(path), steps=step_views(path, catalog), root=root)
    return GeneratedPage(f"paths/{path.id}.md", _front_matter(path.title, path.description) + body, path.title)


def curation_pages(catalog: Catalog) -> list[GeneratedPage]:
    """The reading paths' pages: the index (always, it is in the nav) and one page per path."""
    return [paths_index(catalog), *(path_page(p, catalog) for p in catalog.paths.values())]


# --- the home page ---------------------------------------------------------------------------

def map_view(catalog: Catalog) -> dict[str, object]:
    """Topics (rows) by phenomenon tags (columns): how many papers are in both, and where browse shows them."""
    columns = [t for t in catalog.tags.values() if t.facet == MAP_FACET]
    wanted = {t.id for t in columns}
    counts: dict[tuple[str, str], int] = {}
    for paper in catalog.papers:
        shown = [t for t in paper.tags if t in wanted]
        for topic_id in paper.topics:
            for tag_id in shown:
                counts[topic_id, tag_id] = counts.get((topic_id, tag_id), 0) + 1
    rows = []
    for topic in catalog.topics.values():
        cells = []
        for tag in columns:
            count = counts.get((topic.id, tag.id), 0)
            cells.append({
                "count": count, "text": f"{count:,}", "href": f"browse/?{urlencode({'topic': topic.id, 'tags': tag.id})}",
                "label": f"{_plural(count, 'paper')} in {topic.title} with {tag.title}",
            })
        rows.append({"id": topic.id, "title": topic.title, "cells": cells})
    return {"columns": [{"id": t.id, "title": t.title} for t in columns], "rows": rows}


def map_fragment(catalog: Catalog, root: str) -> str:
    """The home page's map (``<!-- reading-list:map -->``): a table, no script."""
    return render("map.html.j2", map=map_view(catalog), root=root)


def paths_fragment(catalog: Catalog, root: str) -> str:
    """The home page's reading paths (``<!-- reading-list:paths -->``)."""
    return render("home_paths.html.j2", paths=[path_view(p) for p in catalog.paths.values()], root=root)
