"""The candidates as Markdown for a GitHub issue: every text from the API or a record is escaped.

Titles, authors and abstracts come from strangers (arXiv's submitters; the list's contributors),
so each goes through :func:`generator.pr_summary.md` (entities for ``& < >``, a backslash before
other ASCII punctuation, no line breaks): nothing in them becomes a link, a mention, markup or
HTML. Links are built only from checked arXiv ids and record ids. The body stays under GitHub's
limit for an issue (65,536 characters): candidates that do not fit are counted, not shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from generator.pr_summary import code, md
from generator.suggest.rank import Candidate

MAX_BODY = 60_000  # characters; GitHub refuses an issue body over 65,536
SHOWN_AUTHORS = 6


@dataclass(frozen=True)
class Run:
    """What one run looked at, for the report's first lines."""

    since: dt.date
    until: dt.date
    answered: int  # papers the APIs answered with
    on_list: int  # of those, already on the list (dropped)
    site_url: str


def report(run: Run, candidates: Sequence[Candidate]) -> str:
    head = [f"# Candidate papers, {run.since} to {run.until}", "",
            f"{run.answered} papers matched `papers/watch.yml`; {run.on_list} of them are on the list already "
            f"(not shown); {len(candidates)} candidates, best first.", "",
            "A curator adds one with `make new ARGS='--arxiv ID --fetch'`, then checks its topics and tags and "
            "writes what emerges. Tune what is watched in `papers/watch.yml`.", ""]
    body = "\n".join(head)
    for number, candidate in enumerate(candidates, 1):
        entry = "\n".join(_entry(number, candidate, run.site_url)) + "\n"
        if len(body) + len(entry) > MAX_BODY:
            body += f"\n*{len(candidates) - number + 1} more candidates are not shown (the issue would be too long).*\n"
            break
        body += "\n" + entry
    if not candidates:
        body += "\nNo new candidates this time.\n"
    return body


def _entry(number: int, candidate: Candidate, site_url: str) -> list[str]:
    draft, arxiv_id = candidate.found.draft, candidate.found.arxiv_id
    authors = list(draft.authors or ())
    shown = ", ".join(authors[:SHOWN_AUTHORS]) + (" et al." if len(authors) > SHOWN_AUTHORS else "")
    date = draft.date.isoformat() if draft.date else "date unknown"
    lines = [f"### {number}. [{md(draft.title or arxiv_id, 300)}](https://arxiv.org/abs/{arxiv_id})", "",
             f"{md(shown, 400) or 'authors unknown'} · {date} · arXiv {code(arxiv_id)} · score {candidate.score:.3f}", ""]
    fits = []
    if candidate.topic:
        fits.append(f"topic {code(candidate.topic)}")
    if candidate.tags:
        fits.append("tags " + ", ".join(code(tag) for tag in candidate.tags))
    lines.append(f"- fits: {'; '.join(fits) or 'nothing on the list yet'}")
    if candidate.matched:
        lines.append(f"- matches the watched phrases of {', '.join(code(group) for group in candidate.matched)}")
    if candidate.closest:
        near = ", ".join(f"[{md(paper.title, 120)}]({site_url}papers/{paper.id}/) ({score:.2f})"
                         for paper, score in candidate.closest)
        lines.append(f"- closest on the list: {near}")
    else:
        lines.append("- closest on the list: none shares its words")
    lines.append(f"- add it: `make new ARGS='--arxiv {arxiv_id} --fetch'`")
    return lines
