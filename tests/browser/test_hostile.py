"""The hostile corpus in Chromium: every page kind shows the payloads as text and runs none of them.

A payload that ran would open a dialog (``alert``), set ``window.__pwned``, or leave an
event-handler attribute or a ``javascript:`` URL in the live DOM; each of these fails the
test, and so does any console error. The last tests check a Content-Security-Policy for
the site: the policy proposed for ``overrides/main.html`` is injected into a copy of the
build, and the site must work under it while an injected inline script is blocked.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from mkdocs.config import load_config
from playwright.sync_api import ConsoleMessage, Dialog, Page

from generator.load import load
from generator.model import Catalog
from generator.render.text import summary

from ..hostile import PAPER_TEXT, PAPERS
from ..support import ROOT, TODAY, built, serve

HAS_BROWSE = (ROOT / "docs" / "browse.md").exists()

# Chromium asks for /favicon.ico when it shows a feed or a JSON file itself.
KNOWN_NOISE = re.compile(r"/favicon\.ico$")

# The site's Content-Security-Policy (mkdocs.yml, extra.csp; a <meta> first in extrahead). Its
# hashes allow exactly Material 9.8's palette and content-tabs scripts. Material's `__md_scope`
# script comes before the policy and needs none. JSON config and JSON-LD blocks are data, never
# run, so script-src does not apply to them.
CSP = " ".join(load_config(config_file=str(ROOT / "mkdocs.yml")).extra["csp"].split())

LIVE_PAYLOADS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) bad.push(`${el.tagName} ${a.name}=${a.value}`);
      if (["href", "src", "action", "formaction", "xlink:href", "data"].includes(a.name)
          && /^[\\s\\x00-\\x1f]*(javascript|data|vbscript):/i.test(a.value)) bad.push(`${el.tagName} ${a.name}=${a.value}`);
    }
  }
  for (const tag of ["img", "iframe", "object", "embed", "base", "textarea", "template"])
    for (const el of document.querySelectorAll(tag)) bad.push(el.outerHTML.slice(0, 200));
  for (const s of document.scripts)
    if (!s.src && !["application/json", "application/ld+json"].includes(s.type) && /alert\\(|__pwned/.test(s.text))
      bad.push(s.outerHTML.slice(0, 200));
  return bad;
}"""


