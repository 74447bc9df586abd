"""`python -m generator check`: validate records and report every problem."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator.load import load
from generator.speed.record_cache import DEFAULT_DIR
from generator.suggest.watch import check_watch


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("check", help="validate records (all, or the given files)",
                                 description="Check records against the record format and the vocabulary. "
                                             "Prints every problem as 'file:line: field: message (fix)'; exits 1 on any error.")
    parser.add_argument("paths", nargs="*", type=Path, help="record files to check (default: every record)")
    parser.add_argument("--papers", type=Path, default=Path("papers"), help="the records folder (default: papers)")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="'github' prints GitHub Actions annotations")
    parser.add_argument("--no-cache", action="store_true",
                        help=f"check every record anew: neither read nor write the results kept in {DEFAULT_DIR}/ "
                             "(a check of given files never uses them: it scans the other records)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    result = load(args.papers, only=args.paths or None, cache=None if args.no_cache else DEFAULT_DIR)
    watch = [] if args.paths else check_watch(args.papers)  # the file `suggest` reads, when there is one
    for problem in [*result.problems, *sorted(watch)]:
        print(problem.github() if args.format == "github" else problem.text())
    seconds = time.perf_counter() - started
    errors, warnings = len(result.errors) + len(watch), len(result.warnings)
    papers = len(result.catalog) if result.catalog else result.checked
    summary = (f"checked {result.checked} record(s) of {args.papers}: {errors} error(s), {warnings} warning(s)"
               f" in {seconds:.2f} s" + (f"; {papers} papers" if result.catalog else ""))
    print(summary, file=sys.stderr if args.format == "github" else sys.stdout)
    return 1 if errors else 0
