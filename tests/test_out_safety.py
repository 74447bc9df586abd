"""`build --out` never eats a file, and a build that cannot finish says so in one line (issue 15, items 10, 11).

- ``--out`` takes a missing folder, an empty one or a site a build wrote (it holds ``.reading-list-site``);
  anything else is refused with one line before a byte is written, and the swap never moves a user's file.
- No space, a read-only disk, no permission: one line naming the path and what to do, exit 1. Ctrl-C at any
  point: one line and exit 130, never a traceback, never after "built" was printed.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import build as build_module
from generator import write as write_module
from generator.cli import main
from generator.speed import build_state
from generator.write import MARKER_TEXT, SITE_MARKER

from .support import ROOT, build, build_env, tree

NOTHING = "(nothing was written)"


def _listing(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, hidden ones and staging folders included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _refused_line(out: Path, why: str) -> str:
    return f"error: --out {out} {why} {NOTHING}\n"


FOREIGN = ("holds files no build wrote (there is no .reading-list-site in it): give a new or empty folder")


# --- what --out accepts and refuses ----------------------------------------------------------------

def test_a_regular_file_is_refused_and_kept(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.write_text("my thesis\n", encoding="utf-8")
    before = _listing(tmp_path)
    run = build(mini, out)
    assert (run.returncode, run.stdout, run.stderr) == (
        1, "", _refused_line(out, "is a file, not a folder: give a folder for the site"))
    assert _listing(tmp_path) == before  # the file as it was, and no .site.staging-PID beside it


@pytest.mark.parametrize("holding", ["a home folder", "a folder with records"])
def test_a_folder_a_build_did_not_write_is_refused_and_kept(mini: Path, tmp_path: Path, holding: str) -> None:
    out = tmp_path / "home"
    out.mkdir()
    if holding == "a home folder":
        (out / ".bashrc").write_text("export PS1='$ '\n", encoding="utf-8")
        (out / "notes.txt").write_text("do not lose me\n", encoding="utf-8")
    else:
        (out / "papers").mkdir()
        (out / "papers" / "x-2025.md").write_text("---\ntitle: X\n---\n", encoding="utf-8")
    before = _listing(tmp_path)
    run = build(mini, out)
    assert (run.returncode, run.stdout, run.stderr) == (1, "", _refused_line(out, FOREIGN))
    assert _listing(tmp_path) == before


def test_the_repository_root_is_refused(mini: Path) -> None:
    before = sorted(os.listdir(ROOT))
    run = build(mini, ROOT)
    assert (run.returncode, run.stderr) == (1, _refused_line(ROOT, FOREIGN))
    assert sorted(os.listdir(ROOT)) == before


@pytest.mark.parametrize("start", ["missing", "empty", "missing with its parents"])
def test_a_missing_or_empty_folder_becomes_a_marked_site(mini: Path, tmp_path: Path, start: str) -> None:
    out = tmp_path / "new" / "deeper" / "site" if start == "missing with its parents" else tmp_path / "site"
    if start == "empty":
        out.mkdir()
    run = build(mini, out)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("built 4 papers into ")
    assert (out / SITE_MARKER).read_bytes() == MARKER_TEXT
    assert (out / "papers" / "retool-2025" / "index.html").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == (["papers", "site"] if out.parent == tmp_path else ["site"])


def test_a_site_built_before_is_replaced(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(mini, out).returncode == 0
    (mini / "retool-2025.md").write_text((mini / "retool-2025.md").read_text().replace("ReTool", "ReTool Two"))
    run = build(mini, out)
    assert run.returncode == 0, run.stderr
    assert "ReTool Two" in (out / "papers" / "retool-2025" / "index.html").read_text(encoding="utf-8")


def test_a_site_built_before_sites_were_marked_is_known_by_its_build_state(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(mini, out).returncode == 0
    (out / SITE_MARKER).unlink()
    os.utime(out, ns=(os.stat(out).st_atime_ns, os.stat(out).st_mtime_ns))  # the state still names this folder
    state = build_state.read_state(build_state.state_path(ROOT / "mkdocs.yml", out))
    assert state is not None and state.site != build_state.site_identity(out)  # unlinking changed its mtime
    # As a site of the version before: a state that matches the folder, and no marker.
    build_state.write_state(build_state.state_path(ROOT / "mkdocs.yml", out),
                            build_state.BuildState(state.inputs, state.records, state.contexts, state.shell,
                                                   build_state.site_identity(out), str(out)))
    run = build(mini, out)
    assert run.returncode == 0, run.stderr
    assert (out / SITE_MARKER).read_bytes() == MARKER_TEXT


def test_mkdocs_build_output_is_a_site_build_accepts(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=ROOT,
                          capture_output=True, text=True, env={**build_env(), "PAPERS": str(mini)}, check=False)
    assert done.returncode == 0, done.stderr
    assert (out / SITE_MARKER).read_bytes() == MARKER_TEXT
    run = build(mini, out)
    assert run.returncode == 0, run.stderr


def test_stale_staging_folders_are_removed_only_when_a_build_made_them(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    dead = 2 ** 22 + 12345  # above the kernel's default pid_max: no process has it
    ours = tmp_path / f".site.staging-{dead}"
    ours.mkdir()
    (ours / SITE_MARKER).write_bytes(MARKER_TEXT)
    (ours / "index.html").write_text("half a site", encoding="utf-8")
    empty = tmp_path / f".site.old-{dead}"
    empty.mkdir()
    theirs = tmp_path / f".site.staging-{dead + 1}"
    theirs.mkdir()
    (theirs / "letter.txt").write_text("mine, whatever its name", encoding="utf-8")
    run = build(mini, out)
    assert run.returncode == 0, run.stderr
    assert not ours.exists() and not empty.exists()
    assert (theirs / "letter.txt").read_text(encoding="utf-8") == "mine, whatever its name"


def test_the_swap_itself_refuses_a_target_that_became_a_file(tmp_path: Path) -> None:
    staging, target = tmp_path / ".site.staging-1", tmp_path / "site"
    write_module.make_staging(staging)
    target.write_text("created meanwhile\n", encoding="utf-8")
    with pytest.raises(write_module.OutRefused, match="is a file, not a folder"):
        write_module.swap_into_place(staging, target)
    assert target.read_text(encoding="utf-8") == "created meanwhile\n"


# --- OS errors: one line, the path, what to do ----------------------------------------------------

def _fail(number: int, path: Path | str) -> OSError:
    return OSError(number, os.strerror(number), str(path))


def test_no_space_left_while_writing_the_site(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    real = write_module.write_if_changed

    def full_disk(path: Path, data: bytes) -> bool:
        if path.name == "sitemap.xml":
            raise _fail(errno.ENOSPC, path)
        return real(path, data)

    monkeypatch.setattr(write_module, "write_if_changed", full_disk)
    status = main(["build", "--papers", str(mini), "--out", str(out)])
    captured = capsys.readouterr()
    staging = tmp_path / f".site.staging-{os.getpid()}"
    assert (status, captured.err) == (1, f"error: cannot write {staging}/sitemap.xml: no space left on device "
                                         f"(free some space on that disk, then run the command again); "
                                         f"the site was not built; {out}/ is unchanged\n")
    assert "built" not in captured.out and "Traceback" not in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["papers"]  # no site, no staging folder


def test_a_read_only_disk_under_the_output_folder(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["build", "--papers", str(mini), "--out", str(out)]) == 0
    before = tree(out)
    capsys.readouterr()

    def read_only(staging: Path) -> None:
        raise _fail(errno.EROFS, staging)

    monkeypatch.setattr(build_module, "make_staging", read_only)
    (mini / "retool-2025.md").write_text((mini / "retool-2025.md").read_text() + "\nMore.\n")
    assert main(["build", "--papers", str(mini), "--out", str(out)]) == 1
    staging = tmp_path / f".site.staging-{os.getpid()}"
    assert capsys.readouterr().err == (f"error: cannot write {staging}: read-only file system (that file system is "
                                       f"read-only: choose a folder on a writable disk); the site was not built; "
                                       f"{out}/ is unchanged\n")
    assert tree(out) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod; the tests above simulate the errors")
def test_a_folder_without_write_permission(mini: Path, tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        run = build(mini, parent / "site")
    finally:
        parent.chmod(0o755)
    staging = parent / ".site.staging-"
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: cannot write {staging}")
    assert run.stderr.endswith(f": permission denied (you may not write there: change its permissions, or choose "
                               f"another folder); the site was not built; {parent / 'site'}/ is unchanged\n")


def test_a_cache_that_cannot_be_written_costs_only_the_next_builds_shortcut(
        mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    state = build_state.state_path(ROOT / "mkdocs.yml", out)

    def read_only(path: Path, _state: build_state.BuildState) -> None:
        raise _fail(errno.EROFS, path)

    monkeypatch.setattr(build_state, "write_state", read_only)
    assert main(["build", "--papers", str(mini), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("built 4 papers into ")
    assert captured.err == (f"warning: cannot write {state}: read-only file system (that file system is read-only: "
                            "choose a folder on a writable disk); the next build renders every page again\n")


# --- Ctrl-C ------------------------------------------------------------------------------------------

# `python -m generator ...` stopped at one point until the test sends SIGINT: argv = point flag-file command-args...
# Only the interpreter's own start (before any of the project's code runs, ~60 ms) is out of reach.
PAUSED = r"""
import importlib, importlib.abc, sys, time
from pathlib import Path

