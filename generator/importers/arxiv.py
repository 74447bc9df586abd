"""An arXiv paper's metadata from the arXiv API (Atom XML), as a draft.

``fetch_arxiv("2504.11536")`` asks ``$ARXIV_API_URL?id_list=2504.11536``
(default: the public API at export.arxiv.org) and reads title, authors,
abstract, the first version's date and the DOI. Every failure (offline, an
HTTP error, an unknown id, a garbled answer) is one :class:`ImportFailed` line.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from generator.errors import ImportFailed
from generator.importers.draft import Draft, bare_arxiv_id, bare_doi, paragraphs
from generator.record.venues import flow_text, parse_venue_text
from generator.text import one_line

API_URL = "https://export.arxiv.org/api/query"
API_URL_ENV = "ARXIV_API_URL"  # tests point it at a local server
TIMEOUT = 10.0  # seconds, for connecting and for each read
MAX_BYTES = 5_000_000
USER_AGENT = "emergent-reading-list (python -m generator new)"

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
ERROR_ID = "arxiv.org/api/errors"
# In the abstract, arXiv marks a new paragraph by indenting its first line.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n[ \t]+")
OFFLINE_HINT = "check your connection, or give --title, --authors and --year instead of --fetch"


def api_url(arxiv_id: str, base: str | None = None) -> str:
    base = base or os.environ.get(API_URL_ENV) or API_URL
    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise ImportFailed(f"{API_URL_ENV}={base!r} is not an http(s) URL")
    return f"{base}?{urllib.parse.urlencode({'id_list': arxiv_id})}"


def fetch_arxiv(arxiv_id: str, base: str | None = None, timeout: float = TIMEOUT) -> Draft:
    """The draft of arXiv paper ``arxiv_id`` (no version suffix), read from the arXiv API."""
    url = api_url(arxiv_id, base)
    host = urllib.parse.urlsplit(url).netloc
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise ImportFailed(f"no arXiv paper with id {arxiv_id} (the arXiv API at {host} answered 404)") from None
        raise ImportFailed(f"the arXiv API at {host} answered HTTP {exc.code} {exc.reason}; "
                           "try again later, or give --title, --authors and --year instead of --fetch") from None
    except urllib.error.URLError as exc:
        raise ImportFailed(f"cannot reach the arXiv API at {host} ({network_reason(exc.reason)}); {OFFLINE_HINT}") from None
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        raise ImportFailed(f"cannot reach the arXiv API at {host} ({network_reason(exc)}); {OFFLINE_HINT}") from None
    return parse_atom(data, arxiv_id)


def network_reason(reason: object) -> str:
    """Why a request failed, in a few words ("no answer in time", "Connection refused")."""
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return one_line(str(reason)) or type(reason).__name__


def parse_atom(data: bytes, arxiv_id: str) -> Draft:
    """The draft in an arXiv API answer for ``arxiv_id``."""
    try:
        feed = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ImportFailed(f"the arXiv API's answer is not Atom XML ({exc}); try again later") from None
    for entry in feed.iter(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id", "")
        if ERROR_ID in entry_id:  # the API reports a refused query as an entry
            reason = one_line(entry.findtext(f"{ATOM}summary", "")) or "refused"
            raise ImportFailed(f"the arXiv API refused the id {arxiv_id}: {reason}")
        title = one_line(entry.findtext(f"{ATOM}title", ""))
        if bare_arxiv_id(entry_id) == arxiv_id and title:
            return entry_draft(entry, title)
    raise ImportFailed(f"no arXiv paper with id {arxiv_id}; check the id on https://arxiv.org/abs/{arxiv_id}")


def entry_draft(entry: ET.Element, title: str) -> Draft:
    authors = tuple(name for author in entry.iter(f"{ATOM}author")
                    if (name := one_line(author.findtext(f"{ATOM}name", ""))))
    date = _date(entry.findtext(f"{ATOM}published", ""))
    draft = Draft(title=title, authors=authors or None, year=date.year if date else None, date=date,
                  abstract=paragraphs(entry.findtext(f"{ATOM}summary", ""), _PARAGRAPH_BREAK) or None,
                  doi=bare_doi(entry.findtext(f"{ARXIV}doi", "")))
    journal = one_line(entry.findtext(f"{ARXIV}journal_ref", ""))
    if journal:
        draft.notes["venue"] = (f"arXiv gives the journal reference '{journal}': if it was published there, add "
                                f"venue: {flow_text(parse_venue_text(journal))} (check each value)")
    return draft


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
