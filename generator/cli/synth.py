"""`python -m generator synth N --out DIR`: a synthetic reading list for benchmarks."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from generator.errors import SynthError
from generator.problems import display_path
from generator.synth import DEFAULT_SEED, DEFAULT_TODAY, write_corpus


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("expected zero or more records")
    return value


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("expected a date such as 2026-11-24") from exc


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "synth", help="write N synthetic records (benchmarks, scale tests)",
        description="Write N deterministic synthetic records that look like real ones, and a copy of the "
                    "vocabulary, into a folder that `python -m generator check --papers DIR` accepts. "
                    "The same N, seed and vocabulary give a byte-identical folder.")
    parser.add_argument("n", type=_count, metavar="N", help="how many records")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write (created)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})")
    parser.add_argument("--today", type=_day, default=DEFAULT_TODAY, metavar="YYYY-MM-DD",
                        help=f"latest 'added' and publication day (default: {DEFAULT_TODAY}, fixed for determinism)")
    parser.add_argument("--vocab", type=Path, default=Path("papers"), metavar="DIR",
                        help="where topics.yml and tags.yml are copied from (default: papers)")
    parser.add_argument("--force", action="store_true",
                        help="replace the records of a folder that synth did not make")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = write_corpus(args.out, args.n, args.seed, args.today, args.vocab, args.force)
    except SynthError as exc:
        print(f"synth: {exc}")
        return 1
    print(f"wrote {result.records} synthetic records (seed {args.seed}) into {display_path(result.out)}/ "
          f"in {result.seconds:.1f} s")
    return 0
