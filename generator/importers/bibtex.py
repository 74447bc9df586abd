"""One BibTeX entry, as Google Scholar, arXiv, Semantic Scholar or DBLP export it, as a draft.

Names are split the BibTeX way ("Last, First", "First von Last", braces for
corporate names) and written first-name-first; LaTeX accents become Unicode
and protective braces go (pylatexenc, as bibtexparser's LatexDecodingMiddleware
uses it, but with a bare '%' read as a percent sign rather than a comment).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import NameParts, NormalizeFieldKeys, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import DuplicateFieldKeyBlock, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from generator.errors import ImportFailed
from generator.importers.draft import (
    Draft,
    arxiv_id_of_doi,
    bare_arxiv_id,
    bare_doi,
    paragraphs,
)
from generator.problems import display_path
from generator.record.fields import VENUE_KEYS
from generator.record.venues import parse_venue_text
from generator.text import one_line

# "journals" that are preprint servers, not venues: Google Scholar's "arXiv preprint arXiv:...",
# Semantic Scholar's "ArXiv", DBLP's "CoRR"
PREPRINT_JOURNAL = re.compile(r"^(arxiv|corr|biorxiv|medrxiv)\b", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(r"arxiv:\s*([^\s,;]+)", re.IGNORECASE)
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_YEAR = re.compile(r"^\d{4}$")
_VENUE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-\u2013\u2014]{0,30}$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def read_bibtex(path: Path) -> Draft:
    """The draft of the one entry in a .bib file."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot read {shown}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(f"{shown} is not UTF-8 text; save the BibTeX entry as UTF-8") from None
    return parse_bibtex(text, shown)


def parse_bibtex(text: str, source: str) -> Draft:
    """The draft of the one entry in BibTeX ``text``; ``source`` names it in messages."""
    library = parse_string(
        text, append_middleware=[NormalizeFieldKeys(), SeparateCoAuthors(), SplitNameParts()])
    entries, failed = library.entries, library.failed_blocks
    if len(entries) + len(failed) > 1:
        keys = [block.key for block in entries] + ["(unreadable)"] * len(failed)
        raise ImportFailed(f"{source} holds {len(keys)} BibTeX entries ({', '.join(keys[:3])}"
                           f"{', ...' if len(keys) > 3 else ''}); save the one paper's entry in a file of its own")
    if failed:
        raise ImportFailed(f"{source}: cannot read the BibTeX entry: {_failure(failed[0])}")
    if not entries:
        raise ImportFailed(f"{source} holds no BibTeX entry; paste the entry that Google Scholar, arXiv or "
                           "Semantic Scholar exports (it starts with '@')")
    return entry_draft({field.key: field.value for field in entries[0].fields}, entries[0].entry_type)


def entry_draft(values: Mapping[str, object], entry_type: str = "") -> Draft:
    """A draft from an entry's fields (keys lowercase, authors as NameParts) and its type (article, ...)."""
    entry = _Entry(values)
    draft = Draft(title=entry.text("title"), authors=entry.authors(), venue=entry.venue(entry_type.lower()),
                  abstract=entry.abstract(), notes=entry.notes)
    draft.year, draft.date = entry.when()
    draft.doi, draft.arxiv = entry.doi_and_arxiv()
    return draft


