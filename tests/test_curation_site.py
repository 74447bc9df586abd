"""The curator's voice in the built site of the real list: what emerges, reading paths, relations,
related papers, redirects for moved topics, and feeds."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from markupsafe import escape

from generator.model import Catalog
from generator.related import related_papers

ATOM = "{http://www.w3.org/2005/Atom}"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_a_paper_page_opens_with_what_emerges_and_says_it_in_its_description(site: Path, catalog: Catalog) -> None:
    for paper in catalog.papers:
        text = page(site, f"papers/{paper.id}")
        assert paper.emerges is not None
        shown = str(escape(paper.emerges))
        assert f'<p class="rl-emerges"><strong>What emerges:</strong> <bdi>{shown}</bdi></p>' in text, paper.id
        assert text.index("rl-emerges") < text.index('id="abstract"')
        description = re.search(r'<meta content="([^"]*)" name=description>', text)
        assert description is not None and html.unescape(description.group(1)) == paper.emerges


def test_every_step_of_a_path_says_where_it_is_and_links_its_neighbours(site: Path, catalog: Catalog) -> None:
    for path in catalog.paths.values():
        for index, step in enumerate(path.steps):
            text = page(site, f"papers/{step.paper}")
            where = f'Step {index + 1} of {len(path.steps)} in <a href="../../paths/{path.id}/">'
            assert where in text, (path.id, step.paper)
            nav = text[text.index(where):]
            nav = nav[:nav.index("</p>", nav.index("rl-pathnav__moves"))]
            expected = [s.paper for s in path.steps[max(index - 1, 0):index + 2] if s.paper != step.paper]
            assert re.findall(r'rel="(?:prev|next)" href="../../papers/([^/]+)/"', nav) == expected
        steps_page = page(site, f"paths/{path.id}")
        linked = re.findall(r'href="../../papers/([^/]+)/"', steps_page)
        assert [i for n, i in enumerate(linked) if i not in linked[:n]] == [s.paper for s in path.steps]


def test_relations_show_on_both_papers(site: Path, catalog: Catalog) -> None:
    pairs = [(p.id, t, "Challenges", "Challenged by") for p in catalog.papers for t in p.challenges]
    pairs += [(p.id, t, "Builds on", "Built upon by") for p in catalog.papers for t in p.builds_on]
    assert pairs, "the seed list has at least one relation"
    for source, target, forward, backward in pairs:
        assert re.search(rf"<dt>{forward}</dt><dd><ul>.*?href=\"../../papers/{target}/\"", page(site, f"papers/{source}"))
        assert re.search(rf"<dt>{backward}</dt><dd><ul>.*?href=\"../../papers/{source}/\"", page(site, f"papers/{target}"))


def test_each_paper_lists_its_related_papers_in_order(site: Path, catalog: Catalog) -> None:
    related = related_papers(catalog)
    for paper in catalog.papers:
        text = page(site, f"papers/{paper.id}")
        block = text[text.index('<ol class="rl-related">'):]
        block = block[:block.index("</ol>")]
        assert re.findall(r'href="../../papers/([^/]+)/"', block) == list(related[paper.id])
        assert len(related[paper.id]) == 5 and paper.id not in related[paper.id]


def test_a_moved_topic_sends_its_readers_on(site: Path, catalog: Catalog) -> None:
    assert catalog.redirects
    for old, new in catalog.redirects.items():
        text = page(site, old)
        assert f'<meta http-equiv="refresh" content="0; url=../../{new}/">' in text
        assert f'href="../../{new}/"' in text and (site / new / "index.html").is_file()
        assert "<script" not in text


def test_feed_entries_lead_with_what_emerges(site: Path, catalog: Catalog) -> None:
    root = ET.parse(site / "feeds" / "all.atom.xml").getroot()
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        paper_id = entry.findtext(f"{ATOM}id", "").rstrip("/").rsplit("/", 1)[1]
        summary = entry.findtext(f"{ATOM}summary", "")
        assert summary.startswith(f"What emerges: {catalog.paper(paper_id).emerges}\n\n")


def test_topic_pages_start_here_and_name_the_paths_through_them(site: Path, catalog: Catalog) -> None:
    for topic in catalog.topics:
        text = page(site, f"topics/{topic}")
        start = text[text.index('<ol class="rl-cards">', text.index('<h2 id="start-here">')):]
        start = start[:start.index("</ol>")]
        assert re.findall(r'<h3 class="rl-card__title"><a href="../../papers/([^/]+)/"', start) == \
            [p.id for p in catalog.start_here(topic)]
        for path in catalog.paths_through(p.id for p in catalog.papers_in_topic(topic)):
            assert f'href="../../paths/{path.id}/"' in text
