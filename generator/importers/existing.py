"""What is on the list already: the ids taken, and the keys a duplicate is found by.

Read cheaply and leniently: one :func:`records.read_record` per file, no checks,
so a broken record still takes its id and still counts as a duplicate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.identity import arxiv_key, doi_key, title_key
from generator.importers.draft import Draft, bare_arxiv_id, bare_doi
from generator.problems import display_path
from generator.record.read import as_text, read_record


@dataclass
class Existing:
    """The records of a folder, by id and by duplicate key ("arxiv", "doi", "title")."""

    ids: set[str] = field(default_factory=set)
    paths: dict[str, Path] = field(default_factory=dict)  # id -> path
    keys: dict[tuple[str, str], Path] = field(default_factory=dict)  # (kind, key) -> the first record with it

    def duplicate_of(self, draft: Draft) -> str | None:
        """How ``draft`` repeats a record on the list ("papers/x.md has the same ..."), or None."""
        for kind, key, what in _keys(draft.arxiv, draft.doi, draft.title):
            path = self.keys.get((kind, key))
            if path is not None:
                return f"{display_path(path)} has the same {what}"
        return None


def read_existing(papers_dir: Path) -> Existing:
    existing = Existing()
    with os.scandir(papers_dir) as entries:
        paths = sorted(Path(entry.path) for entry in entries if entry.name.endswith(".md"))
    for path in paths:
        # ids compare case-insensitively: on macOS and Windows Retool-2025.md is retool-2025.md
        existing.ids.add(path.stem.lower())
        existing.paths.setdefault(path.stem.lower(), path)
        raw = read_record(path)
        values = {name: as_text(raw.fields[name]) for name in ("arxiv", "doi", "title") if name in raw.fields}
        for kind, key, _ in _keys(values.get("arxiv"), values.get("doi"), values.get("title")):
            existing.keys.setdefault((kind, key), path)
    return existing


def _keys(arxiv: str | None, doi: str | None, title: str | None) -> list[tuple[str, str, str]]:
    """(kind, key, wording) for each identifier given; keys are compared as the checker compares them."""
    keys = []
    if arxiv and arxiv.strip():
        arxiv = bare_arxiv_id(arxiv) or arxiv.strip()
        keys.append(("arxiv", arxiv_key(arxiv), f"arXiv id {arxiv}"))
    if doi and doi.strip():
        doi = bare_doi(doi) or doi.strip()
        keys.append(("doi", doi_key(doi), f"DOI {doi}"))
    if title and (key := title_key(title)):
        keys.append(("title", key, "title"))
    return keys
