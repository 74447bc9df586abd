"""Rebuilds write only what changed: nothing when nothing changed, and for an edited record
only the pages and files that show it, ending with the site a fresh build would make."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.write import link_tree

from .support import ROOT, build, build_env, pages_showing, tree

Snapshot = dict[str, tuple[int, int, bytes]]  # path -> (inode, mtime, bytes)


def snapshot(root: Path) -> Snapshot:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found[path.relative_to(root).as_posix()] = (stat.st_ino, stat.st_mtime_ns, path.read_bytes())
    return found


def rewritten(before: Snapshot, after: Snapshot) -> set[str]:
    """Files that are new or were written again (a new inode or time), whatever their bytes."""
    return {path for path, (inode, mtime, _) in after.items() if before.get(path, (None, None))[:2] != (inode, mtime)}


@pytest.fixture
def site(mini: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    run = build(mini, out)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def fresh(papers: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site a build from nothing makes of ``papers``."""
    out = tmp_path / "fresh" / "site"
    run = build(papers, out)
    assert run.returncode == 0, run.stdout + run.stderr
    return tree(out)


def edit(record: Path, old: str, new: str) -> None:
    text = record.read_text(encoding="utf-8")
    assert old in text
    record.write_text(text.replace(old, new), encoding="utf-8")


def test_a_rebuild_with_nothing_changed_writes_no_file(mini: Path, site: Path) -> None:
    before = snapshot(site)
    run = build(mini, site)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "nothing changed" in run.stdout
    assert snapshot(site) == before


def test_an_edited_title_shows_where_the_paper_is_listed_and_nothing_else_is_rewritten(
        mini: Path, site: Path, tmp_path: Path) -> None:
    before = snapshot(site)
    edit(mini / "retool-2025.md", "ReTool: Reinforcement", "ReTool Revisited: Reinforcement")
    run = build(mini, site)
    assert run.returncode == 0, run.stdout + run.stderr
    after = snapshot(site)

    shows = ["papers/retool-2025/index.html", "topics/reasoning/index.html", "tags/tool-use/index.html",
             "tags/reinforcement-learning/index.html", "index.html", "feeds/all.atom.xml",
             "feeds/tags/tool-use.atom.xml", "export/tags/tool-use.ris", "export/papers.json"]
    for path in shows:
        assert b"ReTool Revisited" in after[path][2], path
    written = rewritten(before, after)
    assert set(shows) <= written
    # its page, and the pages that show its title (related papers, relations, reading paths): no other
    showing = {f"papers/{i}/index.html" for i in pages_showing(mini, "retool-2025")}
    assert all(b"ReTool Revisited" in after[path][2] for path in showing)
    assert {p for p in written if p.startswith("papers/")} == {"papers/retool-2025/index.html"} | showing
    assert "export/tags/self-play.bib" not in written  # lists other papers only
    assert all(after[p][2] != before[p][2] for p in written)  # every file written has new bytes
    assert tree(site) == fresh(mini, tmp_path)


def test_a_record_saved_unchanged_rewrites_nothing(mini: Path, site: Path) -> None:
    before = snapshot(site)
    record = mini / "retool-2025.md"
    os.utime(record, ns=(record.stat().st_atime_ns, record.stat().st_mtime_ns + 10**9))
    run = build(mini, site)
    assert run.returncode == 0, run.stdout + run.stderr
    assert rewritten(before, snapshot(site)) == set()


def test_added_removed_and_renamed_things_end_as_a_fresh_build(mini: Path, site: Path, tmp_path: Path) -> None:
    retool = (mini / "retool-2025.md").read_text(encoding="utf-8")
    (mini / "retool-bis-2025.md").write_text(
        retool.replace("ReTool:", "ReTool Again:").replace('arxiv: "2504.11536"', 'arxiv: "2504.11537"'),
        encoding="utf-8")
    (mini / "social-deduction-2025.md").unlink()
    edit(mini / "tags.yml", "title: Tool use", "title: Tools and their use")
    run = build(mini, site)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not (site / "papers" / "social-deduction-2025").exists()
    assert "Tools and their use" in (site / "papers" / "retool-2025" / "index.html").read_text(encoding="utf-8")
    assert tree(site) == fresh(mini, tmp_path)


def test_the_published_site_is_never_written_in_place(mini: Path, site: Path, tmp_path: Path) -> None:
    """The next build starts from hard links to the published files: it must replace them, not write into them."""
    witness = tmp_path / "witness"
    link_tree(site, witness)  # the same files (inodes) as the published site
    before = tree(witness)
    edit(mini / "retool-2025.md", "ReTool: Reinforcement", "ReTool Revisited: Reinforcement")
    edit(mini / "tags.yml", "title: Self-play", "title: Self play")
    assert build(mini, site).returncode == 0
    assert tree(witness) == before
    assert tree(site) != before


def test_mkdocs_build_alone_also_writes_only_what_changed(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "mkdocs-site"
    command = [str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--quiet", "--site-dir", str(out)]
    env = {**build_env(), "PAPERS": str(mini)}
    assert subprocess.run(command, cwd=ROOT, env=env, check=False).returncode == 0
    (out / "papers" / "old-page").mkdir()
    (out / "papers" / "old-page" / "index.html").write_text("left from an older build", encoding="utf-8")
    before = snapshot(out)
    assert subprocess.run(command, cwd=ROOT, env=env, check=False).returncode == 0
    after = snapshot(out)
    assert rewritten(before, after) == set()
    assert set(after) == set(before) - {"papers/old-page/index.html"}  # what the build no longer makes is gone
    assert not (out / "papers" / "old-page").exists()
    shutil.rmtree(out)


SERVE_URL = "http://127.0.0.1:8000/reading-list/"


def _serve_build(site: Path, first: bool) -> Any:
    """One build as `mkdocs serve` runs it (the same process for every rebuild)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config, serve_url=SERVE_URL)
    return config.plugins["reading-list"]


def test_serve_rebuilds_in_one_process_end_as_a_fresh_build(mini: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """What `mkdocs serve` keeps between rebuilds (pages, listings, export pieces, words) never goes stale."""
    monkeypatch.setenv("PAPERS", str(mini))
    served = tmp_path / "served"
    _serve_build(served, first=True)
    edit(mini / "retool-2025.md", "ReTool: Reinforcement", "ReTool Revisited: Reinforcement")
    edit(mini / "retool-2025.md", "code self-correction.", "code self-correction and more.")
    _serve_build(served, first=False)
    (mini / "social-deduction-2025.md").unlink()
    retool = (mini / "retool-2025.md").read_text(encoding="utf-8")
    (mini / "retool-bis-2025.md").write_text(retool.replace("ReTool Revisited:", "ReTool Again:")
                                             .replace('arxiv: "2504.11536"', 'arxiv: "2504.11537"'), encoding="utf-8")
    _serve_build(served, first=False)
    edit(mini / "tags.yml", "title: Tool use", "title: Tools and their use")
    plugin = _serve_build(served, first=False)
    plugin.on_shutdown()  # waits for the last rebuild's exports

    fresh_site = tmp_path / "fresh"
    _serve_build(fresh_site, first=True)
    assert tree(served) == tree(fresh_site)
