"""The record id rule.

A record's id is its file stem: ``<short-title>-<year>``, lowercase ASCII
letters, digits and hyphens. The short title is the part of the title before
a colon when that part has at most four words (``ReTool: ...`` -> ``retool``),
otherwise the first three words that are not stop words
(``On the Emergence of Thinking in LLMs`` -> ``emergence-thinking-llms``).
Accents are folded to ASCII. When the id is taken, ``-b``, ``-c``, ... is
appended (``retool-2025-b``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Container

from slugify import slugify

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # matched whole (is_valid_id); "$" stays for JSON schemas
ID_RULE = "lowercase ASCII letters, digits and single hyphens, e.g. 'retool-2025'"

# The names the site writes itself, at its top level (pages, folders, files without their
# extension) and beside the pages of records, topics, tags and paths (``topics/index.html``): an
# id among them would take a page's place, or lose its own. tests/hostile/test_lookalikes.py builds
# the real site and fails when it writes a name this set lacks.
RESERVED_IDS = frozenset({
    "index", "404", "sitemap",  # every folder's index page; MkDocs' error page and sitemap
    "about", "contributing", "browse",  # docs/*.md
    "assets", "search",  # the theme's files and the search index
    "papers", "topics", "tags", "paths",  # the pages of records and vocabulary
    "export", "feeds",  # the exports and Atom feeds
})

STOP_WORDS = frozenset(
    "a an and are as at be by can do does for from how in into is it its of on or over the their "
    "this to towards toward under via what when where which who why with without you your".split()
)
HEAD_MAX_WORDS = 4
SHORT_WORDS = 3
MAX_SLUG_LENGTH = 40


def short_title(title: str) -> str:
    """The slug of a title's distinctive part (see the module docstring)."""
    head, colon, _ = title.partition(":")
    head_slug = slugify(head)
    if colon and head_slug and len(head_slug.split("-")) <= HEAD_MAX_WORDS:
        return head_slug[:MAX_SLUG_LENGTH].strip("-")
    words = [w for w in slugify(title).split("-") if w and w not in STOP_WORDS]
    return "-".join(words[:SHORT_WORDS])[:MAX_SLUG_LENGTH].strip("-") or "paper"


def derive_id(title: str, year: int | str, taken: Container[str] = ()) -> str:
    """The id a new record with this title and year gets; unique among ``taken``."""
    base = f"{short_title(title)}-{year}"
    if base not in taken:
        return base
    for letter in string.ascii_lowercase[1:]:
        candidate = f"{base}-{letter}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"more than 26 records would get the id {base!r}")


def reserved(record_id: str) -> str | None:
    """Why ``record_id`` cannot be an id (a name the site uses itself), or None when it can."""
    if record_id in RESERVED_IDS:
        return f"'{record_id}' is a name the site itself uses for a page or folder"
    return None


def is_valid_id(record_id: str) -> bool:
    """Whether the whole of ``record_id`` follows the rule (fullmatch: ``$`` alone matches before a final newline)."""
    return bool(ID_PATTERN.fullmatch(record_id))
