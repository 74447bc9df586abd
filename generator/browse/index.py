"""The browse page's index: the Catalog in, static files out (pure; the writer writes them).

Rows are the catalog's papers, newest first: row 0 is the newest paper, so "newest first" is
ascending row order, and since a paper's date lies in its year, each year is one run of rows.
Everything sits under ``browse/data/``; ``docs/assets/browse.js`` reads it, fetching only what
the view on screen needs (benchmarks/browse/README.md has the measurements behind the shapes).

=====================  ======================================================================
``manifest.json``      counts, vocabulary (each tag with its facet), year runs, file sizes, the text
                       rules: the first load
``t/<tag>.bin``        a tag's rows (its posting list)
``ty/<tag>.bin``       tag counts over a tag's rows, by year
``tp/<tag>-<topic>``   tag counts over the rows of a tag and a topic, by year (``.bin``)
``tt/<tag>-<chunk>``   tag counts over the rows of a tag and a second tag, ``PAIR_CHUNK`` second
                       tags a file (``.bin``)
``p/<topic>.bin``      a topic's rows, then tag counts over them by year
``yt.bin``             tag counts by year, over every row
``f/<shard>.bin``      every row's tags, ``FACET_ROWS`` rows a file: tag counts for any other set
``c/<shard>.json``     result cards, ``CARD_ROWS`` rows a file: id, title, short authors, year,
                       venue, tag numbers, then the ``emerges`` line when the paper has one
``b/<shard>.json``     BibTeX entries, ``CARD_ROWS`` rows a file
``x/dir.json``         the text index's directory: each shard's first word and byte size
``x/<shard>.bin``      words in JavaScript's sort order, each with the rows that have it (title,
                       authors, abstract or ``emerges`` line) and the subset that has it in the
                       title or authors
=====================  ======================================================================

Tag and topic numbers are positions in the manifest's ``tags`` (sorted by id) and ``topics``
(vocabulary order). A manifest tag is ``[id, title, papers, facet number]``, the facet number a
position in the manifest's ``facets``: ``[facet, what it answers]`` in :data:`FACETS` order (the
page groups the tags by it). Binary layouts, with the primitives of :mod:`.encode` (``w`` is the
manifest's ``tagWidth``: 1 byte, or 2 little-endian bytes past 256 tags):

- row list: kind byte, varint byte length, varint gaps or an ``n``-bit bitmap;
- counts (a list of ``k`` sparse tag-count vectors): per vector: varint pairs; per pair: varint
  tag gap, varint count;
- ``ty`` and ``tp``: counts by year (manifest ``years``); ``tt``: one vector per second tag ``b``
  (``T_a ∩ T_b``), for ``b`` from ``chunk * PAIR_CHUNK``;
- ``p``: row list, then counts by year; ``yt``: counts by year;
- facet shard: per row: byte count, then ``count`` tags of ``w`` bytes;
- text shard: varint words; per word: varint UTF-8 length, UTF-8, varint df, row list, then
  the title-or-authors subset as :func:`encode.subset`.

The bytes depend only on the catalog: the same records give the same files. ``site`` is
accepted like the other site parts take it; the index holds relative links only.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from itertools import groupby

from generator.browse import encode, text
from generator.exports.bibtex import entries
from generator.made import FRESH, Made
from generator.model import FACETS, Catalog, Paper, Tag
from generator.render.pages import SiteInfo
from generator.render.text import short_authors

FORMAT = 3  # 3: tags carry their facet (manifest "facets"), cards their emerges line
_NONE: array[int] = array("i")
DATA = "browse/data/"
CARD_ROWS = 8
FACET_ROWS = 512
TEXT_SHARD_BYTES = 16_384
PAIR_CHUNK = 16


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", errors="replace")


class _Rows:
    """The catalog as numbered rows: tag and topic numbers per row, years, the vocabulary's order."""

    def __init__(self, catalog: Catalog) -> None:
        self.papers: Sequence[Paper] = catalog.papers
        self.n = len(self.papers)
        self.tag_ids = sorted(catalog.tags)
        self.topic_ids = list(catalog.topics)
        self.width = 1 if len(self.tag_ids) <= 256 else 2
        self.tags = _numbered(self.tag_ids, (p.tags for p in self.papers))
        self.topics = _numbered(self.topic_ids, (p.topics for p in self.papers))
        self.year_runs = _year_runs(p.year for p in self.papers)
        self.years = sorted({p.year for p in self.papers}, reverse=True)
        year_number = {y: i for i, y in enumerate(self.years)}
        self.year_of = [year_number[p.year] for p in self.papers]
        self.tag_rows = _rows_having(self.tags, len(self.tag_ids))
        self.topic_rows = _rows_having(self.topics, len(self.topic_ids))

    def tag_bytes(self, tags: tuple[int, ...]) -> bytes:
        if self.width == 1:
            return bytes((len(tags), *tags))
        return bytes((len(tags),)) + b"".join(t.to_bytes(2, "little") for t in tags)

    def count_vectors(self, rows: Iterable[int], vectors: int, keys: Callable[[int], Iterable[int]]) -> list[bytes]:
        """``vectors`` sparse tag-count vectors: each row adds its tags to the vectors ``keys(row)``."""
        table: list[dict[int, int]] = [defaultdict(int) for _ in range(vectors)]
        for row in rows:
            tags = self.tags[row]
            for key in keys(row):
                line = table[key]
                for tag in tags:
                    line[tag] += 1
        out = []
        for line in table:
            vector = bytearray(encode.varint(len(line)))
            previous = 0
            for tag in sorted(line):
                vector += encode.varint(tag - previous) + encode.varint(line[tag])
                previous = tag
            out.append(bytes(vector))
        return out

    def counts(self, rows: Iterable[int], vectors: int, keys: Callable[[int], Iterable[int]]) -> bytes:
        return b"".join(self.count_vectors(rows, vectors, keys))

    def by_year(self, row: int) -> tuple[int]:
        return (self.year_of[row],)


