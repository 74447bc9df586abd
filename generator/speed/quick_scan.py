"""A cheap, exact scan of a record for the cross-record rules.

Checking one changed record against a list of 100,000 must not parse and check
the other 99,999. The cross-record rules need little from them: the topics and
tags each names (for "a tag used by too few papers") and the arXiv id, DOI and
title (for duplicates). :func:`scan` reads exactly those with the fast subset reader
(:func:`generator.speed.subset_reader.compose`) and no checks, from front matter in the
plain YAML subset records are written in.

It is exact or it declines: anything outside that subset (anchors, aliases, tags, deep nesting,
block or multi-line scalars, tabs, odd line breaks, escapes in quoted text, a field given twice,
an impossible date, bytes that are not UTF-8, a file over its size limit ...) gives None, and the
caller reads the record in full with :func:`generator.record.read.read_record`. For a record it
accepts, ``topics`` and ``tags`` are what ``checks.term_usage`` reads from it,
and when the record is valid its arXiv id, DOI and title are the ones its Paper
gets (tests/test_check_scale.py holds the scan to both on mutated records).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from generator.check.across import terms_in
from generator.identity import fold_ascii
from generator.record.fields import MAX_RECORD_BYTES
from generator.record.located import Located
from generator.record.read import as_text, decode_text, split_front_matter
from generator.speed import subset_reader

_WANTED = frozenset({"title", "arxiv", "doi", "topics", "tags"})


class Scan(NamedTuple):
    """What the cross-record rules need from one record."""

    topics: tuple[str, ...]  # every topic and tag it names, as checks.term_usage reads them
    tags: tuple[str, ...]
    arxiv: str | None  # its duplicate keys as checks.check_duplicates compares them (exact for a valid record)
    doi: str | None
    title: str | None  # the title as typed: identity.title_key(title) is the key


def text_of(data: bytes) -> str | None:
    """The text of a record's bytes as the reader decodes them, or None where the reader reports a problem."""
    if len(data) > MAX_RECORD_BYTES:  # too large: the reader says so without reading it
        return None
    return decode_text(data, "")[0]


def front_end(text: str) -> int:
    """Where the line that closes the front matter starts (as split_front_matter finds it), or the end."""
    at = 0
    while True:
        dashes, dots = text.find("\n---", at), text.find("\n...", at)
        at = dashes if dots < 0 or 0 <= dashes < dots else dots
        if at < 0:
            return len(text)
        line_end = text.find("\n", at + 4)
        if not text[at + 4:line_end if line_end >= 0 else len(text)].strip():
            return at + 1
        at += 1


def mentions(text: str, words: Iterable[str], folded: Iterable[str]) -> bool:
    """Whether a record's front matter may hold any of ``words``, or of ``folded`` in any form
    :func:`generator.identity.fold_ascii` folds to them (case, lookalikes such as "rn" for "m").

    False is certain: without a backslash (an escape), YAML gives no value whose
    characters are not written out in the text, so a topic or tag id, an arXiv id,
    a DOI or a word of a title key that is not in the (folded) text is in no field. Front
    matter that is not ASCII always may (folding there is not one character for one).
    """
    front = text[:front_end(text)]
    if not front.isascii() or "\\" in front:
        return True
    if any(word in front for word in words):
        return True
    lower = fold_ascii(front)
    return any(word in lower for word in folded)


def scan(data: bytes) -> Scan | None:
    """The terms and duplicate keys of a record's bytes, or None when only the full reader can tell."""
    text = text_of(data)
    return scan_text(text) if text is not None else None


def scan_text(text: str) -> Scan | None:
    """:func:`scan` for the record's text as :func:`text_of` gives it."""
    front, _, _, _, problems = split_front_matter(text, "")
    composed = subset_reader.compose(front, "", 1, _WANTED) if not problems else None
    if composed is None or composed[1]:  # outside the subset, or a problem (a key given twice): the full reader's
        return None  # (None too for front matter without these fields: the full reader tells what is missing)
    fields = composed[0]
    used = terms_in(fields)
    arxiv, doi, title = (_text(fields.get(name)) for name in ("arxiv", "doi", "title"))
    return Scan(tuple(t for kind, t in used if kind == "topic"), tuple(t for kind, t in used if kind == "tag"),
                (arxiv.strip() or None) if arxiv else None, (doi.strip().lower() or None) if doi else None,
                title or None)


def _text(located: Located | None) -> str | None:
    return as_text(located) if located is not None else None
