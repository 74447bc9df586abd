"""Property: the record writer and the reader are inverses on valid records.

`new`, the importers and `synth` write records with :func:`format_record`; the build reads
them with :func:`read_record` and :func:`check_record`. For any valid fields (any Unicode a
title, a name or a venue may hold, every optional field present or not, topics and tags from
the mini vocabulary) the record written reads back as exactly the paper the fields describe,
with no error, and writing that paper's fields again gives the same text.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.characters import has_visible_letter
from generator.check.record import check_record
from generator.check.vocabulary import Vocabulary, load_vocabulary
from generator.model import VENUE_KINDS, Paper, Venue
from generator.problems import display_path
from generator.record.fields import AUTHORS_UNKNOWN, NOTES_HEADING, VENUE_KEYS
from generator.record.read import read_record
from generator.record.write import format_record
from generator.urls import canonical

from .support import FIXTURES, TODAY

VOCABULARY, _ = load_vocabulary(FIXTURES / "mini")
TOPICS = sorted(VOCABULARY.topics)
TAGS = sorted(VOCABULARY.tags)

# Any character a contributor may type in a one-line field: no control characters or surrogates
# (refused by the checker), no unassigned code points; whitespace is collapsed as the checker does.
LETTER = st.characters(blacklist_categories=("Cc", "Cs", "Cn"))
ONE_LINE = st.text(LETTER, min_size=1, max_size=60).map(lambda text: " ".join(text.split())).filter(bool)
NAME = ONE_LINE.filter(has_visible_letter)  # a title or a name a reader can see (check refuses "𞻰" alone)
# Abstract and notes: several lines, tabs allowed; stripped as the reader strips them.
BODY_PART = st.one_of(st.text(LETTER, min_size=1, max_size=12),
                      st.sampled_from(["\n", "\n\n", "\t", " ", "*", "#", "- ", "`", "\n---\n", "\n## ", "\\", '"']))
BODY = st.lists(BODY_PART, min_size=1, max_size=24).map("".join).map(str.strip).filter(bool)

ARXIV = st.one_of(st.from_regex(r"[0-9]{4}\.[0-9]{4,5}", fullmatch=True),  # ASCII digits: \d draws any digit
                  st.from_regex(r"[a-z][a-z-]{0,8}(\.[A-Z]{2})?/[0-9]{7}", fullmatch=True))
VENUE_NAME = ONE_LINE.filter(lambda t: not re.search(r"[\s,(](?:19|20)\d\d\)?$", t)
                              and not t.casefold().startswith("arxiv"))
DOI = st.from_regex(r"10\.[0-9]{4,9}/[!-~]{1,30}", fullmatch=True)
LABEL = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)
URL = st.from_regex(r"https?://[a-z0-9-]{1,12}(\.[a-z0-9-]{1,12}){0,2}\.[a-z]{2,6}(/[A-Za-z0-9._~%!$&'()*+;=:@/?#-]{0,30})?",
                    fullmatch=True).filter(lambda url: "xn--" not in url)  # punycode is not drawn valid
LINKS = st.dictionaries(LABEL, URL, max_size=4)
DAY = st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY + dt.timedelta(days=1))


@st.composite
def records(draw: st.DrawFn) -> tuple[dict[str, Any], str, str | None]:
    """(fields as format_record takes them, abstract, notes) of a valid record; abstract and notes as pasted."""
    year = draw(st.integers(min_value=1900, max_value=TODAY.year + 1))
    fields: dict[str, Any] = {
        "title": draw(NAME),
        "authors": draw(st.just(AUTHORS_UNKNOWN) | st.lists(NAME, min_size=1, max_size=5)),
        "year": year,
        "date": draw(st.none() | st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31))),
        "arxiv": draw(st.none() | ARXIV),
        "doi": draw(st.none() | DOI),
        "venue": draw(st.none() | st.fixed_dictionaries(
            {"kind": st.sampled_from(list(VENUE_KINDS)), "name": VENUE_NAME},
            optional={"year": st.integers(min_value=year, max_value=TODAY.year + 1),
                      "volume": st.from_regex(r"[A-Za-z0-9]{1,5}", fullmatch=True),
                      "issue": st.from_regex(r"[0-9]{1,3}", fullmatch=True),
                      "pages": st.from_regex(r"[0-9]{1,4}(-[0-9]{1,4})?", fullmatch=True)})),
        "links": draw(st.none() | LINKS),
        "topics": draw(st.lists(st.sampled_from(TOPICS), min_size=1, max_size=len(TOPICS), unique=True)),
        "tags": draw(st.lists(st.sampled_from(TAGS), min_size=2, max_size=len(TAGS), unique=True)),
        "added": draw(DAY),
    }
    # A line '## Notes' in the abstract would start the notes: the one thing an abstract cannot hold.
    abstract = draw(BODY.filter(lambda text: all(line.rstrip() != NOTES_HEADING for line in text.split("\n"))))
    notes = draw(st.none() | BODY)
    pad = st.sampled_from(["", " ", "\n", "\n\n ", "\t"])  # as pasted: the writer strips it
    return fields, draw(pad) + abstract + draw(pad), None if notes is None else draw(pad) + notes + draw(pad)


def described(paper_id: str, source: str, fields: Mapping[str, Any], abstract: str, notes: str | None) -> Paper:
    """The paper these fields describe."""
    return Paper(
        id=paper_id, title=fields["title"], year=fields["year"],
        authors=() if fields["authors"] == AUTHORS_UNKNOWN else tuple(fields["authors"]),
        topics=tuple(fields["topics"]), tags=tuple(fields["tags"]), added=fields["added"], abstract=abstract,
        date=fields["date"], arxiv=fields["arxiv"], doi=fields["doi"],
        venue=Venue(**fields["venue"]) if fields["venue"] else None,
        links=tuple((label, canonical(url) or url) for label, url in (fields["links"] or {}).items()),  # as browsers
        notes=notes or "", source=source,
    )


def fields_of(paper: Paper) -> dict[str, Any]:
    """A paper's fields as format_record takes them (what `new` and `synth` do with a Paper)."""
    venue = {k: v for k in VENUE_KEYS if (v := getattr(paper.venue, k)) is not None} if paper.venue else None
    return {"title": paper.title, "authors": list(paper.authors) or AUTHORS_UNKNOWN, "year": paper.year,
            "date": paper.date, "arxiv": paper.arxiv, "doi": paper.doi, "venue": venue, "links": dict(paper.links) or None,
            "topics": list(paper.topics), "tags": list(paper.tags), "added": paper.added}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("roundtrip") / "papers"
    shutil.copytree(FIXTURES / "mini", target)
    return target


