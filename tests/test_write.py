"""generator/write.py: the only code that writes the site.

Files are written only when their bytes change, always by renaming a new file over the old
one (so a file shared by hard link with the published site is never modified in place); a
build remembers what it produced so leftovers can go; an incremental build starts from a
hard-linked copy of the site and is swapped into place when it is complete; folders left by
killed builds are cleaned up, never those of a running one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import write
from generator.write import (
    SiteWriter,
    files_under,
    link_tree,
    remove_stale_builds,
    swap_into_place,
    write_files,
    write_if_changed,
)

from .support import tree

BUILT = {write.SITE_MARKER: write.MARKER_TEXT}  # what every folder a build makes holds

OLD_NS = 1_000_000_000_000_000_000  # 2001-09-09: a modification time no write would give


def dead_pid() -> int:
    """The id of a process that has ended (and was waited for)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def make(root: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


# --- write_if_changed ------------------------------------------------------------------------

def test_write_if_changed_writes_a_new_file_and_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "page.html"
    assert write_if_changed(path, b"<p>new</p>") is True
    assert path.read_bytes() == b"<p>new</p>"
    assert sorted(p.name for p in path.parent.iterdir()) == ["page.html"]  # no temporary file left


def test_write_if_changed_leaves_identical_bytes_untouched(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"same bytes")
    os.utime(path, ns=(OLD_NS, OLD_NS))
    before = path.stat()
    assert write_if_changed(path, b"same bytes") is False
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, OLD_NS)


@pytest.mark.parametrize("new", [b"other bytes", b"longer, other bytes", b""])
def test_write_if_changed_replaces_different_bytes(tmp_path: Path, new: bytes) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"same bytes")
    assert write_if_changed(path, new) is True
    assert path.read_bytes() == new
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_write_if_changed_never_modifies_a_hard_linked_file(tmp_path: Path) -> None:
    """The published site shares files with the staging copy by hard link: it must keep its bytes."""
    published, staging = tmp_path / "published.html", tmp_path / "staging.html"
    published.write_bytes(b"old page")
    os.link(published, staging)
    assert write_if_changed(staging, b"new page") is True
    assert published.read_bytes() == b"old page"
    assert staging.read_bytes() == b"new page"
    assert published.stat().st_ino != staging.stat().st_ino
    assert published.stat().st_nlink == 1


def test_write_files_counts_only_what_changed(tmp_path: Path) -> None:
    make(tmp_path, {"a.txt": b"A", "d/b.txt": b"B"})
    assert write_files(tmp_path, {"a.txt": b"A", "d/b.txt": b"B2", "d/e/c.txt": b"C"}) == 2
    assert tree(tmp_path) == {"a.txt": b"A", "d/b.txt": b"B2", "d/e/c.txt": b"C"}


# --- SiteWriter ------------------------------------------------------------------------------

def test_site_writer_counts_and_lists_only_changed_files(tmp_path: Path) -> None:
    make(tmp_path, {"same.html": b"same", "changed.html": b"before"})
    writer = SiteWriter(tmp_path)
    assert writer.write("same.html", b"same") is False
    assert writer.write("changed.html", b"after") is True
    assert writer.write_many({"new/index.html": b"new", "same.html": b"same", "x.xml": b"x"}) == 2
    assert sorted(writer.written) == ["changed.html", "new/index.html", "x.xml"]
    assert writer.produced == {"same.html", "changed.html", "new/index.html", "x.xml"}
    assert tree(tmp_path) == {"same.html": b"same", "changed.html": b"after", "new/index.html": b"new",
                              "x.xml": b"x"}


def test_site_writer_ignores_what_it_is_told_to(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path)
    writer.ignore("papers/__shell__/index.html")
    assert writer.write("papers/__shell__/index.html", b"shell") is False
    assert writer.write_many({"papers/__shell__/index.html": b"shell", "a.html": b"a"}) == 1
    assert not (tmp_path / "papers").exists()
    assert writer.produced == {"a.html"} and writer.written == ["a.html"]


