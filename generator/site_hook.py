"""The generator inside MkDocs: `mkdocs build` and `mkdocs serve` run the pipeline.

load -> check -> model (on_config) -> render (on_files, on_page_*) -> write (on_post_build).
State lives in this module, not in the hook file MkDocs re-imports on every serve
rebuild, so the last good catalog survives a broken record while serving.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .loader import LoadResult, load
from .model import Catalog
from .render.pages import LATE_SLOT, GeneratedPage, SiteInfo, feeds_head, generated_pages, home_fragments, paper_page
from .render.shell import SHELL_SRC, Shell, shell_markdown
from .site_parts import bibtex_entries, contributing_fragments, export_files, sitemap
from .writer import write_files, write_if_changed

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
    reported: tuple[str, ...] = ()  # problems already printed (serve prints each change once)
    preloaded: tuple[Path, LoadResult] | None = None  # set by `generator build`, which checked already


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


def on_config(config: MkDocsConfig) -> MkDocsConfig:
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
    STATE.pages = generated_pages(STATE.catalog)
    config.nav = expand_nav(config.nav, STATE.catalog)
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


def on_files(files: Files, config: MkDocsConfig) -> Files:
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
    fragments = {**home_fragments(STATE.catalog, root), **contributing_fragments(STATE.catalog, root)}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            log.warning(f"{page.file.src_uri}: unknown marker 'reading-list:{name}' (known: {', '.join(sorted(fragments))})")
            return match.group(0)
        return fragments[name]

    return MARKER.sub(replace, markdown)


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    src = page.file.src_uri
    generated = STATE.pages.get(src)
    if generated is not None:
        page.edit_url = None  # there is no file to edit: the page is made from the records
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
    catalog, site = STATE.catalog, STATE.site
    if catalog is None or site is None or STATE.shell_html is None:
        raise Abort("the paper-page shell was not rendered; is the hook declared in mkdocs.yml?")
    site_dir = Path(config.site_dir)
    shell = Shell(STATE.shell_html)
    entries = bibtex_entries(catalog)
    written = 0
    for paper in catalog.papers:  # one at a time: 100k pages never sit in memory together
        written += write_if_changed(site_dir / "papers" / paper.id / "index.html",
                                    shell.fill(paper_page(paper, catalog, site, entries[paper.id])))
    files: dict[str, bytes] = {shell.icons.path: shell.icons.data}
    files.update(export_files(catalog, site, entries))
    pages = STATE.files.documentation_pages() if STATE.files else []
    xml = sitemap(site, [f.url for f in pages if f.src_uri != SHELL_SRC], catalog)
    files["sitemap.xml"] = xml
    files["sitemap.xml.gz"] = gzip.compress(xml, mtime=0)
    shell_dir = site_dir / "papers" / "__shell__"
    (shell_dir / "index.html").unlink(missing_ok=True)
    if shell_dir.exists():
        shell_dir.rmdir()
    STATE.written = written + write_files(site_dir, files)
    log.info(f"generator: {len(catalog)} paper pages and {len(files)} other files, {STATE.written} written")
