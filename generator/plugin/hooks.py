"""The generator inside MkDocs: `mkdocs build` and `mkdocs serve` run the pipeline.

load -> check -> model (on_config) -> render (on_files, on_page_*) -> write (on_post_build).
State lives in this module, not in the hook file MkDocs re-imports on every serve
rebuild, so the last good catalog survives a broken record while serving, and a
rebuild renders only the paper pages whose record changed (:mod:`.incremental`).
Every file goes through one :class:`SiteWriter`, MkDocs' own too (:mod:`.mkdocs_io`):
only changed bytes are written, and what the build no longer makes is removed.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.browse.index import Words
from generator.exports import Pieces
from generator.exports.bibtex import citation_keys
from generator.load import LoadResult, load
from generator.model import Catalog, Paper
from generator.pipeline import bibtex_entries, contributing_fragments, export_parts, sitemap
from generator.plugin import mkdocs_io
from generator.render.pages import (
    LATE_SLOT,
    GeneratedPage,
    SiteInfo,
    environment,
    feeds_head,
    generated_pages,
    home_fragments,
    paper_page,
)
from generator.speed.helper_process import can_fork, share_work
from generator.speed.reuse import Memory, Previous, remember, shell_digest
from generator.speed.shell import SHELL_ID, SHELL_SRC, Shell, shell_markdown
from generator.write import SiteWriter

log = logging.getLogger("mkdocs.generator")
MARKER = re.compile(r"<!--\s*reading-list:([a-z-]+)\s*-->")
TOPICS_INDEX = "topics/index.md"


@dataclass
class State:
    command: str = "build"
    catalog: Catalog | None = None
    pages: dict[str, GeneratedPage] = field(default_factory=dict)
    shell_html: str | None = None
    site: SiteInfo | None = None
    files: Files | None = None
    papers_dir: Path = Path("papers")
    written: int = 0
    rendered: int = 0  # paper pages rendered by the last build (the others were kept as they were)
    reported: tuple[str, ...] = ()  # problems already printed (serve prints each change once)
    preloaded: tuple[Path, LoadResult] | None = None  # set by `generator build`, which checked already
    previous: Previous | None = None  # set by `generator build`: what the folder it builds into holds
    writer: SiteWriter | None = None
    memory: Memory | None = None  # the last build in this process (serve)
    pieces: Pieces | None = None  # export pieces kept between rebuilds (serve)
    listings: dict[str, tuple[object, GeneratedPage]] = field(default_factory=dict)  # (serve)
    words: Words | None = None  # each paper's words for the browse index (serve)
    keys: tuple[Catalog, dict[str, str]] | None = None  # the citation keys of a catalog
    bases: dict[str, tuple[Paper, str]] | None = None  # base citation keys kept between rebuilds (serve)
    background: threading.Thread | None = None  # a serve rebuild's exports, written after it returned
    fragments: tuple[Catalog | None, dict[str, dict[str, str]]] = (None, {})  # a catalog's, by depth


STATE = State()


def papers_dir(config: MkDocsConfig) -> Path:
    """The records folder: $PAPERS, else papers/ beside mkdocs.yml."""
    base = Path(config.config_file_path or ".").parent
    return (base / os.environ.get("PAPERS", "papers")).resolve()


def site_info(config: MkDocsConfig) -> SiteInfo:
    site_url = config.site_url or "http://127.0.0.1:8000/"
    repo_url = (config.repo_url or "").rstrip("/")
    match = re.match(r"(?:edit|blob)/([^/]+)/", config.edit_uri or "")
    return SiteInfo(site_name=config.site_name, site_url=site_url if site_url.endswith("/") else site_url + "/",
                    repo_url=repo_url, branch=match.group(1) if match else "main",
                    records_dir=os.environ.get("PAPERS_REPO_PATH", "papers"))


def on_startup(command: str, dirty: bool) -> None:
    STATE.command = command
    STATE.pieces = Pieces() if command == "serve" else None
    STATE.words = {} if command == "serve" else None
    STATE.bases = {} if command == "serve" else None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    wait_for_background()
    STATE.papers_dir = papers_dir(config)
    STATE.site = site_info(config)
    if STATE.command == "serve":  # the live-reload script `mkdocs serve` injects is inline: no policy there
        config.extra["csp"] = None
    if str(STATE.papers_dir) not in {str(Path(w).resolve()) for w in config.watch}:
        config.watch.append(str(STATE.papers_dir))  # `make serve PAPERS=dir` reloads on edits there too
    result = take_preloaded(STATE.papers_dir) or load(STATE.papers_dir)
    report = tuple(p.text() for p in result.problems)
    if report != STATE.reported or result.errors:
        for problem in result.problems:
            (log.error if problem.is_error else log.warning)(problem.text())
        STATE.reported = report
    if result.catalog is None:
        if STATE.command == "serve" and STATE.catalog is not None:
            log.error("the records have errors: still serving the last good version of the list")
        else:
            raise Abort(f"{len(result.errors)} error(s) in the records: nothing was built "
                        "(fix them, then build again; `make check` lists them)")
    else:
        STATE.catalog = result.catalog
    assert STATE.catalog is not None
    environment.cache_clear()  # templates are read once per build: an edit to one shows on the next
    STATE.pages = generated_pages(STATE.catalog, STATE.listings if STATE.command == "serve" else None)
    config.nav = expand_nav(config.nav, STATE.catalog)
    config.theme.static_templates.discard("sitemap.xml")  # the hook writes the full one (with paper pages)...
    return config


def take_preloaded(papers: Path) -> LoadResult | None:
    """The records `generator build` loaded just before starting MkDocs (used once)."""
    preloaded, STATE.preloaded = STATE.preloaded, None
    return preloaded[1] if preloaded and preloaded[0] == papers else None


def expand_nav(nav: Any, catalog: Catalog) -> Any:
    """Put every topic under the nav entry that points at topics/index.md."""
    if not isinstance(nav, list):
        return nav
    topics = [{str(escape(t.title)): f"topics/{t.id}.md"} for t in catalog.topics.values()]
    expanded = []
    for item in nav:
        if isinstance(item, dict) and list(item.values()) == [TOPICS_INDEX]:
            title = next(iter(item))
            expanded.append({title: [TOPICS_INDEX, *topics]})
        else:
            expanded.append(item)
    return expanded


def keys_of(catalog: Catalog) -> dict[str, str]:
    """The catalog's citation keys, computed once per build."""
    if STATE.keys is None or STATE.keys[0] is not catalog:
        STATE.keys = (catalog, citation_keys(catalog, STATE.bases))
    return STATE.keys[1]


