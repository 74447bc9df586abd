"""The MkDocs plugin (``plugins: [reading-list]`` in mkdocs.yml): `mkdocs build` and `mkdocs serve` run the pipeline.

load -> check -> model (on_config) -> listings into MkDocs (on_files, on_page_*) -> the rest
written by :func:`generator.pipeline.write_site` (on_post_build). State lives on the plugin
instance, which MkDocs keeps for the whole of `mkdocs serve` (it has ``on_startup``): the
last good catalog survives a broken record, and :class:`~generator.speed.reuse.Reuse`
carries what a rebuild may take from the one before. Every file goes through one
:class:`~generator.write.SiteWriter`, MkDocs' own too (:mod:`.mkdocs_io`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.errors import GeneratorError
from generator.load import LoadResult, load
from generator.made import FRESH
from generator.minify import minifiable, minified
from generator.model import Catalog
from generator.pipeline import SHELL_PAGE, Neighbours, Plan, Written, listing_pages, neighbours, write_site
from generator.plugin import mkdocs_io
from generator.render.pages import LATE_SLOT, GeneratedPage, SiteInfo, edit_url, feeds_head, relative_root
from generator.render.site import page_fragments
from generator.speed.helper_process import Aside, can_fork, share_work
from generator.speed.previous import Previous
from generator.speed.reuse import Reuse
from generator.speed.shell import SHELL_ID, SHELL_SRC, shell_markdown
from generator.write import SiteWriter

log = logging.getLogger("mkdocs.generator")
MARKER = re.compile(r"<!--\s*reading-list:([a-z-]+)\s*-->")
TOPICS_INDEX = "topics/index.md"
PARALLEL_PAGES = 2_000  # fewer paper pages than this are rendered by this process alone: a helper would not pay


class ReadingListConfig(base.Config):  # type: ignore[no-untyped-call]
    papers = c.Type(str, default="papers")  # the records folder, relative to mkdocs.yml
    repo_path = c.Type(str, default="papers")  # the same folder inside the repository (edit links)


@dataclass
class Handoff:
    """What `generator build` passes to the build it starts: the records it loaded and checked,
    and what the folder it builds into holds."""

    papers: Path
    loaded: LoadResult
    previous: Previous


class ReadingListPlugin(BasePlugin[ReadingListConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.command = "build"
        self.handoff: Handoff | None = None
        self.previous: Previous | None = None  # from the handoff, for this build only
        self.reuse: Reuse | None = None  # serve only
        self.catalog: Catalog | None = None
        self.site: SiteInfo | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.files: Files | None = None
        self.writer: SiteWriter | None = None
        self.shell_html: str | None = None
        self.fragments: dict[str, dict[str, str]] = {}  # by depth, for this build's catalog
        self.reported: tuple[str, ...] = ()  # problems already printed (serve prints each change once)
        self.last: Written | None = None  # what the last build wrote
        self.neighbours: Aside[Neighbours] | None = None  # related papers and page contexts, computed aside

    # --- configuration and loading ----------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.reuse = Reuse() if command == "serve" else None

    def on_shutdown(self) -> None:
        mkdocs_io.uninstall()
        if self.reuse is not None:
            self.reuse.wait()

    def papers_dir(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path or ".").parent / self.config.papers).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.reuse is not None:
            self.reuse.begin_build()
        papers = self.papers_dir(config)
        self.site = site_info(config, self.config.repo_path)
        if self.command == "serve":  # the live-reload script `mkdocs serve` injects is inline: no policy there
            config.extra["csp"] = None
        if str(papers) not in {str(Path(w).resolve()) for w in config.watch}:
            config.watch.append(str(papers))  # `make serve PAPERS=dir` reloads on edits there too
        handoff, self.handoff = self.handoff, None
        result = handoff.loaded if handoff is not None and handoff.papers == papers else load(papers)
        self._report(result)
        if result.catalog is None:
            if self.command == "serve" and self.catalog is not None:
                log.error("the records have errors: still serving the last good version of the list")
            else:
                raise Abort(f"{len(result.errors)} error(s) in the records: nothing was built "
                            "(fix them, then build again; `make check` lists them)")
        else:
            self.catalog = result.catalog
        assert self.catalog is not None
        self.previous = handoff.previous if handoff is not None else None
        self.fragments = {}
        if self.command == "build" and len(self.catalog) >= PARALLEL_PAGES and can_fork():
            self.neighbours = Aside(partial(neighbours, self.catalog))  # while MkDocs renders its pages
        self.pages = listing_pages(self.catalog, self.reuse or FRESH)
        config.nav = expand_nav(config.nav, self.catalog)
        config.theme.static_templates.discard("sitemap.xml")  # the pipeline writes the full one (with paper pages)...
        return config

    def _report(self, result: LoadResult) -> None:
        report = tuple(p.text() for p in result.problems)
        if report != self.reported or result.errors:
            for problem in result.problems:
                (log.error if problem.is_error else log.warning)(problem.text())
            self.reported = report

    # --- MkDocs' own pages ------------------------------------------------------------------

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Route every write of this build, MkDocs' own included, through one writer."""
        root = Path(config.site_dir)
        memory = self.reuse.memory if self.reuse is not None else None
        outputs = self.previous.outputs if self.previous is not None else None
        if self.previous is None and memory is not None and memory.root == str(root):
            outputs = memory.outputs
        self.writer = SiteWriter(root, set(outputs) if outputs is not None else None)
        self.writer.ignore(SHELL_PAGE)
        mkdocs_io.install(self.writer)

    def on_build_error(self, *, error: Exception) -> None:
        mkdocs_io.uninstall()
        if self.neighbours is not None:
            self.neighbours.cancel()
            self.neighbours = None
        memory = self.reuse.memory if self.reuse is not None else None
        if self.writer is not None and memory is not None:  # a failed rebuild may have written files: forget none
            memory.outputs = memory.outputs | frozenset(self.writer.written)
        self.writer = None

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.reuse is not None:
            env.bytecode_cache = self.reuse.templates
        return env

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        theme_sitemap = files.get_file_from_path("sitemap.xml")
        if theme_sitemap is not None:  # ...and no longer a template, it would be copied as it is
            files.remove(theme_sitemap)
        for page in self.pages.values():
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        files.append(File.generated(config, SHELL_SRC, content=shell_markdown()))
        if self.writer is not None:
            write_own_assets_minified(files, config, self.writer)
        self.files = files
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Fill the generated parts of hand-written pages (<!-- reading-list:NAME -->)."""
        if self.catalog is None or "reading-list:" not in markdown:
            return markdown
        root = relative_root(page.file.dest_uri)
        if root not in self.fragments:
            self.fragments[root] = page_fragments(self.catalog, root)
        fragments = self.fragments[root]

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in fragments:
                log.warning(f"{page.file.src_uri}: unknown marker 'reading-list:{name}' "
                            f"(known: {', '.join(sorted(fragments))})")
                return match.group(0)
            return fragments[name]

        return MARKER.sub(replace, markdown)

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        src = page.file.src_uri
        generated = self.pages.get(src)
        if generated is not None:
            page.edit_url = generated.edit_url  # usually none: the page is made from the records
            page.meta["rl_head"] = generated.head
        elif src == SHELL_SRC:
            page.meta["rl_head"] = "@@RL-HEAD@@"
            site = self.site
            page.edit_url = (edit_url(site, SHELL_ID) or None) if site else None
        elif src == "index.md":
            page.meta["rl_head"] = feeds_head([{"title": "All papers", "href": "feeds/all.atom.xml"}], "")
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri == SHELL_SRC:
            self.shell_html = output
        generated = self.pages.get(page.file.src_uri)
        if generated is not None and generated.late:
            if output.count(LATE_SLOT) != 1:
                raise Abort(f"{page.file.src_uri}: the theme's page lost the slot of the generated listing")
            output = output.replace(LATE_SLOT, generated.late)
        return output

    # --- the rest of the site ---------------------------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write what MkDocs does not: paper pages, exports, feeds and the full sitemap."""
        catalog, site, writer, shell = self.catalog, self.site, self.writer, self.shell_html
        try:
            if catalog is None or site is None or shell is None or writer is None:
                raise Abort("the paper-page shell was not rendered; is the plugin listed in mkdocs.yml?")
            urls = [f.url for f in self.files.documentation_pages() if f.src_uri != SHELL_SRC] if self.files else []
            written = write_site(writer, catalog, site, shell, urls, self._plan(writer))
        except GeneratorError as exc:
            raise PluginError(str(exc)) from None
        finally:
            mkdocs_io.uninstall()
        if self.reuse is not None:
            self.reuse.memory = written.memory
            if written.later is not None:
                self.reuse.later(written.later)
        self.previous = None
        self.last = written
        log.info(f"generator: {len(catalog)} paper pages ({written.rendered} rendered) and {written.other_files} "
                 f"other files; {written.written} written, {len(written.removed)} removed")

    def _plan(self, writer: SiteWriter) -> Plan:
        if self.reuse is None:
            aside, self.neighbours = self.neighbours, None
            return Plan(self.previous, share=share_work if self.command == "build" and can_fork() else None,
                        share_from=PARALLEL_PAGES, neighbours=aside.result if aside is not None else None)
        memory = self.reuse.memory
        previous = self.previous
        if previous is None and memory is not None and self.catalog is not None:
            previous = memory.previous(str(writer.root), self.catalog)
        return Plan(previous, self.reuse, exports_later=memory is not None)


def site_info(config: MkDocsConfig, records_dir: str) -> SiteInfo:
    site_url = config.site_url or "http://127.0.0.1:8000/"
    repo_url = (config.repo_url or "").rstrip("/")
    match = re.match(r"(?:edit|blob)/([^/]+)/", config.edit_uri or "")
    return SiteInfo(site_name=config.site_name, site_url=site_url if site_url.endswith("/") else site_url + "/",
                    repo_url=repo_url, branch=match.group(1) if match else "main", records_dir=records_dir)


def write_own_assets_minified(files: Files, config: MkDocsConfig, writer: SiteWriter) -> None:
    """Write the project's stylesheets and scripts (docs/, not the theme's) minified, under their own
    names, through the build's writer; MkDocs no longer copies them."""
    docs = Path(config.docs_dir).resolve()
    for file in list(files):
        source = file.abs_src_path
        if source is None or not minifiable(file.src_uri) or not Path(source).resolve().is_relative_to(docs):
            continue
        files.remove(file)
        text = Path(source).read_text(encoding="utf-8")
        writer.write(file.dest_uri, minified(file.src_uri, text).encode("utf-8"))


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
