"""`python -m generator build`: the options; the build itself is :mod:`generator.build`."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.build import build


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("build", help="build the static site (records -> site/)",
                                 description="Check the records, build the site with MkDocs and the generator, "
                                             "and swap it into place only if everything succeeded.")
    parser.add_argument("--papers", type=Path, default=Path("papers"), help="the records folder (default: papers)")
    parser.add_argument("--out", type=Path, default=Path("site"), help="where the site goes (default: site)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the MkDocs config (default: mkdocs.yml)")
    parser.add_argument("--site-url", help="override site_url (e.g. for a preview build)")
    # Warnings (a tag used by too few papers, say) are printed by the plugin during the build.
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    args.left = f"the site was not built; {args.out}/ is unchanged"  # what an error or Ctrl-C leaves
    return build(args.papers, args.out, args.config, args.site_url, exiting=args.exiting)
