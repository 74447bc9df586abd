"""The only code that writes the site: atomic file writes, only when content changed,
a build's record of what it produced (so stale files can go), the hard-linked copy
an incremental build starts from, and the swap of a finished build into place."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from generator.errors import OutRefused

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# Written into every site a build makes (`generator build`, `mkdocs build`, `mkdocs serve`): `build --out` replaces
# only a folder that holds it (or an empty or missing one), and cleans up only staging folders that hold it.
SITE_MARKER = ".reading-list-site"
MARKER_TEXT = (b"This folder is a site built by the reading list's generator (python -m generator build, mkdocs build).\n"
               b"python -m generator build --out replaces it whole; it refuses a folder without this file.\n")
_MARKER_START = MARKER_TEXT[:40]


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written.

    The write goes to a temporary file renamed over the target, so a reader (or a
    killed build) never sees half a file, and a file shared by hard link with an
    older build is replaced, never modified in place.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def write_files(root: Path, files: Mapping[str, bytes]) -> int:
    """Write many files under ``root`` (relative POSIX paths); the number actually written."""
    return sum(write_if_changed(root / relative, data) for relative, data in files.items())



def is_built_site(folder: Path) -> bool:
    """``folder`` holds the marker file a build writes into every site."""
    try:
        with open(folder / SITE_MARKER, "rb") as stream:
            return stream.read(len(_MARKER_START)) == _MARKER_START
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def out_refusal(out: Path) -> str | None:
    """Why a build may not replace ``out``; None when it is missing, an empty folder or a site a build wrote."""
    if not os.path.lexists(out):
        return None
    if not out.is_dir():
        return "is a file, not a folder: give a folder for the site"
    if is_built_site(out) or next(os.scandir(out), None) is None:
        return None
    return (f"holds files no build wrote (there is no {SITE_MARKER} in it): "
            "give a new or empty folder")


def make_staging(staging: Path) -> None:
    """Create the folder a build writes into, marked first: a killed build's folder is known as ours."""
    staging.parent.mkdir(parents=True, exist_ok=True)  # --out a/b/site with a/b not there yet
    staging.mkdir()
    (staging / SITE_MARKER).write_bytes(MARKER_TEXT)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def swap_into_place(staging: Path, target: Path) -> None:
    """Make the finished build at ``staging`` the site at ``target``.

    With an existing target the two directories are exchanged in one atomic
    step, so at every instant ``target`` is the complete old or the complete new
    site; the old one is then deleted from the staging path. A ``target`` that is not a site a build
    wrote (checked before the build, again here) is never moved.
    """
    refusal = out_refusal(target)
    if refusal is not None:
        raise OutRefused(f"--out {target} {refusal} (nothing was written)", target)
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging)
    elif target.exists():  # no atomic exchange here: the shortest possible window
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old)
    else:
        os.rename(staging, target)
    remove_stale_builds(target)


def remove_stale_builds(target: Path) -> list[Path]:
    """Delete what killed builds left beside ``target``: ``.{name}.staging-PID`` and
    ``.{name}.old-PID`` folders whose process is gone (a running build's are kept), and only
    those a build made (they hold the marker, or nothing)."""
    removed = []
    for kind in ("staging", "old"):
        for path in target.parent.glob(f".{target.name}.{kind}-*"):
            pid = path.name.rsplit("-", 1)[1]
            if pid.isdigit() and not _running(int(pid)) and path.is_dir() and not path.is_symlink() \
                    and out_refusal(path) is None:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class SiteWriter:
    """The writes of one build under ``root``: only changed bytes, never in place.

    Every path the build produces is remembered, written or not, so that what is left
    from an earlier build can be removed afterwards (:meth:`remove_stale`), which is what
    ``mkdocs build`` otherwise does by emptying the folder first and rewriting it all.
    """

    def __init__(self, root: Path, previous: set[str] | None = None) -> None:
        self.root = root
        self.previous = previous  # files the folder held before this build; None: unknown
        self.produced: set[str] = set()
        self.written: list[str] = []
        self.ignored: set[str] = set()

    def ignore(self, relative: str) -> None:
        """Never write ``relative`` (a page the build renders only to use in memory)."""
        self.ignored.add(relative)

    def relative(self, path: str | Path) -> str:
        return Path(os.path.abspath(path)).relative_to(self.root.absolute()).as_posix()

    def write(self, relative: str, data: bytes) -> bool:
        if relative in self.ignored:
            return False
        self.produced.add(relative)
        changed = write_if_changed(self.root / relative, data)
        if changed:
            self.written.append(relative)
        return changed

    def write_many(self, files: Mapping[str, bytes]) -> int:
        return sum(self.write(relative, data) for relative, data in files.items())

    def copy(self, source: Path, relative: str) -> bool:
        return self.write(relative, source.read_bytes())

    def keep(self, relative: str) -> bool:
        """Count a file an earlier build wrote as produced by this one; False if it is not there."""
        if self.previous is not None and relative not in self.previous:
            return False
        if self.previous is None and not (self.root / relative).is_file():
            return False
        self.produced.add(relative)
        return True

    def remove_stale(self) -> list[str]:
        """Delete the files this build did not produce (hidden top-level entries stay, as with MkDocs)."""
        present = self.previous if self.previous is not None else set(files_under(self.root))
        stale = sorted(p for p in present - self.produced if not p.startswith("."))
        removed = [p for p in stale if _unlink(self.root / p)]
        for relative in removed:
            _remove_empty_parents(self.root, self.root / relative)
        return removed


def files_under(root: Path) -> list[str]:
    """Every file under ``root`` (not following links), as relative POSIX paths."""
    found: list[str] = []
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, f"{prefix}{entry.name}/"))
            else:
                found.append(prefix + entry.name)
    return found


def link_tree(source: Path, target: Path) -> set[str]:
    """Make ``target`` a copy of ``source`` made of hard links; the files it holds.

    Nothing is copied: an incremental build starts from the previous site and replaces
    only what changed. Writes must never modify a linked file in place (the writer
    replaces files by renaming), or the published site would change with it.
    """
    files: set[str] = set()
    target.mkdir(parents=True, exist_ok=True)
    stack = [(str(source), str(target), "")]
    while stack:
        folder, copy, prefix = stack.pop()
        for entry in os.scandir(folder):
            destination = os.path.join(copy, entry.name)
            if not prefix and entry.name == SITE_MARKER and os.path.lexists(destination):
                # The staging folder was marked first (make_staging); the site's marker replaces it in one step,
                # so the folder is never unmarked and the published file is kept, as every other one is.
                os.link(entry.path, destination + ".link")
                os.replace(destination + ".link", destination)
                files.add(entry.name)
                continue
            if entry.is_dir(follow_symlinks=False):
                os.mkdir(destination)
                stack.append((entry.path, destination, f"{prefix}{entry.name}/"))
            elif entry.is_symlink():
                os.symlink(os.readlink(entry.path), destination)
                files.add(prefix + entry.name)
            else:
                os.link(entry.path, destination)
                files.add(prefix + entry.name)
    return files


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


def _remove_empty_parents(root: Path, path: Path) -> None:
    folder = path.parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
