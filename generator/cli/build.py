"""`python -m generator build`: check the records, then build the site with MkDocs.

The site is built into a staging folder beside the target and swapped into place
only when everything succeeded: a broken record or a failed render leaves the
previous site exactly as it was.

Rebuilds are incremental. When nothing the site depends on changed since the last
build into the same folder (:mod:`.build_state`), nothing is done at all. Otherwise
the staging folder starts as a hard-linked copy of the current site, only the pages
of changed papers are rendered again, and only files whose bytes changed are
written (by renaming, so the linked files of the published site are never touched).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import GeneratorError
from generator.load import LoadResult, load
from generator.record.fields import VOCABULARY_FILES
from generator.speed import build_state, record_cache
from generator.speed.previous import Previous
from generator.write import link_tree, swap_into_place

if TYPE_CHECKING:  # the pipeline and MkDocs are imported only by a build that gets that far
    from generator.pipeline import Written


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("build", help="build the static site (records -> site/)",
                                 description="Check the records, build the site with MkDocs and the generator, "
                                             "and swap it into place only if everything succeeded.")
    parser.add_argument("--papers", type=Path, default=Path("papers"), help="the records folder (default: papers)")
    parser.add_argument("--out", type=Path, default=Path("site"), help="where the site goes (default: site)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the MkDocs config (default: mkdocs.yml)")
    parser.add_argument("--site-url", help="override site_url (e.g. for a preview build)")
    # Warnings (a tag used by too few papers, say) are printed by the MkDocs hook during the build.
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out = args.out.resolve()
    state_file = build_state.state_path(args.config, out)
    records = build_state.record_stats(args.papers)  # before reading them: an edit during the build shows next time
    inputs = build_state.inputs_digest(args.config, args.papers, out, {"site_url": args.site_url})
    old = build_state.read_state(state_file)
    trusted = old is not None and old.inputs == inputs and out.is_dir() and old.site == build_state.site_identity(out)
    if trusted and old is not None and old.records == records:
        print(f"nothing changed since the last build: {args.out}/ is up to date")
        return 0
    # Check results of unchanged records come from the parse cache (.cache/generator/): an edit re-reads one record.
    result = load(args.papers, cache=args.config.resolve().parent / record_cache.DEFAULT_DIR)
    if result.catalog is None:
        for problem in result.problems:
            print(problem.text())
        print(f"{len(result.errors)} error(s) in {args.papers}: the site was not built, and {args.out}/ is unchanged")
        return 1
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
    try:
        outputs = link_tree(out, staging) if out.is_dir() else set()
        previous = _previous(old if trusted else None, records, frozenset(outputs))
        written = build_site(args.config, args.papers, staging, args.site_url, (result, previous))
        swap_into_place(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    if written is not None:
        build_state.write_state(state_file, build_state.BuildState(
            inputs, records, written.memory.keys, written.memory.shell, build_state.site_identity(out), str(out)))
    seconds = time.perf_counter() - started
    rendered, files = (written.rendered, written.written) if written is not None else (0, 0)
    print(f"built {len(result.catalog)} papers into {args.out}/ in {seconds:.1f} s "
          f"({_count(rendered, 'paper page')} rendered, {_count(files, 'file')} written)")
    return 0


def _previous(old: build_state.BuildState | None, records: build_state.Stats, outputs: frozenset[str]) -> Previous:
    """What the staging folder (a linked copy of the site) holds, and which papers are as they were."""
    if old is None or any(old.records.get(name) != records.get(name) for name in VOCABULARY_FILES):
        return Previous(outputs, "", frozenset(), {})
    unchanged = frozenset(name[:-3] for name, stat in records.items()
                          if name.endswith(".md") and old.records.get(name) == stat)
    return Previous(outputs, old.shell, unchanged, old.keys)


def build_site(config_file: Path, papers: Path, site_dir: Path, site_url: str | None = None,
               checked: tuple[LoadResult, Previous] | None = None) -> Written | None:
    """Run MkDocs (and so the reading-list plugin) on ``papers``, writing into ``site_dir``.

    ``checked``: the records already loaded and checked, and what ``site_dir`` holds (the plugin
    need not read them again). Returns what the plugin wrote.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.plugin import ReadingListPlugin
    from generator.plugin.plugin import Handoff

    _quiet_mkdocs_logging()
    overrides: dict[str, str] = {"site_dir": str(site_dir)}
    if site_url:
        overrides["site_url"] = site_url
    config = load_config(config_file=str(config_file), **overrides)
    plugin = config.plugins.get("reading-list")
    if not isinstance(plugin, ReadingListPlugin):
        raise GeneratorError(f"{config_file}: the reading-list plugin is not listed under 'plugins:'", config_file)
    plugin.config.papers = str(papers.resolve())
    config.plugins.on_startup(command="build", dirty=False)
    if checked is not None:
        plugin.handoff = Handoff(papers.resolve(), *checked)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return plugin.last


def _quiet_mkdocs_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
