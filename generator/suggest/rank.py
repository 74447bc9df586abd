"""Candidates ranked: how well each matches the watch file, and how close it is to papers on the list.

    score = MATCH_WEIGHT * match + CLOSENESS_WEIGHT * closeness            (each part in [0, 1])

``match``: each watched topic or tag whose phrases a candidate holds counts 1 (2 when a phrase is
in the title), summed and capped at ``FULL_MATCH``, divided by it. ``closeness``: the mean of the
candidate's ``CLOSEST`` highest text similarities to papers on the list, computed with the
related-papers model's TF-IDF (:func:`generator.related.tfidf`, the same words and weights as
the related papers on the site; candidates have no tags yet, so only its text part). Scores are
rounded to ``SCORE_QUANTUM`` and ties go by arXiv id: the same answers rank the same on every run.

The best-fitting topic and tags are voted for by the watched groups a candidate matches (a
group's id is a topic or a tag) and by the topics and tags of its closest papers, weighted by
their similarity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from generator.model import Catalog, Paper
from generator.related import EMERGES_REPEAT, TITLE_REPEAT, paper_text, tfidf
from generator.suggest.sources import Found
from generator.suggest.watch import Watch

MATCH_WEIGHT = 0.5
CLOSENESS_WEIGHT = 0.5
FULL_MATCH = 3  # this many match points give a full match score
CLOSEST = 3  # papers on the list shown with each candidate, and averaged for closeness
SCORE_QUANTUM = 1e-6
MAX_TAGS = 3  # tags suggested for one candidate
MATCH_VOTE = 1.0  # a watched group matched counts this in the topic/tag vote (a close paper: its similarity)


@dataclass(frozen=True)
class Candidate:
    """A paper not on the list, with its score and what on the list it is closest to."""

    found: Found
    score: float
    matched: tuple[str, ...]  # watched topic or tag ids whose phrases it holds
    closest: tuple[tuple[Paper, float], ...]  # up to CLOSEST papers on the list, most similar first
    topic: str | None
    tags: tuple[str, ...]


def rank(found: list[Found], catalog: Catalog, watch: Watch) -> list[Candidate]:
    """``found`` (already without the list's own papers) best first."""
    if not found:
        return []
    papers = list(catalog.papers)
    texts = [paper_text(p) for p in papers] + [_text(f) for f in found]
    matrix, _ = tfidf(texts)
    similarity = (matrix[len(papers):] @ matrix[:len(papers)].T).toarray() if papers else np.zeros((len(found), 0))
    candidates = []
    for row, item in enumerate(found):
        matched, points = _matches(item, watch)
        closest = _closest(similarity[row], papers)
        closeness = sum(score for _, score in closest) / CLOSEST
        score = MATCH_WEIGHT * min(points, FULL_MATCH) / FULL_MATCH + CLOSENESS_WEIGHT * closeness
        topic, tags = _fitting(matched, closest, catalog)
        candidates.append(Candidate(item, round(score / SCORE_QUANTUM) * SCORE_QUANTUM, matched, closest, topic, tags))
    return sorted(candidates, key=lambda c: (-c.score, c.found.arxiv_id))


def _closest(row: np.ndarray, papers: list[Paper]) -> tuple[tuple[Paper, float], ...]:
    """The CLOSEST papers with the highest similarity above zero; ties by id (no full sort of the list)."""
    quanta = np.round(row / SCORE_QUANTUM).astype(np.int64)
    if len(quanta) > CLOSEST:
        kth = np.partition(quanta, len(quanta) - CLOSEST)[len(quanta) - CLOSEST]
        columns = np.flatnonzero((quanta >= kth) & (quanta > 0))
    else:
        columns = np.flatnonzero(quanta > 0)
    order = sorted(columns.tolist(), key=lambda col: (-int(quanta[col]), papers[col].id))[:CLOSEST]
    return tuple((papers[col], int(quanta[col]) * SCORE_QUANTUM) for col in order)


def _text(found: Found) -> str:
    draft = found.draft
    return "\n".join([draft.title or ""] * TITLE_REPEAT + [""] * EMERGES_REPEAT + [draft.abstract or ""])


def _matches(found: Found, watch: Watch) -> tuple[tuple[str, ...], int]:
    title = " ".join((found.draft.title or "").lower().split())
    abstract = " ".join((found.draft.abstract or "").lower().split())
    matched, points = [], 0
    for group, phrases in watch.terms.items():
        if any(_holds(title, phrase) for phrase in phrases):
            matched.append(group)
            points += 2
        elif any(_holds(abstract, phrase) for phrase in phrases):
            matched.append(group)
            points += 1
    return tuple(matched), points


def _holds(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _fitting(matched: tuple[str, ...], closest: tuple[tuple[Paper, float], ...],
             catalog: Catalog) -> tuple[str | None, tuple[str, ...]]:
    topic_votes: dict[str, float] = defaultdict(float)
    tag_votes: dict[str, float] = defaultdict(float)
    for group in matched:
        (topic_votes if group in catalog.topics else tag_votes)[group] += MATCH_VOTE
    for paper, similarity in closest:
        for topic_id in paper.topics:
            topic_votes[topic_id] += similarity
        for tag in paper.tags:
            tag_votes[tag] += similarity
    topic = min(topic_votes, key=lambda t: (-topic_votes[t], t)) if topic_votes else None
    tags = tuple(sorted(tag_votes, key=lambda t: (-tag_votes[t], t))[:MAX_TAGS])
    return topic, tags