def _numbered(ids: Sequence[str], terms_of_rows: Iterable[Iterable[str]]) -> list[tuple[int, ...]]:
    """Each row's terms as their sorted positions in ``ids``; terms not in ``ids`` are left out."""
    number = {t: i for i, t in enumerate(ids)}
    return [tuple(sorted({number[t] for t in terms if t in number})) for terms in terms_of_rows]


def _year_runs(years: Iterable[int]) -> list[list[int]]:
    """[year, first row, rows] for each run of rows of one year."""
    runs: list[list[int]] = []
    start = 0
    for year, run in groupby(years):
        size = sum(1 for _ in run)
        runs.append([year, start, size])
        start += size
    return runs


def _rows_having(numbers: Sequence[tuple[int, ...]], count: int) -> list[list[int]]:
    """For each of ``count`` term numbers, the rows whose ``numbers`` hold it, in row order."""
    rows: list[list[int]] = [[] for _ in range(count)]
    for row, terms in enumerate(numbers):
        for term in terms:
            rows[term].append(row)
    return rows


def _tag_files(rows: _Rows) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for tag, members in enumerate(rows.tag_rows):
        files[f"t/{tag}.bin"] = encode.row_list(members, rows.n)
        files[f"ty/{tag}.bin"] = rows.counts(members, len(rows.years), rows.by_year)
        by_topic: list[list[int]] = [[] for _ in rows.topic_ids]
        for row in members:
            for topic in rows.topics[row]:
                by_topic[topic].append(row)
        for topic, both in enumerate(by_topic):
            files[f"tp/{tag}-{topic}.bin"] = rows.counts(both, len(rows.years), rows.by_year)
        pairs = rows.count_vectors(members, len(rows.tag_ids), rows.tags.__getitem__)
        for start in range(0, len(pairs), PAIR_CHUNK):
            files[f"tt/{tag}-{start // PAIR_CHUNK}.bin"] = b"".join(pairs[start:start + PAIR_CHUNK])
    return files


def _topic_files(rows: _Rows) -> dict[str, bytes]:
    return {f"p/{topic}.bin": encode.row_list(members, rows.n) + rows.counts(members, len(rows.years), rows.by_year)
            for topic, members in enumerate(rows.topic_rows)}


def _facet_shards(rows: _Rows) -> dict[str, bytes]:
    return {f"f/{start // FACET_ROWS}.bin": b"".join(rows.tag_bytes(t) for t in rows.tags[start:start + FACET_ROWS])
            for start in range(0, rows.n, FACET_ROWS)}


