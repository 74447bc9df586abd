"""RIS: the tagged format EndNote, Zotero, Mendeley and most databases import.

One record per paper: ``TY``, ``ID`` (the BibTeX citation key), ``TI``, one ``AU``
per author (``Family, Given`` or ``Family, Given, Suffix``; none when the authors are
unknown), ``PY`` and ``DA``, the venue, ``DO``, ``UR``, ``N1`` with the arXiv id, ``ER``:

- conference and workshop papers are ``CPAPER`` (a paper in proceedings: readers take
  ``PY`` as its year; ``CONF``, the whole proceedings, has them read ``PY`` as the event's
  and citation.js gave five of them no year) with the proceedings' name as ``T2``;
- journal articles are ``JOUR`` with ``JO``, ``VL``, ``IS``, ``SP`` and ``EP``;
- for both, ``PY`` and ``DA`` (``YYYY///``) are the venue's year (a citation of the
  published version);
- arXiv preprints are ``JOUR`` with ``JO`` "arXiv preprint arXiv:ID" and ``DA`` the
  first public date (how arXiv and Google Scholar export them); ``GEN`` otherwise. Lines end with CRLF, as the RIS
specification says (readers, rispy among them, also accept LF); records are
separated by a blank line. Every value is one line, so contributor text can
never start a tag of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.exports.bibtex import url
from generator.exports.encoding import Framing, pieces
from generator.exports.names import split_name
from generator.exports.text import xml_line
from generator.exports.venues import Kind, is_published, publication_kind, venue
from generator.model import Paper

NEWLINE = "\r\n"
FRAMING = Framing(separator=NEWLINE)
RIS_TYPES = {Kind.CONFERENCE: "CPAPER", Kind.JOURNAL: "JOUR", Kind.PREPRINT: "JOUR", Kind.OTHER: "GEN"}


def ris_name(name: str) -> str:
    """One author for an ``AU`` line."""
    parts = split_name(name)
    if parts.literal:
        return parts.family
    return ", ".join(p for p in (parts.family, parts.given, parts.suffix) if p)


def tags(paper: Paper, key: str) -> list[tuple[str, str]]:
    """The (tag, value) lines of ``paper``'s record, TY first and ER last."""
    kind = publication_kind(paper)
    lines = [("TY", RIS_TYPES[kind]), ("ID", key), ("TI", paper.title)]
    lines += [("AU", ris_name(a)) for a in paper.authors]
    lines.append(("PY", str(paper.cited_year)))
    if is_published(paper) or not paper.date:
        lines.append(("DA", f"{paper.cited_year}///"))
    else:
        lines.append(("DA", paper.date.strftime("%Y/%m/%d/")))
    where, place = venue(paper), paper.venue
    if kind is Kind.CONFERENCE and where:
        lines.append(("T2", where))
    elif kind is Kind.JOURNAL and where and place:
        lines.append(("JO", where))
        lines += [(tag, value) for tag, value in (("VL", place.volume), ("IS", place.issue)) if value]
    elif kind is Kind.PREPRINT and where:
        lines.append(("PB", where))  # a preprint server other than arXiv
    elif kind is Kind.PREPRINT and paper.arxiv:
        lines.append(("JO", f"arXiv preprint arXiv:{paper.arxiv}"))
    if place and place.first_page:
        lines.append(("SP", place.first_page))
        if place.last_page:
            lines.append(("EP", place.last_page))
    if paper.doi:
        lines.append(("DO", paper.doi))
    link = url(paper)
    if link:
        lines.append(("UR", link))
    if paper.arxiv:
        lines.append(("N1", f"arXiv:{paper.arxiv}"))
    lines.append(("ER", ""))
    return lines


def record(paper: Paper, key: str) -> str:
    """One RIS record, each line ending with CRLF."""
    return "".join(f"{tag}  - {xml_line(value)}{NEWLINE}" for tag, value in tags(paper, key))


def join_records(rendered: Iterable[str]) -> str:
    """Records (from :func:`record`) as one .ris file."""
    return "".join(pieces(rendered, FRAMING))


def ris(papers: Iterable[Paper], keys: Mapping[str, str]) -> str:
    """A .ris file of ``papers`` in the order given."""
    return join_records(record(p, keys[p.id]) for p in papers)
