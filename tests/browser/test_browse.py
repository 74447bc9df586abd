"""The browse page (/browse/) in Chromium: filters, counts, the URL, keyboard and screen readers.

Expected results are computed here from the records themselves (generator.load.load), never
from the index the page reads, on the 95 real papers and on a synthetic list of a few thousand.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from generator.browse import text
from generator.exports.bibtex import entries
from generator.load import load
from generator.model import FACETS, Catalog

from ..support import ROOT, built, serve

SYNTHETIC_PAPERS = 3000
BUDGET_FIRST_LOAD = 300 * 1024
BUDGET_CHANGE = 100 * 1024
# Material's own files, which every page of the site loads; the budgets are for what browse adds.
THEME = re.compile(r"/assets/(javascripts|stylesheets|images)/|/search/search_index\.json")


@dataclass(frozen=True)
class View:
    """A browse state, as the URL holds it."""

    tags: tuple[str, ...] = ()
    mode: str = "all"
    topic: str = ""
    year_from: int | None = None
    year_to: int | None = None
    q: str = ""

    def query(self) -> str:
        params: dict[str, str] = {}
        if self.tags:
            params["tags"] = ",".join(self.tags)
        if self.mode == "any":
            params["mode"] = "any"
        if self.topic:
            params["topic"] = self.topic
        if self.year_from is not None:
            params["from"] = str(self.year_from)
        if self.year_to is not None:
            params["to"] = str(self.year_to)
        if self.q:
            params["q"] = self.q
        return "?" + urlencode(params, safe=",") if params else ""


@dataclass
class Records:
    """The catalog and each paper's index words: the expected answers."""

    catalog: Catalog
    words: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for p in self.catalog.papers:
            self.words[p.id] = set(text.tokens(" ".join((p.title, *p.authors, p.abstract, p.emerges or ""))))

    def matches(self, view: View) -> list[str]:
        """Ids of the papers the view shows, newest first."""
        terms = text.tokens(view.q)
        out = []
        for p in self.catalog.papers:
            if view.tags:
                having = [t in p.tags for t in view.tags]
                if not (all(having) if view.mode == "all" else any(having)):
                    continue
            if view.topic and view.topic not in p.topics:
                continue
            if view.year_from is not None and p.year < view.year_from:
                continue
            if view.year_to is not None and p.year > view.year_to:
                continue
            if terms and not all(any(w.startswith(t) for w in self.words[p.id]) for t in terms):
                continue
            out.append(p.id)
        return out

    def counts(self, view: View) -> dict[str, int]:
        """For each tag: how many papers match once it is added to the view's tags."""
        return {t: len(self.matches(replace(view, tags=(*view.tags, t) if t not in view.tags else view.tags)))
                for t in self.catalog.tags}

    def tag_pair(self) -> tuple[str, str]:
        """Two tags that share some papers but not all (the largest such overlap, then by id)."""
        tags = sorted(self.catalog.tags)
        pairs = []
        for i, a in enumerate(tags):
            ids_a = {p.id for p in self.catalog.papers_with_tag(a)}
            for b in tags[i + 1:]:
                ids_b = {p.id for p in self.catalog.papers_with_tag(b)}
                both = len(ids_a & ids_b)
                if 0 < both < min(len(ids_a), len(ids_b)):
                    pairs.append((-both, a, b))
        _, a, b = min(pairs)
        return a, b

    def unique_word(self) -> tuple[str, str]:
        """A word of exactly one paper's abstract that no other paper's word starts with: (word, id)."""
        owners: dict[str, list[str]] = {}
        for paper_id, words in self.words.items():
            for w in words:
                owners.setdefault(w, []).append(paper_id)
        everything = sorted(owners)
        for w in sorted(everything, key=lambda w: (-len(w), w)):
            paper = self.catalog.paper(owners[w][0])
            if (len(owners[w]) == 1 and w.isalpha() and len(w) >= 6
                    and w in text.tokens(paper.abstract) and w not in text.tokens(paper.title)
                    and not any(o != w and o.startswith(w) for o in everything)):
                return w, owners[w][0]
        raise AssertionError("no word is unique to one abstract")

    def emerges_word(self) -> tuple[str, str]:
        """A word of exactly one paper's emerges line, in none of its other fields, that no other
        paper's word starts with: (word, id)."""
        everything = sorted({w for words in self.words.values() for w in words})
        for paper in self.catalog.papers:
            elsewhere = set(text.tokens(" ".join((paper.title, *paper.authors, paper.abstract))))
            for w in sorted(set(text.tokens(paper.emerges or "")) - elsewhere, key=lambda w: (-len(w), w)):
                if (w.isalpha() and len(w) >= 6 and not any(o != w and o.startswith(w) for o in everything)
                        and [i for i, words in self.words.items() if any(o.startswith(w) for o in words)] == [paper.id]):
                    return w, paper.id
        raise AssertionError("no word is only in one paper's emerges line")

    def tag_groups(self) -> list[tuple[str, list[str]]]:
        """(what the facet answers, its tags by title) for every facet with tags, in FACETS order."""
        groups = []
        for facet, label in FACETS.items():
            tags = sorted((t for t in self.catalog.tags.values() if t.facet == facet), key=lambda t: t.title.casefold())
            if tags:
                groups.append((label, [t.id for t in tags]))
        return groups


