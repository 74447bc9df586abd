"""A venue written as free text ("ICLR 2026", "Nature Human Behaviour, vol. 9, no. 7, 2025") read as a
``venue:`` mapping: what the checker suggests for the old one-string form, and what the importers
make of a BibTeX booktitle or journal and of arXiv's journal reference.

Only a guess for a person to confirm (the checker prints it as the fix, ``new`` writes it for the
contributor to read): the kind from the words (a journal word, else a meeting word or a known
conference acronym, else a journal), the year, volume, issue and pages from their usual spellings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from generator.record.write import yaml_string
from generator.text import yaml_quoted

CONFERENCE_ACRONYMS = frozenset("""
AAAI AAMAS ACL AIES AISTATS ALIFE ALife CHI CIKM COLING COLM CoLLAs CoRL CogSci CSCW CVPR EACL ECAI ECAL ECCV
ECML EMNLP FAccT GECCO HRI Humanoids ICAPS ICCV ICDL ICLR ICML ICRA IJCAI IJCNLP IROS ISRR IUI KDD L4DC LREC
NAACL NeurIPS NIPS RLC RSS SIGGRAPH SIGIR UAI UIST WACV WSDM WWW
""".split())
_JOURNAL_WORDS = re.compile(r"\b(journal|transactions|letters|review|magazine|pnas|national academy of sciences)\b",
                            re.IGNORECASE)
_MEETING_WORDS = re.compile(r"\b(conference|proceedings|symposium|findings|meeting|congress|colloquium)\b",
                            re.IGNORECASE)
_WORKSHOP = re.compile(r"\bworkshops?\b", re.IGNORECASE)
_PREPRINT_SERVERS = re.compile(r"^(biorxiv|medrxiv|ssrn|psyarxiv|osf preprints|chemrxiv|techrxiv|research square)\b",
                               re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9]+")
_VOLUME = re.compile(r",?\s*\bvol(?:ume)?\.?\s*(\w+)", re.IGNORECASE)
_ISSUE = re.compile(r",?\s*\b(?:no|issue|num(?:ber)?)\.?\s*(\w+)", re.IGNORECASE)
_PAGES = re.compile(r",?\s*\bpp?\.?\s*([A-Za-z]?\d+[A-Za-z]?(?:\s*[-\u2013\u2014]+\s*[A-Za-z]?\d+[A-Za-z]?)?)",
                    re.IGNORECASE)
_YEAR = re.compile(r"[,\s(]*\b((?:19|20)\d\d)\)?\s*$")
_FLOW_PLAIN = re.compile(r"^[^\W\d_][\w .'&+/-]*$")
_ASIDE = re.compile(r"\s*\((?:[^()]*\bjournal\b[^()]*)\)", re.IGNORECASE)  # "Evolutionary Computation (MIT Press journal)"


def guess_kind(name: str) -> str:
    """conference, workshop, journal or preprint for a venue's name (see the module docstring)."""
    if _PREPRINT_SERVERS.match(name):
        return "preprint"
    if _WORKSHOP.search(name):
        return "workshop"
    if _JOURNAL_WORDS.search(name):
        return "journal"
    if _MEETING_WORDS.search(name) or any(w in CONFERENCE_ACRONYMS for w in _WORD.findall(name)):
        return "conference"
    return "journal"


def parse_venue_text(text: str) -> dict[str, object]:
    """The ``venue:`` mapping a free-text venue most likely means (keys in the record's order)."""
    rest = " ".join(text.split())
    found: dict[str, str] = {}
    for key, pattern in (("pages", _PAGES), ("volume", _VOLUME), ("issue", _ISSUE)):
        match = pattern.search(rest)
        if match:
            found[key] = re.sub(r"\s*[-\u2013\u2014]+\s*", "-", match.group(1))
            rest = rest[:match.start()] + rest[match.end():]
    year = None
    match = _YEAR.search(rest)
    if match:
        year = int(match.group(1))
        rest = rest[:match.start()]
    name = _ASIDE.sub("", rest).strip(" ,;")
    venue: dict[str, object] = {"kind": guess_kind(text), "name": name}
    if year:
        venue["year"] = year
    for key in ("volume", "issue", "pages"):
        if key in found:
            venue[key] = found[key]
    return venue


def flow_value(value: object) -> str:
    """A scalar for a YAML flow mapping: plain when safe there (no ',', ':', brackets), else double-quoted."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.isascii() and text.isdigit():
        return text  # a volume or issue number: the checker reads it as text again
    if _FLOW_PLAIN.match(text) and yaml_string(text) == text:
        return text
    return yaml_quoted(text)


def flow_text(venue: Mapping[str, object]) -> str:
    """A venue mapping as one YAML flow line, for messages: ``{kind: conference, name: ICLR, year: 2026}``."""
    return "{" + ", ".join(f"{k}: {flow_value(v)}" for k, v in venue.items()) + "}"
