"""Exports at 100,000 papers: do they fit the site's size budget?

DESIGN.md budgets 1 GB for the whole site at 100k papers, most of it for the
paper pages, so exports and feeds get at most a fifth. The synthetic list has
the shape of the real one (about 8 authors, 1-2 of 8 topics, 2-6 of 45 tags,
a 1.5 KB abstract) and text with a word-frequency curve like English, so the
gzip ratios are realistic. Run with ``-s`` to see the measurements; the time
is printed, never asserted. ``EXPORTS_SCALE_PAPERS=20000`` runs it smaller.
"""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import os
import random
import resource
import time
from collections import defaultdict

import pytest

from generator import exports
from generator.exports import layout
from generator.model import Catalog, Paper, Tag, Topic

PAPERS = int(os.environ.get("EXPORTS_SCALE_PAPERS", "100000"))
BUDGET = 200_000_000  # bytes: a fifth of the 1 GB that GitHub Pages publishes
PLAIN_FILE_LIMIT = 2_000_000  # no uncompressed file may grow with the list
SYLLABLES = "ka ri to me su na lo pe vi da shi gu ren tal mor bex qu ion ent al ing er ic ous".split()


def synthetic_list(count: int, seed: int = 1) -> Catalog:
    rng = random.Random(seed)
    words = sorted({"".join(rng.choices(SYLLABLES, k=rng.choice((1, 2, 2, 3, 3, 4)))) for _ in range(30_000)})
    rng.shuffle(words)
    zipf = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    names = [w.capitalize() for w in words[:5_000]]
    topics = {f"topic-{i}": Topic(f"topic-{i}", f"Topic {i}", "A topic.") for i in range(8)}
    tags = {f"tag-{i}": Tag(f"tag-{i}", f"Tag {i}", "A tag.") for i in range(45)}
    topic_ids, tag_ids = sorted(topics), sorted(tags)
    papers = []
    for i in range(count):
        year = 2015 + i % 12
        title = " ".join(rng.choices(words, cum_weights=zipf, k=rng.randint(6, 12))).capitalize()
        papers.append(Paper(
            id=f"paper-{i:06d}-{year}", title=title, year=year,
            authors=tuple(" ".join(rng.choices(names, k=2)) for _ in range(rng.randint(5, 11))),
            topics=tuple(rng.sample(topic_ids, rng.randint(1, 2))), tags=tuple(rng.sample(tag_ids, rng.randint(2, 6))),
            added=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700)),
            abstract=" ".join(rng.choices(words, cum_weights=zipf, k=230)).capitalize() + ".",
            date=dt.date(year, 1 + i % 12, 1 + i % 28), arxiv=f"{year % 100:02d}{1 + i % 12:02d}.{i % 100_000:05d}",
            venue=rng.choice((None, None, "ICLR 2026", "NeurIPS 2025", "Nature Communications")),
        ))
    return Catalog(tuple(papers), topics, tags)


def group(path: str) -> str:
    """'export/tags/tag-3.bib.gz' -> 'export/tags/*.bib.gz': one line of the table per kind of file."""
    folder, name = path.rsplit("/", 1)
    return f"{folder}/*{name[name.index('.'):]}" if folder.count("/") else path


@pytest.mark.slow
def test_exports_of_100k_papers_fit_a_fifth_of_the_site_budget() -> None:
    catalog = synthetic_list(PAPERS)
    start, cpu = time.perf_counter(), time.process_time()
    files = exports.render_exports(catalog, "https://example.org/reading-list/")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, data in files.items():
        sizes[group(path)][0] += 1
        sizes[group(path)][1] += len(data)
    total = sum(len(d) for d in files.values())
    print(f"\n{len(catalog):,} papers: {len(files)} files, {total / 1e6:.1f} MB in {seconds:.1f} s ({cpu:.1f} s CPU) "
          f"(peak RSS of the test process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    for name, (count, size) in sorted(sizes.items()):
        print(f"  {name:32} {count:4} files {size / 1e6:9.1f} MB")
    assert total <= BUDGET * PAPERS / 100_000
    for path, data in files.items():
        assert path.endswith(".gz") or len(data) <= PLAIN_FILE_LIMIT, path
    largest_tag = max(catalog.tags, key=lambda t: len(catalog.papers_with_tag(t)))
    if layout.is_large(len(catalog.papers_with_tag(largest_tag))):
        assert {p for p in files if p.startswith(f"export/tags/{largest_tag}.")} == {
            f"export/tags/{largest_tag}{ext}.gz" for ext in layout.LARGE_TERM_FORMATS}
    assert gzip.decompress(files["export/papers.bib.gz"]).count(b"\n@") == len(catalog) - 1
