"""Related papers: for every paper, the few others most like it, by text and shared tags. Pure, no I/O.

The score of a pair of papers is

    score(a, b) = TEXT_WEIGHT * text(a, b) + TAG_WEIGHT * tags(a, b)        (each part in [0, 1])

``text`` is the dot product of the TF-IDF vectors of title (``TITLE_REPEAT`` times), ``emerges``
(``EMERGES_REPEAT`` times) and abstract that scikit-learn's ``TfidfVectorizer(stop_words="english",
sublinear_tf=True, min_df=MIN_DF, max_df=MAX_DF)`` gives (unit length; :func:`tfidf` computes
them with a faster counting twin, :func:`count_terms`, and tests hold both equal to
scikit-learn's), restricted, so that the product stays sparse, to words on at most
``MAX_POSTINGS`` papers and to each paper's ``TOP_TERMS`` heaviest of those. Up to
MAX_POSTINGS / MAX_DF = 1,250 papers the first limit removes nothing, and the longest abstract
of the list has 133 words in the vocabulary; on large lists they keep the cost near linear:
a word on thousands of papers would relate millions of pairs, and says little about which are
closest. ``tags`` is the weighted Jaccard index of the two tag sets (shared idf / idf of the
union), so that sharing a rare tag counts more than sharing a common one.

The pairs scored are those that share a word of the restricted vectors or a tag on at most
``MAX_POSTINGS`` papers (one sparse product, a block of rows at a time). A paper that finds
fewer than ``count`` partners so (on a large list: one whose words and tags are all common) also
scores, for each of its common tags, the ``FALLBACK_HEAD`` papers that carry it with the least
tag weight in all. A paper with no partner scored above zero gets fewer than ``count``.

Scores are rounded to ``SCORE_QUANTUM`` and ranked by score, descending, then by paper id: the
output is the same byte for byte on every run and in every process (no randomness, no threads,
no dependence on dict or set order), and an edit to one paper changes only the few lists whose
order it changes. No N x N matrix is built: rows go a block at a time (``WORK_PER_BLOCK``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain, count, islice

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from generator.model import Catalog, Paper

TITLE_REPEAT = 2  # the title's words count as if written this many times (sublinear tf: 1 + ln 2)
EMERGES_REPEAT = 2  # the curator's one-line summary, likewise
MIN_DF = 2  # a word on one paper relates it to nothing
MAX_DF = 0.4  # words on more of the papers tell little: "emergent", "models", "behavior", "reported"
MAX_POSTINGS = 500  # words and tags on more papers find no partners (each would cost df^2 pairs)
TOP_TERMS = 150  # each paper's heaviest words in the product: bounds a row's cost to 150 x MAX_POSTINGS
TEXT_WEIGHT = 0.7  # on the list's 95 papers the sd of text scores is 0.04, of tag scores 0.09:
TAG_WEIGHT = 0.3  # 0.7 x 0.04 = 0.3 x 0.09, so each has the same say in the ranking
FALLBACK_HEAD = 100  # per common tag: the papers that a paper with a short list also scores
SCORE_QUANTUM = 1e-6  # scores are rounded to this before ranking: float noise cannot reorder exact ties
WORK_PER_BLOCK = 250_000  # (row, posting) pairs visited per block of rows: bounds a block's memory

_CANDIDATE_ONLY = 1e-150  # the weight of a tag's column in the product: pairs, no score (see _rank)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
# ASCII bytes that are not word characters become spaces; the others (letters, digits, "_" and
# the bytes of non-ASCII characters) stay, so that splitting at spaces never cuts a word in two.
_SEPARATORS = bytes(b if b >= 0x80 or chr(b).isalnum() or b == 0x5F else 0x20 for b in range(256))
_TEXTS_PER_BLOCK = 2_048

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Found = tuple[IntArray, IntArray, IntArray]  # (paper, partner's rank in id order, score in quanta), by paper, best first


def related_papers(catalog: Catalog, count: int = 5) -> dict[str, tuple[str, ...]]:
    """Each paper's id -> the ids of the ``count`` papers most related to it, best first.

    Every paper of the catalog is a key, in catalog order; a paper is never in its own list.
    """
    ids, bounds, found, _ = _rank(catalog, count)
    return {pid: tuple(found[bounds[i]:bounds[i + 1]]) for i, pid in enumerate(ids)}


def related_scores(catalog: Catalog, count: int = 5) -> dict[str, tuple[tuple[str, float], ...]]:
    """As :func:`related_papers`, with each related paper's score (a multiple of ``SCORE_QUANTUM``)."""
    ids, bounds, found, scores = _rank(catalog, count)
    return {pid: tuple(zip(found[bounds[i]:bounds[i + 1]], scores[bounds[i]:bounds[i + 1]], strict=True))
            for i, pid in enumerate(ids)}


