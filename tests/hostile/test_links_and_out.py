"""Links that mean one thing (issue 15, item 9): one parser, the browsers' (WHATWG), for `check`, the pages
and the exports. ``links/refused/`` holds a record per link `check` must refuse, with its exact line below;
``links/papers/`` a record whose links are accepted, built into a site whose pages, Markdown and exports
are read back."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.load import load
from generator.urls import Refusal, WebUrl, web_url

from ..support import TODAY, built
from . import PAPERS

LINKS = Path(__file__).parent / "links"
REFUSED = LINKS / "refused"
ACCEPTED = LINKS / "papers"
NAME_THE_HOST = "(link to the site by its name, such as https://github.com/owner/repo)"
NO_USER = "(remove everything between '//' and '@'; addresses with a user name or password are refused)"
BACKSLASH = ("holds a backslash, which browsers read as '/': the link would not lead where it reads "
             "(write the address without backslashes)")


def _port(port: str) -> str:
    return f"has an invalid port ('{port}') (a port is a number from 1 to 65535; most links need none: remove ':{port}')"


# links/refused/<case>-2025.md -> what `check` prints after "papers/<case>-2025.md:7: links.code: "
EXPECTED: dict[str, str] = {
    "link-backslash": r"'https://\\evil.com\\@good.org/' " + BACKSLASH,
    "link-backslash-in-path": r"'https://good.org/\\\\evil.com' " + BACKSLASH,
    "link-userinfo": f"'https://good.org@evil.com' names a user before '@', and browsers go to the host after it "
                     f"(evil.com) {NO_USER}",
    "link-userinfo-password": f"'https://user:pw@example.org/' names a user before '@', and browsers go to the host "
                              f"after it (example.org) {NO_USER}",
    "link-userinfo-javascript": f"'https://javascript:alert(1)@example.org/' names a user before '@', and browsers go "
                                f"to the host after it (example.org) {NO_USER}",
    "link-port-too-large": f"'https://example.org:99999/' {_port('99999')}",
    "link-port-not-a-number": f"'https://example.org:8o8o/' {_port('8o8o')}",
    "link-ip-address": f"'http://0x7f.1/admin' leads to an IP address (127.0.0.1), not to a named host {NAME_THE_HOST}",
    "link-ipv6-address": f"'https://[::1]/' leads to an IP address ([::1]), not to a named host {NAME_THE_HOST}",
    "link-no-public-host": f"'https://localhost:8000/' has no public host name ('localhost') {NAME_THE_HOST}",
    "link-idn-mixed-script": "'https://раураl.com/' has a host name mixing Latin and Cyrillic letters ('раураl'), "
                             "which can imitate another address (type the address again in one script; as written, "
                             "browsers go to xn--l-7sba6dbr.com)",
    "link-forbidden-host-character": f"'https://ex%00ample.org/' is not a valid web address: browsers cannot open it "
                                     f"{NAME_THE_HOST}",
}


def test_every_refused_file_has_its_expected_line() -> None:
    assert {p.name for p in REFUSED.iterdir()} == {f"{case}-2025.md" for case in EXPECTED}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_refused_link_gets_one_precise_line(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PAPERS, tmp_path / "papers")
    shutil.copyfile(REFUSED / f"{case}-2025.md", tmp_path / "papers" / f"{case}-2025.md")
    monkeypatch.chdir(tmp_path)
    result = load(Path("papers"), today=TODAY)
    assert result.catalog is None
    assert [p.text() for p in result.problems] == [f"papers/{case}-2025.md:7: links.code: {EXPECTED[case]}"]


# --- the parser is the browsers' -----------------------------------------------------------------

# What Chromium's `new URL(text)` gives (tests/browser/test_links_agree.py asks Chromium the same):
# the canonical href and the host it goes to.
BROWSERS_READ = {
    "HTTPS://GitHub.COM:443/owner/repo": ("https://github.com/owner/repo", "github.com"),
    "https://example.org": ("https://example.org/", "example.org"),
    "https://example.org/a/../b/./c": ("https://example.org/b/c", "example.org"),
    "https://example.org/?q=\"><b>": ("https://example.org/?q=%22%3E%3Cb%3E", "example.org"),
    "https://evil%2Ecom/": ("https://evil.com/", "evil.com"),
    "https://раура.com/": ("https://xn--80aa0cbo.com/", "xn--80aa0cbo.com"),
    "https://münchen.de/": ("https://xn--mnchen-3ya.de/", "xn--mnchen-3ya.de"),
    "https://ＧＯＯＧＬＥ.com/": ("https://google.com/", "google.com"),
    "http://example.org:8080/x": ("http://example.org:8080/x", "example.org:8080"),
}


@pytest.mark.parametrize("text", sorted(BROWSERS_READ))
def test_an_accepted_link_is_read_as_a_browser_reads_it(text: str) -> None:
    assert web_url(text) == WebUrl(*BROWSERS_READ[text])


def test_pythons_urllib_reads_the_backslash_link_as_good_org_which_is_why_it_is_not_used() -> None:
    assert urlsplit(r"https://\evil.com\@good.org/").hostname == "good.org"
    assert isinstance(web_url(r"https://\evil.com\@good.org/"), Refusal)


# --- the built pages and exports ----------------------------------------------------------------

class _Anchors(HTMLParser):
    """Every <a> of a page: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[dict[str, str | None], str]] = []
        self._open: list[tuple[dict[str, str | None], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs), []))

    def handle_data(self, data: str) -> None:
        for _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            attrs, text = self._open.pop()
            self.anchors.append((attrs, " ".join("".join(text).split())))


