"""The curator's voice on the site: reading paths, the home page's map and paths, topic pages'
"Start here", and cards that say what emerges. Rendered from a catalog built in memory."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from itertools import pairwise, product
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.model import Catalog, Paper, ReadingPath, Step, Tag, Topic
from generator.render.curation import curation_pages, map_view
from generator.render.pages import LATE_SLOT, generated_pages, home_fragments
from generator.render.text import summary

from .support import ROOT

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'


def paper(paper_id: str, topics: tuple[str, ...], tags: tuple[str, ...], day: int, **extra: object) -> Paper:
    fields: dict[str, object] = {
        "title": f"Title of {paper_id}", "authors": ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Claude Shannon"),
        "year": 2020 + day % 5,
        "abstract": f"First sentence of {paper_id}. A second sentence, {'long enough ' * 25}to end the summary.",
        **extra,
    }
    return Paper(id=paper_id, topics=topics, tags=tags, added=dt.date(2026, 1, day),
                 date=dt.date(2025, 1, day), **fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    topics = {
        "models": Topic("models", "Language models", "Single networks."),
        "swarms": Topic("swarms", f"Swarms {SCRIPT}", "Many agents."),
        "cells": Topic("cells", "Living cells", "Nobody here has a phenomenon tag."),
    }
    tags = {
        "deception": Tag("deception", "Deception", "Lies.", "phenomenon"),
        "cooperation": Tag("cooperation", f"Cooperation {SCRIPT}", "Working together.", "phenomenon"),
        "rl": Tag("rl", "Reinforcement learning", "A method.", "method"),
        "games": Tag("games", "Games", "A setting.", "setting"),
    }
    papers = [
        paper("a-2025", ("models",), ("deception", "rl"), 1, start_here=True,
              emerges="Deception emerges in language models from RL against a reward model."),
        paper("b-2025", ("models", "swarms"), ("deception", "cooperation"), 2),
        paper("c-2025", ("swarms",), ("cooperation", "games"), 3, start_here=True, title=SCRIPT,
              emerges=f"Cooperation emerges {SCRIPT} among agents."),
        paper("d-2025", ("swarms",), ("cooperation",), 4),
        paper("e-2025", ("models",), ("rl",), 5),
        paper("f-2025", ("cells",), ("games",), 6, start_here=True),
    ]
    paths = {
        "lying": ReadingPath("lying", "How models learn to lie", "From the first signs to the mechanisms.", (
            Step("b-2025", "Read this first: it shows the effect."),
            Step("a-2025", "Then the mechanism."),
            Step("e-2025", f"Last, a control. {BREAKOUT}"),
        )),
        "agents": ReadingPath("agents", f"Agents {SCRIPT}", f"Together {BREAKOUT}", (
            Step("d-2025", "The setting."),
            Step("c-2025", "The result."),
            Step("b-2025", "Where it goes next."),
        )),
    }
    return Catalog(tuple(papers), topics, tags, paths)


@pytest.fixture(scope="module")
def pages(catalog: Catalog) -> dict[str, str]:
    """Each generated page as it will be served: its Markdown with the late HTML put in its slot."""
    return {uri: page.markdown.replace(LATE_SLOT, page.late) for uri, page in generated_pages(catalog).items()}


@pytest.fixture(scope="module")
def home(catalog: Catalog) -> dict[str, str]:
    return home_fragments(catalog, "")


class Elements(HTMLParser):
    """Every start tag with its attributes and the text inside it, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self.open: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}, []))
        if tag not in ("img", "br", "meta", "link", "input", "hr"):
            self.open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            index = self.open.pop()
            if self.found[index][0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for index in self.open:
            self.found[index][2].append(data)

    def all(self, tag: str, **attrs: str) -> list[tuple[dict[str, str], str]]:
        return [(a, "".join(text)) for t, a, text in self.found
                if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


def rows(table_html: str) -> list[list[tuple[str, dict[str, str], str]]]:
    """The map's rows: each cell as (tag, attributes, text), with the href of its link if any."""
    result = []
    for row in re.findall(r"<tr>(.*?)</tr>", table_html, re.S):
        cells = []
        for tag, attrs, inner in re.findall(r"<(th|td)([^>]*)>(.*?)</\1>", row, re.S):
            link = re.search(r'<a href="([^"]*)"', inner)
            attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', attrs))
            if link:
                attributes["href"] = link.group(1)
            cells.append((tag, attributes, re.sub(r"<[^>]+>", "", inner)))
        result.append(cells)
    return result


# --- the map -----------------------------------------------------------------------------------

def test_map_counts_the_papers_in_both_topic_and_tag(catalog: Catalog, home: dict[str, str]) -> None:
    table = rows(home["map"])
    header, body = table[0], table[1:]
    phenomena = [t for t in catalog.tags.values() if t.facet == "phenomenon"]
    assert [text for _, _, text in header[1:]] == [t.title.replace("<", "&lt;").replace(">", "&gt;")
                                                   for t in phenomena]
    assert [cells[0][2] for cells in body] == [t.title.replace("<", "&lt;").replace(">", "&gt;")
                                               for t in catalog.topics.values()]
    for (topic, cells), (column, tag) in product(zip(catalog.topics.values(), body, strict=True),
                                                  enumerate(phenomena, 1)):
        expected = len({p.id for p in catalog.papers_in_topic(topic.id)} & {p.id for p in catalog.papers_with_tag(tag.id)})
        kind, attrs, text = cells[column]
        assert kind == "td"
        if expected:
            assert text == str(expected), (topic.id, tag.id)
            url = urlsplit(attrs["href"].replace("&amp;", "&"))
            assert url.path == "browse/"
            assert parse_qs(url.query) == {"topic": [topic.id], "tags": [tag.id]}
        else:
            assert "href" not in attrs and text == "·" and 'aria-hidden="true"' in home["map"]
    assert table[1][1][2] == "2"  # models x deception: a-2025 and b-2025
    assert table[2][2][2] == "3"  # swarms x cooperation: b, c, d


def test_map_has_a_caption_and_scoped_headers_and_scrolls_by_keyboard(catalog: Catalog, home: dict[str, str]) -> None:
    html = home["map"]
    assert re.search(r"<table[^>]*>\s*<caption>[^<]+</caption>", html)
    table = rows(html)
    assert all(attrs.get("scope") == "col" for kind, attrs, _ in table[0] if kind == "th")
    assert len(table[0]) == 1 + sum(t.facet == "phenomenon" for t in catalog.tags.values())
    for cells in table[1:]:
        assert cells[0][0] == "th" and cells[0][1]["scope"] == "row"
        assert [c[0] for c in cells[1:]] == ["td"] * (len(table[0]) - 1)
    assert table[1][0][1]["href"] == "topics/models/" and table[0][1][1]["href"] == "tags/deception/"
    region = Elements(html).all("div", class_="rl-map")
    assert len(region) == 1
    assert region[0][0]["role"] == "region" and region[0][0]["tabindex"] == "0" and region[0][0]["aria-label"]
    assert [c["id"] for c in map_view(catalog)["columns"]] == ["deception", "cooperation"]  # no method or setting


def test_map_links_are_relative_to_the_page(catalog: Catalog) -> None:
    deeper = home_fragments(catalog, "../")["map"]
    assert 'href="../browse/?topic=models&amp;tags=deception"' in deeper
    assert 'href="../topics/models/"' in deeper and 'href="../tags/deception/"' in deeper


def test_the_home_page_has_the_map_before_the_topics_and_a_paths_section() -> None:
    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    markers = re.findall(r"<!-- reading-list:([a-z-]+) -->", text)
    assert markers.index("map") < markers.index("topics")
    assert "paths" in markers


def test_home_lists_every_path_with_its_description(catalog: Catalog, home: dict[str, str]) -> None:
    html = home["paths"]
    links = [a["href"] for a, _ in Elements(html).all("a")]
    assert links == [f"paths/{p}/" for p in catalog.paths] + ["paths/"]
    assert "From the first signs to the mechanisms." in html
    assert all(re.search(rf"<h3[^>]*><a href=\"paths/{p}/\"", html) for p in catalog.paths)


# --- reading paths -------------------------------------------------------------------------------

def test_the_paths_index_lists_every_path_with_its_steps(catalog: Catalog, pages: dict[str, str]) -> None:
    html = pages["paths/index.md"]
    assert html.startswith('---\ntitle: "Reading paths"\n')
    titles = Elements(html).all("h2")
    assert [a for a, _ in Elements(html).all("a")] == [{"href": f"../paths/{p}/"} for p in catalog.paths]
    assert len(titles) == len(catalog.paths)
    for path in catalog.paths.values():
        assert f"{len(path.steps)} steps" in html
    assert "From the first signs to the mechanisms." in html
    assert "<h1>Reading paths</h1>" in html


def test_a_path_page_lists_its_steps_in_order_with_notes_and_links(catalog: Catalog, pages: dict[str, str]) -> None:
    path = catalog.paths["lying"]
    html = pages["paths/lying.md"]
    assert html.startswith('---\ntitle: "How models learn to lie"\ndescription: "From the first signs')
    parsed = Elements(html)
    assert [text for _, text in parsed.all("h1")] == [path.title]
    headings = [text for _, text in parsed.all("h2")]
    assert headings == [f"Step {n}: {catalog.paper(s.paper).title}" for n, s in enumerate(path.steps, 1)]
    paper_links = [a["href"] for a, _ in parsed.all("a") if "/papers/" in a["href"]]
    assert paper_links == [f"../../papers/{s.paper}/" for s in path.steps]
    notes = [text for _, text in parsed.all("p", class_="rl-step__note")]
    assert notes == [s.note for s in path.steps]
    assert "Ada Lovelace, Alan Turing, Grace Hopper et al." in html and "· <span class=\"rl-card__year\">2021</span>" in html
    emerges = [text for _, text in parsed.all("p", class_="rl-step__emerges")]
    assert emerges == [catalog.paper("a-2025").emerges]  # only the step whose paper has the line
    assert html.index("Step 1:") < html.index(notes[0]) < html.index("Step 2:") < html.index("Step 3:")


def test_one_page_per_path_and_the_index(catalog: Catalog) -> None:
    made = curation_pages(catalog)
    assert [p.src_uri for p in made] == ["paths/index.md", "paths/agents.md", "paths/lying.md"]
    assert [p.title for p in made] == ["Reading paths", f"Agents {SCRIPT}", "How models learn to lie"]
    assert curation_pages(Catalog((), {}, {}))[0].src_uri == "paths/index.md"  # the nav names it: always there


# --- topic pages ---------------------------------------------------------------------------------

def card_ids(html: str, heading: str) -> list[str]:
    """The papers of the card list right after the heading with id ``heading`` (the list's name)."""
    after = html.index(f'<h2 id="{heading}">')
    start = html.index('<ol class="rl-cards">', after)
    assert html[after:start].count("</h2>") == 1 and "<ol" not in html[after:start], heading
    block = html[start:html.index("</ol>", start)]
    return re.findall(r'<h3 class="rl-card__title"><a href="\.\./\.\./papers/([^/]+)/">', block)


def test_a_topic_page_starts_with_exactly_its_start_here_papers(catalog: Catalog, pages: dict[str, str]) -> None:
    for topic in catalog.topics:
        html = pages[f"topics/{topic}.md"]
        start = [p.id for p in catalog.papers_in_topic(topic) if p.start_here]
        assert start, topic
        assert card_ids(html, "start-here") == start
        assert card_ids(html, "papers") == [p.id for p in catalog.papers_in_topic(topic)]
        assert html.index('<h2 id="start-here">Start here</h2>') < html.index('<h2 id="papers">')


def test_a_topic_page_names_the_paths_through_it(catalog: Catalog, pages: dict[str, str]) -> None:
    models = pages["topics/models.md"]
    line = re.search(r'<p class="rl-paths-through">(.*?)</p>', models, re.S)
    assert line and line.group(1).startswith("Reading paths through this topic: ")
    assert re.findall(r'href="([^"]+)"', line.group(1)) == ["../../paths/agents/", "../../paths/lying/"]  # b-2025
    assert "rl-paths-through" not in pages["topics/cells.md"]
    assert "Start here" not in pages["tags/deception.md"] and "rl-paths-through" not in pages["tags/deception.md"]


def test_the_listing_cards_still_arrive_late(catalog: Catalog) -> None:
    page = generated_pages(catalog)["topics/swarms.md"]
    assert page.markdown.count(LATE_SLOT) == 1 and "rl-card" not in page.markdown
    assert page.late.startswith('<ol class="rl-cards">') and page.late.endswith("</ol>")
    assert page.late.count('<ol class="rl-cards"') == 2


def test_headings_go_in_order(pages: dict[str, str], home: dict[str, str]) -> None:
    for uri, html in pages.items():
        levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
        assert levels[0] == 1, uri
        assert all(b <= a + 1 for a, b in pairwise(levels)), (uri, levels)
    for name in ("paths", "newest", "topics"):  # under an h2 of docs/index.md
        assert "<h2" not in home[name] and "<h1" not in home[name]


# --- cards ------------------------------------------------------------------------------------------

def test_cards_say_what_emerges_or_the_abstracts_opening(catalog: Catalog, pages: dict[str, str],
                                                        home: dict[str, str]) -> None:
    for html in (pages["topics/models.md"], home["newest"]):
        summaries = dict(re.findall(r'<a href="(?:\.\./\.\./)?papers/([^/]+)/">.*?</a></h3>\n.*?\n'
                                    r'<p class="rl-card__summary">(.*?)</p>', html))
        assert summaries["a-2025"] == "Deception emerges in language models from RL against a reward model."
        assert summaries["e-2025"] == summary(catalog.paper("e-2025").abstract) == "First sentence of e-2025."


# --- contributor text is text ------------------------------------------------------------------

def test_hostile_text_comes_out_escaped(pages: dict[str, str], home: dict[str, str]) -> None:
    everything = [*pages.values(), *home.values()]
    for html in everything:
        assert "<script>" not in html and "<img" not in html and "onerror=alert(1)>" not in html
    escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    escaped_breakout = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert escaped_breakout in pages["paths/lying.md"]  # a step's note
    assert escaped_breakout in pages["paths/agents.md"] and escaped_breakout in pages["paths/index.md"]  # descriptions
    assert escaped_breakout in home["paths"]
    assert escaped_script in pages["paths/agents.md"]  # the path's title (and c-2025's title, a step)
    assert escaped_script in pages["topics/swarms.md"]  # the start-here card of c-2025, the topic's title
    assert escaped_script in home["map"]  # a topic's and a tag's title
    front = pages["paths/agents.md"].split("---\n")[1]
    assert "<" not in front and ">" not in front  # the theme prints the front matter raw