def paper_text(paper: Paper) -> str:
    """The text a paper is compared by: its title and ``emerges`` repeated, then the abstract."""
    return "\n".join([paper.title] * TITLE_REPEAT + [paper.emerges or ""] * EMERGES_REPEAT + [paper.abstract])


# --- ranking ----------------------------------------------------------------------------------


def _rank(catalog: Catalog, count: int) -> tuple[list[str], list[int], list[str], list[float]]:
    """(paper ids, bounds, related ids, scores): paper i's list is ``found[bounds[i]:bounds[i + 1]]``."""
    if count < 0:
        raise ValueError(f"count must be zero or more, not {count}")
    papers = catalog.papers
    ids = [p.id for p in papers]
    n = len(ids)
    if n == 0 or count == 0:
        return ids, [0] * (n + 1), [], []
    by_rank = np.array(sorted(range(n), key=ids.__getitem__), dtype=np.int64)  # paper numbers in id order
    rank = np.empty(n, dtype=np.int64)
    rank[by_rank] = np.arange(n, dtype=np.int64)
    tags = _TagSets(papers, rank)
    # A tag's column holds 1e-150, so a shared tag adds 1e-300 to the product, which rounding
    # removes: the product's value is the text score, its pattern the pairs worth scoring.
    matrix = sp.csr_matrix(sp.hstack([_text_matrix(papers), tags.rare * _CANDIDATE_ONLY], format="csr"))
    everyone = np.arange(n, dtype=np.int64)
    rows, ranks, quanta = _search(matrix, sp.csr_matrix(matrix.T), everyone, tags, rank, count)
    short = everyone[np.bincount(rows, minlength=n) < count]
    if len(short) and tags.heads.nnz:  # look further, among the papers most about their common tags
        query = sp.csr_matrix(sp.hstack([matrix[short], tags.common[short] * _CANDIDATE_ONLY], format="csr"))
        index = sp.csr_matrix(sp.hstack([matrix, tags.heads * _CANDIDATE_ONLY], format="csr"))
        again = _search(query, sp.csr_matrix(index.T), short, tags, rank, count)
        kept = np.isin(rows, short, invert=True)
        rows, ranks, quanta = (np.concatenate([x[kept], y]) for x, y in zip((rows, ranks, quanta), again, strict=True))
        order = np.argsort(rows, kind="stable")
        rows, ranks, quanta = rows[order], ranks[order], quanta[order]
    bounds = np.searchsorted(rows, np.arange(n + 1, dtype=np.int64)).tolist()
    found = [ids[i] for i in by_rank[ranks].tolist()]
    scores = [round(q * SCORE_QUANTUM, 6) for q in quanta.tolist()]
    return ids, bounds, found, scores


def _search(query: sp.csr_matrix, index_t: sp.csr_matrix, papers: IntArray, tags: _TagSets, rank: IntArray,
            count: int) -> Found:
    """The ``count`` best partners of the papers ``papers`` (the rows of ``query``) among the pairs
    that ``query @ index_t`` reaches."""
    parts: list[Found] = []
    for start, stop in _blocks(_row_work(query, index_t)):
        product = sp.csr_matrix(query[start:stop] @ index_t)
        rows = np.repeat(papers[start:stop], np.diff(product.indptr))
        cols = product.indices.astype(np.int64)
        other = rows != cols
        rows, cols, text = rows[other], cols[other], product.data[other]
        score = TEXT_WEIGHT * text + TAG_WEIGHT * tags.similarity(rows, cols)
        parts.append(_top(rows, rank[cols], np.rint(score / SCORE_QUANTUM).astype(np.int64), count))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), \
        np.concatenate([p[2] for p in parts])


