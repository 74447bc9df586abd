"""`suggest`, start to end: the watch file, the APIs, papers on the list dropped, ranked, reported,
and the best few written as draft records.

Papers on the list are dropped by the same keys `new` refuses a duplicate by
(:class:`generator.importers.existing.Existing`: arXiv id in any version, DOI in any case, the
normalised title), so a candidate never repeats a record `check` would call a duplicate.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.check.vocabulary import load_vocabulary
from generator.errors import Refused
from generator.importers.draft import Draft
from generator.importers.existing import Existing, read_existing
from generator.load import load
from generator.model import Catalog
from generator.new_record import Created, record_fields, write_record
from generator.suggest import sources
from generator.suggest.fetch import Fetcher
from generator.suggest.rank import Candidate, rank
from generator.suggest.report import Run, report
from generator.suggest.watch import Watch, load_watch

MAX_DRAFTS = 20


@dataclass
class Suggestions:
    run: Run
    candidates: list[Candidate]
    drafts: list[Created] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return report(self.run, self.candidates)


@dataclass(frozen=True)
class Apis:
    arxiv: str
    huggingface: str = sources.HUGGINGFACE_API


def suggest(papers: Path, fetcher: Fetcher, apis: Apis, today: dt.date, site_url: str,
            since: dt.date | None = None) -> Suggestions:
    catalog, watch = _list_and_watch(papers, today)
    since = since or newest_added(catalog) or today - dt.timedelta(days=7)
    if since > today:
        raise Refused(f"--since {since} is after today ({today})")
    existing = read_existing(papers)
    found = sources.search_arxiv(fetcher, apis.arxiv, watch, since, today)
    skipped = 0  # Hugging Face's papers on the list: not even asked for
    if watch.huggingface_daily:
        known = {item.arxiv_id for item in found}
        listed = [i for i in sources.huggingface_ids(fetcher, apis.huggingface, since, today) if i not in known]
        ids = [i for i in listed if not existing.duplicate_of(Draft(arxiv=i))]
        skipped = len(listed) - len(ids)
        found += [item for item in sources.read_arxiv_ids(fetcher, apis.arxiv, ids) if _matches_any(item, watch)]
    fresh, seen = [], set()
    for item in found:
        if item.arxiv_id in seen or existing.duplicate_of(item.draft):
            continue
        seen.add(item.arxiv_id)
        fresh.append(item)
    run = Run(since, today, len(found) + skipped, len(found) - len(fresh) + skipped, site_url)
    return Suggestions(run, rank(fresh, catalog, watch))


def newest_added(catalog: Catalog) -> dt.date | None:
    return max((paper.added for paper in catalog.papers), default=None)


def _list_and_watch(papers: Path, today: dt.date) -> tuple[Catalog, Watch]:
    if not papers.is_dir():
        raise Refused(f"{papers} is not a folder; pass --papers DIR, the folder of the records")
    result = load(papers, today=today)
    errors = [p for p in result.problems if p.is_error]
    if errors or result.catalog is None:
        first = f" (first: {errors[0].text()})" if errors else ""
        raise Refused(f"the list has {len(errors)} problems{first}; run make check")
    vocabulary, _ = load_vocabulary(papers)
    return result.catalog, load_watch(papers, vocabulary)


def _matches_any(item: sources.Found, watch: Watch) -> bool:
    text = f"{item.draft.title} {item.draft.abstract}".lower()
    return any(phrase in text for phrases in watch.terms.values() for phrase in phrases)


def write_drafts(papers: Path, candidates: list[Candidate], count: int, today: dt.date) -> list[Created]:
    """The first ``count`` candidates as records in ``papers`` (as `new --arxiv ID --fetch` writes
    them, with the best-fitting topic and tags filled in); what a curator writes is left out."""
    if not 0 < count <= MAX_DRAFTS:
        raise Refused(f"--draft takes 1 to {MAX_DRAFTS}")
    existing: Existing = read_existing(papers)
    created = []
    for candidate in candidates[:count]:
        draft = _clean(candidate.found.draft)
        fields = record_fields(draft, today, "arXiv")
        fields["topics"] = [candidate.topic] if candidate.topic else []
        fields["tags"] = list(candidate.tags)
        made = write_record(papers, fields, draft, existing)
        existing = read_existing(papers)
        created.append(made)
    return created


def _clean(draft: Draft) -> Draft:
    """Text fields without control or invisible format characters (arXiv answers hold some)."""
    def clean(text: str | None, newlines: bool = False) -> str | None:
        if text is None:
            return None
        kept = "".join(c for c in text if (newlines and c == "\n") or unicodedata.category(c) not in ("Cc", "Cf"))
        return kept.strip() or None
    authors = tuple(a for a in (clean(name) for name in draft.authors or ()) if a) or None
    return replace(draft, title=clean(draft.title), abstract=clean(draft.abstract, newlines=True), authors=authors)
