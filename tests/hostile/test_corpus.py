"""The hostile corpus: it checks clean, covers every field, builds into pages where nothing runs,
and everything it must not hold is refused with one precise line."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.load import load
from generator.model import Catalog

from ..support import TODAY, build, built, tree
from . import BREAKOUTS, EVENT_HANDLERS, PAPERS, REJECTED, RTL, SCRIPT, TEMPLATES, ZERO_WIDTH

SITE_NAME = "Emergent Behaviors"
LINK_HINT = "(links must start with https:// (or http://); other schemes are refused for readers' safety)"
CONTROL_HINT = "(remove them; they are invisible and break exports)"


def _link(case: str, shown: str) -> str:
    return f"papers/{case}-2025.md:7: links.code: {shown} is not an absolute http(s) URL {LINK_HINT}"


# rejected/<file> -> (the name it takes in the records folder, the lines `check` prints for that file)
EXPECTED: dict[str, tuple[str, list[str]]] = {
    f"{case}-2025.md": (f"{case}-2025.md", [_link(case, shown)]) for case, shown in {
        "link-javascript": "'javascript:alert(1)'",
        "link-javascript-mixed-case": "'JaVaScRiPt:alert(1)'",
        "link-javascript-tab": r"'java\tscript:alert(1)'",
        "link-javascript-newline": r"'java\nscript:alert(1)'",
        "link-javascript-leading-space": "' javascript:alert(1)'",
        "link-javascript-entity": "'&#106;avascript:alert(1)'",
        "link-javascript-colon-entity": "'javascript&colon;alert(1)'",
        "link-javascript-percent": "'%6Aavascript:alert(1)'",
        "link-javascript-fullwidth": "'ｊａｖａｓｃｒｉｐｔ:alert(1)'",
        "link-javascript-after-https": "'https:javascript:alert(1)'",
        "link-data": "'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='",
        "link-data-mixed-case": "'DaTa:text/html,<script>alert(1)</script>'",
        "link-vbscript": "'vbscript:msgbox(1)'",
        "link-file": "'file:///etc/passwd'",
        "link-protocol-relative": "'//evil.example/x'",
        "link-control-character": r"'https://example.org/\x07'",
        "link-c1-control-character": r"'https://example.org/\x85'",
    }.items()
} | {
    # Invisible characters in an address: a zero-width space hides a scheme, a right-to-left override
    # makes "exe.jpg" read "gpj.exe".
    **{f"{case}-2025.md": (f"{case}-2025.md", [
        f"papers/{case}-2025.md:7: links.code: {shown} holds an invisible character ({code}) that can disguise "
        "where the link leads (type the address again, without it)"]) for case, shown, code in (
            ("link-javascript-zero-width", r"'java\u200bscript:alert(1)'", "U+200B"),
            ("link-bidi-override", r"'https://example.org/\u202egpj.exe'", "U+202E"))},
    "link-hostile-label-2025.md": ("link-hostile-label-2025.md", [
        "papers/link-hostile-label-2025.md:7: links.<script>alert(1)</script>: '<script>alert(1)</script>' is not a valid "
        "link label (use a lowercase word such as code, project, data, video)"]),
    # A raw control byte in the front matter (YAML refuses it) and a YAML escape give the same line.
    "title-control-raw-2025.md": ("title-control-raw-2025.md", [
        f"papers/title-control-raw-2025.md:2: title: contains control characters (U+0007) {CONTROL_HINT}"]),
    "title-control-escape-2025.md": ("title-control-escape-2025.md", [
        f"papers/title-control-escape-2025.md:2: title: contains control characters (U+001B) {CONTROL_HINT}"]),
    "author-control-escape-2025.md": ("author-control-escape-2025.md", [
        f"papers/author-control-escape-2025.md:5: authors: contains control characters (U+001B) {CONTROL_HINT}"]),
    "venue-control-raw-2025.md": ("venue-control-raw-2025.md", [
        f"papers/venue-control-raw-2025.md:6: venue: contains control characters (U+007F) {CONTROL_HINT}"]),
    "abstract-control-raw-2025.md": ("abstract-control-raw-2025.md", [
        "papers/abstract-control-raw-2025.md:14: abstract: contains control characters (U+001B) (remove them)"]),
    "notes-control-raw-2025.md": ("notes-control-raw-2025.md", [
        "papers/notes-control-raw-2025.md:18: notes: contains control characters (U+0007) (remove them)"]),
    "tags-control-raw.yml": ("tags.yml", [
        f"papers/tags.yml:4: script-tags: contains control characters (U+0007) {CONTROL_HINT}"]),
    "topics-control-escape.yml": ("topics.yml", [
        "papers/topics.yml:3: scripts-and-breakouts.title: contains control characters (remove them)"]),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load(PAPERS, today=TODAY)
    assert result.catalog is not None, [p.text() for p in result.problems]
    return result.catalog


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(PAPERS, tmp_path_factory.mktemp("hostile") / "site")


def test_the_buildable_corpus_checks_without_a_single_problem() -> None:
    result = load(PAPERS, today=TODAY)
    assert [p.text() for p in result.problems] == []
    assert result.catalog is not None and len(result.catalog) == 6


def _fields(catalog: Catalog) -> dict[str, list[str]]:
    papers = catalog.papers
    return {
        "title": [p.title for p in papers],
        "authors": [a for p in papers for a in p.authors],
        "venue": [p.venue.name for p in papers if p.venue],
        "doi": [p.doi for p in papers if p.doi],
        "links": [url for p in papers for _label, url in p.links],
        "abstract": [p.abstract for p in papers],
        "notes": [p.notes for p in papers],
        "topic title": [t.title for t in catalog.topics.values()],
        "topic description": [t.description for t in catalog.topics.values()],
        "tag title": [t.title for t in catalog.tags.values()],
        "tag description": [t.description for t in catalog.tags.values()],
    }


def _non_bmp(text: str) -> bool:
    return any(ord(c) > 0xFFFF for c in text)


KINDS = {
    "a script tag or an event handler": lambda v: SCRIPT in v or "<script>" in v or any(h in v for h in EVENT_HANDLERS),
    "an element or attribute breakout": lambda v: any(b in v for b in BREAKOUTS),
    "template syntax": lambda v: any(t in v for t in TEMPLATES),
    "right-to-left or zero-width characters": lambda v: any(c in v for c in RTL + ZERO_WIDTH),
    "emoji (beyond the BMP)": _non_bmp,
    "HTML entities": lambda v: bool(re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", v, re.IGNORECASE)),
}
URL_FIELDS = ("doi", "links")  # no spaces, no invisible characters: only the first three kinds fit
# A link is kept in its canonical (WHATWG) form, where '<', '>' and '"' are percent-encoded: the records' links
# carry breakouts, but none reaches the catalog (tests/hostile/test_links_and_out.py holds that).
CANONICAL_FIELDS = {"links": "an element or attribute breakout"}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_contributor_field_carries_each_kind_of_payload(catalog: Catalog, kind: str) -> None:
    fields = _fields(catalog)
    missing = [name for name, values in fields.items()
               if not (name in URL_FIELDS and kind not in list(KINDS)[:3]) and CANONICAL_FIELDS.get(name) != kind
               and not any(map(KINDS[kind], values))]
    assert missing == []


def test_the_corpus_has_very_long_lines(catalog: Catalog) -> None:
    assert max(len(p.title) for p in catalog.papers) > 1_900
    assert max(len(a) for p in catalog.papers for a in p.authors) > 1_900
    assert max(len(line) for p in catalog.papers for line in p.abstract.split("\n")) >= 4_000


# --- what check must refuse ------------------------------------------------------------------

def test_every_rejected_file_has_its_expected_message() -> None:
    assert {p.name for p in REJECTED.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_rejected_case_gets_one_precise_line(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target, expected = EXPECTED[name]
    shutil.copytree(PAPERS, tmp_path / "papers")
    shutil.copyfile(REJECTED / name, tmp_path / "papers" / target)
    monkeypatch.chdir(tmp_path)
    result = load(Path("papers"), today=TODAY)
    assert result.catalog is None
    assert [p.text() for p in result.problems if p.path == f"papers/{target}"] == expected
    assert all("\n" not in p.text() for p in result.problems)


def test_a_rejected_record_leaves_the_previous_hostile_site_byte_identical(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(site, out)
    before = tree(out)
    shutil.copytree(PAPERS, tmp_path / "papers")
    shutil.copyfile(REJECTED / "link-javascript-entity-2025.md", tmp_path / "papers" / "link-javascript-entity-2025.md")
    run = build(tmp_path / "papers", out)
    assert run.returncode == 1
    assert "links.code: '&#106;avascript:alert(1)' is not an absolute http(s) URL" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert tree(out) == before


# --- what the built pages hold -----------------------------------------------------------------

SAFE_ELEMENTS_ONLY = {"img", "iframe", "object", "embed", "base", "frame", "frameset", "textarea", "template",
                      "style", "math", "video", "audio", "applet", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"}


class _Page(HTMLParser):
    """Every element of a page, the text of its scripts and of its <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.title = ""
        self._in: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "title"):
            self._in, self._text = (tag, dict(attrs)), []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag == self._in[0]:
            if tag == "script":
                self.scripts.append((self._in[1], "".join(self._text)))
            elif not self.title:
                self.title = "".join(self._text)
            self._in = None


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_page_has_an_event_handler_a_script_url_or_an_element_from_the_records(site: Path) -> None:
    found = []
    for path in _html_pages(site):
        for tag, attrs in _parse(path).elements:
            name = path.relative_to(site).as_posix()
            if tag in SAFE_ELEMENTS_ONLY:
                found.append((name, tag, attrs))
            for key, value in attrs.items():
                if key.startswith("on"):
                    found.append((name, tag, {key: value}))
                squeezed = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
                if key in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "data:", "vbscript:")):
                    found.append((name, tag, {key: value}))
    assert found == []