def _row_work(matrix: sp.csr_matrix, index_t: sp.csr_matrix) -> IntArray:
    """How many (row, posting) pairs each row of ``matrix @ index_t`` visits."""
    postings = np.diff(index_t.indptr).astype(np.int64)
    per_entry = np.append(postings[matrix.indices], 0)
    nonempty = np.diff(matrix.indptr) > 0
    return np.where(nonempty, np.add.reduceat(per_entry, matrix.indptr[:-1]), 0)


def _blocks(work: IntArray) -> Iterable[tuple[int, int]]:
    """(start, stop) of consecutive rows that visit about ``WORK_PER_BLOCK`` pairs (at least one row)."""
    cumulative = np.cumsum(work)
    start, n = 0, len(work)
    while start < n:
        done = int(cumulative[start - 1]) if start else 0
        stop = min(n, max(start + 1, int(np.searchsorted(cumulative, done + WORK_PER_BLOCK, side="right"))))
        yield start, stop
        start = stop


def _top(rows: IntArray, ranks: IntArray, quanta: IntArray, count: int) -> Found:
    """The ``count`` best entries of each row, by row, best first: more quanta, then lower rank.

    One sort of a composite 64-bit key (row, inverted quanta, rank) rather than a sort per row.
    """
    if len(rows) == 0:
        return rows, ranks, quanta
    first = int(rows.min())
    rows = rows - first
    rank_bits = max(1, int(ranks.max()).bit_length())
    top = int(quanta.max())
    quanta_bits = max(1, top.bit_length())
    if rank_bits + quanta_bits + max(1, int(rows.max()).bit_length()) <= 63:
        keys = (rows << (quanta_bits + rank_bits)) | ((top - quanta) << rank_bits) | ranks
        keys.sort()
        rows = keys >> (quanta_bits + rank_bits)
        ranks = keys & ((1 << rank_bits) - 1)
        quanta = top - ((keys >> rank_bits) & ((1 << quanta_bits) - 1))
    else:  # too many papers for one 64-bit key
        order = np.lexsort((ranks, -quanta, rows))
        rows, ranks, quanta = rows[order], ranks[order], quanta[order]
    starts = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]]))  # where each row's entries begin
    place = np.arange(len(rows), dtype=np.int64) - np.repeat(starts, np.diff(np.append(starts, len(rows))))
    best = place < count
    return rows[best] + first, ranks[best], quanta[best]


# --- text -------------------------------------------------------------------------------------


def count_terms(texts: Iterable[str]) -> tuple[sp.csr_matrix, tuple[str, ...]]:
    """Word counts (texts x terms, float32) and the terms, in alphabetical order.

    The same as ``CountVectorizer(stop_words="english", dtype=np.float32).fit_transform``,
    faster: a text is cut at ASCII non-word characters by ``bytes.translate`` and ``split`` (in
    C), and only the distinct pieces go through lower-casing, the token pattern and the stop words.
    """
    blocks, names = _count_blocks(texts)
    return _stack(blocks, len(names)), names


def tfidf(texts: Iterable[str]) -> tuple[sp.csr_matrix, tuple[str, ...]]:
    """Unit TF-IDF rows over the vocabulary, and its terms, in alphabetical order.

    The same as ``TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=MIN_DF,
    max_df=MAX_DF).fit_transform``, with :func:`count_terms` doing the counting.
    """
    blocks, names = _count_blocks(texts)
    idf, _, vocabulary = _idf(blocks, len(names))
    kept = np.flatnonzero(vocabulary)
    weights = _stack([_weights(b, idf, vocabulary) for b in blocks], len(names))
    return sp.csr_matrix(weights[:, kept]), tuple(names[i] for i in kept.tolist())