def _anchors(path: Path) -> list[tuple[dict[str, str | None], str]]:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.anchors


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("links")
    shutil.copytree(PAPERS, root / "papers")
    shutil.copyfile(ACCEPTED / "links-shown-2025.md", root / "papers" / "links-shown-2025.md")
    return built(root / "papers", root / "site")


def test_the_paper_page_shows_each_links_host_beside_its_label(site: Path) -> None:
    links = [(a.get("href"), text) for a, text in _anchors(site / "papers" / "links-shown-2025" / "index.html")
             if "md-button" in (a.get("class") or "")]
    assert links == [
        ("https://arxiv.org/abs/2504.11536", "arXiv abstract (arxiv.org)"),
        ("https://arxiv.org/pdf/2504.11536", "PDF (arxiv.org)"),
        ("https://github.com/owner/repo", "Code (github.com)"),
        ("https://xn--80aa0cbo.com/", "Project page (xn--80aa0cbo.com)"),  # all-Cyrillic: never shown as "раура"
        ("https://example.org/?q=%22%3E%3Cb%3Ex%3C/b%3E", "Data (example.org)"),
    ]


def test_markdown_links_go_through_the_same_parser(site: Path) -> None:
    html = (site / "papers" / "links-shown-2025" / "index.html").read_text(encoding="utf-8")
    prose = "".join(re.findall(r'<div class="rl-(?:abstract|notes)"[^>]*>(.*?)</div>', html, re.DOTALL))
    parser = _Anchors()
    parser.feed(prose)
    assert [(a, text) for a, text in parser.anchors] == [
        ({"href": "https://github.com/owner/repo", "rel": "noopener noreferrer"}, "good"),
        ({"href": "https://xn--80aa0cbo.com/autolink", "rel": "noopener noreferrer"}, "https://раура.com/autolink"),
        ({"href": "https://example.org/notes", "rel": "noopener noreferrer"}, "the data"),
    ]
    assert ('<a href="https://xn--80aa0cbo.com/autolink" rel="noopener noreferrer">https://раура.com/autolink</a> '
            '<span class="rl-host">(xn--80aa0cbo.com)</span>') in prose
    # Refused in Markdown: shown as the text that was written, never as a link.
    for text in (r"[backslash](https://\evil.com@good.org/)", "[user](https://good.org@evil.com)",
                 "[port](https://example.org:99999/)", "[ip](http://0x7f.1/)", "[mixed](https://раураl.com/)"):
        assert text in prose


def test_every_outward_link_of_the_site_has_noopener_noreferrer(site: Path) -> None:
    missing = [(path.relative_to(site).as_posix(), a.get("href")) for path in sorted(site.rglob("*.html"))
               for a, _ in _anchors(path)
               if re.match(r"https?://", a.get("href") or "") and not {"noopener", "noreferrer"} <= set(
                   (a.get("rel") or "").split())]
    assert missing == []


def test_exports_write_the_canonical_link(site: Path) -> None:
    records = {r["id"]: r for r in json.loads((site / "export" / "papers.json").read_text(encoding="utf-8"))}
    assert records["links-shown-2025"]["links"] == {
        "code": "https://github.com/owner/repo", "project": "https://xn--80aa0cbo.com/",
        "data": "https://example.org/?q=%22%3E%3Cb%3Ex%3C/b%3E"}
    no_arxiv = records["script-payloads-2025"]["links"]  # the hostile corpus's links, canonical: nothing breaks out
    assert no_arxiv["code"] == "https://example.org/%22%3E%3Cscript%3Ealert('link')%3C/script%3E"
    assert all(not set('<>"` \\') & set(url) for r in records.values() for url in (r["links"] or {}).values())
