"""The fast path makes the pages the ordinary path would: paper pages filled into a lean
shell equal the same page rendered by MkDocs' own page loop, and the shortcuts inside
rendering (plain abstracts without markdown-it, a summary without splitting the whole
abstract) give exactly what the general code gives."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape
from mkdocs.config import load_config

from generator.build import build_site
from generator.exports.bibtex import entries as bibtex_entries
from generator.load import load
from generator.model import Catalog
from generator.plugin import plugin as site_plugin
from generator.related import related_papers
from generator.render import pages as render_pages
from generator.render.pages import GeneratedPage, PaperRenderer, edit_url
from generator.render.text import _SENTENCE_END, _markdown, markdown_html, plain, plain_paragraph, summary
from generator.speed import helper_process
from generator.speed.presplit import Split, text

from .hostile import PAPERS as HOSTILE
from .support import FIXTURES, ROOT, build, tree

# --- rendering shortcuts --------------------------------------------------------------------------

SYNTAX = list("\\`*_[]<>!&~|#=+-.:;()'\"%$@^{}0123456789 \t\n\r")
ODD = ["\x00", "\x0b", "\x0c", "\x1c", "\x1f", "\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\u3000", "é", "ß", "ﬁ", "€"]
TEXT = st.one_of(
    st.text(st.sampled_from(SYNTAX + ODD + list("aZ")), max_size=60),
    st.builds(str.__add__, st.sampled_from(["A", "é", "Über", "x", "Word"]), st.text(st.sampled_from(SYNTAX + ODD + list("abc ")), max_size=60)),
    st.text(max_size=60),
)


@settings(max_examples=3000, deadline=None)
@given(TEXT)
def test_a_plain_abstract_renders_as_markdown_it_renders_it(text: str) -> None:
    fast = plain_paragraph(text)
    if fast is not None:
        assert fast == str(_markdown().render(text)).strip()


def test_most_abstracts_take_the_plain_path(catalog: Catalog) -> None:
    plain_ones = [p for p in catalog.papers if plain_paragraph(p.abstract) is not None]
    assert len(plain_ones) >= len(catalog.papers) * 0.8
    assert plain_paragraph('Results: 48% vs "44%" (p < 0.05).') is None  # "<" can start HTML: the full parser decides
    assert markdown_html("A *bold* claim") == "<p>A <em>bold</em> claim</p>"


def _reference_summary(abstract: str, limit: int) -> str:
    """The summary as first written: split the whole abstract into sentences."""
    sentences = _SENTENCE_END.split(plain(abstract))
    result = sentences[0]
    if len(sentences) > 1 and len(result) + len(sentences[1]) < limit * 0.8:
        result += " " + sentences[1]
    if len(result) > limit:
        cut = result[:limit].rsplit(" ", 1)[0]
        result = cut.rstrip(",;:") + " …"
    return result


SENTENCES = st.lists(st.text(st.sampled_from(list("Ab c.!?\"'([ \n\t")), max_size=120), max_size=12).map("".join)


@settings(max_examples=2000, deadline=None)
@given(SENTENCES, st.sampled_from([60, 200, 300]))
def test_the_summary_is_the_first_sentence_or_two(abstract: str, limit: int) -> None:
    assert summary(abstract, limit) == _reference_summary(abstract, limit)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.none()))
def test_a_slot_is_escaped_as_jinja_escapes_it(value: object) -> None:
    assert text(value) == str(escape(value))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_split_template_fills_as_jinja_renders_it(data: st.DataObject) -> None:
    env = render_pages.environment()
    for name, slots, html in (("paper.html.j2", render_pages.ARTICLE_SLOTS, render_pages.ARTICLE_HTML),
                              ("paper_head.html.j2", render_pages.HEAD_SLOTS, render_pages.HEAD_HTML)):
        template = env.get_template(name)
        values: dict[str, object] = {slot: data.draw(st.text(st.sampled_from(list("a<>&\"' é{}%")), max_size=8))
                                     for slot in slots}
        jinja = {k: Markup(v) if k in html else v for k, v in values.items()}
        assert Split.of(template.render, slots, html=html, site_name="S & <S>").fill(values) == \
            template.render(**jinja, site_name="S & <S>")


# --- the page: fast path against MkDocs' page loop ------------------------------------------------

ORDINARY = "ordinary"  # the same depth as papers/<id>/, so relative links are the same


class _Tree(HTMLParser):
    """A page as a list of events: start tags with their attributes, end tags, non-blank text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[Any, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A class attribute is a list of names: the spaces around them are not part of the page.
        values = ((k, " ".join((v or "").split()) if k == "class" else v or "") for k, v in attrs)
        self.events.append(("start", tag, tuple(sorted(values))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.events.append(("text", text))


def _events(html: str) -> list[tuple[Any, ...]]:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.events


def _icons(site: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Symbol id -> the events of its body, from the icon file the lean pages refer to."""
    (path,) = (site / "assets").glob("rl-icons.*.svg")
    symbols: dict[str, list[tuple[Any, ...]]] = {}
    current: str | None = None
    for event in _events(path.read_text(encoding="utf-8")):
        if event[:2] == ("start", "symbol"):
            current = dict(event[2])["id"]
            symbols[current] = []
        elif event[:2] == ("end", "symbol"):
            current = None
        elif current is not None:
            symbols[current].append(event)
    return symbols


def _normalised(html: str, icons: dict[str, list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """Only what must differ between the two pages goes: where the ordinary page lives, how an icon is
    included (inline, or by reference into the icon file) and the case of an SVG attribute."""
    out: list[tuple[Any, ...]] = []
    for event in _events(html.replace(f"/{ORDINARY}/", "/papers/")):
        if event[0] == "start":
            attrs = tuple((name, value) for name, value in event[2] if not (event[1] == "svg" and name == "xmlns"))
            if event[1] == "use":
                out.extend(icons[dict(attrs)["href"].split("#")[1]])
                continue
            event = ("start", event[1], attrs)
        elif event == ("end", "use"):
            continue
        out.append(event)
    return out


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load(ROOT / "papers")
    assert result.catalog is not None
    return result.catalog


def _both_paths(papers: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """Build ``papers``; each paper also gets an ordinary MkDocs page at ordinary/<id>/ made of the same
    article and head tags, with the same edit link."""
    result = load(papers)
    assert result.catalog is not None
    catalog = result.catalog
    real_pages = site_plugin.listing_pages
    plugin = load_config(config_file=str(ROOT / "mkdocs.yml")).plugins["reading-list"]  # the instance MkDocs keeps

    def listing_pages(catalog: Catalog, made: Any) -> dict[str, GeneratedPage]:
        found = real_pages(catalog, made)
        site = plugin.site
        assert site is not None
        entries = bibtex_entries(catalog)
        renderer = PaperRenderer(catalog, site)
        related = related_papers(catalog)
        for paper in catalog.papers:
            page = renderer.page(paper, entries[paper.id], related.get(paper.id, ()))
            src = f"{ORDINARY}/{paper.id}.md"
            found[src] = GeneratedPage(src, render_pages.paper_markdown(page), page.title, page.head,
                                       edit_url=edit_url(site, paper.id))
        return found

    monkeypatch.setattr(site_plugin, "listing_pages", listing_pages)
    build_site(ROOT / "mkdocs.yml", papers, out)
    return catalog


def _pairs(site: Path, catalog: Catalog) -> Iterator[tuple[str, str, str]]:
    for paper in catalog.papers:
        fast = (site / "papers" / paper.id / "index.html").read_text(encoding="utf-8")
        ordinary = (site / ORDINARY / paper.id / "index.html").read_text(encoding="utf-8")
        yield paper.id, fast, ordinary


@pytest.mark.parametrize("records", ["mini", "hostile"])
def test_a_paper_page_is_the_page_mkdocs_would_render(records: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "mini" if records == "mini" else HOSTILE, papers)
    site = tmp_path / "site"
    catalog = _both_paths(papers, site, monkeypatch)
    icons = _icons(site)
    for paper_id, fast, ordinary in _pairs(site, catalog):
        assert len(fast.encode()) < len(ordinary.encode()) - 5_000, paper_id  # leaner...
        assert _normalised(fast, icons) == _normalised(ordinary, icons), paper_id  # ...and the same page


def test_the_lean_page_keeps_what_readers_and_machines_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    papers = tmp_path / "papers"
    shutil.copytree(FIXTURES / "mini", papers)
    site = tmp_path / "site"
    catalog = _both_paths(papers, site, monkeypatch)
    for paper_id, fast, _ in _pairs(site, catalog):
        paper = catalog.paper(paper_id)
        head = fast[:fast.index("</head>")]
        assert f"<title>{paper.title} - Emergent Behaviors</title>" in head
        description = re.search(r'<meta content="([^"]*)" name=description>', head)
        assert description is not None and 60 <= len(description.group(1)) <= 210
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
        assert script is not None
        data = json.loads(script.group(1))
        assert data["name"] == paper.title and "abstract" not in data
        assert f'<div class="rl-paper" data-paper-id="{paper.id}">' in fast  # the article exactly as rendered


# --- two processes make the same site -------------------------------------------------------------

def test_pages_made_by_two_processes_are_the_pages_one_makes(mini: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    one = tmp_path / "one" / "site"
    assert build(mini, one).returncode == 0  # four papers: no helper process
    two = tmp_path / "two" / "site"
    monkeypatch.setattr(site_plugin, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(helper_process, "CHUNK", 1)  # the two processes take turns
    shared: list[int] = []
    real_share = helper_process.share_work

    def share_work(count: int, work: Any, meanwhile: Any) -> Any:
        shared.append(count)
        return real_share(count, work, meanwhile)

    monkeypatch.setattr(site_plugin, "share_work", share_work)
    build_site(ROOT / "mkdocs.yml", mini, two)
    assert shared == [4]
    assert tree(two) == tree(one)


def test_work_is_shared_once_each_and_a_failed_helper_fails_the_build(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper_process, "CHUNK", 3)
    parent = os.getpid()

    def helper_started() -> str:
        """This process's other work: here, waiting until the helper has done some of the pages."""
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".helper") for p in tmp_path.iterdir()):
            assert time.monotonic() < deadline, "the helper never started"
            time.sleep(0.01)
        return "meanwhile"

    def work(chunk: range) -> int:
        for index in chunk:
            (tmp_path / f"{index}.{'parent' if os.getpid() == parent else 'helper'}").touch()
        return len(chunk)

    result, helped = helper_process.share_work(100, work, helper_started)
    done = sorted(p.name for p in tmp_path.iterdir())
    assert result == "meanwhile"
    assert sorted(int(name.split(".")[0]) for name in done) == list(range(100))  # each index once
    assert helped == sum(1 for name in done if name.endswith(".helper")) > 0

    def failing(chunk: range) -> int:
        if os.getpid() != parent:
            (tmp_path / "failed.helper").touch()
            raise RuntimeError("disk full")
        return 0

    for path in tmp_path.iterdir():
        path.unlink()
    with pytest.raises(helper_process.HelperFailed, match="disk full"):
        helper_process.share_work(100, failing, helper_started)
