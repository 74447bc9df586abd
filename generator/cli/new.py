"""`python -m generator new`: scaffold papers/<id>.md for a paper joining the list.

The fields come from plain options, from a BibTeX entry (``--from-bibtex``) or
from the arXiv API (``--arxiv ID --fetch``); options given explicitly win over
imported values. The record is written by the canonical writer with ``added``
set to today and empty topics and tags, which the contributor fills in from the
vocabulary printed. A paper already on the list is refused, naming its record;
an existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

from generator import new_record
from generator.check.vocabulary import load_vocabulary
from generator.errors import Refused
from generator.importers import Draft, ImportFailed
from generator.importers.arxiv import API_URL, API_URL_ENV
from generator.importers.draft import ARXIV_ID_HELP, DOI_HELP, bare_arxiv_id, bare_doi, paragraphs
from generator.model import Term
from generator.new_record import Created
from generator.problems import display_path
from generator.record.fields import MAX_EMERGES, MIN_TAGS_PER_PAPER
from generator.record.venues import flow_text, parse_venue_text
from generator.text import one_line
from generator.urls import Refusal, web_url

TODAY_ENV = "GENERATOR_TODAY"  # YYYY-MM-DD: fixes `added` (tests; a back-dated import)
DEFAULT_PAPERS = Path("papers")
EXAMPLES = """examples:
  python -m generator new --arxiv 2504.11536 --fetch --venue "ICLR 2026"
  python -m generator new --from-bibtex scholar.bib --code https://github.com/owner/repo
  python -m generator new --title "ReTool: ..." --authors "Jiazhan Feng; Shijue Huang" --year 2025 --abstract -"""



def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "new", help="scaffold papers/<id>.md for a new paper",
        description="Create the record of a new paper with every known field in canonical order, "
                    "then print the topics and tags to choose from.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=Path, default=DEFAULT_PAPERS, metavar="DIR",
                        help="the records folder (default: papers)")
    source = parser.add_argument_group("import (the options below override imported values)")
    source.add_argument("--from-bibtex", type=Path, metavar="FILE",
                        help="a .bib file with the paper's entry, as Google Scholar, arXiv or Semantic Scholar export it")
    source.add_argument("--fetch", action="store_true",
                        help=f"read title, authors, abstract, date and DOI of --arxiv ID from the arXiv API "
                             f"(${API_URL_ENV}, default {API_URL})")
    fields = parser.add_argument_group("fields")
    fields.add_argument("--title", help="the paper's title, as published")
    fields.add_argument("--authors", action="append", metavar='"A; B"',
                        help="every author as 'First Last', separated by ';' (or repeat the option)")
    fields.add_argument("--year", help="year of the first public version")
    fields.add_argument("--date", help="day of the first public version, YYYY-MM-DD")
    fields.add_argument("--arxiv", metavar="ID", help="arXiv id such as 2504.11536 (a version suffix is dropped)")
    fields.add_argument("--doi", help="DOI such as 10.1145/3586183.3606763")
    fields.add_argument("--venue", help="where it was published, e.g. 'ICLR 2026' or 'Nature Human Behaviour, vol. 9, no. 7, 2025' "
                        "(written as a venue: mapping of kind, name, year, volume, issue)")
    fields.add_argument("--code", metavar="URL", help="link to the code")
    fields.add_argument("--project", metavar="URL", help="link to the project page")
    fields.add_argument("--abstract", metavar="TEXT", help="the abstract ('-' reads it from standard input)")
    fields.add_argument("--emerges", metavar="TEXT",
                        help=f"one sentence (at most {MAX_EMERGES} characters): what emerges, in what kind of system, "
                             "from what, as the paper supports it")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        created = create(args, today())
    except (ImportFailed, Refused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.left = f"{display_path(created.path)} was created"  # what Ctrl-C while printing the next steps leaves
    print(f"created {display_path(created.path)}")
    for note in created.notes:
        print(f"note: {note}")
    print_next_steps(args.papers, created.has_abstract)
    return 0


def today() -> dt.date:
    """Today, or the date in $GENERATOR_TODAY."""
    value = os.environ.get(TODAY_ENV)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Refused(f"{TODAY_ENV}={value!r} is not a date such as 2026-11-24") from None


def create(args: argparse.Namespace, today: dt.date) -> Created:
    """The record the options describe, written into ``--papers``; raises Refused or ImportFailed."""
    if args.fetch and args.from_bibtex:
        raise Refused("use --from-bibtex or --fetch, not both")
    return new_record.create(args.papers, options_draft(args), today, args.from_bibtex, args.fetch)


def print_next_steps(papers: Path, has_abstract: bool) -> None:
    vocab, _ = load_vocabulary(papers)
    check = "make check" if papers == DEFAULT_PAPERS else f"make check PAPERS={papers}"
    todo = ("fill in topics and tags" if has_abstract else
            "paste the abstract below the closing '---', fill in topics and tags")
    todo += ", and say in one sentence what emerges (emerges:, see docs/contributing.md)"
    print(f"\nNext: {todo}, then run {check}.")
    for kind, terms, least in (("topics", vocab.topics, 1), ("tags", vocab.tags, MIN_TAGS_PER_PAPER)):
        source = vocab.paths.get(kind[:-1], f"{kind}.yml")
        print(f"\n{kind.capitalize()} (pick {least} or more, from {source}):")
        print(_columns(list(terms.values())) if terms else f"  (none could be read from {source})")


def _columns(terms: list[Term]) -> str:
    width = max(len(term.id) for term in terms)
    return "\n".join(f"  {term.id:<{width}}  {term.title}" for term in sorted(terms, key=lambda t: t.id))


# --- the options, checked and cleaned ------------------------------------------------------

def options_draft(args: argparse.Namespace) -> Draft:
    """The fields given as options; Refused names the first option that is wrong."""
    draft = Draft()
    if args.title is not None:
        draft.title = _nonempty("--title", one_line(args.title))
    if args.authors:
        draft.authors = _authors(args.authors)
    if args.year is not None:
        if not re.fullmatch(r"\d{4}", args.year.strip()):
            raise Refused(f"--year {args.year!r} is not a year such as 2025")
        draft.year = int(args.year)
    if args.date is not None:
        draft.date = _date(args.date)
    if args.arxiv is not None:
        draft.arxiv = bare_arxiv_id(args.arxiv)
        if draft.arxiv is None:
            raise Refused(f"--arxiv {args.arxiv!r} is not an arXiv id ({ARXIV_ID_HELP})")
    if args.doi is not None:
        draft.doi = bare_doi(args.doi)
        if draft.doi is None:
            raise Refused(f"--doi {args.doi!r} is not a DOI ({DOI_HELP})")
    if args.venue is not None:
        venue = parse_venue_text(_nonempty("--venue", one_line(args.venue)))
        draft.venue = venue
        draft.notes["venue"] = (f"--venue was read as venue: {flow_text(venue)}; check its kind "
                                "(conference, workshop, journal, preprint) and add volume, issue, pages if known")
    for label in ("code", "project"):
        url = getattr(args, label)
        if url is not None:
            parsed = web_url(url.strip())
            if isinstance(parsed, Refusal):
                raise Refused(f"--{label} {url!r} {parsed.reason} ({parsed.fix})")
            draft.links[label] = url.strip()  # as typed: check and the pages use the canonical form
    if args.abstract is not None:
        text = sys.stdin.read() if args.abstract == "-" else args.abstract
        draft.abstract = _nonempty("--abstract", paragraphs(text))
    if args.emerges is not None:
        draft.emerges = _nonempty("--emerges", one_line(args.emerges))
        if len(draft.emerges) > MAX_EMERGES:
            raise Refused(f"--emerges is {len(draft.emerges)} characters long (at most {MAX_EMERGES}): one sentence")
    return draft


def _nonempty(option: str, value: str) -> str:
    if not value:
        raise Refused(f"{option} is empty")
    return value


def _authors(values: list[str]) -> tuple[str, ...]:
    names = [name for value in values for part in value.split(";") if (name := one_line(part))]
    if not names:
        raise Refused('--authors is empty: give every author, e.g. --authors "Ada Lovelace; Alan Turing"')
    for name in names:
        if "," in name:
            raise Refused(f"--authors: {name!r} holds a comma: separate authors with ';' and write each name "
                          "as 'First Last', e.g. --authors \"Ada Lovelace; Alan Turing\"")
    return tuple(names)


def _date(value: str) -> dt.date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise Refused(f"--date {value!r} is not a date such as 2025-04-15")