def test_site_writer_copy_and_relative(tmp_path: Path) -> None:
    source = tmp_path / "source.css"
    source.write_bytes(b"body{}")
    site = tmp_path / "site"
    writer = SiteWriter(site)
    assert writer.relative(site / "assets" / "x.css") == "assets/x.css"
    assert writer.copy(source, "assets/x.css") is True
    assert writer.copy(source, "assets/x.css") is False
    assert (site / "assets" / "x.css").read_bytes() == b"body{}"


def test_keep_with_a_known_previous_folder(tmp_path: Path) -> None:
    make(tmp_path, {"papers/a/index.html": b"a", "unknown.html": b"?"})
    writer = SiteWriter(tmp_path, previous={"papers/a/index.html", "papers/gone/index.html"})
    assert writer.keep("papers/a/index.html") is True
    assert writer.keep("unknown.html") is False  # on disk, but not what the folder is known to hold
    assert writer.produced == {"papers/a/index.html"}
    assert writer.written == []


def test_keep_with_an_unknown_previous_folder_looks_at_the_disk(tmp_path: Path) -> None:
    make(tmp_path, {"papers/a/index.html": b"a"})
    writer = SiteWriter(tmp_path)
    assert writer.keep("papers/a/index.html") is True
    assert writer.keep("papers/b/index.html") is False
    assert writer.keep("papers") is False  # a folder is not a file
    assert writer.produced == {"papers/a/index.html"}


def test_remove_stale_removes_what_was_not_produced(tmp_path: Path) -> None:
    make(tmp_path, {
        "index.html": b"home", "kept/index.html": b"k", "papers/old/index.html": b"old",
        "papers/old/deep/x.bin": b"x", "papers/new/index.html": b"stale bytes", "export/old.bib": b"@",
        ".nojekyll": b"", ".git/config": b"[core]",
    })
    writer = SiteWriter(tmp_path)
    writer.write("index.html", b"home")
    writer.write("papers/new/index.html", b"new")
    assert writer.keep("kept/index.html")
    removed = writer.remove_stale()
    assert sorted(removed) == ["export/old.bib", "papers/old/deep/x.bin", "papers/old/index.html"]
    assert tree(tmp_path) == {"index.html": b"home", "kept/index.html": b"k", "papers/new/index.html": b"new",
                              ".nojekyll": b"", ".git/config": b"[core]"}
    # emptied folders go with their files; folders still holding something stay
    assert not (tmp_path / "papers" / "old").exists() and not (tmp_path / "export").exists()
    assert (tmp_path / "papers").is_dir()


