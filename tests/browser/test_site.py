"""A reader's tour of the site in Chromium: home -> topic -> paper -> tag -> tag index."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from generator.load import load
from generator.model import Catalog, Paper

from ..support import ROOT


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load(ROOT / "papers")
    assert result.catalog is not None
    return result.catalog


def listed_ids(page: Page) -> list[str]:
    hrefs = page.locator('h2#papers + ol.rl-cards li.rl-card h3 a').evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [h.rstrip("/").split("/")[-1] for h in hrefs]


def test_a_reader_follows_topic_paper_tag_and_back_to_the_tag_index(
        page: Page, site_url: str, catalog: Catalog, outside_requests: list[str]) -> None:
    page.goto(site_url)
    expect(page.locator("h1")).to_contain_text("Emergent behaviors: a reading list")
    topic = next(iter(catalog.topics.values()))
    page.locator("ul.rl-topics").get_by_role("link", name=topic.title, exact=True).click()
    expect(page).to_have_url(f"{site_url}topics/{topic.id}/")
    assert listed_ids(page) == [p.id for p in catalog.papers_in_topic(topic.id)]

    paper = catalog.papers_in_topic(topic.id)[0]
    page.locator('h2#papers + ol.rl-cards').get_by_role("link", name=paper.title, exact=True).click()
    expect(page).to_have_url(f"{site_url}papers/{paper.id}/")
    expect(page.locator("h1")).to_have_text(paper.title)

    tag = catalog.tags[paper.tags[0]]
    expected = [p.id for p in catalog.papers_with_tag(tag.id)]
    page.locator(".rl-facts a.rl-chip", has_text=tag.title).click()  # a chip opens the browse view of its tag
    expect(page).to_have_url(f"{site_url}browse/?tags={tag.id}")
    page.wait_for_selector("#rl-browse[data-status=ready]", state="attached")
    expect(page.locator("#rl-status")).to_contain_text(f"{len(expected)} paper")
    shown = page.eval_on_selector_all("#rl-results > li", "items => items.map(i => i.dataset.id)")
    assert shown and shown == expected[:len(shown)]  # newest first, as on the tag page

    page.goto(f"{site_url}tags/{tag.id}/")  # the tag's own page lists the same papers and links back to browse
    assert listed_ids(page) == expected
    page.locator("a.rl-browse-link").click()
    expect(page).to_have_url(f"{site_url}browse/?tags={tag.id}")

    page.get_by_role("link", name="Tags", exact=True).first.click()
    expect(page).to_have_url(f"{site_url}tags/")
    for t in catalog.tags.values():
        entry = page.locator("dl.rl-tags dt", has=page.get_by_role("link", name=t.title, exact=True))
        expect(entry.locator(".rl-badge")).to_have_text(str(len(catalog.papers_with_tag(t.id))))
    assert outside_requests == []


def _paper_with_everything(catalog: Catalog) -> Paper:
    return next(p for p in catalog.papers if p.venue and p.links and p.arxiv and p.date and len(p.tags) >= 3)


def test_a_paper_page_shows_every_field_of_its_record(page: Page, site_url: str, catalog: Catalog) -> None:
    paper = _paper_with_everything(catalog)
    page.goto(f"{site_url}papers/{paper.id}/")
    article = page.locator("article")
    expect(article.locator("h1")).to_have_text(paper.title)
    assert article.locator(".rl-author").all_inner_texts() == list(paper.authors)
    facts = article.locator("dl.rl-facts")
    expect(facts).to_contain_text(str(paper.year))
    assert paper.date is not None
    expect(facts.locator(f"time[datetime='{paper.date.isoformat()}']")).to_be_visible()
    expect(facts).to_contain_text(str(paper.venue_text))
    for topic in paper.topics:
        expect(facts.get_by_role("link", name=catalog.topics[topic].title)).to_have_attribute(
            "href", f"../../topics/{topic}/")
    for tag in paper.tags:
        expect(facts.get_by_role("link", name=catalog.tags[tag].title, exact=True)).to_have_attribute(
            "href", f"../../browse/?tags={tag}")  # a chip opens the browse view of its tag
    links = article.locator("ul.rl-links a")
    expect(links.get_by_text("arXiv abstract")).to_have_attribute("href", f"https://arxiv.org/abs/{paper.arxiv}")
    expect(links.get_by_text("PDF")).to_have_attribute("href", f"https://arxiv.org/pdf/{paper.arxiv}")
    for _label, url in paper.links:
        assert article.locator(f"ul.rl-links a[href='{url}']").count() == 1
    first_words = " ".join(paper.abstract.split()[:12])
    expect(article.locator(".rl-abstract")).to_contain_text(first_words)
    expect(article.locator(".rl-bibtex")).to_contain_text(f"arXiv:{paper.arxiv}")  # once: howpublished or note
    expect(article.get_by_role("link", name="Edit this record")).to_have_attribute(
        "href", f"https://github.com/emergent-behaviors/reading-list/edit/main/papers/{paper.id}.md")
    expect(article.get_by_role("link", name="Report a problem")).to_have_attribute(
        "href", f"https://github.com/emergent-behaviors/reading-list/issues/new?template=fix-record.yml"
                f"&title=Fix+record%3A+{paper.id}&paper-id={paper.id}")


def test_curator_notes_appear_on_the_paper_page(page: Page, site_url: str, catalog: Catalog) -> None:
    paper = next(p for p in catalog.papers if p.notes)
    page.goto(f"{site_url}papers/{paper.id}/")
    expect(page.locator(".rl-notes")).to_contain_text(paper.notes.split(".")[0])


def test_citation_meta_parse_back_to_the_record(page: Page, site_url: str, catalog: Catalog) -> None:
    paper = _paper_with_everything(catalog)
    page.goto(f"{site_url}papers/{paper.id}/")

    def meta(name: str) -> list[str]:
        return list(page.locator(f"meta[name='{name}']").evaluate_all("els => els.map(e => e.content)"))

    assert meta("citation_title") == [paper.title]
    assert meta("citation_author") == list(paper.authors)
    assert paper.date is not None
    assert paper.venue is not None and paper.venue.year is not None  # published: cited as the venue's version
    assert meta("citation_publication_date") == [str(paper.venue.year)]
    assert meta("citation_online_date") == [paper.date.strftime("%Y/%m/%d")]
    title_tag = "citation_journal_title" if paper.venue.kind == "journal" else "citation_conference_title"
    assert meta(title_tag) == [paper.venue.name]
    assert meta("citation_arxiv_id") == [paper.arxiv]
    assert meta("citation_pdf_url") == [f"https://arxiv.org/pdf/{paper.arxiv}"]
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == f"https://emergent-behaviors.github.io/reading-list/papers/{paper.id}/"
    import json
    data = json.loads(page.locator("script[type='application/ld+json']").inner_text())
    assert data["@type"] == "ScholarlyArticle" and data["name"] == paper.title
    assert [a["name"] for a in data["author"]] == list(paper.authors)
    assert page.locator("meta[property='og:title']").get_attribute("content") == paper.title
    assert page.title() == f"{paper.title} - Emergent Behaviors"


def test_the_cite_block_has_a_copy_button(page: Page, site_url: str, catalog: Catalog) -> None:
    paper = catalog.papers[0]
    page.goto(f"{site_url}papers/{paper.id}/")
    button = page.locator(".rl-bibtex button[data-md-type=copy]")
    expect(button).to_have_count(1)
    assert button.get_attribute("data-clipboard-target", timeout=2000).endswith("> code")


def test_dark_palette_toggle_switches_the_scheme(page: Page, site_url: str) -> None:
    page.goto(site_url)
    before = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    after = page.locator("body").get_attribute("data-md-color-scheme")
    assert {before, after} == {"default", "slate"}


def test_pages_work_on_a_phone_sized_screen(browser: Any, site_url: str, catalog: Catalog) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    paper = catalog.papers[0]
    page.goto(f"{site_url}papers/{paper.id}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    page.locator("label.md-header__button[for=__drawer]").click()
    expect(page.locator("nav.md-nav--primary").get_by_role("link", name="Tags").first).to_be_visible()
    context.close()


PAGES = ["", "topics/{topic}/", "tags/", "tags/{tag}/", "papers/{paper}/", "contributing/"]


@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_violations(page: Page, site_url: str, catalog: Catalog, path: str) -> None:
    paper = _paper_with_everything(catalog)
    url = site_url + path.format(topic=paper.topics[0], tag=paper.tags[0], paper=paper.id)
    for scheme in ("light", "dark"):  # the palette follows the reader's system setting on first visit
        page.emulate_media(color_scheme=scheme)
        page.goto(url)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
        assert violations == [], f"{scheme}: {violations}"
