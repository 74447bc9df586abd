"""Where candidates come from: an arXiv API search built from the watch file, and optionally the
papers of Hugging Face's daily listing (their metadata then read from arXiv too).

The search asks for the watch file's categories AND any of its phrases (in title or abstract)
AND a submission date from ``since`` to ``until``, newest first, 100 entries a request, at most
``max_results`` in all. Answers are read as Atom by the same code as `new --arxiv --fetch`.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from generator.errors import ImportFailed
from generator.importers.arxiv import ARXIV, ATOM, ERROR_ID, entry_draft
from generator.importers.draft import Draft, bare_arxiv_id
from generator.suggest.fetch import Fetcher
from generator.suggest.watch import Watch
from generator.text import one_line

PAGE = 100  # entries per arXiv request (arXiv's guide suggests at most 2,000; smaller answers fail less)
MAX_DAILY_DAYS = 14  # days of Hugging Face's listing read in one run
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
HUGGINGFACE_API = "https://huggingface.co/api/daily_papers"


@dataclass(frozen=True)
class Found:
    """A paper an API answered with: the draft `new --arxiv --fetch` would make, and its categories."""

    draft: Draft
    arxiv_id: str  # without version
    categories: tuple[str, ...]


def search_query(watch: Watch, since: dt.date, until: dt.date) -> str:
    categories = " OR ".join(f"cat:{category}" for category in watch.categories)
    phrases = sorted({phrase for group in watch.terms.values() for phrase in group})
    wanted = " OR ".join(f'ti:"{_quoted(p)}" OR abs:"{_quoted(p)}"' for p in phrases)
    dates = f"submittedDate:[{since:%Y%m%d}0000 TO {until:%Y%m%d}2359]"
    return f"({categories}) AND ({wanted}) AND {dates}"


def _quoted(phrase: str) -> str:
    return phrase.replace('"', " ").replace("\\", " ")


def search_arxiv(fetcher: Fetcher, api: str, watch: Watch, since: dt.date, until: dt.date) -> list[Found]:
    """Every paper the search finds, newest first, at most ``watch.max_results``."""
    query = search_query(watch, since, until)
    found: list[Found] = []
    start = 0
    while start < watch.max_results:
        size = min(PAGE, watch.max_results - start)
        url = _url(api, {"search_query": query, "start": str(start), "max_results": str(size),
                         "sortBy": "submittedDate", "sortOrder": "descending"})
        page, total = parse_feed(fetcher.get(url, "the arXiv API"))
        found.extend(page)
        start += size
        if not page or start >= total:
            break
    return found


def read_arxiv_ids(fetcher: Fetcher, api: str, ids: list[str]) -> list[Found]:
    """The arXiv metadata of ``ids`` (Hugging Face's listing gives ids only), PAGE at a time."""
    found: list[Found] = []
    for first in range(0, len(ids), PAGE):
        chunk = ids[first:first + PAGE]
        url = _url(api, {"id_list": ",".join(chunk), "max_results": str(len(chunk))})
        found.extend(parse_feed(fetcher.get(url, "the arXiv API"))[0])
    return found


def huggingface_ids(fetcher: Fetcher, api: str, since: dt.date, until: dt.date) -> list[str]:
    """The arXiv ids of the papers on Hugging Face's daily listing from ``since`` to ``until``."""
    ids: list[str] = []
    first = max(since, until - dt.timedelta(days=MAX_DAILY_DAYS - 1))
    for offset in range((until - first).days + 1):
        day = first + dt.timedelta(days=offset)
        data = fetcher.get(_url(api, {"date": day.isoformat()}), "the Hugging Face daily papers API")
        try:
            listing = json.loads(data)
        except ValueError:
            raise ImportFailed("the Hugging Face daily papers API's answer is not JSON; try again later") from None
        for item in listing if isinstance(listing, list) else []:
            paper = item.get("paper") if isinstance(item, dict) else None
            arxiv_id = bare_arxiv_id(str(paper.get("id", ""))) if isinstance(paper, dict) else None
            if arxiv_id and arxiv_id not in ids:
                ids.append(arxiv_id)
    return ids


def _url(api: str, parameters: dict[str, str]) -> str:
    if urllib.parse.urlsplit(api).scheme not in ("http", "https"):
        raise ImportFailed(f"{api!r} is not an http(s) URL")
    return f"{api}?{urllib.parse.urlencode(parameters)}"


def parse_feed(data: bytes) -> tuple[list[Found], int]:
    """The papers of one Atom answer, and how many the whole search has (opensearch:totalResults)."""
    try:
        feed = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ImportFailed(f"the arXiv API's answer is not Atom XML ({exc}); try again later") from None
    if feed.tag != f"{ATOM}feed":
        raise ImportFailed("the arXiv API's answer is not an Atom feed; check --arxiv-api")
    found: list[Found] = []
    for entry in feed.iter(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id", "")
        if ERROR_ID in entry_id:
            reason = one_line(entry.findtext(f"{ATOM}summary", "")) or "refused"
            raise ImportFailed(f"the arXiv API refused the search: {reason}")
        arxiv_id = bare_arxiv_id(entry_id)
        title = one_line(entry.findtext(f"{ATOM}title", ""))
        if not arxiv_id or not title:
            continue
        draft = entry_draft(entry, title)
        draft.arxiv = arxiv_id
        categories = tuple(term for category in entry.iter(f"{ATOM}category")
                           if (term := category.get("term", "")) and len(term) < 40)
        if not categories:
            categories = tuple(c.get("term", "") for c in entry.iter(f"{ARXIV}primary_category"))
        found.append(Found(draft, arxiv_id, categories))
    total_text = feed.findtext(f"{OPENSEARCH}totalResults", "")
    total = int(total_text) if total_text.strip().isdigit() else len(found)
    return found, total
