"""A new record from what a contributor gives (`new`): import, merge, refuse duplicates, write.

Options given explicitly win over imported values. The record is written by the canonical
writer (:func:`generator.record.write.format_record`) with ``added`` set to today, and never
over an existing file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.check.record import FIRST_YEAR
from generator.errors import Refused
from generator.importers import Draft
from generator.importers.arxiv import fetch_arxiv
from generator.importers.bibtex import read_bibtex
from generator.importers.existing import Existing, read_existing
from generator.problems import display_path
from generator.record.fields import LINK_LABELS
from generator.record.ids import derive_id
from generator.record.write import format_record


@dataclass
class Created:
    path: Path
    has_abstract: bool
    notes: list[str] = field(default_factory=list)


def create(papers: Path, explicit: Draft, today: dt.date, from_bibtex: Path | None = None,
           fetch: bool = False) -> Created:
    """Import (from a BibTeX file, or from arXiv with ``fetch``), merge with the ``explicit`` values,
    check for duplicates and write the record; raises Refused or ImportFailed."""
    if not papers.is_dir():
        raise Refused(f"{display_path(papers)} is not a folder; pass --papers DIR, the folder of the records")
    if fetch and not explicit.arxiv:
        raise Refused("--fetch needs the paper's id: --arxiv ID --fetch")
    existing = read_existing(papers)
    refuse_duplicate(explicit, existing)  # before fetching: no network for a paper on the list
    imported, source = Draft(), None
    if from_bibtex:
        imported, source = read_bibtex(from_bibtex), "the BibTeX entry"
    elif fetch:
        assert explicit.arxiv is not None
        imported, source = fetch_arxiv(explicit.arxiv), "arXiv"
    draft = imported.updated(explicit)
    fields = record_fields(draft, today, source)
    refuse_duplicate(draft, existing)
    return write_record(papers, fields, draft, existing)


def refuse_duplicate(draft: Draft, existing: Existing) -> None:
    duplicate = existing.duplicate_of(draft)
    if duplicate:
        raise Refused(f"this paper is on the list already: {duplicate} (edit that record instead)")


def record_fields(draft: Draft, today: dt.date, source: str | None = None) -> dict[str, Any]:
    """The fields of the record, in canonical order; Refused when title or year is missing or wrong.

    ``source`` names where imported values came from, for the message when one is missing.
    """
    year = draft.year or (draft.date.year if draft.date else None)
    missing = [name for name, value in (("title", draft.title), ("year", year)) if not value]
    if missing:
        what, options = " and ".join(f"the {name}" for name in missing), " and ".join(f"--{name}" for name in missing)
        it = "them" if len(missing) > 1 else "it"
        how = (f"{source} does not give {it}; add {options}" if source else
               f"give {options}, or import {it} with --from-bibtex FILE or --arxiv ID --fetch")
        raise Refused(f"missing {what}: {how}")
    assert year is not None
    if not FIRST_YEAR <= year <= today.year + 1:
        raise Refused(f"{year} is not a plausible year (expected {FIRST_YEAR}-{today.year + 1})")
    if draft.date and draft.date.year != year:
        raise Refused(f"the year {year} does not match the date {draft.date}: both are the first public "
                      "version's (fix --year or --date)")
    links = {label: draft.links[label] for label in LINK_LABELS if label in draft.links}
    return {"title": draft.title, "authors": list(draft.authors) if draft.authors else None, "year": year,
            "date": draft.date, "arxiv": draft.arxiv, "doi": draft.doi, "venue": draft.venue,
            "links": links or None, "topics": [], "tags": [], "emerges": draft.emerges, "added": today}


def write_record(papers: Path, fields: dict[str, Any], draft: Draft, existing: Existing) -> Created:
    record_id = derive_id(fields["title"], fields["year"], existing.ids)
    path = papers / f"{record_id}.md"
    notes = []
    base = derive_id(fields["title"], fields["year"])
    if base != record_id:
        taken = existing.paths.get(base)
        notes.append(f"the id {base} is taken{f' by {display_path(taken)}' if taken else ''}, so this one is {record_id}")
    notes.extend(draft.notes.values())
    if not draft.authors:
        notes.append("no authors given: add 'authors:' with every author, in the paper's order")
    text = format_record(fields, draft.abstract or "")
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text if draft.abstract else text.rstrip("\n") + "\n")  # the abstract goes below '---'
    except FileExistsError:
        raise Refused(f"{display_path(path)} exists already; it was not overwritten") from None
    except OSError as exc:
        raise Refused(f"cannot write {display_path(path)}: {exc.strerror}") from None
    return Created(path, bool(draft.abstract), notes)