def test_every_script_is_the_themes_or_data(site: Path) -> None:
    for path in _html_pages(site):
        for attrs, text in _parse(path).scripts:
            kind = attrs.get("type")
            if kind in ("application/json", "application/ld+json"):
                json.loads(text)  # data, and still valid: no payload broke out of it
            elif attrs.get("src"):
                assert "assets/" in str(attrs["src"]), (path, attrs)
            else:  # Material's own inline scripts (scope, palette, tabs): none holds record text
                assert not re.search(r"alert\(|__pwned|onerror=|onload=|<script|<img|<svg", text), (path, text[:200])


def test_paper_pages_carry_the_record_intact_in_title_and_json_ld(site: Path, catalog: Catalog) -> None:
    for paper in catalog.papers:
        page = _parse(site / "papers" / paper.id / "index.html")
        assert page.title == f"{paper.title} - {SITE_NAME}"
        (data,) = [json.loads(text) for attrs, text in page.scripts if attrs.get("type") == "application/ld+json"]
        assert data["headline"] == paper.title
        assert [a["name"] for a in data["author"]] == list(paper.authors)
        assert "abstract" not in data  # the article shows it; repeating it in JSON-LD doubled the page (issue #5)


def test_topic_and_tag_pages_keep_their_front_matter(site: Path, catalog: Catalog) -> None:
    """A title or description with an emoji must not turn the page's front matter into text.

    ``render.pages._front_matter`` writes JSON strings as YAML; ``json.dumps`` writes an emoji
    as a surrogate pair (``\\ud83e\\udde0``), which YAML refuses, so MkDocs drops the front
    matter and renders it as Markdown at the top of the page: the page loses its title, and a
    ``[x](javascript:...)`` in the description becomes a live link (Python-Markdown keeps any
    scheme).
    """
    broken = []
    for kind, terms in (("topics", catalog.topics), ("tags", catalog.tags)):
        for term in terms.values():
            html = (site / kind / term.id / "index.html").read_text(encoding="utf-8")
            if _parse(site / kind / term.id / "index.html").title != f"{term.title} - {SITE_NAME}" or "<p>title: " in html:
                broken.append(f"{kind}/{term.id}")
    assert broken == []


