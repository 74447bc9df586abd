"""Build the site (`python -m generator build`): check the records, then build with MkDocs.

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

import logging
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import GeneratorError, OutRefused, os_error_line
from generator.load import LoadResult, load
from generator.record.fields import VOCABULARY_FILES
from generator.speed import build_state, record_cache
from generator.speed.previous import Previous
from generator.write import (
    MARKER_TEXT,
    SITE_MARKER,
    link_tree,
    make_staging,
    out_refusal,
    swap_into_place,
    write_if_changed,
)

if TYPE_CHECKING:  # the pipeline and MkDocs are imported only by a build that gets that far
    from generator.pipeline import Written


def build(papers: Path, out_arg: Path, config: Path, site_url: str | None = None, *, exiting: bool = False) -> int:
    """Build ``papers`` into ``out_arg`` with ``config``, printing what happened; the exit status.

    ``exiting``: the process ends after this (the command line); from the swap on, Ctrl-C is then ignored
    for good: the site is complete, and "built" is printed last.
    """
    started = time.perf_counter()
    out = out_arg.resolve()
    state_file = build_state.state_path(config, out)
    old = build_state.read_state(state_file)
    _refuse_foreign_out(out_arg, out, old)  # before a byte is written anywhere
    records = build_state.record_stats(papers)  # before reading them: an edit during the build shows next time
    inputs = build_state.inputs_digest(config, papers, out, {"site_url": site_url})
    trusted = old is not None and old.inputs == inputs and out.is_dir() and old.site == build_state.site_identity(out)
    if trusted and old is not None and old.records == records:
        print(f"nothing changed since the last build: {out_arg}/ is up to date")
        return 0
    # Check results of unchanged records come from the parse cache (.cache/generator/): an edit re-reads one record.
    result = load(papers, cache=config.resolve().parent / record_cache.DEFAULT_DIR)
    if result.catalog is None:
        for problem in result.problems:
            print(problem.text())
        print(f"{len(result.errors)} error(s) in {papers}: the site was not built, and {out_arg}/ is unchanged")
        return 1
    staging = out.with_name(f".{out.name}.staging-{os.getpid()}")
    try:
        make_staging(staging)
        outputs = link_tree(out, staging) if out.is_dir() else set()
        previous = _previous(old if trusted else None, records, frozenset(outputs))
        written = build_site(config, papers, staging, site_url, (result, previous))
        if exiting:  # from here on the new site is published: Ctrl-C could only leave a false report
            _ignore_interrupts()
        swap_into_place(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    if written is not None:
        _save_state(state_file, build_state.BuildState(
            inputs, records, written.memory.contexts, written.memory.shell, build_state.site_identity(out), str(out)))
    seconds = time.perf_counter() - started
    rendered, files = (written.rendered, written.written) if written is not None else (0, 0)
    print(f"built {len(result.catalog)} papers into {out_arg}/ in {seconds:.1f} s "
          f"({_count(rendered, 'paper page')} rendered, {_count(files, 'file')} written)", flush=True)
    return 0


def _ignore_interrupts() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _save_state(path: Path, state: build_state.BuildState) -> None:
    """Remember what was built (the next build's shortcut); a disk that refuses it costs only that."""
    try:
        build_state.write_state(path, state)
    except OSError as exc:
        line = os_error_line(exc) or f"cannot write {exc.filename or path}: {exc.strerror}"
        print(f"warning: {line}; the next build renders every page again", file=sys.stderr)


def _refuse_foreign_out(out_arg: Path, out: Path, old: build_state.BuildState | None) -> None:
    """Raise OutRefused unless ``out`` is missing, empty or a site a build wrote.

    A site built before sites were marked is known by the build state kept for it (the same folder, unchanged
    since): it gets its marker now, and is then replaced like any other.
    """
    refusal = out_refusal(out)
    if refusal is None:
        return
    if old is not None and old.out == str(out) and out.is_dir() and old.site == build_state.site_identity(out):
        write_if_changed(out / SITE_MARKER, MARKER_TEXT)
        return
    raise OutRefused(f"--out {out_arg} {refusal} (nothing was written)", out_arg)


def _previous(old: build_state.BuildState | None, records: build_state.Stats, outputs: frozenset[str]) -> Previous:
    """What the staging folder (a linked copy of the site) holds, and which papers are as they were."""
    if old is None or any(old.records.get(name) != records.get(name) for name in VOCABULARY_FILES):
        return Previous(outputs, "", frozenset(), {})
    unchanged = frozenset(name[:-3] for name, stat in records.items()
                          if name.endswith(".md") and old.records.get(name) == stat)
    return Previous(outputs, old.shell, unchanged, old.contexts)


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
        handler.addFilter(_not_an_os_error)
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def _not_an_os_error(record: logging.LogRecord) -> bool:
    """MkDocs logs "Error building page 'x': [Errno 28] ..." before it re-raises; the command line says it once."""
    return "[Errno " not in record.getMessage()


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
