"""`python -m generator suggest`: candidate papers for the curators, from arXiv, as a Markdown report."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import urllib.parse
from pathlib import Path

from generator.cli.new import today
from generator.errors import Refused
from generator.problems import display_path
from generator.record.fields import WATCH_FILE
from generator.suggest.fetch import ARXIV_INTERVAL, TIMEOUT, Fetcher
from generator.suggest.run import MAX_DRAFTS, Apis, suggest, write_drafts
from generator.suggest.sources import HUGGINGFACE_API

ARXIV_SEARCH_API = "https://export.arxiv.org/api/query"
CACHE_DIR = Path(".cache/suggest")
_SITE_URL = re.compile(r"^site_url:\s*(https?://\S+?)/?\s*$", re.MULTILINE)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "suggest", help="find candidate papers on arXiv for the curators",
        description=f"Search arXiv for papers matching papers/{WATCH_FILE} since a date, drop those on the list, "
                    "rank the rest and print a Markdown report (or write it with --report).")
    parser.add_argument("--papers", type=Path, default=Path("papers"), metavar="DIR",
                        help="the records folder (default: papers)")
    parser.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                        help="papers submitted since this day (default: the newest 'added' on the list)")
    parser.add_argument("--arxiv-api", default=ARXIV_SEARCH_API, metavar="URL",
                        help=f"the arXiv API to ask (default {ARXIV_SEARCH_API}; a mirror, or a local server in tests)")
    parser.add_argument("--huggingface-api", default=HUGGINGFACE_API, metavar="URL",
                        help=f"Hugging Face's daily papers API, if watch.yml turns it on (default {HUGGINGFACE_API})")
    parser.add_argument("--interval", type=float, default=ARXIV_INTERVAL, metavar="SECONDS",
                        help=f"seconds between two requests (default {ARXIV_INTERVAL:g}, arXiv's published rate; "
                             "less is refused for arxiv.org)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, metavar="SECONDS",
                        help=f"give up on an answer after this long (default {TIMEOUT:g}); it is tried again")
    parser.add_argument("--report", type=Path, metavar="FILE", help="write the report here instead of printing it")
    parser.add_argument("--draft", type=int, default=0, metavar="N",
                        help=f"also write the best N (at most {MAX_DRAFTS}) as draft records in --papers")
    parser.add_argument("--site-url", help="where the list's pages are linked (default: site_url of mkdocs.yml)")
    parser.add_argument("--no-cache", action="store_true", help=f"do not keep or reuse answers in {CACHE_DIR}/")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    day = today()
    interval = args.interval
    for api in (args.arxiv_api, args.huggingface_api):
        host = (urllib.parse.urlsplit(api).hostname or "").lower()
        if (host == "arxiv.org" or host.endswith(".arxiv.org")) and interval < ARXIV_INTERVAL:
            raise Refused(f"--interval {interval:g} is faster than arXiv allows (one request every "
                          f"{ARXIV_INTERVAL:g} seconds)")
    fetcher = Fetcher(max(interval, 0.0), None if args.no_cache else CACHE_DIR, timeout=max(args.timeout, 0.1))
    found = suggest(args.papers, fetcher, Apis(args.arxiv_api, args.huggingface_api), day,
                    args.site_url or site_url(), args.since)
    if args.draft:
        found.drafts = write_drafts(args.papers, found.candidates, args.draft, day)
    text = found.markdown
    if args.report:
        try:
            args.report.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Refused(f"cannot write {display_path(args.report)}: {exc.strerror}") from None
    else:
        sys.stdout.write(text)
    for created in found.drafts:
        print(f"drafted {display_path(created.path)}: check its topics and tags, and add what emerges",
              file=sys.stderr)
    print(f"{len(found.candidates)} candidates ({found.run.on_list} on the list already) from "
          f"{fetcher.requests} request(s)" + (f"; report in {display_path(args.report)}" if args.report else ""),
          file=sys.stderr)
    return 0


def site_url(config: Path = Path("mkdocs.yml")) -> str:
    """site_url of mkdocs.yml, with one trailing slash (read as text: the file holds !ENV tags)."""
    try:
        match = _SITE_URL.search(config.read_text(encoding="utf-8"))
    except OSError:
        match = None
    return (match.group(1) if match else "https://example.org") + "/"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-11-24") from None
