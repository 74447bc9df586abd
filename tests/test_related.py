"""generator.related: the five most related papers of every paper, by text and shared tags."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from generator import related
from generator.model import Catalog, Paper, Tag, Topic, shared_tags
from generator.related import count_terms, paper_text, related_papers, related_scores, tfidf
from generator.synth import synthesize

from .support import ROOT

SYNTH_TOPICS = [f"topic-{i}" for i in range(6)]
SYNTH_TAGS = [f"tag-{i:02}" for i in range(40)]
EDIT = " We also release an interactive visualization of the learned behaviors and a short video."
ODD_TEXT = "Agent’s emergence—and İstanbul naïve x_y foo_bar ΣΟΦΟΣ, e.g. 1st 2 a1 ≥ café; R2-D2's self-play (LLM)."


def paper(pid: str, title: str, abstract: str, tags: Sequence[str], emerges: str | None = None,
          year: int = 2024) -> Paper:
    return Paper(id=pid, title=title, authors=("A. Author",), year=year, topics=("topic-0",), tags=tuple(tags),
                 added=dt.date(2025, 1, 1), abstract=abstract, emerges=emerges)


def catalog_of(papers: Iterable[Paper]) -> Catalog:
    papers = tuple(papers)
    tags = sorted({t for p in papers for t in p.tags})
    topics = sorted({t for p in papers for t in p.topics})
    return Catalog(papers, {t: Topic(t, t, "") for t in topics}, {t: Tag(t, t, "") for t in tags})


def synthetic(n: int) -> Catalog:
    """N synthetic papers (generator.synth), built in memory."""
    papers = []
    for record in synthesize(n, SYNTH_TOPICS, SYNTH_TAGS):
        f: dict[str, Any] = record.fields
        papers.append(Paper(id=record.id, title=f["title"], authors=tuple(f["authors"]), year=f["year"],
                            topics=tuple(f["topics"]), tags=tuple(f["tags"]), added=f["added"], abstract=record.abstract))
    return catalog_of(papers)


def edited(catalog: Catalog, pid: str, sentence: str = EDIT) -> Catalog:
    return catalog_of(dataclasses.replace(p, abstract=p.abstract + sentence) if p.id == pid else p
                      for p in catalog.papers)


def digest(lists: dict[str, tuple[str, ...]]) -> str:
    return hashlib.sha256(json.dumps(lists, sort_keys=True).encode()).hexdigest()


@pytest.fixture(scope="module")
def synth() -> Catalog:
    return synthetic(2_000)


@pytest.fixture(scope="module")
def synth_related(synth: Catalog) -> dict[str, tuple[str, ...]]:
    return related_papers(synth)


# --- the counting twins -------------------------------------------------------------------------


def test_count_terms_equals_count_vectorizer(synth: Catalog) -> None:
    texts = [paper_text(p) for p in synth.papers[:300]] + [ODD_TEXT, "", "a I of"]
    ours, names = count_terms(texts)
    vectorizer = CountVectorizer(stop_words="english", dtype=np.float32)
    theirs = vectorizer.fit_transform(texts)
    assert names == tuple(vectorizer.get_feature_names_out())
    assert ours.shape == theirs.shape
    assert abs(ours - theirs).max() == 0


def test_tfidf_equals_tfidf_vectorizer(synth: Catalog) -> None:
    texts = [paper_text(p) for p in synth.papers[:300]] + [ODD_TEXT, ODD_TEXT + " flocking"]
    ours, names = tfidf(texts)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=related.MIN_DF, max_df=related.MAX_DF)
    theirs = vectorizer.fit_transform(texts)
    assert names == tuple(vectorizer.get_feature_names_out())
    assert abs(ours - theirs).max() < 1e-9


# --- the lists ----------------------------------------------------------------------------------


def test_every_paper_has_a_list_without_itself_of_at_most_count(synth: Catalog,
                                                              synth_related: dict[str, tuple[str, ...]]) -> None:
    assert list(synth_related) == [p.id for p in synth.papers]
    ids = set(synth_related)
    for pid, found in synth_related.items():
        assert pid not in found
        assert len(found) == len(set(found)) <= 5
        assert set(found) <= ids
    assert sum(len(found) == 5 for found in synth_related.values()) > 0.99 * len(synth)


def test_count(synth: Catalog, synth_related: dict[str, tuple[str, ...]]) -> None:
    two = related_papers(synth, count=2)
    assert all(found == synth_related[pid][:2] for pid, found in two.items())  # the same order, cut shorter
    small = catalog_of(synth.papers[:50])
    assert all(not found for found in related_papers(small, count=0).values())
    with pytest.raises(ValueError):
        related_papers(small, count=-1)


def test_deterministic_in_this_process_and_another(synth: Catalog, synth_related: dict[str, tuple[str, ...]]) -> None:
    reordered = Catalog(tuple(reversed(synth.papers)), synth.topics, synth.tags)  # the catalog sorts them again
    assert related_papers(reordered) == synth_related
    script = ("from tests.test_related import synthetic, digest; from generator.related import related_papers; "
              "print(digest(related_papers(synthetic(600))))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={"PYTHONHASHSEED": "12345", "PATH": ""})
    assert done.stdout.strip() == digest(related_papers(synthetic(600)))


def test_a_paper_sharing_text_and_tags_ranks_first(synth: Catalog) -> None:
    original = synth.papers[len(synth) // 2]
    twin = dataclasses.replace(original, id="twin-2024", title=original.title + " Revisited",
                               abstract=original.abstract.replace(".", ", again.", 3))
    found = related_papers(catalog_of([*synth.papers, twin]))
    assert found[original.id][0] == twin.id
    assert found[twin.id][0] == original.id


def test_text_and_tags_on_a_small_list() -> None:
    papers = [
        paper("flock-a", "Flocking in drone swarms", "Drones align their headings and flocking emerges from "
              "local alignment rules without a leader.", ["swarms", "flocking"]),
        paper("flock-b", "Leaderless flocking of quadrotor swarms", "Quadrotor swarms show flocking from local "
              "alignment, with no leader and no central controller.", ["swarms", "flocking"]),
        paper("misalign", "Emergent misalignment after narrow fine-tuning", "Fine-tuning a language model on "
              "insecure code makes it broadly misaligned.", ["misalignment", "fine-tuning"]),
        paper("grokking", "Grokking modular arithmetic", "Small transformers generalize long after they "
              "memorized the training set.", ["learning-dynamics", "transformers"]),
        paper("tools", "Tool use emerges in hide and seek", "Agents learn to use boxes and ramps as tools in a "
              "multi-agent game.", ["tool-use", "multi-agent-rl"]),
        paper("fish", "Schooling fish", "Fish schools turn together.", ["swarms", "biology"],
              emerges="Flocking and alignment emerge from local rules in fish schools, without a leader."),
    ]
    found = related_papers(catalog_of(papers))
    assert found["flock-a"][:2] == ("flock-b", "fish")
    assert found["flock-b"][:2] == ("flock-a", "fish")
    assert found["fish"][0] in {"flock-a", "flock-b"}
    assert found["grokking"] == ()  # nothing telling in common with anyone: no list
    assert "misalign" not in found["flock-a"]


def test_scores_are_symmetric_and_descending(synth: Catalog) -> None:
    scores = related_scores(synth)
    given = {(pid, other): s for pid, found in scores.items() for other, s in found}
    for (a, b), s in given.items():
        if (b, a) in given:
            assert given[(b, a)] == s
    for found in scores.values():
        values = [s for _, s in found]
        assert values == sorted(values, reverse=True)
        assert all(s > 0 for s in values)
    mutual = sum((b, a) in given for (a, b) in given)
    assert mutual > 0.3 * len(given)  # "related" is symmetric; lists differ only by who else is closer


def test_one_abstract_edit_changes_few_lists(synth: Catalog, synth_related: dict[str, tuple[str, ...]]) -> None:
    ids = sorted(synth_related)
    for pid in ids[::700]:
        after = related_papers(edited(synth, pid))
        changed = [p for p in ids if after[p] != synth_related[p]]
        assert len(changed) <= 12, (pid, changed)


def test_a_paper_with_only_common_tags_finds_partners_through_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(related, "MAX_POSTINGS", 5)  # every tag below is "common": too many papers for the product
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo",
             "lima"]
    papers = [paper(f"p{i:02}", f"Study {w}", f"{w} {w}zz", ["shared", "wide"] if i < 10 else ["other", "wide"])
              for i, w in enumerate(words)]
    found = related_papers(catalog_of(papers))
    assert all(len(f) == 5 for f in found.values())
    assert set(found["p00"]) <= {f"p{i:02}" for i in range(1, 10)}  # those sharing both tags first


def test_shared_tags_in_the_first_papers_order() -> None:
    a = paper("a", "A", "x", ["swarms", "flocking", "robots", "swarms"])
    b = paper("b", "B", "y", ["robots", "swarms", "biology"])
    assert shared_tags(a, b) == ("swarms", "robots")
    assert shared_tags(b, a) == ("robots", "swarms")
    assert shared_tags(a, paper("c", "C", "z", ["biology"])) == ()


def test_empty_catalog() -> None:
    assert related_papers(catalog_of([])) == {}
    assert related_papers(catalog_of([paper("a", "A", "x", ["t"])])) == {"a": ()}