@dataclass
class Guard:
    """What a page did that it must not: dialogs, console errors, uncaught errors."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not KNOWN_NOISE.search(message.location.get("url", "")):
            self.errors.append(f"{message.text} ({message.location.get('url')})")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load(PAPERS, today=TODAY)
    assert result.catalog is not None
    return result.catalog


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(PAPERS, tmp_path_factory.mktemp("hostile-browser") / "site")


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    yield from serve(hostile_site)


@pytest.fixture
def guard(page: Page) -> Iterator[Guard]:
    found = Guard()
    page.on("dialog", found.on_dialog)
    page.on("console", found.on_console)
    page.on("pageerror", lambda error: found.errors.append(f"uncaught: {error}"))
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                         "e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));")
    yield found
    assert found.dialogs == [], "a payload opened a dialog"


def squeeze(text: str) -> str:
    """Text with HTML white space collapsed, as the browser lays it out."""
    return re.sub(r"[ \t\n\r\f]+", " ", text).strip()


def assert_safe(page: Page, guard: Guard) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", page.evaluate("String(window.__pwned)")
    assert page.evaluate(LIVE_PAYLOADS) == []
    assert guard.dialogs == []
    assert guard.errors == []


def assert_shows(page: Page, texts: list[str]) -> None:
    shown = squeeze(page.inner_text("body"))
    missing = [t for t in texts if squeeze(t) not in shown]
    assert missing == []


def _kinds(catalog: Catalog) -> dict[str, list[str]]:
    """Every page kind built from the corpus -> the text it must show literally."""
    topics, tags = catalog.topics.values(), catalog.tags.values()
    kinds: dict[str, list[str]] = {
        "": [p.title for p in catalog.papers] + [t.title for t in topics] + [t.description for t in topics]
        + [summary(p.abstract) for p in catalog.papers],
        "topics/": [t.title for t in topics] + [t.description for t in topics],
        "tags/": [t.title for t in tags] + [t.description for t in tags],
        "contributing/": [t.title for t in topics] + [t.title for t in tags],
    }
    for kind, terms, members in (("topics", topics, catalog.papers_in_topic), ("tags", tags, catalog.papers_with_tag)):
        for term in terms:
            papers = members(term.id)
            kinds[f"{kind}/{term.id}/"] = [term.title, term.description] + [p.title for p in papers] + [
                p.venue.text for p in papers if p.venue] + [catalog.tags[t].title for p in papers for t in p.tags]
    for paper in catalog.papers:
        kinds[f"papers/{paper.id}/"] = [paper.title, *paper.authors, *([paper.venue.text] if paper.venue else []),
                                        *([f"DOI {paper.doi}"] if paper.doi else []),
                                        *(catalog.topics[t].title for t in paper.topics),
                                        *(catalog.tags[t].title for t in paper.tags), *PAPER_TEXT[paper.id]]
    return kinds


KINDS = sorted(_kinds(load(PAPERS, today=TODAY).catalog or Catalog((), {}, {})))


@pytest.mark.parametrize("path", KINDS, ids=lambda p: p.strip("/") or "home")
def test_each_page_shows_the_payloads_as_text_and_runs_none(
        page: Page, guard: Guard, hostile_url: str, catalog: Catalog, path: str) -> None:
    page.goto(hostile_url + path)
    page.wait_for_load_state("load")
    assert_shows(page, _kinds(catalog)[path])
    if path.startswith("papers/"):
        paper = catalog.paper(path.split("/")[1])
        assert page.title().startswith(paper.title)
        assert page.locator("article .rl-author").all_inner_texts() == list(paper.authors)
    assert page.evaluate("String(window.__csp)") == ""
    assert_safe(page, guard)


def test_the_payloads_are_text_in_the_search_results(page: Page, guard: Guard, hostile_url: str) -> None:
    page.goto(hostile_url + "tags/")
    for query, expected in (("script", "<script>alert('tag title')</script> Script tags"),
                            ("onerror", "<img src=x onerror=alert('tag description')>"),
                            ("breakouts", "</noscript><script>window.__pwned='tag title'</script> Breakouts"),
                            ("config", "{{ config.site_name }}")):
        search = page.locator("input.md-search__input")
        search.click()
        search.fill("")
        search.press_sequentially(query)
        results = page.locator(".md-search-result__list")
        results.locator("li").first.wait_for()
        assert squeeze(expected) in squeeze(results.inner_text()), query
        assert_safe(page, guard)
        page.keyboard.press("Escape")


def test_hostile_text_in_the_address_does_not_run(page: Page, guard: Guard, hostile_url: str) -> None:
    payload = "<img src=x onerror=window.__pwned=1>"
    page.goto(f"{hostile_url}?q={quote(payload)}#{quote(payload)}")
    page.wait_for_load_state("load")
    assert_safe(page, guard)
    page.goto(f"{hostile_url}papers/script-payloads-2025/#{quote(payload)}")
    assert_safe(page, guard)


@pytest.mark.skipif(not HAS_BROWSE, reason="no browse page (docs/browse.md) yet")
def test_the_browse_page_shows_the_payloads_as_text(
        page: Page, guard: Guard, hostile_url: str, catalog: Catalog) -> None:
    page.goto(hostile_url + "browse/")
    page.locator("#rl-results li").first.wait_for()
    assert_shows(page, [p.title for p in catalog.papers])
    assert_safe(page, guard)
    page.fill("#rl-q", "<script>")
    page.wait_for_timeout(300)
    assert_safe(page, guard)
    hostile = quote("<img src=x onerror=window.__pwned=1>")
    page.goto(f"{hostile_url}browse/?q={hostile}&tags={hostile},script-tags&topic={hostile}&from={hostile}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert_safe(page, guard)


def test_feeds_and_exports_are_served_as_data(page: Page, guard: Guard, hostile_url: str, catalog: Catalog) -> None:
    titles = {p.title for p in catalog.papers}
    atom = "{http://www.w3.org/2005/Atom}"
    for feed in ["feeds/all.atom.xml", *(f"feeds/topics/{t}.atom.xml" for t in catalog.topics),
                 *(f"feeds/tags/{t}.atom.xml" for t in catalog.tags)]:
        response = page.request.get(hostile_url + feed)
        assert response.status == 200, feed
        root = ET.fromstring(response.body())
        assert {e.findtext(f"{atom}title") for e in root.iter(f"{atom}entry")} <= titles
    for name in ("export/papers.bib", "export/papers.ris"):
        text = page.request.get(hostile_url + name).text()
        assert "<script>alert('title')</script>" in text, name
    for name in ("export/papers.csl.json", "export/papers.json"):
        data: Any = json.loads(page.request.get(hostile_url + name).body())
        assert titles <= set(_strings(data)), name
    for opened in ("feeds/all.atom.xml", "feeds/tags/script-tags.atom.xml", "export/papers.csl.json"):
        page.goto(hostile_url + opened)  # Chromium's XML and JSON viewers run nothing from the file
        assert_safe(page, guard)


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


# --- a Content-Security-Policy --------------------------------------------------------------------

META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
SCOPE_SCRIPT = re.compile(r"<script>__md_scope=.*?</script>", re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.DOTALL)


def _inline_hashes(html: str) -> dict[str, str]:
    """sha256 -> opening of every inline script that runs, after the policy's place in the page."""
    found = {}
    for match in INLINE_SCRIPT.finditer(html):
        attrs, body = match.group(1) or "", match.group(2)
        if "src=" in attrs or "application/" in attrs:
            continue
        found["'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"] = body.strip()[:80]
    return found


