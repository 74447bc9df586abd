"""The only code that writes the site: atomic file writes, only when content changed,
and the swap of a finished build into place."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


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


def remove_files(root: Path, relatives: Iterable[str]) -> int:
    removed = 0
    for relative in relatives:
        try:
            (root / relative).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


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
    site; the old one is then deleted from the staging path.
    """
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
    ``.{name}.old-PID`` folders whose process is gone (a running build's are kept)."""
    removed = []
    for kind in ("staging", "old"):
        for path in target.parent.glob(f".{target.name}.{kind}-*"):
            pid = path.name.rsplit("-", 1)[1]
            if pid.isdigit() and not _running(int(pid)) and path.is_dir() and not path.is_symlink():
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