# --- helpers driving the page ------------------------------------------------------------

def wait_ready(page: Any) -> None:
    page.wait_for_selector("#rl-browse[data-status=ready]", state="attached", timeout=20_000)


def open_browse(page: Any, base: str, view: View = View()) -> None:
    page.goto(base + "browse/" + view.query())
    wait_ready(page)


def after(page: Any, action: Any) -> None:
    """Do ``action`` (a UI change), then wait until the page shows its result."""
    page.evaluate("document.getElementById('rl-browse').setAttribute('data-status', 'stale')")
    action()
    wait_ready(page)


def status_count(page: Any) -> int:
    status = page.inner_text("#rl-status")
    match = re.match(r"([\d,]+) papers? match", status)
    assert match, status
    return int(match.group(1).replace(",", ""))


def shown_ids(page: Any, limit: int = 400) -> list[str]:
    """Ids of every result (clicking "Show more" until all are on screen, up to ``limit``)."""
    more = page.locator("#rl-more")
    while more.is_visible() and page.locator("#rl-results > li").count() < limit:
        before = page.locator("#rl-results > li").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#rl-results > li').length > n", arg=before)
    return [str(i) for i in page.eval_on_selector_all("#rl-results > li", "items => items.map(i => i.dataset.id)")]


def shown_counts(page: Any) -> dict[str, str]:
    return dict(page.eval_on_selector_all(
        "#rl-tag-list input", "inputs => inputs.map(i => [i.value, i.parentElement.querySelector('.rl-tag__count').textContent])"))


def view_of(url: str) -> View:
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    return View(tuple(params["tags"].split(",")) if "tags" in params else (), params.get("mode", "all"),
                params.get("topic", ""), int(params["from"]) if "from" in params else None,
                int(params["to"]) if "to" in params else None, params.get("q", ""))


def check_view(page: Any, records: Records, view: View, ordered: bool = True) -> None:
    """The page shows exactly the view's papers (in order unless searching), and exact tag counts."""
    expected = records.matches(view)
    assert status_count(page) == len(expected)
    ids = shown_ids(page)
    if ordered and not view.q:
        assert ids == expected[:len(ids)]
    if len(expected) <= 400:
        assert sorted(ids) == sorted(expected)
    assert page.get_attribute("#rl-browse", "data-counts") == "exact"
    counts = {t: int(c.replace(",", "")) for t, c in shown_counts(page).items()}
    assert counts == records.counts(view)


def tick(page: Any, tag: str) -> None:
    after(page, lambda: page.locator(f"label[for='rl-tag-{tag}']").click())


