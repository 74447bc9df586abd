"""Builds that never half-break: killed at any point, site/ is the complete old or the complete new site.

`python -m generator build` builds into ``.site.staging-PID`` beside the target and swaps the two
with one ``renameat2(RENAME_EXCHANGE)``. Each test here starts a build over an old site, kills it
with SIGKILL at one point, and compares site/ byte for byte with the two reference builds; then
the next build must succeed and leave nothing behind.

The kill points are reached deterministically: the build runs under a small wrapper that stops
(sleeps, after writing a marker file) at the named point; one point is found by polling the
staging folder of an unmodified build instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.write import MARKER_TEXT, SITE_MARKER, remove_stale_builds

from .hostile import PAPERS as HOSTILE
from .support import FIXTURES, ROOT, build, build_env, tree

# Runs `python -m generator build ...` with a pause at one point: argv = point marker build-args...
WRAPPER = r'''
import os, sys, time
from pathlib import Path

point, marker = sys.argv[1], Path(sys.argv[2])
sys.argv = [sys.argv[0], *sys.argv[3:]]


def pause(where):
    if where == point:
        marker.write_text(where)
        time.sleep(600)  # until the test kills us


pause("started")
from generator import cli as entry
from generator import build as cli_build
from generator import write as writer

real_load = cli_build.load
def load(*args, **kwargs):
    result = real_load(*args, **kwargs)
    pause("checked")
    return result
cli_build.load = load

real_write, papers_written = writer.write_if_changed, []
def write_if_changed(path, data):
    changed = real_write(path, data)
    if path.name == "index.html" and path.parent.parent.name == "papers":
        papers_written.append(path)
        if len(papers_written) == 3:
            pause("mid-papers")
    return changed
writer.write_if_changed = write_if_changed

real_swap = cli_build.swap_into_place
def swap_into_place(staging, target):
    pause("before-swap")
    return real_swap(staging, target)
cli_build.swap_into_place = swap_into_place

real_exchange = writer._exchange
def exchange(a, b):
    if point == "fallback-between-renames":
        return False  # as on a system without renameat2
    done = real_exchange(a, b)
    pause("after-exchange")
    return done
writer._exchange = exchange


class Os:  # the writer's os module, pausing after the first rename of the fallback swap
    renames = 0
    def __getattr__(self, name):
        return getattr(os, name)
    def rename(self, source, target):
        os.rename(source, target)
        Os.renames += 1
        if Os.renames == 1:
            pause("fallback-between-renames")
if point == "fallback-between-renames":
    writer.os = Os()

sys.exit(entry.main())
'''

# kill point -> which site/ holds afterwards ("old", "new", or "none": no site/ at all)
KILL_POINTS = {
    "started": "old",  # right after the process started: nothing done yet
    "checked": "old",  # the records passed the check; no staging folder yet
    "mkdocs-writing": "old",  # polled: MkDocs has written part of the staging folder
    "mid-papers": "old",  # three of the five paper pages are in the staging folder
    "before-swap": "old",  # the staging folder is complete
    "after-exchange": "new",  # swapped; the old site waits at the staging path to be deleted
    # Without renameat2 (other systems, some file systems) the swap is two renames, and between
    # them there is no site/ at all; the old one is complete at .site.old-PID. Documented here.
    "fallback-between-renames": "none",
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two versions of a small list: the old (mini) and a new one with a paper more and one edited."""
    base = tmp_path_factory.mktemp("records")
    old, new = base / "old", base / "new"
    shutil.copytree(FIXTURES / "mini", old)
    shutil.copytree(FIXTURES / "mini", new)
    retool = (new / "retool-2025.md").read_text(encoding="utf-8")
    (new / "retool-2025.md").write_text(retool.replace("code self-correction.", "code self-correction, edited."),
                                        encoding="utf-8")
    (new / "retool-bis-2025.md").write_text(
        retool.replace("ReTool:", "ReTool Again:").replace('arxiv: "2504.11536"', 'arxiv: "2504.11537"'), encoding="utf-8")
    return old, new