def _count_blocks(texts: Iterable[str]) -> tuple[list[sp.csr_matrix], tuple[str, ...]]:
    """:func:`count_terms`' counts as blocks of ``_TEXTS_PER_BLOCK`` rows, and the terms."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # here: importing sklearn takes ~0.8 s

    piece_ids: defaultdict[bytes, int] = defaultdict(count().__next__)  # a piece -> its number, on first sight
    number = piece_ids.__getitem__
    terms: dict[str, int] = {}  # a term -> its number, on first sight
    to_rows: list[int] = []  # the (piece, term) pairs of the pieces x terms matrix
    to_cols: list[int] = []
    blocks: list[sp.csr_matrix] = []
    texts = iter(texts)
    while block := list(islice(texts, _TEXTS_PER_BLOCK)):
        pieces = [t.encode("utf-8").translate(_SEPARATORS).split() for t in block]
        indptr = np.zeros(len(pieces) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)), out=indptr[1:])
        known = len(piece_ids)
        numbers = np.fromiter(map(number, chain.from_iterable(pieces)), dtype=np.int32, count=int(indptr[-1]))
        del pieces
        for piece_number, piece in enumerate(islice(piece_ids, known, None), start=known):
            for word in _TOKEN.findall(piece.decode("utf-8").lower()):
                if word not in ENGLISH_STOP_WORDS:
                    to_rows.append(piece_number)
                    to_cols.append(terms.setdefault(word, len(terms)))
        found = sp.csr_matrix((np.ones(len(numbers), dtype=np.float32), numbers, indptr),
                              shape=(len(block), len(piece_ids)))
        to_terms = sp.csr_matrix((np.ones(len(to_rows), dtype=np.float32), (to_rows, to_cols)),
                                 shape=(len(piece_ids), len(terms)))
        blocks.append(sp.csr_matrix(found @ to_terms))
    names = sorted(terms)
    position = np.empty(len(names), dtype=np.int32)  # a term's number -> its alphabetical position
    position[np.fromiter((terms[name] for name in names), dtype=np.int64, count=len(names))] = \
        np.arange(len(names), dtype=np.int32)
    for i, found in enumerate(blocks):
        renumbered = sp.csr_matrix((found.data, position[found.indices], found.indptr), shape=(found.shape[0], len(names)))
        renumbered.sort_indices()
        blocks[i] = renumbered
    return blocks, tuple(names)


def _stack(blocks: Sequence[sp.csr_matrix], columns: int) -> sp.csr_matrix:
    if not blocks:
        return sp.csr_matrix((0, columns), dtype=np.float32)
    return sp.csr_matrix(sp.vstack(blocks, format="csr"))


def _idf(blocks: Sequence[sp.csr_matrix], columns: int) -> tuple[FloatArray, IntArray, npt.NDArray[np.bool_]]:
    """Each term's smoothed idf (``TfidfTransformer``'s), df, and whether it is in the vocabulary (MIN_DF, MAX_DF)."""
    n = sum(b.shape[0] for b in blocks)
    df = np.zeros(columns, dtype=np.int64)
    for block in blocks:
        df += np.bincount(block.indices, minlength=columns)
    idf: FloatArray = np.log((1 + n) / (1 + df)) + 1.0
    return idf, df, (df >= MIN_DF) & (df <= MAX_DF * n)


def _weights(counts: sp.csr_matrix, idf: FloatArray, vocabulary: npt.NDArray[np.bool_]) -> sp.csr_matrix:
    """Unit TF-IDF rows (float64) of the vocabulary's words: (1 + ln tf) * idf, l2-normalised."""
    from sklearn.preprocessing import normalize

    keep = vocabulary[counts.indices]
    lengths = np.add.reduceat(np.append(keep, False).astype(np.int64), counts.indptr[:-1]) * (np.diff(counts.indptr) > 0)
    indptr = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = counts.indices[keep]
    data = (1.0 + np.log(counts.data[keep].astype(np.float64))) * idf[indices]
    weights = sp.csr_matrix((data, indices, indptr), shape=counts.shape)
    return sp.csr_matrix(normalize(weights, copy=False)) if weights.shape[1] else weights  # (0 columns: refused)


def _text_matrix(papers: Sequence[Paper]) -> sp.csr_matrix:
    """Papers x terms (float64): each paper's ``TOP_TERMS`` heaviest TF-IDF weights on words on at
    most ``MAX_POSTINGS`` papers (ties: the term first in alphabetical order)."""
    blocks, names = _count_blocks(paper_text(p) for p in papers)
    idf, df, vocabulary = _idf(blocks, len(names))
    telling = vocabulary & (df <= MAX_POSTINGS)
    parts: list[sp.csr_matrix] = []
    blocks.reverse()
    while blocks:  # a block's counts are freed once weighed
        weights = _weights(blocks.pop(), idf, vocabulary)
        weights.data[~telling[weights.indices]] = 0
        weights.eliminate_zeros()
        parts.append(_heaviest(weights, TOP_TERMS))
    return _stack(parts, len(names))


