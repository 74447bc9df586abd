"""What the web's checkers ask of every page, read from the built site (issue 16; `make audit` runs the
checkers themselves): a skip link, headings in order, a named search dialog, no names on plain lists,
page-specific CSS and JS only where used, and the project's own assets minified."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.minify import minified

from .support import ROOT

REDIRECT = re.compile(r'<meta http-equiv="?refresh"?', re.IGNORECASE)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    in_article: bool


@dataclass
class Page:
    """The elements of one page, in document order."""

    path: str
    elements: list[Element] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def with_class(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.attrs.get("class", "").split()]


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.article_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "article":
            self.article_depth += 1
        self.page.elements.append(Element(tag, values, self.article_depth > 0))
        if "id" in values:
            self.page.ids.add(values["id"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.article_depth:
            self.article_depth -= 1


@pytest.fixture(scope="module")
def pages(real_site: Path) -> dict[str, Page]:
    """Every page of the real site but the redirects of moved pages, by path under the site."""
    found: dict[str, Page] = {}
    for path in sorted(real_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if REDIRECT.search(text):
            continue
        page = Page(path.relative_to(real_site).as_posix())
        _Reader(page).feed(text)
        found[page.path] = page
    return found


def kinds(pages: dict[str, Page]) -> set[str]:
    return {p.split("/")[0] if p.count("/") > 1 else p for p in pages}


def test_the_site_has_every_page_kind(pages: dict[str, Page]) -> None:
    assert {"index.html", "404.html", "papers", "tags", "topics", "paths", "browse/index.html",
            "contributing/index.html", "about/index.html", "tags/index.html"} <= kinds(pages)


def test_every_page_has_one_skip_link_and_it_lands_on_the_page(pages: dict[str, Page]) -> None:
    for page in pages.values():
        links = page.with_class("md-skip")
        assert len(links) == 1, f"{page.path}: {len(links)} skip links"
        href = links[0].attrs.get("href", "")
        assert href.startswith("#") and href[1:] in page.ids, f"{page.path}: skip link to missing {href!r}"
        first_focusable = next(e for e in page.elements if e.tag in ("a", "button", "input", "select", "textarea")
                               and "md-toggle" not in e.attrs.get("class", ""))
        assert first_focusable is links[0], f"{page.path}: the skip link is not the first thing Tab reaches"


def test_headings_never_skip_a_level_in_the_content(pages: dict[str, Page]) -> None:
    for page in pages.values():
        levels = [int(e.tag[1]) for e in page.elements if e.in_article and re.fullmatch(r"h[1-6]", e.tag)]
        assert levels and levels[0] == 1, f"{page.path}: {levels[:3]}"
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{page.path}: h{before} then h{after}"


def test_card_titles_sit_under_a_section_heading(pages: dict[str, Page]) -> None:
    """Card titles are h3: every list of cards comes after an h2 (Lighthouse's heading-order)."""
    checked = 0
    for page in pages.values():
        last_heading = 0
        for element in page.elements:
            if element.in_article and re.fullmatch(r"h[1-6]", element.tag):
                if "rl-card__title" in element.attrs.get("class", ""):
                    assert last_heading >= 2, f"{page.path}: a card title right after an h{last_heading}"
                    checked += 1
                else:
                    last_heading = int(element.tag[1])
    assert checked > 100


def test_the_search_dialog_is_named_on_every_page(pages: dict[str, Page]) -> None:
    for page in pages.values():
        dialogs = [e for e in page.elements if e.attrs.get("role") == "dialog"]
        assert dialogs, page.path
        assert all(d.attrs.get("aria-label", "").strip() for d in dialogs), page.path


def test_plain_lists_carry_no_aria_name(pages: dict[str, Page]) -> None:
    for page in pages.values():
        for element in page.elements:
            if element.tag in ("ul", "ol") and "role" not in element.attrs:
                named = {"aria-label", "aria-labelledby"} & set(element.attrs)
                assert not named, f"{page.path}: <{element.tag} class={element.attrs.get('class')!r}> has {named}"


def test_forms_in_the_content_can_be_submitted(pages: dict[str, Page]) -> None:
    """A <form> the project writes has a submit button (browse's live filters are a <search>, not a form)."""
    for page in pages.values():
        for element in page.elements:
            if element.tag == "form" and element.in_article:
                assert "submit" in _submit_types(page, element), f"{page.path}: a form without a submit button"
    browse = pages["browse/index.html"]
    assert [e.attrs.get("id") for e in browse.all("search")] == ["rl-form"]


def _submit_types(page: Page, form: Element) -> set[str]:
    start = page.elements.index(form)
    rest = page.elements[start + 1:]
    end = next((i for i, e in enumerate(rest) if e.tag == "form"), len(rest))
    return {e.attrs.get("type", "submit") for e in rest[:end] if e.tag == "button"}


def _assets(page: Page) -> set[str]:
    refs = [e.attrs.get("href", "") for e in page.all("link") if e.attrs.get("rel") == "stylesheet"]
    refs += [e.attrs.get("src", "") for e in page.all("script") if e.attrs.get("src")]
    return {ref.rsplit("/", 1)[-1] for ref in refs}


def test_browse_css_and_js_load_on_the_browse_page_only(pages: dict[str, Page]) -> None:
    for page in pages.values():
        assets = _assets(page)
        assert "reading-list.css" in assets, page.path
        browse_only = {"browse.css", "browse.js"} & assets
        assert browse_only == ({"browse.css", "browse.js"} if page.path == "browse/index.html" else set()), page.path


def test_the_header_search_script_runs_before_materials_bundle(pages: dict[str, Page]) -> None:
    """It holds the bundle's request for the search index: it must be there first, on every page."""
    for page in pages.values():
        scripts = [e.attrs["src"].rsplit("/", 1)[-1] for e in page.all("script") if e.attrs.get("src")]
        bundle = next(i for i, s in enumerate(scripts) if s.startswith("bundle."))
        assert "header-search.js" in scripts[:bundle], f"{page.path}: {scripts}"


@pytest.mark.parametrize("name", ["browse.js", "header-search.js", "browse.css", "reading-list.css"])
def test_the_projects_assets_are_served_minified(real_site: Path, name: str) -> None:
    source = (ROOT / "docs" / "assets" / name).read_text(encoding="utf-8")
    served = (real_site / "assets" / name).read_text(encoding="utf-8")
    assert served == minified(name, source)
    assert len(served) < 0.9 * len(source) and "/*" not in served