def test_feeds_and_exports_hold_the_payloads_as_data(site: Path, catalog: Catalog) -> None:
    titles = {p.title for p in catalog.papers}
    atom = "{http://www.w3.org/2005/Atom}"
    for feed in sorted((site / "feeds").rglob("*.xml")):
        root = ET.parse(feed).getroot()  # well-formed: no payload broke the XML
        assert {e.findtext(f"{atom}title") for e in root.iter(f"{atom}entry")} <= titles, feed
    root = ET.parse(site / "feeds" / "all.atom.xml").getroot()
    assert {e.findtext(f"{atom}title") for e in root.iter(f"{atom}entry")} == titles
    for export in sorted((site / "export").rglob("*.json")):
        json.loads(export.read_text(encoding="utf-8"))
    items = json.loads((site / "export" / "papers.csl.json").read_text(encoding="utf-8"))
    assert {item["title"] for item in items} == titles
    ris = (site / "export" / "papers.ris").read_text(encoding="utf-8")
    assert len(re.findall(r"^TY  - ", ris, re.MULTILINE)) == len(re.findall(r"^ER  - ", ris, re.MULTILINE)) == 6
    bib = (site / "export" / "papers.bib").read_text(encoding="utf-8")
    entries = re.split(r"^(?=@)", bib, flags=re.MULTILINE)[1:]
    assert len(entries) == 6
    for entry in entries:
        unescaped = re.sub(r"\\[{}]", "", entry)
        assert unescaped.count("{") == unescaped.count("}"), entry[:300]