@pytest.fixture(scope="module")
def csp_site(hostile_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the hostile build (the next tests add a page to it)."""
    out = tmp_path_factory.mktemp("csp") / "site"
    shutil.copytree(hostile_site, out)
    return out


@pytest.fixture(scope="module")
def csp_url(csp_site: Path) -> Iterator[str]:
    yield from serve(csp_site)


def test_every_page_carries_the_policy_first(csp_site: Path) -> None:
    pages = [p for p in csp_site.rglob("*.html") if p.name != "injected.html"]
    assert len(pages) > 15  # every page kind: home, indexes, topics, tags, papers, browse, 404
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert html.count(META) == 1, path
        assert html.index(META) < html.index("</head>"), path


def test_the_policy_allows_exactly_the_inline_scripts_of_the_site(csp_site: Path) -> None:
    found: dict[str, str] = {}
    for path in csp_site.rglob("*.html"):
        if path.name == "injected.html":  # made by the next test
            continue
        html = path.read_text(encoding="utf-8")
        found.update(_inline_hashes(html[html.index(META):]))
    unknown = {h: opening for h, opening in found.items() if h not in CSP}
    assert unknown == {}, "inline scripts the policy would block; add their hashes to the CSP or move them to files"


CSP_PAGES = ["", "topics/", "topics/scripts-and-breakouts/", "tags/", "tags/script-tags/", "papers/script-payloads-2025/",
             "papers/markdown-payloads-2025/", "contributing/", *(["browse/"] if HAS_BROWSE else [])]


def test_the_site_works_under_the_policy(page: Page, guard: Guard, csp_url: str) -> None:
    for path in CSP_PAGES:
        page.goto(csp_url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof __md_scope") == "object", path  # Material's scripts ran
        assert page.evaluate("window.__csp") == [], path
        assert_safe(page, guard)
    if HAS_BROWSE:  # the browse page's script and its index load under the policy
        page.locator("#rl-results li").first.wait_for()
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("script")
    page.locator(".md-search-result__list li").first.wait_for()  # the search worker and index load under it
    page.keyboard.press("Escape")
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()  # the palette script runs
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme
    assert page.evaluate("window.__csp") == []
    assert_safe(page, guard)


def test_the_policy_blocks_a_script_that_got_into_a_page(page: Page, csp_site: Path, csp_url: str) -> None:
    victim = csp_site / "papers" / "script-payloads-2025" / "index.html"
    html = victim.read_text(encoding="utf-8")
    injected = html.replace('<div class="rl-abstract">', '<div class="rl-abstract"><script>window.__pwned=1</script>'
                            '<img src="data:," onerror="window.__pwned=2"><a id="x" href="javascript:window.__pwned=3">x</a>', 1)
    (victim.parent / "injected.html").write_text(injected, encoding="utf-8")
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                         "e => window.__csp.push(e.violatedDirective));")
    page.goto(csp_url + "papers/script-payloads-2025/injected.html")
    page.wait_for_load_state("load")
    page.click("#x")
    # violation events are dispatched asynchronously: wait for the three (script, handler, URL)
    page.wait_for_function("() => window.__csp.length >= 3", timeout=15_000)
    assert page.evaluate("typeof window.__pwned") == "undefined"
