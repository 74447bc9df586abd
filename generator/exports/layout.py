"""Which export files a selection of papers gets, and what they are called.

Measured on a synthetic list of 100,000 papers (tests/test_exports_scale.py),
plain exports in every format for every topic and tag come to about 1.2 GB,
more than GitHub Pages publishes for the whole site: each paper sits in
about five topic/tag files besides the whole list, and ``papers.json``
carries every abstract. So a selection of more than ``LARGE`` papers is
published differently:

- the whole list's files are gzip-compressed, with ``.gz`` added to the name
  (``export/papers.json.gz``): 3-5x smaller, opened by every OS and by
  ``curl | gunzip``. At 100k papers they come to about 120 MB.
- a topic or tag with that many papers gets the formats in
  ``LARGE_TERM_FORMATS``, gzip-compressed: none by default, since the
  whole list has them all and a 9,000-paper "tag bibliography" is data
  rather than reading. ``(".bib",)`` would keep BibTeX for +70 MB at 100k.

At the list's current size nothing changes: every file is plain and every
topic and tag has all three formats. Pages link to files through
:func:`downloads`, so links follow the rule when the list grows.
"""

from __future__ import annotations

from dataclasses import dataclass

LARGE = 2_000  # papers; about 1 MB of BibTeX and 4 MB of papers.json
WHOLE_LIST = "export/papers"
FORMATS = {".bib": "BibTeX (natbib)", ".biblatex.bib": "biblatex", ".ris": "RIS", ".csl.json": "CSL-JSON"}
DUMP = ".json"
LARGE_TERM_FORMATS: tuple[str, ...] = ()  # what a topic or tag of more than LARGE papers gets


@dataclass(frozen=True)
class Download:
    """One export file of a selection: what it is and where it is."""

    label: str
    extension: str  # ".bib", ".biblatex.bib", ".ris", ".csl.json", or ".json" (the record dump)
    path: str  # relative to the site root, with ".gz" for large selections


def is_large(count: int) -> bool:
    return count > LARGE


def downloads(base: str, count: int) -> list[Download]:
    """The export files of a selection of ``count`` papers at ``base`` ("export/papers", "export/tags/<id>").

    Empty for a topic or tag too large to have files of its own (see the module docstring).
    """
    large = is_large(count)
    suffix = ".gz" if large else ""
    extensions = list(FORMATS) if base == WHOLE_LIST or not large else list(LARGE_TERM_FORMATS)
    result = [Download(FORMATS[ext], ext, f"{base}{ext}{suffix}") for ext in extensions]
    if base == WHOLE_LIST:
        result.append(Download("JSON (every record)", DUMP, f"{base}{DUMP}{suffix}"))
    return result