def _heaviest(weights: sp.csr_matrix, top: int) -> sp.csr_matrix:
    """Each row's ``top`` largest entries (ties: the lower column)."""
    lengths = np.diff(weights.indptr)
    if not len(lengths) or lengths.max() <= top:
        return weights
    rows = np.repeat(np.arange(weights.shape[0], dtype=np.int64), lengths)
    order = np.lexsort((weights.indices, -weights.data, rows))
    best = order[(np.arange(len(order), dtype=np.int64) - np.repeat(weights.indptr[:-1], lengths)) < top]
    return sp.csr_matrix((weights.data[best], (rows[best], weights.indices[best])), shape=weights.shape)


# --- tags -------------------------------------------------------------------------------------


class _TagSets:
    """The papers' tag sets: as bits, for the weighted Jaccard index of any pairs of papers; and
    as matrices (papers x tags): ``rare`` (tags on 2 to MAX_POSTINGS papers), ``common`` (on more),
    and ``heads``: each common tag's FALLBACK_HEAD papers with the least tag weight in all."""

    def __init__(self, papers: Sequence[Paper], rank: IntArray) -> None:
        names = sorted({t for p in papers for t in p.tags})
        column = {t: i for i, t in enumerate(names)}
        lists = [[column[t] for t in dict.fromkeys(p.tags)] for p in papers]
        rows = np.repeat(np.arange(len(papers), dtype=np.int64), [len(x) for x in lists])
        cols = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=len(rows))
        n = len(papers)
        df = np.bincount(cols, minlength=len(names))
        idf = np.log((1 + n) / (1 + df)) + 1.0  # as TfidfTransformer's smooth idf
        self.total: FloatArray = np.bincount(rows, weights=idf[cols], minlength=n).astype(np.float64)  # idf summed
        words = max(1, (len(names) + 63) // 64)
        self.bits = np.zeros((words, n), dtype=np.uint64)  # tag t: bit t % 64 of word t // 64
        np.bitwise_or.at(self.bits, (cols // 64, rows), np.left_shift(np.uint64(1), (cols % 64).astype(np.uint64)))
        # weights[4 * w + k][v]: the idf summed over the tags whose bits are set in v, bits 16k.. of word w
        values = np.arange(1 << 16, dtype=np.int64)
        self.weights: list[FloatArray] = [np.zeros(1 << 16) for _ in range(4 * words)]
        for t, weight in enumerate(idf.tolist()):
            self.weights[t // 16] += weight * ((values >> (t % 16)) & 1)
        shape = (n, len(names))
        rare = ((df >= 2) & (df <= MAX_POSTINGS))[cols]
        self.rare = sp.csr_matrix((np.ones(int(rare.sum())), (rows[rare], cols[rare])), shape=shape)
        common = (df > MAX_POSTINGS)[cols]
        c_rows, c_cols = rows[common], cols[common]
        self.common = sp.csr_matrix((np.ones(len(c_rows)), (c_rows, c_cols)), shape=shape)
        order = np.lexsort((rank[c_rows], self.total[c_rows], c_cols))  # by tag, least weight, id
        c_rows, c_cols = c_rows[order], c_cols[order]
        starts = np.searchsorted(c_cols, c_cols)
        head = (np.arange(len(c_cols), dtype=np.int64) - starts) < FALLBACK_HEAD
        self.heads = sp.csr_matrix((np.ones(int(head.sum())), (c_rows[head], c_cols[head])), shape=shape)

    def similarity(self, a: IntArray, b: IntArray) -> FloatArray:
        """The weighted Jaccard index of the tag sets of papers ``a[i]`` and ``b[i]``: shared idf / union idf."""
        shared = np.zeros(len(a))
        for w, bits in enumerate(self.bits):
            both = bits[a] & bits[b]
            for k in range(4):
                shared += self.weights[4 * w + k][(both >> np.uint64(16 * k)) & np.uint64(0xFFFF)]
        union = self.total[a] + self.total[b] - shared
        return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
