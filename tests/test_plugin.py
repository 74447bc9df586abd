"""The MkDocs plugin (``plugins: [reading-list]``): how `mkdocs build` and `mkdocs serve` run the generator.

MkDocs keeps one instance of a plugin that has ``on_startup`` for the whole process, so every
test here starts its builds with ``on_startup`` (as MkDocs does) and ends them with ``on_shutdown``.
"""

from __future__ import annotations

import gzip
import logging
import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import pytest
from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError

import generator.pipeline
from generator.errors import ShellError
from generator.plugin import ReadingListPlugin
from generator.plugin.plugin import ReadingListConfig

from .support import ROOT, build, tree

IDS = ["drone-volleyball-2025", "generative-agents-2023", "retool-2025", "social-deduction-2025"]
SITE_URL = "https://example.org/list/"
SERVE_URL = "http://127.0.0.1:8000/list/"


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.delenv("PAPERS", raising=False)
    monkeypatch.delenv("PAPERS_REPO_PATH", raising=False)
    yield
    plugin = load_config(config_file=str(ROOT / "mkdocs.yml")).plugins["reading-list"]
    plugin.on_shutdown()  # whatever a test did, the next one finds MkDocs' own file functions


def configure(papers: Path, site: Path, command: Literal["build", "serve"] = "build",
              site_url: str = SITE_URL) -> MkDocsConfig:
    """The repository's mkdocs.yml building ``papers`` into ``site``, started as MkDocs starts ``command``."""
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site), site_url=site_url)
    config.plugins["reading-list"].config.papers = str(papers)
    config.plugins.on_startup(command=command, dirty=False)
    return config


def plugin_of(config: MkDocsConfig) -> ReadingListPlugin:
    plugin = config.plugins["reading-list"]
    assert isinstance(plugin, ReadingListPlugin)
    return plugin


def break_record(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("year: 2025\n", "year: twenty twenty-five\n"), encoding="utf-8")


# --- configuration -------------------------------------------------------------------------------

def test_the_entry_point_names_the_plugin() -> None:
    (point,) = [p for p in metadata.entry_points(group="mkdocs.plugins") if p.name == "reading-list"]
    assert point.load() is ReadingListPlugin


def test_mkdocs_yml_loads_the_plugin_with_its_typed_config() -> None:
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    plugin = plugin_of(config)
    assert isinstance(plugin.config, ReadingListConfig)
    assert plugin.config.papers == "papers" and plugin.config.repo_path == "papers"
    assert plugin.papers_dir(config) == (ROOT / "papers").resolve()


