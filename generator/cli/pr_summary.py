"""`python -m generator pr-summary`: the options; the summary itself is :mod:`generator.pr_summary`.

Exit status: 0 whenever the summary was written, even when records have errors
(the check step fails the run for those); 2 when the refs cannot be compared.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.errors import SummaryError
from generator.pr_summary import Links, check_url, summary_markdown


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "pr-summary", help="Markdown summary of the papers a branch adds, changes and removes",
        description="Compare two git refs and print, as GitHub-flavoured Markdown for $GITHUB_STEP_SUMMARY, "
                    "the papers added, changed and removed (title, topics, tags, preview page), vocabulary "
                    "changes and the check result of the changed records. Exits 0 even when records have "
                    "errors; 2 when the refs cannot be compared.")
    parser.add_argument("--base", required=True, help="the ref the pull request merges into, e.g. origin/main")
    parser.add_argument("--head", default="HEAD", help="the pull request's ref (default: HEAD; when it is the checked-out commit, "
                             "the records are read from the working tree)")
    parser.add_argument("--papers", type=Path, default=Path("papers"), help="the records folder (default: papers)")
    parser.add_argument("--preview-url-prefix", metavar="URL",
                        help="link each preview page to URL + papers/<id>/index.html (a hosted preview)")
    parser.add_argument("--artifact-url", metavar="URL", help="where to download the site preview artifact")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        links = Links(check_url(args.preview_url_prefix, "--preview-url-prefix"),
                      check_url(args.artifact_url, "--artifact-url"))
        if links.preview_prefix and not links.preview_prefix.endswith("/"):
            links = Links(links.preview_prefix + "/", links.artifact_url)
        text = summary_markdown(args.papers, args.base, args.head, links)
    except SummaryError as exc:
        print(f"pr-summary: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(text + "\n")
    return 0