def read_back(path: Path, text: str, vocabulary: Vocabulary) -> Paper:
    path.write_text(text, encoding="utf-8")
    try:
        paper, problems = check_record(read_record(path), vocabulary, today=TODAY)
    finally:
        path.unlink()
    errors = [p.text() for p in problems if p.is_error]
    assert paper is not None and errors == [], f"{errors}\n{text}"
    return paper


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(record=records())
def test_a_written_record_reads_back_as_the_same_paper(folder: Path,
                                                       record: tuple[dict[str, Any], str, str | None]) -> None:
    fields, abstract, notes = record
    vocabulary, problems = load_vocabulary(folder)
    assert problems == []
    path = folder / f"roundtrip-paper-{fields['year']}.md"
    text = format_record(fields, abstract, notes)
    paper = read_back(path, text, vocabulary)
    expected = described(path.stem, display_path(path), fields, abstract.strip(), notes and notes.strip())
    for name in Paper.__dataclass_fields__:
        assert getattr(paper, name) == getattr(expected, name), f"{name}\n{text}"
    assert paper == expected
    canonical_links = {**fields, "links": dict(expected.links) or None}  # a link reads back as browsers write it
    assert format_record(fields_of(paper), paper.abstract, paper.notes) == format_record(canonical_links, abstract, notes)


def test_the_seed_records_round_trip_through_the_writer() -> None:
    """Paper -> text -> Paper for the mini records (every optional field is among them)."""
    for seed in sorted((FIXTURES / "mini").glob("*.md")):
        paper = read_back_seed(seed)
        text = format_record(fields_of(paper), paper.abstract, paper.notes)
        folder = seed.parent
        again, problems = check_record(read_record(folder / seed.name, text.encode()), VOCABULARY, today=TODAY)
        assert [p.text() for p in problems if p.is_error] == []
        assert again == paper


def read_back_seed(seed: Path) -> Paper:
    paper, problems = check_record(read_record(seed), VOCABULARY, today=TODAY)
    assert paper is not None, [p.text() for p in problems]
    return paper
