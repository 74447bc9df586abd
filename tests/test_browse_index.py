"""browse_files: deterministic bytes, and every list in them equal to what the catalog says.

The files are decoded here from the layouts in generator/browse/index.py's docstring, with a
reader written for the test, and compared with the Catalog's own answers (papers_with_tag,
papers_in_topic, each paper's tags and words).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from generator.browse import browse_files, encode, text
from generator.browse.index import CARD_ROWS, DATA, FACET_ROWS
from generator.exports.bibtex import entries
from generator.load import load
from generator.model import FACETS, Catalog, Tag
from generator.render.pages import SiteInfo
from generator.render.text import short_authors

from .support import ROOT

SITE = SiteInfo(site_name="Test", site_url="https://example.org/list/")


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def done(self) -> bool:
        return self.at >= len(self.data)

    def byte(self) -> int:
        self.at += 1
        return self.data[self.at - 1]

    def varint(self) -> int:
        value, shift = 0, 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    def gaps(self, end: int) -> list[int]:
        rows, row = [], 0
        while self.at < end:
            row += self.varint()
            rows.append(row)
        return rows

    def row_list(self, n: int) -> list[int]:
        kind, length = self.byte(), self.varint()
        end = self.at + length
        if kind == encode.LIST_BITMAP:
            bits = self.data[self.at:end]
            self.at = end
            return [r for r in range(n) if bits[r >> 3] >> (r & 7) & 1]
        assert kind == encode.LIST_GAPS
        return self.gaps(end)

    def subset(self, of: list[int]) -> list[int]:
        kind, length = self.byte(), self.varint()
        end = self.at + length
        if kind == encode.SUBSET_BITMAP:
            bits = self.data[self.at:end]
            self.at = end
            return [row for i, row in enumerate(of) if bits[i >> 3] >> (i & 7) & 1]
        assert kind == encode.LIST_GAPS
        return self.gaps(end)

    def counts(self, vectors: int) -> list[dict[int, int]]:
        out = []
        for _ in range(vectors):
            line, tag = {}, 0
            for _ in range(self.varint()):
                tag += self.varint()
                line[tag] = self.varint()
            out.append(line)
        return out


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load(ROOT / "papers")
    assert result.catalog is not None
    return result.catalog


@pytest.fixture(scope="module")
def files(catalog: Catalog) -> dict[str, bytes]:
    return {path.removeprefix(DATA): data for path, data in browse_files(catalog, SITE).items()}


@pytest.fixture(scope="module")
def manifest(files: dict[str, bytes]) -> dict[str, object]:
    value = json.loads(files["manifest.json"])
    assert isinstance(value, dict)
    return value


def tag_ids(manifest: dict[str, object]) -> list[str]:
    return [t[0] for t in manifest["tags"]]  # type: ignore[attr-defined]


def row_tags(catalog: Catalog, manifest: dict[str, object]) -> list[set[int]]:
    number = {t: i for i, t in enumerate(tag_ids(manifest))}
    return [{number[t] for t in p.tags} for p in catalog.papers]


def tally(rows: list[set[int]]) -> dict[int, int]:
    return dict(Counter(t for tags in rows for t in tags))


def text_index(files: dict[str, bytes], n: int) -> dict[str, tuple[list[int], list[int]]]:
    """word -> (its rows, the rows having it in the title or authors), decoded from x/."""
    directory = json.loads(files["x/dir.json"])
    found: dict[str, tuple[list[int], list[int]]] = {}
    for shard, (first, size) in enumerate(directory):
        data = files[f"x/{shard}.bin"]
        assert len(data) == size
        reader = Reader(data)
        words = []
        for _ in range(reader.varint()):
            length = reader.varint()
            word = reader.data[reader.at:reader.at + length].decode("utf-8")
            reader.at += length
            df = reader.varint()
            rows = reader.row_list(n)
            assert len(rows) == df
            found[word] = (rows, reader.subset(rows))
            words.append(word)
        assert reader.done()
        assert words[0] == first
    return found


def cards_of(files: dict[str, bytes], n: int) -> list[list[object]]:
    cards: list[list[object]] = []
    for shard in range(-(-n // CARD_ROWS)):
        cards += json.loads(files[f"c/{shard}.json"])
    return cards


def test_same_catalog_same_bytes(catalog: Catalog, files: dict[str, bytes]) -> None:
    again = browse_files(catalog, SITE)
    assert {path.removeprefix(DATA): data for path, data in again.items()} == files
    assert list(again) == sorted(again)
    assert all(path.startswith(DATA) for path in again)


def test_a_changed_record_changes_the_version(catalog: Catalog, manifest: dict[str, object]) -> None:
    first = catalog.papers[0]
    changed = Catalog(tuple(replace(p, title="Another title") if p is first else p for p in catalog.papers),
                      catalog.topics, catalog.tags)
    other = json.loads(browse_files(changed, SITE)[DATA + "manifest.json"])
    assert other["version"] != manifest["version"]


def test_manifest_counts(catalog: Catalog, manifest: dict[str, object]) -> None:
    assert manifest["n"] == len(catalog)
    assert manifest["facets"] == [[facet, label] for facet, label in FACETS.items()]
    facet_number = {facet: i for i, facet in enumerate(FACETS)}
    assert [[t, catalog.tags[t].title, len(catalog.papers_with_tag(t)), facet_number[catalog.tags[t].facet]]
            for t in sorted(catalog.tags)] == manifest["tags"]
    assert [[t.id, t.title, len(catalog.papers_in_topic(t.id))] for t in catalog.topics.values()] == manifest["topics"]
    assert manifest["years"] == sorted({p.year for p in catalog.papers}, reverse=True)
    runs = manifest["yearRuns"]
    assert isinstance(runs, list)
    assert [p.year for p in catalog.papers] == [year for year, _, size in runs for _ in range(size)]
    assert manifest["text"] == {"min": text.MIN_LENGTH, "max": text.MAX_LENGTH, "stop": sorted(text.STOP_WORDS)}


def test_tag_posting_lists_equal_the_catalog(catalog: Catalog, files: dict[str, bytes],
                                             manifest: dict[str, object]) -> None:
    ids = [p.id for p in catalog.papers]
    for number, tag in enumerate(tag_ids(manifest)):
        rows = Reader(files[f"t/{number}.bin"]).row_list(len(catalog))
        assert [ids[r] for r in rows] == [p.id for p in catalog.papers_with_tag(tag)], tag


def test_topic_posting_lists_and_counts(catalog: Catalog, files: dict[str, bytes],
                                        manifest: dict[str, object]) -> None:
    ids = [p.id for p in catalog.papers]
    tags = row_tags(catalog, manifest)
    years: list[int] = manifest["years"]  # type: ignore[assignment]
    for number, topic in enumerate(catalog.topics):
        reader = Reader(files[f"p/{number}.bin"])
        rows = reader.row_list(len(catalog))
        assert [ids[r] for r in rows] == [p.id for p in catalog.papers_in_topic(topic)], topic
        by_year = reader.counts(len(years))
        assert reader.done()
        for y, line in zip(years, by_year, strict=True):
            assert line == tally([tags[r] for r in rows if catalog.papers[r].year == y])


def test_tag_counts_by_year_topic_and_second_tag(catalog: Catalog, files: dict[str, bytes],
                                                 manifest: dict[str, object]) -> None:
    tags = row_tags(catalog, manifest)
    years: list[int] = manifest["years"]  # type: ignore[assignment]
    chunk = manifest["pairChunk"]
    assert isinstance(chunk, int)
    count = len(tag_ids(manifest))
    for number in range(count):
        mine = [r for r, t in enumerate(tags) if number in t]
        reader = Reader(files[f"ty/{number}.bin"])
        assert reader.counts(len(years)) == [tally([tags[r] for r in mine if catalog.papers[r].year == y])
                                             for y in years]
        assert reader.done()
        for j, topic in enumerate(catalog.topics):
            reader = Reader(files[f"tp/{number}-{j}.bin"])
            assert reader.counts(len(years)) == [
                tally([tags[r] for r in mine if catalog.papers[r].year == y and topic in catalog.papers[r].topics])
                for y in years]
            assert reader.done()
        pairs: list[dict[int, int]] = []
        for start in range(0, count, chunk):
            reader = Reader(files[f"tt/{number}-{start // chunk}.bin"])
            pairs += reader.counts(min(chunk, count - start))
            assert reader.done()
        assert pairs == [tally([tags[r] for r in mine if other in tags[r]]) for other in range(count)]


def test_year_counts_and_facet_shards(catalog: Catalog, files: dict[str, bytes], manifest: dict[str, object]) -> None:
    tags = row_tags(catalog, manifest)
    years: list[int] = manifest["years"]  # type: ignore[assignment]
    reader = Reader(files["yt.bin"])
    for y, line in zip(years, reader.counts(len(years)), strict=True):
        assert line == tally([t for t, p in zip(tags, catalog.papers, strict=True) if p.year == y])
    decoded: list[set[int]] = []
    for shard in range(-(-len(catalog) // FACET_ROWS)):
        reader = Reader(files[f"f/{shard}.bin"])
        while not reader.done():
            decoded.append({reader.byte() for _ in range(reader.byte())})
    assert decoded == tags


def test_cards_and_bibtex_shards(catalog: Catalog, files: dict[str, bytes], manifest: dict[str, object]) -> None:
    tags = row_tags(catalog, manifest)
    bib = entries(catalog)
    cards, bibtex = cards_of(files, len(catalog)), []
    for shard in range(-(-len(catalog) // CARD_ROWS)):
        bibtex += json.loads(files[f"b/{shard}.json"])
    assert len(cards) == len(bibtex) == len(catalog)
    assert any(p.emerges for p in catalog.papers)
    for row, (paper, card, entry) in enumerate(zip(catalog.papers, cards, bibtex, strict=True)):
        emerges = [paper.emerges] if paper.emerges else []
        assert card == [paper.id, paper.title, short_authors(paper.authors), paper.year, paper.venue_text or "",
                        sorted(tags[row]), *emerges]
        assert entry == bib[paper.id]


def test_text_index_equals_every_papers_words(catalog: Catalog, files: dict[str, bytes]) -> None:
    found = text_index(files, len(catalog))
    order = list(found)
    assert order == sorted(order, key=text.utf16_key)
    every: dict[str, list[int]] = {}
    strong: dict[str, list[int]] = {}
    for row, paper in enumerate(catalog.papers):
        head = set(text.tokens(" ".join((paper.title, *paper.authors))))
        for word in head | set(text.tokens(paper.abstract)) | set(text.tokens(paper.emerges or "")):
            every.setdefault(word, []).append(row)
        for word in head:
            strong.setdefault(word, []).append(row)
    assert {w: rows for w, (rows, _) in found.items()} == every
    assert {w: s for w, (_, s) in found.items() if s} == strong


def test_tags_carry_their_facet() -> None:
    """Facets in FACETS order (whatever the vocabulary's order), each tag's number pointing at its own."""
    tags = {"zeta": Tag("zeta", "Zeta", "z", "setting"), "alpha": Tag("alpha", "Alpha", "a", "method"),
            "mid": Tag("mid", "Mid", "m", "phenomenon"), "beta": Tag("beta", "Beta", "b", "setting")}
    small = Catalog((), {}, tags)
    manifest = json.loads(browse_files(small, SITE)[DATA + "manifest.json"])
    assert manifest["facets"] == [["phenomenon", "What emerges"], ["method", "How it is produced or studied"],
                                  ["setting", "Environment, task or domain"]]
    assert manifest["tags"] == [["alpha", "Alpha", 0, 1], ["beta", "Beta", 0, 2], ["mid", "Mid", 0, 0],
                                ["zeta", "Zeta", 0, 2]]


def test_a_word_only_in_an_emerges_line_is_found(catalog: Catalog) -> None:
    """The curator's line is searched like the abstract (not like the title), and shown on the card."""
    word = "zyxwvutsonic"
    line = f"Flocking emerges in {word.capitalize()} swarms of drones from local alignment rules."
    target = catalog.papers[3]
    assert all(word not in " ".join((p.title, *p.authors, p.abstract, p.emerges or "")).lower()
               for p in catalog.papers)
    changed = Catalog(tuple(replace(p, emerges=line) if p is target else
                            replace(p, emerges=None) if p is catalog.papers[0] else p for p in catalog.papers),
                      catalog.topics, catalog.tags)
    produced = {path.removeprefix(DATA): data for path, data in browse_files(changed, SITE).items()}
    found = text_index(produced, len(changed))
    row = [p.id for p in changed.papers].index(target.id)
    assert found[text.stem(word)] == ([row], [])  # found, and not as a title-or-authors word
    cards = cards_of(produced, len(changed))
    assert cards[row][6:] == [line]
    assert len(cards[0]) == 6  # no emerges line, nothing added


def test_token_set_equals_tokens() -> None:
    normal = text.Normaliser()
    for sample in ["Émergence of Tool-Use in LLMs: 3D agents' GPT-4o", "naïve café ﬁne-tuning",
                   "Σίσυφος", "buses analysis chess agents", "under_score", ""]:
        assert text.token_set(sample, normal) == set(text.tokens(sample))


def test_words_rules() -> None:
    assert text.tokens("The Émergence of TOOL-use, in 2 LLMs' agents") == ["emergence", "tool", "use", "llm", "agent"]
    assert text.tokens("analysis bus chess focus") == ["analysis", "bus", "chess", "focus"]


def test_empty_catalog(catalog: Catalog) -> None:
    empty = Catalog((), catalog.topics, catalog.tags)
    files = browse_files(empty, SITE)
    manifest = json.loads(files[DATA + "manifest.json"])
    assert manifest["n"] == 0
    assert json.loads(files[DATA + "x/dir.json"]) == [["", 1]]
    assert files[DATA + "x/0.bin"] == b"\0"
    assert files[DATA + "yt.bin"] == b""


def test_bitmaps_and_gaps_at_a_few_thousand(tmp_path: Path) -> None:
    """Big enough to use bitmaps and multi-byte gaps; every tag list still equals the catalog's."""
    from generator.synth import write_corpus

    write_corpus(tmp_path / "papers", 2000, vocabulary_dir=ROOT / "papers")
    result = load(tmp_path / "papers")
    assert result.catalog is not None
    big = result.catalog
    produced = browse_files(big, SITE)
    number = {t: i for i, t in enumerate(sorted(big.tags))}
    ids = [p.id for p in big.papers]
    kinds = set()
    for tag, i in number.items():
        data = produced[f"{DATA}t/{i}.bin"]
        kinds.add(data[0])
        assert [ids[r] for r in Reader(data).row_list(len(big))] == [p.id for p in big.papers_with_tag(tag)]
    assert kinds == {encode.LIST_GAPS, encode.LIST_BITMAP}
