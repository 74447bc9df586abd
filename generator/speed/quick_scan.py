"""A cheap, exact scan of a record for the cross-record rules.

Checking one changed record against a list of 100,000 must not parse and check
the other 99,999. The cross-record rules need little from them: the topics and
tags each names (for "a tag used by too few papers") and the arXiv id, DOI and
title (for duplicates). :func:`scan` reads exactly those, with a few regular
expressions, from front matter in the plain YAML subset records are written in:
``key: value`` lines, quoted or plain one-line scalars, flow lists, block lists
and one level of nested mapping (``links:``), comments and blank lines.

It is exact or it declines: anything outside that subset (anchors, tags, block
or multi-line scalars, tabs, odd line breaks, escapes in quoted text, a field
given twice, bytes that are not UTF-8 ...) gives None, and the caller reads the
record in full with :func:`generator.record.read.read_record`. For a record it
accepts, ``topics`` and ``tags`` are what ``checks.term_usage`` reads from it,
and when the record is valid its arXiv id, DOI and title are the ones its Paper
gets (tests/test_check_scale.py holds the scan to both on mutated records).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from generator.speed.subset_reader import BLOCK_ITEM, ITEM, NULLS, RECORD, VALUE, scalar

_WANTED = re.compile(r"^(title|arxiv|doi|topics|tags):(.*)$", re.MULTILINE)
_IDS = re.compile(r" \[([a-z0-9]+(?:-[a-z0-9]+)*+(?:, [a-z0-9]+(?:-[a-z0-9]+)*+)*+)\]")  # tags: [a, b-c]


class Scan(NamedTuple):
    """What the cross-record rules need from one record."""

    topics: tuple[str, ...]  # every topic and tag it names, as checks.term_usage reads them
    tags: tuple[str, ...]
    arxiv: str | None  # its duplicate keys as checks.check_duplicates compares them (exact for a valid record)
    doi: str | None
    title: str | None  # the title as typed: normalise_title(title) is the key


def text_of(data: bytes) -> str | None:
    """The text :func:`generator.record.read.decode_text` makes of a record's bytes, or None."""
    if b"\x00" in data:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


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
    """Whether a record's front matter may hold any of ``words``, or of ``folded`` (lowercase) in any case.

    False is certain: without a backslash (an escape), YAML gives no value whose
    characters are not written out in the text, so a topic or tag id, an arXiv id,
    a DOI or a word of a title that is not in the text is in no field. Front matter
    that is not ASCII always may (case folding there is not one character for one).
    """
    front = text[:front_end(text)]
    if not front.isascii() or "\\" in front:
        return True
    if any(word in front for word in words):
        return True
    lower = front.lower()
    return any(word in lower for word in folded)


def scan(data: bytes) -> Scan | None:
    """The terms and duplicate keys of a record's bytes, or None when only the full reader can tell."""
    text = text_of(data)
    return scan_text(text) if text is not None else None


def scan_text(text: str) -> Scan | None:
    """:func:`scan` for the record's text as :func:`text_of` gives it."""
    record = RECORD.match(text)
    if record is None:
        return None
    start, end = record.span("front")  # blank, or only comments: no fields, as the reader finds
    found: dict[str, str] = {}
    for top in _WANTED.finditer(text, start, end):
        name, rest = top.groups()
        if name in found:  # which one counts is the full reader's business
            return None
        # A value on the key's line, or else the block below it (starting with a line break).
        found[name] = rest if rest.strip(" ")[:1] not in ("", "#") else text[top.end():end]
    get = found.get
    arxiv, doi = _scalar(get("arxiv")), _scalar(get("doi"))
    return Scan(_terms(get("topics")), _terms(get("tags")), (arxiv.strip() or None) if arxiv else None,
                (doi.strip().lower() or None) if doi else None, _scalar(get("title")) or None)


def _text(match: re.Match[str]) -> str | None:
    """A matched scalar's value as text; None for a plain null."""
    text, plain = scalar(match)
    return None if plain and text in NULLS else text


def _scalar(rest: str | None) -> str | None:
    """A field's one-line value as text (None for null, a list or a block below the key)."""
    if rest is None or rest[:1] != " ":
        return None  # a block below the key: a list or a mapping (or nothing: null)
    if rest[:2] == ' "' and rest[-1] == '"' and '"' not in rest[2:-1]:  # the usual quoted value
        return rest[2:-1]
    value = VALUE.fullmatch(rest)
    if value is None or value.group("flow") is not None:
        return None
    return _text(value)


def _terms(rest: str | None) -> tuple[str, ...]:
    """The items of a topics or tags list, inline or as a block below the key, as text (empty ones left out)."""
    if rest is None:
        return ()
    ids = _IDS.fullmatch(rest)
    if ids is not None:  # the usual list of ids, written as the tools write it
        ids_typed = ids.group(1).split(", ")
        return tuple(ids_typed) if "null" not in ids_typed else tuple(i for i in ids_typed if i != "null")
    if rest[:1] == " ":
        value = VALUE.fullmatch(rest)
        if value is None or value.group("flow") is None:
            return ()  # one scalar, not a list
        return tuple(text for match in ITEM.finditer(value.group("flow")) if (text := _text(match)))
    items: list[str] = []
    for line in rest[1:].split("\n"):  # the block below the key
        if line and line[0] not in " -#":
            break  # the next top-level key
        match = BLOCK_ITEM.fullmatch(line)
        if match is not None and (text := _text(match)):
            items.append(text)
    return tuple(items)
