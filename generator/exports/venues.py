"""What kind of publication a paper is, from its ``venue`` and arXiv id.

The record says it (``venue: {kind: ..., name: ..., year: ...}``): a conference or workshop
paper, a journal article, or a preprint on a server other than arXiv. A paper without a venue
is an arXiv PREPRINT when it has an arXiv id, OTHER otherwise. Workshop papers are cited as
conference papers in every format (they are in proceedings, or cited as if they were).
"""

from __future__ import annotations

import enum

from generator.exports.text import xml_line
from generator.model import Paper


class Kind(enum.Enum):
    CONFERENCE = "conference"
    JOURNAL = "journal"
    PREPRINT = "preprint"  # on arXiv (no venue) or another server (venue kind preprint)
    OTHER = "other"


_KINDS = {"conference": Kind.CONFERENCE, "workshop": Kind.CONFERENCE, "journal": Kind.JOURNAL,
          "preprint": Kind.PREPRINT}


def venue(paper: Paper) -> str | None:
    """The venue's name on one line, or None when the paper has no venue."""
    return xml_line(paper.venue.name) if paper.venue else None


def publication_kind(paper: Paper) -> Kind:
    """The kind of ``paper`` (see the module docstring)."""
    if paper.venue is None:
        return Kind.PREPRINT if paper.arxiv else Kind.OTHER
    return _KINDS[paper.venue.kind]


def is_published(paper: Paper) -> bool:
    """Published at a conference, workshop or journal (a citation of that version)."""
    return publication_kind(paper) in (Kind.CONFERENCE, Kind.JOURNAL)