point, flag = sys.argv[1], Path(sys.argv[2])
sys.argv = ["generator", *sys.argv[3:]]


def stop(seconds=60):
    flag.write_text(point)
    time.sleep(seconds)


class PauseOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if point == "importing" and name == "generator.load":
            stop()
        return None


sys.meta_path.insert(0, PauseOnImport())
# point: (module, function, pause after it returns rather than before it runs)
PATCHES = {"checked": ("generator.build", "load", True), "rendering": ("generator.build", "build_site", False),
           "swapped": ("generator.build", "swap_into_place", True), "checking": ("generator.cli.check", "load", False),
           "next steps": ("generator.cli.new", "print_next_steps", False),
           "summarising": ("generator.cli.pr_summary", "summary_markdown", False)}
if point in PATCHES:
    module_name, name, after = PATCHES[point]
    module = importlib.import_module(module_name)
    real = getattr(module, name)

    def paused(*args, **kwargs):
        if not after:
            stop()
        result = real(*args, **kwargs)
        if after:
            stop(3 if point == "swapped" else 60)  # after the swap, Ctrl-C is ignored: the build carries on
        return result

    setattr(module, name, paused)
from generator.__main__ import _run

sys.exit(_run())
"""


def _interrupted_at(point: str, tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    flag = tmp_path / "paused"
    process = subprocess.Popen([sys.executable, "-c", PAUSED, point, str(flag), *command], cwd=ROOT, env=build_env(),
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not flag.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    flag.unlink()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("point", ["importing", "checked", "rendering"])
def test_ctrl_c_before_the_swap_leaves_the_old_site(point: str, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(mini, out).returncode == 0
    before = tree(out)
    (mini / "retool-2025.md").write_text((mini / "retool-2025.md").read_text() + "\nMore.\n")
    run = _interrupted_at(point, tmp_path, "build", "--papers", str(mini), "--out", str(out))
    left = "nothing was written" if point == "importing" else f"the site was not built; {out}/ is unchanged"
    assert (run.returncode, run.stdout, run.stderr) == (130, "", f"interrupted; {left}\n")
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["papers", "site"]  # no staging folder left


def test_ctrl_c_after_the_swap_is_ignored_and_built_is_said_last(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run = _interrupted_at("swapped", tmp_path, "build", "--papers", str(mini), "--out", str(out))
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.startswith("built 4 papers into ") and run.stdout.count("\n") == 1
    assert (out / SITE_MARKER).is_file()


@pytest.mark.parametrize("point", ["importing", "checking"])
def test_ctrl_c_during_check_is_one_line(point: str, mini: Path, tmp_path: Path) -> None:
    run = _interrupted_at(point, tmp_path, "check", "--papers", str(mini), "--no-cache")
    assert (run.returncode, run.stdout, run.stderr) == (130, "", "interrupted; nothing was written\n")


def test_ctrl_c_during_pr_summary_is_one_line(tmp_path: Path) -> None:
    run = _interrupted_at("summarising", tmp_path, "pr-summary", "--base", "HEAD")
    assert (run.returncode, run.stdout, run.stderr) == (130, "", "interrupted; nothing was written\n")


def test_ctrl_c_during_new_says_the_record_was_created(mini: Path, tmp_path: Path) -> None:
    run = _interrupted_at("next steps", tmp_path, "new", "--papers", str(mini), "--title", "Interrupted Paper",
                          "--year", "2025")
    assert (run.returncode, run.stderr) == (130, f"interrupted; {mini}/interrupted-paper-2025.md was created\n")
    assert run.stdout.startswith("created ")
    assert (mini / "interrupted-paper-2025.md").is_file()