@pytest.fixture(scope="module")
def references(records: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("references")
    sites = {}
    for name, papers in zip(("old", "new"), records, strict=True):
        sites[name] = base / name / "site"
        run = build(papers, sites[name])
        assert run.returncode == 0, run.stdout + run.stderr
    assert tree(sites["old"]) != tree(sites["new"])
    return sites


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _kill_at(point: str, papers: Path, out: Path) -> None:
    """Start a build of ``papers`` into ``out`` and SIGKILL it at ``point``."""
    marker = out.parent / "reached"
    if point == "mkdocs-writing":
        process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--papers", str(papers), "--out", str(out)],
                                   cwd=ROOT, env=build_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        reached: Callable[[], bool] = lambda: _staged_files(out) >= 10  # noqa: E731
    else:
        process = subprocess.Popen([sys.executable, "-c", WRAPPER, point, str(marker), "build", "--papers", str(papers),
                                    "--out", str(out)], cwd=ROOT, env=build_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        reached = marker.exists
    deadline = time.monotonic() + 60
    while not reached():
        if process.poll() is not None:
            pytest.fail(f"the build ended before reaching {point}: {process.communicate()[0]!r}")
        assert time.monotonic() < deadline, f"the build never reached {point}"
        time.sleep(0.001)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()  # reap it: a zombie would still count as a running build
    assert process.returncode == -signal.SIGKILL


def _staged_files(out: Path) -> int:
    return sum(len(files) for staging in out.parent.glob(f".{out.name}.staging-*") for _, _, files in os.walk(staging))


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_build_killed_at_any_point_leaves_the_old_or_the_new_site(
        point: str, records: tuple[Path, Path], references: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(references["old"], out)
    old, new = tree(references["old"]), tree(references["new"])

    _kill_at(point, records[1], out)

    left = "none" if not out.exists() else "old" if tree(out) == old else "new" if tree(out) == new else "broken"
    assert left == KILL_POINTS[point]
    if left == "none":
        (saved,) = out.parent.glob(f".{out.name}.old-*")
        assert tree(saved) == old
    if point in ("started", "checked"):  # nothing was written yet
        assert _leftovers(out) == []
        return
    # The next build cleans what the killed one left and publishes the new site.
    run = build(records[1], out)
    assert run.returncode == 0, run.stdout + run.stderr
    assert tree(out) == new
    assert _leftovers(out) == []


def test_stale_staging_folders_are_removed_only_when_their_build_is_gone(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        for pid in (alive.pid, dead.pid, os.getpid()):
            (tmp_path / f".site.staging-{pid}" / "papers").mkdir(parents=True)
            (tmp_path / f".site.staging-{pid}" / SITE_MARKER).write_bytes(MARKER_TEXT)  # a build marks it first
        (tmp_path / f".site.old-{dead.pid}").mkdir()
        (tmp_path / ".site.staging-notapid").mkdir()
        (tmp_path / ".other.staging-1").mkdir()
        removed = remove_stale_builds(target)
    finally:
        alive.kill()
        alive.wait()
    assert sorted(p.name for p in removed) == sorted([f".site.staging-{dead.pid}", f".site.old-{dead.pid}"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".other.staging-1", f".site.staging-{alive.pid}", f".site.staging-{os.getpid()}", ".site.staging-notapid", "site"])


def test_two_builds_of_the_hostile_records_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "site", tmp_path / "b" / "site"
    for out in (first, second):
        run = build(HOSTILE, out)
        assert run.returncode == 0, run.stdout + run.stderr
    one, two = tree(first), tree(second)
    assert {"sitemap.xml", "sitemap.xml.gz", "feeds/all.atom.xml", "export/papers.json"} <= set(one)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def test_a_failed_check_after_a_killed_build_still_leaves_the_site_untouched(
        records: tuple[Path, Path], references: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(references["old"], out)
    _kill_at("before-swap", records[1], out)
    broken = tmp_path / "broken"
    shutil.copytree(records[1], broken)
    (broken / "retool-2025.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    run = build(broken, out)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert tree(out) == tree(references["old"])
