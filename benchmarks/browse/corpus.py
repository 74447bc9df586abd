"""A synthetic records folder of any size, for the browse benchmark and the large browser tests.

Shaped like ../shared/PERF.md's corpus: 3-12 authors, a year and an arXiv id, 1 (sometimes 2)
of 12 topics, 2-6 of 150 tags with Zipf-like popularity (their facets taken in turn), and a
~1.5 KB abstract whose words follow a Zipf law over a ~60k-word vocabulary (the real abstracts'
words first, then made-up ones), so that text indexes see realistic posting-list lengths.
Deterministic for a given (n, seed).

    python benchmarks/browse/corpus.py 20000 /tmp/papers-20k
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from generator.model import FACETS  # noqa: E402

TOPICS = 12
TAGS = 150
VOCABULARY = 60_000
GIVEN = ["Alex", "Bo", "Chen", "Dana", "Elif", "Femi", "Gita", "Hao", "Ines", "Jun", "Kofi", "Lena", "Mei",
         "Nia", "Omar", "Priya", "Quinn", "Rui", "Sara", "Tomás", "Uma", "Vik", "Wen", "Xin", "Yara", "Zoë"]
SYLLABLES = ["ka", "lo", "mi", "nu", "ra", "te", "shi", "von", "der", "ber", "an", "el", "son", "ova", "ski",
             "ng", "zh", "ang", "uo", "li", "ma", "ri", "to", "ha", "ya", "be", "go", "ru", "pe", "di"]
VENUES = ["NeurIPS", "ICML", "ICLR", "AAAI", "ACL", "EMNLP", "CoRL", "Nature", "Science", "PNAS", "AAMAS",
          "TMLR", "JMLR", "CVPR", "IJCAI"]


def _real_words() -> list[str]:
    """Words of the real abstracts and titles, most frequent first (the head of the vocabulary)."""
    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "papers").glob("*.md")):
        text = path.read_text(encoding="utf-8").split("---", 2)[-1]
        counts.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]{1,}", text))
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _made_up(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def _zipf_cumulative(size: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank ** exponent) for rank in range(1, size + 1)))


def _pick(rng: random.Random, population: list[str], cumulative: list[float]) -> str:
    return population[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def write_corpus(n: int, out: Path, seed: int = 1) -> Path:
    """Write ``n`` records plus topics.yml and tags.yml into ``out`` (created); returns ``out``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    real = _real_words()
    vocabulary = real + _made_up(rng, VOCABULARY - len(real), set(real))
    word_weights = _zipf_cumulative(len(vocabulary), 1.0)
    families = [w.capitalize() for w in _made_up(random.Random(seed + 1), 4000, set())]
    family_weights = _zipf_cumulative(len(families), 0.8)
    topics = [f"topic-{i:02d}" for i in range(TOPICS)]
    tags = [f"tag-{i:03d}" for i in range(TAGS)]
    tag_weights = _zipf_cumulative(TAGS, 0.7)
    (out / "topics.yml").write_text("".join(
        f"{t}:\n  title: Topic {i} {vocabulary[40 + i].capitalize()}\n  description: Synthetic topic {i}.\n"
        for i, t in enumerate(topics)), encoding="utf-8")
    facets = list(FACETS)  # every tag needs one: they take turns
    (out / "tags.yml").write_text("".join(
        f"{t}:\n  title: Tag {i} {vocabulary[100 + i]}\n  facet: {facets[i % len(facets)]}\n"
        f"  description: Synthetic tag {i}.\n"
        for i, t in enumerate(tags)), encoding="utf-8")
    years = list(range(2012, 2027))
    year_weights = list(itertools.accumulate(1.35 ** i for i in range(len(years))))
    seen_ids: set[str] = set()
    for number in range(n):
        year = years[bisect.bisect(year_weights, rng.random() * year_weights[-1])]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        title_words = [_pick(rng, vocabulary, word_weights) for _ in range(rng.randint(5, 12))]
        title = " ".join(title_words).capitalize()
        head = re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "", "-".join(title_words[:3]).lower())).strip("-")
        record_id = f"{head}-{year}" if f"{head}-{year}" not in seen_ids else f"{head}-{number}-{year}"
        if record_id in seen_ids or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", record_id):
            record_id = f"paper-{number}-{year}"
        seen_ids.add(record_id)
        authors = [f"{rng.choice(GIVEN)} {_pick(rng, families, family_weights)}" for _ in range(rng.randint(3, 12))]
        paper_tags: set[str] = set()
        wanted = rng.randint(2, 6)
        while len(paper_tags) < wanted:
            paper_tags.add(_pick(rng, tags, tag_weights))
        paper_topics = [rng.choice(topics)]
        if rng.random() < 0.1:
            other = rng.choice(topics)
            if other not in paper_topics:
                paper_topics.append(other)
        words = [_pick(rng, vocabulary, word_weights) for _ in range(rng.randint(170, 260))]
        sentences = [" ".join(words[i:i + 17]).capitalize() + "." for i in range(0, len(words), 17)]
        lines = ["---", f"title: {json.dumps(title)}", "authors:"]
        lines += [f"  - {json.dumps(a, ensure_ascii=False)}" for a in authors]
        lines += [f"year: {year}", f"date: {year}-{month:02d}-{day:02d}",
                  f'arxiv: "{year % 100:02d}{month:02d}.{number % 100000:05d}"']
        if rng.random() < 0.4:
            lines.append(f"venue: {rng.choice(VENUES)} {year}")
        lines += [f"topics: [{', '.join(paper_topics)}]", f"tags: [{', '.join(sorted(paper_tags))}]",
                  "added: 2026-01-01", "---", "", " ".join(sentences), ""]
        (out / f"{record_id}.md").write_text("\n".join(lines), encoding="utf-8")
    return out


if __name__ == "__main__":
    write_corpus(int(sys.argv[1]), Path(sys.argv[2]))
