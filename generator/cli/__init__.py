"""The command line: argparse wiring only; each command's work is in the library (python -m generator --help)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from generator.cli import build as cli_build
from generator.cli import check as cli_check
from generator.cli import new as cli_new
from generator.cli import pr_summary as cli_pr_summary
from generator.cli import suggest as cli_suggest
from generator.cli import synth as cli_synth
from generator.errors import GeneratorError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator",
                                     description="Load, check and render the emergent-behaviors reading list.")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks for internal errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(commands)
    return parser


COMMANDS = [cli_check, cli_build, cli_new, cli_pr_summary, cli_suggest, cli_synth]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except GeneratorError as exc:  # a failure the generator explains in one line
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # never a traceback for a contributor
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details, "
              "and please report it)", file=sys.stderr)
        return 2
