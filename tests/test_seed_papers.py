"""The real list: all 95 seed papers, faithful to the seed page and the gathered data."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml

from generator.load import load
from generator.model import FACETS, Catalog, Venue
from generator.record.fields import MIN_PAPERS_PER_TAG, MIN_TAGS_PER_PAPER
from generator.record.venues import parse_venue_text

from .support import ROOT

SHARED = ROOT.parent / "shared"
SEED_TEXT = SHARED / "seed" / "daily-papers-emergent-behaviors.txt"
SEED_DATA = SHARED / "data" / "seed-papers.yaml"
CORRECTIONS = SHARED / "data" / "corrections.yaml"  # facts checked since the seed, each with its evidence
needs_seed = pytest.mark.skipif(not SEED_DATA.exists(), reason="../shared (the seed) is not beside this checkout")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load(ROOT / "papers")
    assert result.errors == []
    assert result.catalog is not None
    return result.catalog


@pytest.fixture(scope="module")
def seed() -> dict[str, dict]:  # type: ignore[type-arg]
    """The seed's facts by title, with the corrections applied (ids are the records' file names)."""
    entries = yaml.safe_load(SEED_DATA.read_text(encoding="utf-8"))
    by_title = {entry["title"]: entry for entry in entries}
    records = {path.stem: path.read_text(encoding="utf-8") for path in (ROOT / "papers").glob("*.md")}
    for correction in corrections():
        title = next(t for t in by_title if f'title: "{t}"' in records[correction["id"]]
                     or f"title: {t}\n" in records[correction["id"]])
        by_title[title] = {**by_title[title], **correction["set"]}
    return by_title


def corrections() -> list[dict]:  # type: ignore[type-arg]
    """corrections.yaml's entries. One `evidence:` line there holds ': ' in a plain scalar, which YAML
    refuses; only `id` and `set` are used here, so each evidence line is read as quoted text."""
    if not CORRECTIONS.exists():
        return []
    lines = [f"  evidence: {json.dumps(line.split('evidence: ', 1)[1])}"
             if line.startswith("  evidence: ") and not line.rstrip().endswith(">-") else line
             for line in CORRECTIONS.read_text(encoding="utf-8").splitlines()]
    return list(yaml.safe_load("\n".join(lines)))


def test_the_list_loads_with_no_errors_and_95_papers(catalog: Catalog) -> None:
    assert len(catalog) == 95


def test_every_paper_has_a_topic_and_two_tags_and_every_tag_three_papers(catalog: Catalog) -> None:
    assert all(p.topics and len(p.tags) >= MIN_TAGS_PER_PAPER for p in catalog.papers)
    uses = Counter(tag for p in catalog.papers for tag in p.tags)
    assert {t: n for t, n in uses.items() if n < MIN_PAPERS_PER_TAG} == {}
    assert set(uses) == set(catalog.tags)
    assert all(catalog.papers_in_topic(t) for t in catalog.topics)


def test_vocabulary_size_is_what_a_reader_can_scan(catalog: Catalog) -> None:
    """Topics answer one question (in what kind of system); tags are scanned a facet at a time."""
    assert 5 <= len(catalog.topics) <= 10
    assert 30 <= len(catalog.tags) <= 70
    per_facet = Counter(tag.facet for tag in catalog.tags.values())
    assert set(per_facet) == set(FACETS) and max(per_facet.values()) <= 30


def test_every_topic_and_tag_keeps_three_papers_and_every_topic_a_place_to_start(catalog: Catalog) -> None:
    assert {t: len(catalog.papers_in_topic(t)) for t in catalog.topics if len(catalog.papers_in_topic(t)) < 3} == {}
    assert {t: len(catalog.papers_with_tag(t)) for t in catalog.tags if len(catalog.papers_with_tag(t)) < 3} == {}
    assert [t for t in catalog.topics if not catalog.start_here(t)] == []


def test_every_seed_paper_says_what_emerges_and_the_paths_walk_the_list(catalog: Catalog) -> None:
    assert [p.id for p in catalog.papers if not p.emerges] == []
    assert len(catalog.paths) >= 3 and all(len(path.steps) >= 5 for path in catalog.paths.values())
    assert all(target.split("/")[1] in (catalog.topics if target.startswith("topics/") else catalog.tags)
               for target in catalog.redirects.values())


@needs_seed
def test_each_seed_paper_is_a_record_with_its_arxiv_id_and_full_author_list(catalog: Catalog, seed: dict) -> None:  # type: ignore[type-arg]
    by_title = {p.title: p for p in catalog.papers}
    assert set(by_title) == set(seed)
    for title, entry in seed.items():
        paper = by_title[title]
        assert paper.arxiv == entry["arxiv"], title
        assert list(paper.authors) == (entry["authors"] or []), title
        assert paper.venue_text == (entry["venue"] and Venue(**parse_venue_text(entry["venue"])).text), title


@needs_seed
def test_titles_and_abstracts_are_verbatim_from_the_seed_page(catalog: Catalog) -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    lines = set(text.splitlines())
    for paper in catalog.papers:
        assert paper.title in lines, paper.id
        assert paper.abstract in text, paper.id


@needs_seed
def test_no_identifier_is_invented(catalog: Catalog, seed: dict) -> None:  # type: ignore[type-arg]
    assert all(p.doi is None for p in catalog.papers)  # the data gathered no DOIs
    # three records had no arXiv id in the seed; the corrections found two of them
    assert sum(p.arxiv is None for p in catalog.papers) == sum(e["arxiv"] is None for e in seed.values()) == 1


def test_record_files_are_named_by_the_id_rule() -> None:
    from generator.record.ids import is_valid_id
    names = [p.stem for p in (ROOT / "papers").glob("*.md")]
    assert len(names) == 95 and all(is_valid_id(n) for n in names)


def test_paper_lookup_by_tag_and_topic_agrees_with_the_records(catalog: Catalog) -> None:
    for tag in catalog.tags:
        assert {p.id for p in catalog.papers_with_tag(tag)} == {p.id for p in catalog.papers if tag in p.tags}
    for topic in catalog.topics:
        listed = catalog.papers_in_topic(topic)
        assert [p.sort_key for p in listed] == sorted((p.sort_key for p in listed), reverse=True)



@needs_seed
def test_every_checked_correction_is_in_its_record(catalog: Catalog) -> None:
    """corrections.yaml: arXiv ids, authors, dates and links checked against public sources since the seed."""
    fixes = corrections()
    assert len(fixes) >= 11
    for fix in fixes:
        paper = catalog.paper(fix["id"])
        for name, value in fix["set"].items():
            got = getattr(paper, name)
            if name == "authors":
                got = list(got)
            elif name == "links":
                got = dict(got)
            assert got == value, (fix["id"], name)