def test_remove_stale_never_removes_the_root(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make(site, {"only/stale.html": b"s"})
    assert SiteWriter(site).remove_stale() == ["only/stale.html"]
    assert site.is_dir() and list(site.iterdir()) == []


def test_remove_stale_with_a_known_previous_folder_removes_only_known_files(tmp_path: Path) -> None:
    """Files the previous build did not write (a file put there by hand) are not the writer's to remove."""
    make(tmp_path, {"a.html": b"a", "b/index.html": b"b", "c.html": b"c"})
    writer = SiteWriter(tmp_path, previous={"a.html", "b/index.html", "gone.html"})
    writer.write("a.html", b"a")
    assert writer.remove_stale() == ["b/index.html"]  # gone.html was not there: not counted as removed
    assert tree(tmp_path) == {"a.html": b"a", "c.html": b"c"}
    assert not (tmp_path / "b").exists()


def test_files_under_lists_every_file_and_does_not_follow_links(tmp_path: Path) -> None:
    make(tmp_path / "site", {"a": b"", "d/b": b"", "d/e/c": b""})
    make(tmp_path / "outside", {"secret": b""})
    (tmp_path / "site" / "link").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert sorted(files_under(tmp_path / "site")) == ["a", "d/b", "d/e/c", "link"]
    assert files_under(tmp_path / "missing") == []


# --- link_tree -------------------------------------------------------------------------------

def test_link_tree_is_a_hard_linked_copy(tmp_path: Path) -> None:
    source, target = tmp_path / "site", tmp_path / "staging"
    make(source, {"index.html": b"home", "papers/a/index.html": b"a", "assets/x.css": b"css"})
    (source / "empty").mkdir()
    (source / "alias.html").symlink_to("index.html")
    files = link_tree(source, target)
    assert files == {"index.html", "papers/a/index.html", "assets/x.css", "alias.html"}
    assert tree(target) == tree(source)
    for relative in ("index.html", "papers/a/index.html", "assets/x.css"):
        assert (target / relative).stat().st_ino == (source / relative).stat().st_ino
    assert (target / "alias.html").is_symlink() and os.readlink(target / "alias.html") == "index.html"
    assert (target / "empty").is_dir()


def test_writes_into_a_linked_copy_leave_the_source_as_it_was(tmp_path: Path) -> None:
    source, target = tmp_path / "site", tmp_path / "staging"
    make(source, {"index.html": b"home", "papers/a/index.html": b"a"})
    before = tree(source)
    writer = SiteWriter(target, link_tree(source, target))
    writer.write("papers/a/index.html", b"a, edited")
    writer.write("index.html", b"home")
    writer.remove_stale()
    assert tree(source) == before
    assert tree(target) == {"index.html": b"home", "papers/a/index.html": b"a, edited"}


# --- swap_into_place -------------------------------------------------------------------------

@pytest.mark.parametrize("atomic", [True, False], ids=["exchange", "rename"])
def test_swap_into_place_replaces_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, atomic: bool) -> None:
    if not atomic:  # a system without renameat2(RENAME_EXCHANGE)
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    target, staging = tmp_path / "site", tmp_path / f".site.staging-{os.getpid()}"
    make(target, {"index.html": b"old", "papers/gone/index.html": b"gone", **BUILT})
    make(staging, {"index.html": b"new", "papers/new/index.html": b"new paper", **BUILT})
    staging_inode = staging.stat().st_ino
    swap_into_place(staging, target)
    assert tree(target) == {"index.html": b"new", "papers/new/index.html": b"new paper", **BUILT}
    assert target.stat().st_ino == staging_inode  # the folder moved: nothing was copied
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the old site and the staging path are gone


def test_swap_into_place_without_a_site(tmp_path: Path) -> None:
    target, staging = tmp_path / "site", tmp_path / ".site.staging-1"
    make(staging, {"index.html": b"first"})
    swap_into_place(staging, target)
    assert tree(target) == {"index.html": b"first"}
    assert not staging.exists()


def test_swap_into_place_clears_what_killed_builds_left(tmp_path: Path) -> None:
    target = tmp_path / "site"
    make(target, {"index.html": b"old", **BUILT})
    leftover = tmp_path / f".site.staging-{dead_pid()}"
    make(leftover, {"index.html": b"half", **BUILT})
    staging = tmp_path / f".site.staging-{os.getpid()}"
    make(staging, {"index.html": b"new", **BUILT})
    swap_into_place(staging, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert tree(target) == {"index.html": b"new", **BUILT}


# --- remove_stale_builds ---------------------------------------------------------------------

def test_remove_stale_builds_removes_only_those_of_ended_processes(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    dead, alive = dead_pid(), os.getpid()
    gone = [tmp_path / f".site.staging-{dead}", tmp_path / f".site.old-{dead}"]
    kept = [tmp_path / f".site.staging-{alive}", tmp_path / f".site.old-{alive}",
            tmp_path / ".site.staging-abc", tmp_path / f".other.staging-{dead}"]
    for folder in gone + kept:
        make(folder, {"index.html": b"x", **BUILT})
    not_a_folder = tmp_path / f".site.staging-{dead_pid()}"
    not_a_folder.write_bytes(b"a file")
    elsewhere = tmp_path / "elsewhere"
    make(elsewhere, {"keep.txt": b"k"})
    link = tmp_path / f".site.old-{dead_pid()}"
    link.symlink_to(elsewhere, target_is_directory=True)

    removed = remove_stale_builds(target)
    assert sorted(removed) == sorted(gone)
    assert not any(p.exists() for p in gone)
    assert all(p.is_dir() for p in kept)
    assert not_a_folder.read_bytes() == b"a file"
    assert link.is_symlink() and (elsewhere / "keep.txt").read_bytes() == b"k"  # a link is never followed
    assert target.is_dir()


def test_remove_stale_builds_with_nothing_to_remove(tmp_path: Path) -> None:
    assert remove_stale_builds(tmp_path / "site") == []
