"""What kind of publication a paper is, from its venue text and arXiv id.

The record's ``venue`` is free text ("ICLR 2026", "Nature Human Behaviour,
vol. 9, no. 7, 2025"). The rule, in order:

1. no venue (or a venue that just says arXiv): a PREPRINT if the paper has an
   arXiv id, otherwise OTHER;
2. a journal word (journal, transactions, letters, review, magazine, PNAS):
   a JOURNAL article;
3. a known conference acronym as a whole word (NeurIPS, ICLR, ACL, CVPR, ...,
   case-sensitive) or a meeting word (conference, proceedings, symposium,
   workshop, findings, ...): a CONFERENCE paper;
4. anything else ("Nature", "Adaptive Behavior 2024"): a JOURNAL article.
"""

from __future__ import annotations

import enum
import re

from generator.exports.text import xml_line
from generator.model import Paper


class Kind(enum.Enum):
    CONFERENCE = "conference"
    JOURNAL = "journal"
    PREPRINT = "preprint"
    OTHER = "other"


CONFERENCE_ACRONYMS = frozenset("""
AAAI AAMAS ACL AIES AISTATS ALIFE ALife CHI CIKM COLING COLM CoLLAs CoRL CogSci CSCW CVPR EACL ECAI ECAL ECCV
ECML EMNLP FAccT GECCO HRI Humanoids ICAPS ICCV ICDL ICLR ICML ICRA IJCAI IJCNLP IROS ISRR IUI KDD L4DC LREC
NAACL NeurIPS NIPS RLC RSS SIGGRAPH SIGIR UAI UIST WACV WSDM WWW
""".split())
_JOURNAL_WORDS = re.compile(r"\b(journal|transactions|letters|review|magazine|pnas|national academy of sciences)\b",
                            re.IGNORECASE)
_MEETING_WORDS = re.compile(r"\b(conference|proceedings|symposium|workshop|findings|meeting|congress|colloquium)\b",
                            re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9]+")


def venue_kind(venue: str) -> Kind:
    """JOURNAL or CONFERENCE for a venue text (rules 2-4 of the module docstring)."""
    if _JOURNAL_WORDS.search(venue):
        return Kind.JOURNAL
    if _MEETING_WORDS.search(venue) or any(w in CONFERENCE_ACRONYMS for w in _WORD.findall(venue)):
        return Kind.CONFERENCE
    return Kind.JOURNAL


def venue(paper: Paper) -> str | None:
    """The paper's venue, or None when it has none (or only says "arXiv")."""
    text = xml_line(paper.venue or "")
    if not text or text.lower().rstrip(".").startswith("arxiv"):
        return None
    return text


def publication_kind(paper: Paper) -> Kind:
    """The kind of ``paper`` (the whole rule of the module docstring)."""
    where = venue(paper)
    if where is None:
        return Kind.PREPRINT if paper.arxiv else Kind.OTHER
    return venue_kind(where)
