"""Which files of the records folder may be read, and reading them bounded.

One rule for every file the tools read from the records folder (records, topics.yml, tags.yml,
redirects.yml, reading paths): a symbolic link must lead to a file inside the folder, the file
must be a regular file (a FIFO would block a reader forever, /dev/zero never ends, a device is no
text), and no more than one byte past its size limit is ever read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Protocol


class Entry(Protocol):
    """What :func:`refusal` asks of a file: an ``os.DirEntry`` (as a folder scan gives it) or a ``Path``."""

    def is_symlink(self) -> bool: ...

    def is_dir(self) -> bool: ...

    def is_file(self) -> bool: ...


LINK_TO_NOTHING = "is a symbolic link to nothing (a missing file or a loop)"
LINK_OUTSIDE = "is a symbolic link to a file outside the records folder"
NOT_REGULAR = "is not a regular file"


def refusal(entry: Entry, path: str, root: Path) -> str | None:
    """Why ``entry`` (at ``path``) may not be read as a file of the records folder ``root`` (resolved),
    or None when it may. A folder is the caller's to name (records and paths are not the same there)."""
    if entry.is_symlink():
        try:
            target = Path(path).resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling link, or a loop (RuntimeError before Python 3.13)
            return LINK_TO_NOTHING
        if root not in target.parents:
            return LINK_OUTSIDE
    if not entry.is_dir() and not entry.is_file():  # a FIFO, a socket, a device
        return NOT_REGULAR
    return None


def read_bounded(path: str | Path, limit: int) -> bytes:
    """The file's bytes, at most ``limit + 1`` of them (so a caller can tell it is too large); OSError as open()."""
    with open(path, "rb", buffering=0) as stream:
        status = os.fstat(stream.fileno())
        # A regular file within the limit: its size (and one byte, to see it grew); else the limit and one.
        small = stat.S_ISREG(status.st_mode) and status.st_size <= limit
        left = status.st_size + 1 if small else limit + 1
        chunks = []
        while left > 0:
            chunk = stream.read(left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


def too_large(data: bytes, limit: int, what: str) -> str | None:
    """The message for bytes read by :func:`read_bounded` that are over ``limit`` (``what``: 'a record'), or None."""
    if len(data) <= limit:
        return None
    return f"the file is larger than {limit:,} bytes, the most {what} may have"
