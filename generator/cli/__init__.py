"""The command line: argparse wiring only; each command's work is in the library (python -m generator --help)."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from generator.cli import build as cli_build
from generator.cli import check as cli_check
from generator.cli import new as cli_new
from generator.cli import pr_summary as cli_pr_summary
from generator.cli import suggest as cli_suggest
from generator.cli import synth as cli_synth
from generator.errors import GeneratorError, os_error_line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator",
                                     description="Load, check and render the emergent-behaviors reading list.")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks for internal errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(commands)
    return parser


COMMANDS = [cli_check, cli_build, cli_new, cli_pr_summary, cli_suggest, cli_synth]


NOTHING_WRITTEN = "nothing was written"


def main(argv: Sequence[str] | None = None, *, exiting: bool = False) -> int:
    """Run one command; the exit status. ``exiting``: the process ends after this (``python -m generator``),
    so once the command has succeeded and said so, Ctrl-C is ignored: it can no longer contradict the claim."""
    args = argparse.Namespace(debug=False)
    try:
        args = build_parser().parse_args(argv)
        args.exiting = exiting
        status = int(args.run(args))
        if exiting:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        return status
    except KeyboardInterrupt:
        print(f"interrupted; {getattr(args, 'left', NOTHING_WRITTEN)}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except GeneratorError as exc:  # a failure the generator explains in one line
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # never a traceback for a contributor
        line = os_error_line(exc) if isinstance(exc, OSError) else None
        if args.debug:
            raise
        if line is not None:  # no space, read-only, permission: the person can fix it, it is no bug
            print(f"error: {line}; {getattr(args, 'left', NOTHING_WRITTEN)}", file=sys.stderr)
            return 1
        print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details, "
              "and please report it)", file=sys.stderr)
        return 2