def on_pre_build(config: MkDocsConfig) -> None:
    """Route every write of this build, MkDocs' own included, through one writer."""
    root = Path(config.site_dir)
    previous = STATE.previous
    outputs = previous.outputs if previous is not None else None
    if previous is None and STATE.memory is not None and STATE.memory.root == str(root):
        outputs = STATE.memory.outputs
    STATE.writer = SiteWriter(root, set(outputs) if outputs is not None else None)
    STATE.writer.ignore(f"papers/{SHELL_ID}/index.html")  # the shell is kept in memory, never published
    mkdocs_io.install(STATE.writer)


def on_build_error(error: Exception) -> None:
    mkdocs_io.uninstall()
    writer, memory = STATE.writer, STATE.memory
    if writer is not None and memory is not None:  # a failed rebuild may have written files: forget none
        memory.outputs = memory.outputs | frozenset(writer.written)
    STATE.writer = None


def on_shutdown() -> None:
    mkdocs_io.uninstall()
    wait_for_background()


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """While serving, keep the theme's compiled templates between rebuilds (MkDocs makes a new
    environment each time, and compiling Material's templates took a fifth of a rebuild)."""
    if STATE.command == "serve":
        env.bytecode_cache = _COMPILED
    return env


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory, by name and source checksum (an edited template compiles again)."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.kept.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def wait_for_background() -> None:
    """Wait until the exports of the last serve rebuild are written (a rebuild starts from them)."""
    job, STATE.background = STATE.background, None
    if job is not None:
        job.join()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    theme_sitemap = files.get_file_from_path("sitemap.xml")
    if theme_sitemap is not None:  # ...and no longer a template, it would be copied as it is
        files.remove(theme_sitemap)
    for page in STATE.pages.values():
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    files.append(File.generated(config, SHELL_SRC, content=shell_markdown()))
    STATE.files = files
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill the generated parts of hand-written pages (<!-- reading-list:NAME -->)."""
    if STATE.catalog is None or "reading-list:" not in markdown:
        return markdown
    depth = page.file.dest_uri.count("/")
    root = "../" * depth
    fragments = page_fragments(STATE.catalog, root)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            log.warning(f"{page.file.src_uri}: unknown marker 'reading-list:{name}' (known: {', '.join(sorted(fragments))})")
            return match.group(0)
        return fragments[name]

    return MARKER.sub(replace, markdown)


def page_fragments(catalog: Catalog, root: str) -> dict[str, str]:
    """The generated parts of hand-written pages at depth ``root``, made once per build and depth."""
    if STATE.fragments[0] is not catalog:
        STATE.fragments = (catalog, {})
    made = STATE.fragments[1]
    if root not in made:
        made[root] = {**home_fragments(catalog, root), **contributing_fragments(catalog, root)}
    return made[root]


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    src = page.file.src_uri
    generated = STATE.pages.get(src)
    if generated is not None:
        page.edit_url = generated.edit_url  # usually none: the page is made from the records
        page.meta["rl_head"] = generated.head
    elif src == SHELL_SRC:
        page.meta["rl_head"] = "@@RL-HEAD@@"
        site = STATE.site
        page.edit_url = f"{site.repo_url}/edit/{site.branch}/{site.records_dir}/__shell__.md" if site and site.repo_url else None
    elif src == "index.md":
        page.meta["rl_head"] = feeds_head([{"title": "All papers", "href": "feeds/all.atom.xml"}], "")
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if page.file.src_uri == SHELL_SRC:
        STATE.shell_html = output
    generated = STATE.pages.get(page.file.src_uri)
    if generated is not None and generated.late:
        if output.count(LATE_SLOT) != 1:
            raise Abort(f"{page.file.src_uri}: the theme's page lost the slot of the generated listing")
        output = output.replace(LATE_SLOT, generated.late)
    return output


def on_post_build(config: MkDocsConfig) -> None:
    """Write what MkDocs does not: paper pages, exports, feeds and the full sitemap."""
    catalog, site, writer = STATE.catalog, STATE.site, STATE.writer
    if catalog is None or site is None or STATE.shell_html is None or writer is None:
        mkdocs_io.uninstall()
        raise Abort("the paper-page shell was not rendered; is the hook declared in mkdocs.yml?")
    try:
        shell = Shell(STATE.shell_html)
        digest = shell_digest(STATE.shell_html)
        keys = keys_of(catalog)
        cache = dict(STATE.memory.entries) if STATE.memory is not None else {}
        entries = bibtex_entries(catalog, keys, cache)
        previous = STATE.previous
        if previous is None and STATE.memory is not None:
            previous = STATE.memory.previous(str(writer.root), catalog)
        todo = [paper for paper in catalog.papers if not _kept(writer, paper, keys, digest, previous)]
        if todo:
            paper_page(todo[0], catalog, site, entries[todo[0].id])  # templates split once, before any fork

        def pages(chunk: range) -> int:
            """Write the pages of ``todo[chunk]``, one at a time (100k pages never sit in memory together)."""
            return sum(writer.write(f"papers/{todo[i].id}/index.html",
                                    shell.fill(paper_page(todo[i], catalog, site, entries[todo[i].id])))
                       for i in chunk)

        def exports(target: SiteWriter) -> int:
            count = 0
            for part in export_parts(catalog, site, entries, keys, STATE.pieces, STATE.words):  # written, dropped
                count += len(part)
                target.write_many(part)
            return count

        later = STATE.command == "serve" and STATE.memory is not None and writer.previous is not None

        def others() -> int:
            count = 0 if later else exports(writer)
            pages = STATE.files.documentation_pages() if STATE.files else []
            xml = sitemap(site, [f.url for f in pages if f.src_uri != SHELL_SRC], catalog)
            files = {shell.icons.path: shell.icons.data, "sitemap.xml": xml,
                     "sitemap.xml.gz": gzip.compress(xml, mtime=0)}
            writer.write_many(files)
            return count + len(files)

        if STATE.command == "build" and len(todo) >= PARALLEL_PAGES and can_fork():
            other_files, helped = share_work(len(todo), pages, others)
            writer.produced.update(f"papers/{paper.id}/index.html" for paper in todo)
        else:
            pages(range(len(todo)))
            other_files, helped = others(), 0
        deferred = frozenset(p for p in writer.previous or () if p.startswith(DEFERRED)) if later else frozenset()
        writer.produced.update(deferred)  # the last exports stay until the job below replaces them
        removed = writer.remove_stale()
    finally:
        mkdocs_io.uninstall()
    STATE.memory = remember(str(writer.root), catalog, keys, digest, frozenset(writer.produced), cache)
    if later:
        STATE.background = _start(exports, SiteWriter(writer.root, set(deferred)), STATE.memory)
    STATE.previous = None
    STATE.rendered = len(todo)
    STATE.written = len(writer.written) + helped
    log.info(f"generator: {len(catalog)} paper pages ({STATE.rendered} rendered) and {other_files} other files; "
             f"{STATE.written} written, {len(removed)} removed")


PARALLEL_PAGES = 2_000  # fewer pages than this are rendered here alone: a second process would not pay
DEFERRED = ("export/", "feeds/", "browse/data/")  # what a serve rebuild writes after it returned


def _start(exports: Callable[[SiteWriter], int], writer: SiteWriter, memory: Memory) -> threading.Thread:
    """Write a serve rebuild's exports, feeds and browse index in a thread: the server holds every
    request while it rebuilds, and these are a third of a rebuild but no page the edit shows."""

    def job() -> None:
        try:
            exports(writer)
            writer.remove_stale()
        except Exception:
            log.exception("generator: writing the exports, feeds and browse index failed")
        memory.outputs = (memory.outputs - (writer.previous or set())) | frozenset(writer.produced) \
            | frozenset(writer.written)

    thread = threading.Thread(target=job, name="generator-exports", daemon=True)
    thread.start()
    return thread


def _kept(writer: SiteWriter, paper: Paper, keys: dict[str, str], digest: str, previous: Previous | None) -> bool:
    """Whether the paper's page in the folder is the one this build would write (then it is kept)."""
    return previous is not None and previous.keeps(paper, keys[paper.id], digest) \
        and writer.keep(f"papers/{paper.id}/index.html")
