"""A draft record (every field optional) and the clean-ups every importer shares."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

from generator.check.record import ARXIV_NEW, ARXIV_OLD, DOI
from generator.text import one_line

ARXIV_ID_HELP = "expected an id such as 2504.11536 or hep-th/9901001"
DOI_HELP = "expected a DOI such as 10.1145/3586183.3606763"

_ARXIV_PREFIX = re.compile(r"^(?:arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE)
_ARXIV_VERSION = re.compile(r"v[0-9]+\Z")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")



@dataclass
class Draft:
    """What is known about a paper so far; ``None`` (or empty) means not known."""

    title: str | None = None
    authors: tuple[str, ...] | None = None
    year: int | None = None
    date: dt.date | None = None
    arxiv: str | None = None
    doi: str | None = None
    venue: dict[str, object] | None = None  # a venue: mapping (generator.record.fields.VENUE_KEYS)
    links: dict[str, str] = field(default_factory=dict)
    abstract: str | None = None
    emerges: str | None = None  # the curator's line (never imported: a person writes it)
    # field name -> something the contributor should know about that field's value
    notes: dict[str, str] = field(default_factory=dict)

    def updated(self, other: Draft) -> Draft:
        """This draft with every value ``other`` knows replaced; a replaced value's note goes too."""
        changes: dict[str, Any] = {}
        notes = dict(self.notes)
        for spec in fields(self):
            name = spec.name
            if name in ("links", "notes"):
                continue
            value = getattr(other, name)
            if value is not None:
                changes[name] = value
                notes.pop(name, None)
        notes.update(other.notes)
        changes.update(links={**self.links, **other.links}, notes=notes)
        return replace(self, **changes)


def paragraphs(text: str, breaks: re.Pattern[str] = _PARAGRAPH_BREAK) -> str:
    """Hard-wrapped text as one line per paragraph, paragraphs separated by a blank line."""
    parts = (one_line(part) for part in breaks.split(text.strip()))
    return "\n\n".join(part for part in parts if part)


def bare_arxiv_id(text: str) -> str | None:
    """``arXiv:2504.11536v2`` or ``https://arxiv.org/abs/2504.11536v2`` -> ``2504.11536``; None if not an id."""
    value = _ARXIV_PREFIX.sub("", text.strip()).removesuffix(".pdf")
    value = _ARXIV_VERSION.sub("", value)
    return value if ARXIV_NEW.fullmatch(value) or ARXIV_OLD.fullmatch(value) else None


def bare_doi(text: str) -> str | None:
    """``https://doi.org/10.1145/x`` or ``doi:10.1145/x`` -> ``10.1145/x``; None if not a DOI."""
    value = _DOI_PREFIX.sub("", text.strip())
    return value if DOI.fullmatch(value) else None


def arxiv_id_of_doi(doi: str) -> str | None:
    """The arXiv id behind arXiv's own DOIs (``10.48550/arXiv.2504.11536``), else None."""
    match = _ARXIV_DOI.match(doi)
    return bare_arxiv_id(match.group(1)) if match else None