def test_the_records_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`make serve PAPERS=dir`: mkdocs.yml reads both settings with !ENV."""
    monkeypatch.setenv("PAPERS", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("PAPERS_REPO_PATH", "lists/elsewhere")
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    plugin = plugin_of(config)
    assert plugin.config.papers == str(tmp_path / "elsewhere")
    assert plugin.config.repo_path == "lists/elsewhere"
    assert plugin.papers_dir(config) == tmp_path / "elsewhere"
    monkeypatch.delenv("PAPERS")
    monkeypatch.delenv("PAPERS_REPO_PATH")
    assert plugin_of(load_config(config_file=str(ROOT / "mkdocs.yml"))).config.papers == "papers"


def test_a_setting_of_the_wrong_type_is_a_configuration_error(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\nplugins:\n  - reading-list:\n      papers: [a, b]\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        load_config(config_file=str(config))
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("reading-list" in text and "papers" in text for text in errors), errors


# --- mkdocs build --------------------------------------------------------------------------------

def test_mkdocs_build_writes_paper_pages_exports_and_the_sitemap(mini: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    config = configure(mini, site)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    files = tree(site)
    for paper_id in IDS:
        page = files[f"papers/{paper_id}/index.html"].decode()
        title = re.search(r'^title: "(.*)"$', (mini / f"{paper_id}.md").read_text(encoding="utf-8"), re.M)
        assert title is not None and title.group(1) in page
    assert "papers/__shell__/index.html" not in files and not any("@@RL-" in f.decode("utf-8", "replace")
                                                                   for f in files.values())
    bib = files["export/papers.bib"].decode()
    assert bib.count("\n@") + bib.startswith("@") == 4
    assert {"export/papers.json", "export/papers.ris", "export/papers.csl.json", "feeds/all.atom.xml"} <= set(files)
    sitemap = files["sitemap.xml"].decode()
    for paper_id in IDS:
        assert f"<loc>{SITE_URL}papers/{paper_id}/</loc>" in sitemap
    assert f"<loc>{SITE_URL}about/</loc>" in sitemap
    assert gzip.decompress(files["sitemap.xml.gz"]) == files["sitemap.xml"]
    assert {"topics/reasoning/index.html", "tags/self-play/index.html", "index.html"} <= set(files)
    written = plugin_of(config).last
    assert written is not None and written.rendered == 4


def test_records_with_an_error_abort_the_build_and_write_nothing(mini: Path, tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    break_record(mini / "retool-2025.md")
    site = tmp_path / "site"
    config = configure(mini, site)
    with caplog.at_level(logging.WARNING), pytest.raises(Abort) as raised:
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    message = raised.value.message
    assert "\n" not in message and "1 error(s) in the records" in message and "nothing was built" in message
    assert not site.exists() or tree(site) == {}
    problems = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("retool-2025.md" in text and "year" in text for text in problems), problems


def test_a_theme_failure_in_the_paper_page_shell_is_a_plugin_error(mini: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    def broken_shell(html: str) -> Any:
        raise ShellError("the theme's page lost the placeholder @@RL-ARTICLE@@")

    monkeypatch.setattr(generator.pipeline, "Shell", broken_shell)
    original_write = mkdocs_utils.write_file
    config = configure(mini, tmp_path / "site")
    errors: list[Exception] = []
    report = config.plugins.on_build_error

    def on_build_error(*, error: Exception) -> None:
        errors.append(error)
        report(error=error)

    monkeypatch.setattr(config.plugins, "on_build_error", on_build_error)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    (error,) = errors
    assert isinstance(error, PluginError)
    assert str(error) == "the theme's page lost the placeholder @@RL-ARTICLE@@"
    assert error.__cause__ is None and error.__suppress_context__  # a message, not a chained traceback
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "the theme's page lost the placeholder @@RL-ARTICLE@@" in logged
    assert mkdocs_utils.write_file is original_write  # MkDocs has its own writes back


# --- mkdocs serve --------------------------------------------------------------------------------

def serve_build(papers: Path, site: Path, first: bool) -> ReadingListPlugin:
    """One build as `mkdocs serve` runs it: the same plugin instance for every rebuild."""
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL
    plugin_of(config).config.papers = str(papers)
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config, serve_url=SERVE_URL)
    return plugin_of(config)


def test_serve_keeps_the_last_good_list_when_a_record_breaks(mini: Path, tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    site = tmp_path / "site"
    plugin = serve_build(mini, site, first=True)
    before = tree(site)
    assert "papers/retool-2025/index.html" in before
    good = (mini / "retool-2025.md").read_text(encoding="utf-8")

    break_record(mini / "retool-2025.md")
    with caplog.at_level(logging.WARNING):
        plugin = serve_build(mini, site, first=False)  # no exception: the server keeps running
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("retool-2025.md" in text for text in errors), errors
    assert any("still serving the last good version" in text for text in errors), errors
    assert plugin.catalog is not None and sorted(p.id for p in plugin.catalog.papers) == IDS
    plugin.on_shutdown()  # the exports of a rebuild are written after it
    after = tree(site)
    for paper_id in IDS:
        assert after[f"papers/{paper_id}/index.html"] == before[f"papers/{paper_id}/index.html"]
    assert after["export/papers.bib"] == before["export/papers.bib"]

    (mini / "retool-2025.md").write_text(good.replace("ReTool: Reinforcement", "ReTool Fixed: Reinforcement"),
                                         encoding="utf-8")
    plugin = serve_build(mini, site, first=False)
    plugin.on_shutdown()
    assert "ReTool Fixed: Reinforcement" in (site / "papers" / "retool-2025" / "index.html").read_text(encoding="utf-8")


# --- python -m generator build -------------------------------------------------------------------

def _config_without_the_plugin(tmp_path: Path) -> Path:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Without the plugin\nplugins:\n  - search\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return config


def test_a_config_without_the_plugin_is_a_one_line_error(mini: Path, tmp_path: Path) -> None:
    config = _config_without_the_plugin(tmp_path)
    site = tmp_path / "site"
    run = build(mini, site, "--config", str(config))
    output = (run.stdout + run.stderr).strip()
    assert run.returncode == 1, output  # a mistake in the setup, not an internal error (those exit with 2)
    assert "internal error" not in output and "please report it" not in output
    assert len(output.splitlines()) == 1, output
    assert "Traceback" not in output and "reading-list" in output and str(config) in output
    assert not site.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