class _Entry:
    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = values
        self.notes: dict[str, str] = {}

    def raw(self, key: str) -> str | None:
        """A verbatim field (URL, DOI, eprint): braces and escapes dropped, no LaTeX decoding."""
        value = self.values.get(key)
        if not isinstance(value, str):
            return None
        value = value.replace("{", "").replace("}", "").replace("\\_", "_").replace("\\%", "%")
        return one_line(value) or None

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        return one_line(latex_to_text(value)) or None if isinstance(value, str) else None

    def authors(self) -> tuple[str, ...] | None:
        value = self.values.get("author")
        if not isinstance(value, list):
            return None
        names = [_name(parts) for parts in value if isinstance(parts, NameParts)]
        known = [name for name in names if name and name.casefold() != "others"]
        if len(known) < len(names):
            self.notes["authors"] = ("the BibTeX entry ends its authors with 'and others': add the missing "
                                     "authors, in the paper's order")
        return tuple(known) or None

    def venue(self, entry_type: str) -> dict[str, object] | None:
        """The venue: mapping of a booktitle (a conference or workshop) or a journal, with its year,
        volume, number and pages; None for a preprint server's "journal"."""
        for key in ("booktitle", "journal", "journaltitle"):
            name = self.text(key)
            if not name or PREPRINT_JOURNAL.match(name):
                continue
            venue = parse_venue_text(name)
            if key != "booktitle" and entry_type == "article":
                venue["kind"] = "journal"
            elif key == "booktitle" and venue["kind"] in ("journal", "preprint"):
                venue["kind"] = "conference"  # a booktitle is proceedings, whatever its words
            year = self.raw("year") or (self.raw("date") or "")[:4]
            if "year" not in venue and _YEAR.match(year):
                venue["year"] = int(year)
            for field, target in (("volume", "volume"), ("number", "issue"), ("pages", "pages")):
                value = self.raw(field)
                if value and target not in venue and _VENUE_PART.match(value):
                    venue[target] = re.sub(r"\s*[-\u2013\u2014]+\s*", "-", value)
            return {k: venue[k] for k in VENUE_KEYS if k in venue}
        return None

    def abstract(self) -> str | None:
        value = self.values.get("abstract")
        return paragraphs(latex_to_text(value)) or None if isinstance(value, str) else None

    def when(self) -> tuple[int | None, dt.date | None]:
        """(year, date): biblatex's date, else year with month and day when all are given."""
        date_text = self.raw("date") or ""
        try:
            date = dt.date.fromisoformat(date_text)
            return date.year, date
        except ValueError:
            pass
        year_text = self.raw("year") or date_text[:4]
        year = int(year_text) if _YEAR.match(year_text) else None
        month = _month(self.raw("month") or date_text[5:7])
        if year is None or month is None:
            return year, None
        day = self.raw("day") or ""
        try:
            return year, dt.date(year, month, int(day))
        except ValueError:
            self.notes["date"] = (f"the BibTeX entry gives the month ({year}-{month:02d}) but not the day: add "
                                  f"'date: {year}-{month:02d}-DD' if you know the day of the first public version")
            return year, None

    def doi_and_arxiv(self) -> tuple[str | None, str | None]:
        doi_text = self.raw("doi") or ""
        url = self.raw("url") or ""
        doi = bare_doi(doi_text) or (bare_doi(url) if "doi.org/" in url else None)
        if doi_text and not doi:
            self.notes["doi"] = f"the BibTeX doi {doi_text!r} is not a DOI and was left out"
        arxiv = self._arxiv(url)
        if doi and arxiv_id_of_doi(doi):  # arXiv's own DOI: the arXiv id says it already
            arxiv, doi = arxiv or arxiv_id_of_doi(doi), None
        return doi, arxiv

    def _arxiv(self, url: str) -> str | None:
        candidates = []
        prefix = (self.raw("archiveprefix") or self.raw("eprinttype") or "arxiv").casefold()
        if prefix == "arxiv":
            candidates.append(self.raw("eprint") or "")
        for key in ("journal", "note", "howpublished"):
            match = _ARXIV_IN_TEXT.search(self.raw(key) or "")
            if match:
                candidates.append(match.group(1))
        if PREPRINT_JOURNAL.match(self.raw("journal") or ""):  # Semantic Scholar, DBLP: volume={abs/2504.11536}
            candidates.append((self.raw("volume") or "").removeprefix("abs/"))
        candidates.append(url)
        return next((found for text in candidates if text and (found := bare_arxiv_id(text))), None)


def _failure(block: ParsingFailedBlock) -> str:
    if isinstance(block, DuplicateFieldKeyBlock):
        keys = ", ".join(f"'{key}'" for key in sorted(block.duplicate_keys))
        return f"it gives {keys} more than once; keep one"
    return one_line(str(block.error)).split(" Note: ")[0]  # bibtexparser's notes are for programmers


@functools.cache
def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category("reading-list", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


def latex_to_text(value: str) -> str:
    """A BibTeX value as Unicode text: {\\"u} -> ü, {\\ss} -> ß, protective braces gone, $math$ kept."""
    try:
        return str(_decoder().latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", value)))
    except Exception:  # pylatexenc parses leniently; should it still fail, keep the text, minus braces
        return value.replace("{", "").replace("}", "")


def _name(parts: NameParts) -> str:
    decoded = NameParts(first=[latex_to_text(p) for p in parts.first], von=[latex_to_text(p) for p in parts.von],
                        last=[latex_to_text(p) for p in parts.last], jr=[latex_to_text(p) for p in parts.jr])
    return one_line(decoded.merge_first_name_first)


def _month(text: str) -> int | None:
    value = text.strip().casefold()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return _MONTHS.index(value[:3]) + 1 if value[:3] in _MONTHS else None