def _cards(rows: _Rows, bibtex: Mapping[str, str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for start in range(0, rows.n, CARD_ROWS):
        shard = range(start, min(rows.n, start + CARD_ROWS))
        papers = [rows.papers[r] for r in shard]
        cards = [_card(p, rows.tags[r]) for p, r in zip(papers, shard, strict=True)]
        files[f"c/{start // CARD_ROWS}.json"] = _json(cards)
        files[f"b/{start // CARD_ROWS}.json"] = _json([bibtex[p.id] for p in papers])
    return files


def _card(paper: Paper, tags: tuple[int, ...]) -> list[object]:
    """A result card; the ``emerges`` line last, only when there is one (most cards of a large list
    may have none, and a missing element costs no bytes)."""
    card: list[object] = [paper.id, paper.title, short_authors(paper.authors), paper.year, paper.venue_text or "",
                          list(tags)]
    if paper.emerges:
        card.append(paper.emerges)
    return card


def _words(paper: Paper, normal: text.Normaliser) -> tuple[frozenset[str], frozenset[str]]:
    """The words of the title and authors, and all the words of a paper (abstract and emerges line too)."""
    head = frozenset(text.token_set(paper.title + "\n" + "\n".join(paper.authors), normal))
    every = head.union(text.token_set(paper.abstract, normal))
    if paper.emerges:
        every = every.union(text.token_set(paper.emerges, normal))
    return head, every


def _facets(tags: Iterable[Tag]) -> list[list[str]]:
    """[facet, what it answers] in :data:`FACETS` order, then any other facet a tag names, by name."""
    others = sorted({t.facet for t in tags} - FACETS.keys())
    return [[facet, label] for facet, label in FACETS.items()] + [[facet, facet] for facet in others]


def _postings(rows: _Rows, made: Made = FRESH) -> tuple[dict[str, array[int]], dict[str, array[int]]]:
    """word -> rows having it anywhere; word -> rows having it in the title or the authors.

    Rows go into arrays of 4-byte integers, not lists: at 100k papers the postings hold about
    15 million rows, 60 MB less this way.
    """
    every: dict[str, array[int]] = {}
    strong: dict[str, array[int]] = {}
    normal = text.Normaliser()
    for row, paper in enumerate(rows.papers):
        head, words = made.get("browse-words", paper.id, paper, partial(_words, paper, normal))
        for postings, found_words in ((strong, head), (every, words)):
            for word in found_words:
                rows_of = postings.get(word)
                if rows_of is None:
                    postings[word] = array("i", (row,))
                else:
                    rows_of.append(row)
    return every, strong


def _text_index(rows: _Rows, made: Made = FRESH) -> dict[str, bytes]:
    every, strong = _postings(rows, made)
    files: dict[str, bytes] = {}
    directory: list[list[object]] = []
    shard: list[bytes] = []
    size = 0
    first = ""

    def close() -> None:
        name = f"x/{len(directory)}.bin"
        files[name] = encode.varint(len(shard)) + b"".join(shard)
        directory.append([first, len(files[name])])

    for word in sorted(every, key=text.utf16_key):
        found = every[word]
        utf8 = word.encode("utf-8")
        entry = b"".join((encode.varint(len(utf8)), utf8, encode.varint(len(found)),
                          encode.row_list(found, rows.n), encode.subset(strong.get(word, _NONE), found)))
        if shard and size + len(entry) > TEXT_SHARD_BYTES:
            close()
            shard, size = [], 0
        if not shard:
            first = word
        shard.append(entry)
        size += len(entry)
    if shard or not directory:
        close()
    files["x/dir.json"] = _json(directory)
    return files


def browse_files(catalog: Catalog, site: SiteInfo | None = None,
                 bibtex: Mapping[str, str] | None = None, made: Made = FRESH) -> dict[str, bytes]:
    """Every file of the browse index: path relative to the site root -> bytes, sorted by path.

    ``bibtex`` (paper id -> entry) saves recomputing the entries when the caller has them;
    ``made`` gives each paper's words (:mod:`generator.made`).
    """
    rows = _Rows(catalog)
    files: dict[str, bytes] = {}
    files.update(_tag_files(rows))
    files.update(_topic_files(rows))
    files["yt.bin"] = rows.counts(range(rows.n), len(rows.years), rows.by_year)
    files.update(_facet_shards(rows))
    files.update(_cards(rows, bibtex if bibtex is not None else entries(catalog)))
    files.update(_text_index(rows, made))
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + len(files[path]).to_bytes(8, "little") + files[path])
    cards = [files[p] for p in files if p.startswith("c/")]
    facets = _facets(catalog.tags.values())
    facet_number = {facet: i for i, (facet, _) in enumerate(facets)}
    manifest = {
        "format": FORMAT,
        "version": digest.hexdigest()[:16],
        "n": rows.n,
        "facets": facets,
        "tags": [[t, catalog.tags[t].title, len(rows.tag_rows[i]), facet_number[catalog.tags[t].facet]]
                 for i, t in enumerate(rows.tag_ids)],
        "topics": [[t, catalog.topics[t].title, len(rows.topic_rows[i])] for i, t in enumerate(rows.topic_ids)],
        "years": rows.years,
        "yearRuns": rows.year_runs,
        "tagWidth": rows.width,
        "cardRows": CARD_ROWS,
        "facetRows": FACET_ROWS,
        "pairChunk": PAIR_CHUNK,
        "sizes": {
            "t": [len(files[f"t/{i}.bin"]) for i in range(len(rows.tag_ids))],
            "f": [len(files[f"f/{i}.bin"]) for i in range((rows.n + FACET_ROWS - 1) // FACET_ROWS)],
            "cardMean": -(-sum(map(len, cards)) // max(1, len(cards))),
            "xdir": len(files["x/dir.json"]),
        },
        "text": {"min": text.MIN_LENGTH, "max": text.MAX_LENGTH, "stop": sorted(text.STOP_WORDS)},
    }
    files["manifest.json"] = _json(manifest)
    return {DATA + path: files[path] for path in sorted(files)}
