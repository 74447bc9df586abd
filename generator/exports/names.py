"""Author names split into family and given parts, for formats that store them apart.

Records hold names as written ("Joseph C. O'Brien"). BibTeX, CSL-JSON and RIS
want the family name separately. The split is the last word as the family
name, with lowercase particles before it ("Nina van Tiel" -> "van Tiel") and
a generational suffix after it ("Jr.", "III"). A name is kept whole (a
"literal": an organisation, a mononym, or text we cannot split safely) when it
is one word, names a group ("Open-Ended Learning Team"), or contains a comma
or the word "and", which would break BibTeX's author list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PARTICLES = frozenset({"da", "de", "del", "della", "der", "den", "des", "di", "du", "dos", "la", "le",
                       "ter", "ten", "van", "von", "zu"})
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
GROUP_WORDS = frozenset({"team", "consortium", "collaboration", "group", "lab", "labs", "laboratory", "project",
                         "committee", "contributors", "initiative", "institute", "organization", "community"})


_KEEP_WHOLE = re.compile(r"\b(?:and|" + "|".join(sorted(GROUP_WORDS)) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Name:
    """One author. ``literal`` names keep their whole text in ``family``."""

    family: str
    given: str = ""
    suffix: str = ""
    literal: bool = False


@lru_cache(maxsize=65_536)
def split_name(name: str) -> Name:
    """The family, given and suffix parts of ``name`` (see the module docstring)."""
    words = name.split()
    if len(words) < 2 or "," in name or _KEEP_WHOLE.search(name):
        return Name(family=" ".join(words), literal=True)
    suffix = ""
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        suffix = words.pop()
    family = [words.pop()]
    while len(words) > 1 and words[-1] in PARTICLES:
        family.insert(0, words.pop())
    return Name(family=" ".join(family), given=" ".join(words), suffix=suffix)
