"""The built site: one page per paper, topic and tag, deterministic, and never half-built."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.model import Catalog

from .support import ROOT, build, tree


def test_one_page_per_paper_topic_and_tag(site: Path, catalog: Catalog) -> None:
    assert {p.name for p in (site / "papers").iterdir()} == {p.id for p in catalog.papers}
    moved = {old.split("/")[1]: old.split("/")[0] for old in catalog.redirects}  # old ids keep a page that redirects
    assert {p.name for p in (site / "topics").iterdir() if p.is_dir()} == set(catalog.topics) | {
        i for i, kind in moved.items() if kind == "topics"}
    assert {p.name for p in (site / "tags").iterdir() if p.is_dir()} == set(catalog.tags) | {
        i for i, kind in moved.items() if kind == "tags"}
    for name in ("index.html", "topics/index.html", "tags/index.html", "contributing/index.html", "about/index.html"):
        assert (site / name).is_file(), name


def test_the_paper_page_shell_is_not_published(site: Path) -> None:
    assert not (site / "papers" / "__shell__").exists()
    assert b"__shell__" not in (site / "sitemap.xml").read_bytes()
    assert all(b"@@RL-" not in data for data in tree(site).values())


def test_sitemap_lists_every_page_and_paper(site: Path, catalog: Catalog) -> None:
    xml = (site / "sitemap.xml").read_text()
    for paper in catalog.papers:
        assert f"/papers/{paper.id}/</loc>" in xml
    # home, topics, tags, browse, paths, contributing, about; a page per reading path
    assert xml.count("<loc>") == len(catalog) + len(catalog.topics) + len(catalog.tags) + 7 + len(catalog.paths)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def _hrefs(path: Path) -> list[str]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.hrefs


def test_topic_page_links_to_each_of_its_papers_newest_first(site: Path, catalog: Catalog) -> None:
    for topic in catalog.topics:
        linked = [h.split("/")[-2] for h in _hrefs(site / "topics" / topic / "index.html")
                  if h.startswith("../../papers/")]
        start = [p.id for p in catalog.start_here(topic)]
        assert linked == start + [p.id for p in catalog.papers_in_topic(topic)]  # "Start here", then every paper


def test_tag_page_links_to_each_of_its_papers(site: Path, catalog: Catalog) -> None:
    for tag in catalog.tags:
        linked = [h.split("/")[-2] for h in _hrefs(site / "tags" / tag / "index.html")
                  if h.startswith("../../papers/")]
        assert linked == [p.id for p in catalog.papers_with_tag(tag)]


def test_paper_pages_are_not_in_the_navigation(site: Path) -> None:
    html = (site / "index.html").read_text()
    nav = html[html.index('md-nav--primary'):]
    nav = nav[:nav.index("</nav>")]
    assert "papers/" not in nav


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    pattern = re.compile(rb"""(?:src|href)=["'](?:https?:)?//(?!emergent-behaviors\.github\.io)""")
    for name, data in tree(site).items():
        if not name.endswith(".html"):
            continue
        for match in re.finditer(rb"<(?:script|link|img|iframe)[^>]*>", data):
            tag = match.group(0)
            if b'rel="canonical"' in tag or b"rel=\"alternate\"" in tag:
                continue
            assert not pattern.search(tag), (name, tag)


def test_two_builds_of_the_same_records_are_byte_identical(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "site"
    assert build(ROOT / "papers", again).returncode == 0
    first, second = tree(site), tree(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_broken_record_leaves_the_previous_site_untouched(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(mini, out).returncode == 0
    before = tree(out)
    (mini / "retool-2025.md").write_text((mini / "retool-2025.md").read_text().replace("tool-use]", "tool-usage]"))
    run = build(mini, out)
    assert run.returncode == 1
    assert "retool-2025.md:17: tags: unknown tag 'tool-usage' (did you mean 'tool-use'?)" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert tree(out) == before


def test_any_records_folder_can_be_built_without_touching_papers(mini: Path, tmp_path: Path) -> None:
    before = tree(ROOT / "papers")
    out = tmp_path / "site"
    assert build(mini, out).returncode == 0
    assert {p.name for p in (out / "papers").iterdir()} == {p.stem for p in mini.glob("*.md")}
    assert tree(ROOT / "papers") == before


@pytest.mark.skipif(shutil.which("lychee", path=str(ROOT / ".venv" / "bin")) is None, reason="lychee not installed")
def test_no_broken_links_or_anchors(site: Path) -> None:
    # 404.html is served for any missing URL, so MkDocs gives it root-relative links; lychee cannot resolve
    # those without a root, and the other pages link to the same targets relatively.
    lychee = shutil.which("lychee", path=str(ROOT / ".venv" / "bin"))
    assert lychee
    run = subprocess.run([lychee, "--offline", "--include-fragments", "--index-files", "index.html",
                          "--no-progress", "--exclude-path", str(site / "404.html"), str(site)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


FEED_LINK = re.compile(r'<link rel="([^"]*)" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">')
TAKE_LINKS = re.compile(r'<p class="rl-take">(.*?)</p>', re.DOTALL)


def _resolved(page: Path, href: str) -> Path:
    return (page.parent / href).resolve()


@pytest.mark.parametrize(("page", "feeds"), [
    ("index.html", ["feeds/all.atom.xml"]),
    ("topics/llm-agents/index.html", ["feeds/topics/llm-agents.atom.xml", "feeds/all.atom.xml"]),
    ("tags/tool-use/index.html", ["feeds/tags/tool-use.atom.xml", "feeds/all.atom.xml"]),
])
def test_home_topic_and_tag_pages_announce_their_feeds(site: Path, page: str, feeds: list[str]) -> None:
    """Feed readers find the feed from the page's head; the page also shows it as a link."""
    html = (site / page).read_text(encoding="utf-8")
    head = html[:html.index("</head>")]
    announced = [(rel, _resolved(site / page, href)) for rel, _, href in FEED_LINK.findall(head)]
    assert [path for _, path in announced] == [(site / f).resolve() for f in feeds]
    assert all("alternate" in rel.split() for rel, _ in announced)
    assert all(path.is_file() for _, path in announced)
    visible = TAKE_LINKS.search(html)
    assert visible, "no visible feed and export links"
    hrefs = re.findall(r'href="([^"]*)"', visible.group(1))
    assert _resolved(site / page, hrefs[0]) == (site / feeds[0]).resolve()  # the page's own feed comes first


def test_home_page_links_every_whole_list_export(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    take = TAKE_LINKS.search(html)
    assert take
    links = dict((label, href) for href, label in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', take.group(1)))
    assert links == {"Atom feed": "feeds/all.atom.xml", "BibTeX (natbib)": "export/papers.bib", "biblatex": "export/papers.biblatex.bib", "RIS": "export/papers.ris",
                     "CSL-JSON": "export/papers.csl.json", "JSON (every record)": "export/papers.json"}
    for href in links.values():
        assert (site / href).stat().st_size > 1000, href
