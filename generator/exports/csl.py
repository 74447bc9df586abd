"""CSL-JSON: the citation format of Zotero, Pandoc and citeproc processors.

Each paper is one item whose ``id`` is its BibTeX citation key, so a Pandoc
user can switch between the .bib and the .csl.json files without editing
their citations. Types follow :mod:`.venues`: ``paper-conference`` (conference and
workshop papers) and ``article-journal`` with ``container-title`` (the venue's name),
``volume``, ``issue``, ``page`` and ``issued`` the venue's year (a citation of the published
version; the record's ``year`` is the first public one); ``article`` (CSL's type for
preprints) for arXiv papers without a venue, issued on their first public date, and
``document`` otherwise. A paper whose authors are unknown has no ``author``: CSL styles
then put the title first and sort by it. A preprint carries
its arXiv id as ``number`` with ``publisher: "arXiv"`` (APA then prints "Title (<id>).
arXiv. URL"; with ``archive`` too it printed the id twice); a published paper with an arXiv
version carries ``archive: "arXiv"`` and ``archive_location: <id>`` instead.
Names that cannot be split (:mod:`.names`) are ``{"literal": ...}``.
A file is a JSON array with one item per line: small, and diffs well.
"""

from __future__ import annotations

import json

from generator.exports.bibtex import url
from generator.exports.encoding import Framing
from generator.exports.names import split_name
from generator.exports.text import xml_line
from generator.exports.venues import Kind, is_published, publication_kind, venue
from generator.model import Paper

CSL_TYPES = {Kind.CONFERENCE: "paper-conference", Kind.JOURNAL: "article-journal", Kind.PREPRINT: "article",
             Kind.OTHER: "document"}

FRAMING = Framing(head="[\n", separator=",\n", tail="\n]\n", empty="[]\n")

CslItem = dict[str, object]
_ONE_LINE = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # one encoder: json.dumps with options builds one a call


def csl_name(name: str) -> dict[str, str]:
    """One author as a CSL name object."""
    parts = split_name(name)
    if parts.literal:
        return {"literal": xml_line(parts.family)}
    result = {"family": xml_line(parts.family), "given": xml_line(parts.given)}
    if parts.suffix:
        result["suffix"] = parts.suffix
    return result


def item(paper: Paper, key: str) -> CslItem:
    """The CSL-JSON item of ``paper``."""
    kind = publication_kind(paper)
    if is_published(paper) or not paper.date:
        issued = [paper.cited_year]
    else:
        issued = [paper.date.year, paper.date.month, paper.date.day]
    result: CslItem = {
        "id": key,
        "type": CSL_TYPES[kind],
        "title": xml_line(paper.title),
        "issued": {"date-parts": [issued]},
    }
    if paper.authors:
        result["author"] = [csl_name(a) for a in paper.authors]
    where = venue(paper)
    if where and kind is Kind.PREPRINT:
        result["publisher"] = where  # a preprint server other than arXiv
    elif where:
        result["container-title"] = where
    place = paper.venue
    if place and kind is Kind.JOURNAL:
        result.update((name, value) for name, value in (("volume", place.volume), ("issue", place.issue)) if value)
    if place and place.pages:
        result["page"] = place.pages
    if paper.arxiv and kind is Kind.PREPRINT:  # as Zotero exports an arXiv preprint
        result["number"] = xml_line(paper.arxiv)
        result["publisher"] = "arXiv"
    elif paper.arxiv:  # a published paper: its arXiv version, which styles print as the archive
        result["archive"] = "arXiv"
        result["archive_location"] = xml_line(paper.arxiv)
    if paper.doi:
        result["DOI"] = xml_line(paper.doi)
    link = url(paper)
    if link:
        result["URL"] = xml_line(link)
    return result


def item_json(paper: Paper, key: str) -> str:
    """The item as one line of JSON (sorted keys, UTF-8 kept)."""
    return _ONE_LINE.encode(item(paper, key))


