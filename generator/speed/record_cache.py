"""Check results of records, reused while a record's bytes stay the same.

Two layers, both keyed by the record's content (a BLAKE2 digest of its bytes),
never by its modification time:

- the results of the last full :func:`generator.load.load` of a folder in this
  process, which ``mkdocs serve`` rebuilds reuse;
- on request, a file in a cache folder (``.cache/generator/`` at the repository
  root, git-ignored and outside the published site), which a new process reuses.

A result is reused only in the same context: the same generator code, vocabulary
files, day and working directory (messages name files relative to it). A file
that cannot be read back whole, with another context or another format, is
ignored: a bad cache costs a full read, never a different result. The file is a
pickle, trusted as the code beside it is: it lives in a git-ignored folder of the
working copy, written by this module.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

import yaml

from generator.model import Paper
from generator.problems import Problem

FORMAT = b"reading-list record cache 2\n"
DEFAULT_DIR = Path(".cache") / "generator"
# The modules whose code decides a record's results are generator.load and what it imports from the
# package, found by reading the import statements (a rule moved into a new module is followed there).
_ROOT_MODULE = "generator.load"
_REMEMBERED_FOLDERS = 4  # `serve` works on one folder; tests load many small ones
_DIGEST = 32  # bytes of the file's own checksum
_CHUNK = 2_000  # entries pickled together
_KEPT_FILES = 8  # cache files (one a records folder) kept in a cache folder


class Checked(NamedTuple):  # a named tuple: 100,000 of them unpickle several times faster than dataclasses
    """What loading needs from one record once it has been read and checked."""

    paper: Paper | None  # None when the record has an error
    problems: tuple[Problem, ...]
    topics: tuple[str, ...]  # every topic and tag it names, even when it has errors (for their use counts)
    tags: tuple[str, ...]
    lines: tuple[int, ...]  # the lines of its arxiv, doi, title, builds_on and challenges fields (for messages)


@dataclass
class FolderState:
    """The records of one folder as last loaded: file name -> (content digest, shown path, results)."""

    context: str
    entries: dict[str, tuple[bytes, str, Checked]] = field(default_factory=dict)
    unsaved: int = 0  # results computed since the state was last read from or written to a file

    def get(self, name: str, digest: bytes, shown: str) -> Checked | None:
        entry = self.entries.get(name)
        if entry is None or entry[0] != digest or entry[1] != shown:
            return None
        return entry[2]


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@functools.cache
def code_fingerprint() -> str:
    """The generator code (and PyYAML, Python) that produced a result."""
    h = hashlib.blake2b(FORMAT, digest_size=16)
    h.update(f"{sys.version}|{yaml.__version__}|{getattr(yaml, '__with_libyaml__', False)}".encode())
    for path in deciding_modules():
        h.update(path.as_posix().encode() + b"\n" + path.read_bytes())
    return h.hexdigest()


def deciding_modules(root: str = _ROOT_MODULE) -> list[Path]:
    """The source files of ``root`` and of every generator module it imports, directly or not, sorted.

    Read from the import statements (``ast``), not from a list kept by hand. A package import also
    brings its ``__init__``; an import inside a function counts too.
    """
    package = Path(__file__).resolve().parents[1]
    found: dict[str, Path] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        path = _source(package, name)
        if path is None:
            continue
        found[name] = path
        todo.extend(_imports(path, name))
        parent = name.rpartition(".")[0]
        if parent.startswith("generator"):
            todo.append(parent)
    return sorted(found.values())


def _source(package: Path, name: str) -> Path | None:
    relative = Path(*name.split(".")[1:])
    if not relative.parts:
        return package / "__init__.py"
    for path in (package / relative.with_suffix(".py"), package / relative / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(path: Path, name: str) -> list[str]:
    """The generator modules ``path`` (module ``name``) imports, absolute or relative."""
    is_package = path.name == "__init__.py"
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names if a.name.split(".")[0] == "generator")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*parts, base] if base else parts)
            if base.split(".")[0] == "generator":
                names.append(base)
                names.extend(f"{base}.{a.name}" for a in node.names)  # `from generator.x import module`
    return names


def context(vocabulary: bytes, today: str) -> str:
    """Everything besides a record's own bytes that its results depend on."""
    h = hashlib.blake2b(digest_size=16)
    for part in (code_fingerprint().encode(), vocabulary, today.encode(), str(Path.cwd().resolve()).encode()):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