def choose(page: Any, select: str, value: str) -> None:
    after(page, lambda: page.select_option(select, value))


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def real_records() -> Records:
    result = load(ROOT / "papers")
    assert result.catalog is not None
    return Records(result.catalog)


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Records]:
    """A synthetic list of a few thousand papers and its site, built once per session."""
    base = tmp_path_factory.mktemp("browse-synthetic")
    papers = base / "papers"
    made = subprocess.run([sys.executable, "-m", "generator", "synth", str(SYNTHETIC_PAPERS), "--out", str(papers)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stdout + made.stderr
    built(papers, base / "site")
    result = load(papers)
    assert result.catalog is not None
    return base / "site", Records(result.catalog)


@pytest.fixture(scope="session")
def synthetic_url(synthetic: tuple[Path, Records]) -> Iterator[str]:
    yield from serve(synthetic[0])


@pytest.fixture(params=["real", "synthetic"])
def corpus(request: pytest.FixtureRequest, real_records: Records) -> tuple[str, Records]:
    """(base URL, records) of the real list, then of the synthetic one."""
    if request.param == "real":
        return request.getfixturevalue("site_url"), real_records
    records = request.getfixturevalue("synthetic")[1]
    return request.getfixturevalue("synthetic_url"), records


# --- the real list and the synthetic one ----------------------------------------------------

def test_everything_on_first_load(page: Any, corpus: tuple[str, Records]) -> None:
    base, records = corpus
    open_browse(page, base)
    assert status_count(page) == len(records.catalog)
    assert page.get_attribute("#rl-status", "role") == "status"
    first = shown_ids(page, limit=20)[:20]
    assert first == [p.id for p in records.catalog.papers[:20]]
    card = page.locator("#rl-results > li").first
    paper = records.catalog.papers[0]
    assert card.locator("h3 a").get_attribute("href") == f"../papers/{paper.id}/"
    assert card.locator("h3 a").inner_text() == " ".join(paper.title.split())
    assert str(paper.year) in card.locator(".rl-card__meta").inner_text()
    # the curator's line under the authors, where the paper has one; nothing where it has none
    shown = page.eval_on_selector_all("#rl-results > li", """items => items.map(i => {
        const line = i.querySelector('.rl-card__emerges');
        return [i.dataset.id, line ? line.textContent : null,
                line ? line.previousElementSibling.className : null];
    })""")
    assert shown == [[p.id, p.emerges, "rl-card__meta" if p.emerges else None] for p in records.catalog.papers[:20]]


def test_two_tags_all_then_any(page: Any, corpus: tuple[str, Records]) -> None:
    base, records = corpus
    a, b = records.tag_pair()
    open_browse(page, base)
    tick(page, a)
    tick(page, b)
    check_view(page, records, View((a, b)))
    after(page, lambda: page.locator("input[name=mode][value=any]").check())
    check_view(page, records, View((a, b), "any"))


def test_tags_topic_and_years(page: Any, corpus: tuple[str, Records]) -> None:
    base, records = corpus
    a, b = records.tag_pair()
    years = sorted({p.year for p in records.catalog.papers})
    topic = next(iter(records.catalog.topics))
    open_browse(page, base, View((a, b), "any"))
    choose(page, "#rl-topic", topic)
    choose(page, "#rl-from", str(years[len(years) // 2]))
    choose(page, "#rl-to", str(years[-1]))
    view = View((a, b), "any", topic, years[len(years) // 2], years[-1])
    assert view_of(page.url) == view
    check_view(page, records, view)


def test_year_range_and_topic_alone(page: Any, corpus: tuple[str, Records]) -> None:
    base, records = corpus
    years = sorted({p.year for p in records.catalog.papers})
    topic = list(records.catalog.topics)[-1]
    for view in (View(year_from=years[-2]), View(topic=topic, year_to=years[-2]), View(topic=topic)):
        open_browse(page, base, view)
        check_view(page, records, view)


def test_text_finds_the_one_abstract(page: Any, corpus: tuple[str, Records]) -> None:
    base, records = corpus
    word, paper_id = records.unique_word()
    open_browse(page, base)
    after(page, lambda: page.locator("#rl-q").press_sequentially(word.upper(), delay=5))
    page.wait_for_function("() => document.getElementById('rl-status').textContent.startsWith('1 paper matches')")
    wait_ready(page)
    assert shown_ids(page) == [paper_id]
    check_view(page, records, View(q=word.upper()))
    assert view_of(page.url).q == word.upper()


def test_text_with_tags_and_counts(page: Any, corpus: tuple[str, Records]) -> None:
    base, records = corpus
    a, b = records.tag_pair()
    common = "model" if records.matches(View(q="model")) else "emergent"
    for view in (View(q=common), View((a,), q=common), View((a, b), "any", q=common)):
        open_browse(page, base, view)
        check_view(page, records, view, ordered=False)


def test_clearing_restores_everything(page: Any, corpus: tuple[str, Records]) -> None:
    base, records = corpus
    a, b = records.tag_pair()
    open_browse(page, base, View((a, b), "any", next(iter(records.catalog.topics)), q="agent"))
    after(page, lambda: page.click("#rl-clear"))
    assert status_count(page) == len(records.catalog)
    assert urlsplit(page.url).query == ""
    assert page.input_value("#rl-q") == ""
    assert page.locator("#rl-tag-list input:checked").count() == 0


def test_url_round_trip_reload_and_back(page: Any, corpus: tuple[str, Records]) -> None:
    base, records = corpus
    a, b = records.tag_pair()
    open_browse(page, base)
    tick(page, a)
    first = View((a,))
    assert view_of(page.url) == first
    tick(page, b)
    choose(page, "#rl-from", str(min(p.year for p in records.catalog.papers)))
    second = view_of(page.url)
    assert second.tags == (a, b) and second.year_from is not None
    ids = shown_ids(page)
    page.reload()
    wait_ready(page)
    assert view_of(page.url) == second
    assert shown_ids(page) == ids
    assert page.locator(f"#rl-tag-{a}").is_checked() and page.locator(f"#rl-tag-{b}").is_checked()
    after(page, page.go_back)
    after(page, page.go_back)
    assert view_of(page.url) == first
    check_view(page, records, first)
    assert not page.locator(f"#rl-tag-{b}").is_checked()
    after(page, page.go_forward)
    assert view_of(page.url) == View((a, b))


def test_tag_link_lands_on_the_filtered_view(page: Any, corpus: tuple[str, Records]) -> None:
    base, records = corpus
    tag = records.tag_pair()[0]
    page.goto(base + "browse/?tags=" + tag)
    wait_ready(page)
    check_view(page, records, View((tag,)))
    assert page.locator(f"#rl-tag-{tag}").is_checked()
    # a chip on a result card narrows to that tag alone
    chip = page.locator("#rl-results a[data-tag]").first
    chosen = chip.get_attribute("data-tag")
    assert chosen
    after(page, chip.click)
    assert view_of(page.url) == View((chosen,))
    assert status_count(page) == len(records.matches(View((chosen,))))


# --- the real list -------------------------------------------------------------------------

def test_axe_finds_nothing(page: Any, site_url: str, real_records: Records) -> None:
    a, b = real_records.tag_pair()
    for view in (View(), View((a, b), "any", q="agent")):
        open_browse(page, site_url, view)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
        assert results.violations_count == 0, results.generate_report()


def test_axe_in_dark_mode_and_on_a_phone(browser: Any, site_url: str) -> None:
    context = browser.new_context(color_scheme="dark", viewport={"width": 375, "height": 740})
    page = context.new_page()
    open_browse(page, site_url, View(q="reasoning"))
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    assert results.violations_count == 0, results.generate_report()
    context.close()


def test_nothing_leaves_the_machine(page: Any, site_url: str, outside_requests: list[str],
                                    real_records: Records) -> None:
    a, b = real_records.tag_pair()
    open_browse(page, site_url, View((a, b), "any", q="agent"))
    shown_ids(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#rl-copy")
    page.wait_for_function("() => document.getElementById('rl-copy-status').textContent.startsWith('Copied')")
    assert outside_requests == []


def test_keyboard_only(page: Any, site_url: str, real_records: Records) -> None:
    open_browse(page, site_url)
    page.focus("#rl-q")
    page.keyboard.type("agent")
    after(page, lambda: page.keyboard.press("Enter"))
    assert view_of(page.url).q == "agent"
    tag = real_records.catalog.tags[real_records.tag_groups()[0][1][0]]
    page.focus("#rl-tag-find")
    page.keyboard.press("Tab")  # to the first tag's checkbox: the first of the first facet's group
    assert page.evaluate("document.activeElement.id") == f"rl-tag-{tag.id}"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    after(page, lambda: page.keyboard.press("Space"))
    assert view_of(page.url).tags == (tag.id,)
    assert status_count(page) == len(real_records.matches(View((tag.id,), q="agent")))


def test_tags_are_grouped_by_facet(page: Any, site_url: str, real_records: Records) -> None:
    open_browse(page, site_url)
    groups = page.eval_on_selector_all("#rl-tag-list > fieldset", """groups => groups.map(g => [
        g.querySelector(':scope > legend').textContent,
        Array.from(g.querySelectorAll('input[type=checkbox]')).map(i => i.value)])""")
    assert [tuple(g) for g in groups] == real_records.tag_groups()
    assert [label for label, _ in real_records.tag_groups()] == list(FACETS.values())  # the real list uses all three
    # every checkbox keeps its label, and the URL still names tags alone, across groups
    first, last = real_records.tag_groups()[0][1][0], real_records.tag_groups()[-1][1][0]
    assert page.locator(f"label[for='rl-tag-{first}']").count() == 1
    open_browse(page, site_url, View((first, last), "any"))
    assert page.locator(f"#rl-tag-{first}").is_checked() and page.locator(f"#rl-tag-{last}").is_checked()
    check_view(page, real_records, View((first, last), "any"))
    # finding a tag hides the groups left without one
    target = real_records.catalog.tags[last]
    page.fill("#rl-tag-find", target.title)
    visible = page.eval_on_selector_all(
        "#rl-tag-list > fieldset:not([hidden])", "gs => gs.map(g => g.querySelector('legend').textContent)")
    assert visible == [label for label, ids in real_records.tag_groups()
                       if any(target.title.casefold() in real_records.catalog.tags[t].title.casefold() for t in ids)]


def test_a_word_of_an_emerges_line_finds_its_paper(page: Any, site_url: str, real_records: Records) -> None:
    word, paper_id = real_records.emerges_word()
    open_browse(page, site_url, View(q=word))
    assert shown_ids(page) == [paper_id]
    assert page.inner_text("#rl-results .rl-card__emerges") == real_records.catalog.paper(paper_id).emerges


def test_an_emerges_line_is_shown_as_text(page: Any, site_url: str, real_records: Records) -> None:
    """Contributor text: markup in an emerges line shows as characters, never as elements."""
    payload = '<img src=x onerror="window.__pwned=1"><b>bold</b> & <script>window.__pwned=2</script>'

    def hostile(route: Any) -> None:
        cards = json.loads(route.fetch().text())
        for card in cards:
            card[6:] = [payload]
        route.fulfill(status=200, content_type="application/json", body=json.dumps(cards))

    page.route(re.compile(r"/browse/data/c/0\.json"), hostile)
    open_browse(page, site_url)
    line = page.locator("#rl-results > li").first.locator(".rl-card__emerges")
    assert line.inner_text() == payload
    assert line.evaluate("p => p.children.length") == 0
    assert page.evaluate("window.__pwned") is None


def test_show_more_moves_focus_to_the_new_results(page: Any, site_url: str, real_records: Records) -> None:
    open_browse(page, site_url)
    page.focus("#rl-more")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#rl-results > li').length > 20")
    assert page.evaluate("document.activeElement.closest('li').dataset.id") == real_records.catalog.papers[20].id


def test_phone_sized_screen(browser: Any, site_url: str, real_records: Records) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_browse(page, site_url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not page.locator("#rl-tag-list").is_visible()  # the filters start folded on a phone
    page.click(".rl-more-filters > summary")
    a, _ = real_records.tag_pair()
    tick(page, a)
    assert status_count(page) == len(real_records.matches(View((a,))))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_without_javascript_the_page_says_so(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "browse/")
    notice = page.locator(".rl-noscript")
    assert notice.is_visible()
    assert "JavaScript" in notice.inner_text()
    assert notice.locator("a", has_text="tags").get_attribute("href") == "../tags/"
    assert not page.locator("#rl-browse").is_visible()
    context.close()


def test_copy_as_bibtex_copies_the_filtered_set(page: Any, site_url: str, real_records: Records) -> None:
    a, b = real_records.tag_pair()
    view = View((a, b), "any")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_browse(page, site_url, view)
    page.click("#rl-copy")
    page.wait_for_function("() => document.getElementById('rl-copy-status').textContent.startsWith('Copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    bib = entries(real_records.catalog)
    assert copied == "\n\n".join(bib[i] for i in real_records.matches(view)) + "\n"


def test_header_search_hands_off_to_browse(page: Any, site_url: str, real_records: Records) -> None:
    word, paper_id = real_records.unique_word()
    page.goto(site_url)
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(word, delay=10)
    link = page.locator("#rl-search-all a")
    link.wait_for(state="visible")
    assert word in link.inner_text()
    assert link.get_attribute("href") == f"browse/?q={word}"
    link.click()
    wait_ready(page)
    assert view_of(page.url).q == word
    assert shown_ids(page) == [paper_id]
    # Material's own search box stays closed on the browse page, whatever the URL's q
    assert not page.locator(".md-search__output").is_visible()


def test_tokens_match_python(page: Any, site_url: str) -> None:
    samples = ["Émergence of Tool-Use in LLMs", "Ångström ÆON naïve café", "GPT-4o's 3D agents",
               "Σίσυφος ΟΔΟΣ", "analysis buses chess agents ss s", "İstanbul straße", "数据 驱动 的 智能体",
               "x" * 40 + "s", "under_score snake_case", "ﬁne-tuning ①②"]
    open_browse(page, site_url)
    for sample in samples:
        assert page.evaluate("s => rlBrowse.tokens(s)", sample) == text.tokens(sample), sample


# --- the synthetic list: the byte budgets ---------------------------------------------------

def test_bytes_per_change_within_budget(page: Any, synthetic_url: str, synthetic: tuple[Path, Records]) -> None:
    records = synthetic[1]
    sizes: list[tuple[str, int]] = []

    def count(request: Any) -> None:
        if not THEME.search(request.url):
            sizes.append((request.url, request.sizes()["responseBodySize"]))

    page.on("requestfinished", count)
    open_browse(page, synthetic_url)
    page.wait_for_load_state("networkidle")
    first = sum(s for _, s in sizes)
    assert 0 < first <= BUDGET_FIRST_LOAD, sizes
    a, b = records.tag_pair()
    years = sorted({p.year for p in records.catalog.papers})
    changes = [
        lambda: page.locator(f"label[for='rl-tag-{a}']").click(),
        lambda: page.locator(f"label[for='rl-tag-{b}']").click(),
        lambda: page.locator("input[name=mode][value=any]").check(),
        lambda: page.select_option("#rl-topic", next(iter(records.catalog.topics))),
        lambda: page.select_option("#rl-from", str(years[-3])),
        lambda: page.fill("#rl-q", "agents learn"),
        lambda: page.click("#rl-clear"),
        lambda: page.fill("#rl-q", "emergent"),
    ]
    for change in changes:
        sizes.clear()
        after(page, change)
        page.wait_for_load_state("networkidle")
        spent = sum(s for _, s in sizes)
        assert spent <= BUDGET_CHANGE, (page.url, spent, sizes)