# --- this process ---------------------------------------------------------------------

_MEMORY: OrderedDict[str, FolderState] = OrderedDict()


def remembered(folder: str) -> FolderState | None:
    """The state of the last full load of ``folder`` (a resolved path) in this process."""
    return _MEMORY.get(folder)


def remember(folder: str, state: FolderState) -> None:
    _MEMORY[folder] = state
    _MEMORY.move_to_end(folder)
    while len(_MEMORY) > _REMEMBERED_FOLDERS:
        _MEMORY.popitem(last=False)


def forget() -> None:
    """Drop what this process remembers (tests use it to start cold)."""
    _MEMORY.clear()


# --- on disk --------------------------------------------------------------------------

def _prune(cache_dir: Path) -> None:
    """Keep the files of the few folders used last (tests and benchmarks load many folders)."""
    with contextlib.suppress(OSError):
        files = sorted(cache_dir.glob("records-*.pickle"), key=lambda f: f.stat().st_mtime_ns, reverse=True)
        for stale in files[_KEPT_FILES:]:
            stale.unlink()


def cache_file(cache_dir: Path, folder: str) -> Path:
    """Where the cache of ``folder`` (a resolved path) lives: one file per records folder."""
    return cache_dir / f"records-{hashlib.blake2b(folder.encode(), digest_size=8).hexdigest()}.pickle"


class _Hashing(io.RawIOBase):
    """A write-only stream that hashes what passes through it."""

    def __init__(self, target: BinaryIO):
        self.target, self.hash = target, hashlib.blake2b(digest_size=_DIGEST)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.hash.update(data)
        return self.target.write(data)


def read(path: Path) -> FolderState | None:
    """The state saved in ``path``; None when it is missing, unreadable, damaged or of another format."""
    try:
        with open(path, "rb") as stream:
            if stream.read(len(FORMAT)) != FORMAT:
                return None
            expected = stream.read(_DIGEST)
            start = stream.tell()
            h = hashlib.blake2b(digest_size=_DIGEST)
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                h.update(chunk)
            if h.digest() != expected:
                return None
            stream.seek(start)
            context, count = pickle.load(stream)  # our own file, checked against its checksum above
            state = FolderState(context)
            while len(state.entries) < count:
                state.entries.update(pickle.load(stream))
    except Exception:  # any failure to read it back means: no cache
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruning keeps it
    return state


def write(path: Path, state: FolderState) -> None:
    """Save ``state`` atomically (a reader sees the old file or the new one); failures are ignored.

    The entries go in chunks, each a pickle of its own, so the pickler's memo stays small:
    pickling 100,000 records at once holds an index of every object in them (~170 MB).
    """
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".records-", dir=path.parent)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(FORMAT + bytes(_DIGEST))
            hashing = _Hashing(stream)
            pickle.dump((state.context, len(state.entries)), hashing, protocol=pickle.HIGHEST_PROTOCOL)
            items = list(state.entries.items())
            for start in range(0, len(items), _CHUNK):
                pickle.dump(dict(items[start:start + _CHUNK]), hashing, protocol=pickle.HIGHEST_PROTOCOL)
            stream.seek(len(FORMAT))
            stream.write(hashing.hash.digest())
        os.replace(temporary, path)
        temporary = None
        state.unsaved = 0
        _prune(path.parent)
    except Exception:  # a cache that cannot be written is no cache
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
