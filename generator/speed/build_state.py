"""What the last `generator build` of a site was made from, kept outside the site.

A build records its inputs in ``.cache/build/<site>.json`` beside mkdocs.yml
(git-ignored, never published): each record file's size and modification time,
a digest of everything else the pages depend on (mkdocs.yml, the folders it
names, the generator's code, package versions, options), the citation key of
each paper (one paper's edit can change another's key) and which folder it wrote
(its inode and modification time, so a site replaced by other means is rebuilt).

The next build compares: the same inputs and the same site mean nothing to do; the
same global inputs mean only the papers whose record changed need new pages.
A state that cannot be read is no state: the build is then a full one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

FORMAT = 2
STATE_DIR = Path(".cache") / "build"
PACKAGE = Path(__file__).resolve().parents[1]  # the generator package
_SKIP = {"__pycache__", ".git", ".venv", "node_modules"}

Stats = dict[str, tuple[int, int]]  # file name -> (size, mtime in ns)


@dataclass
class BuildState:
    """The inputs of a finished build and the folder it produced."""

    inputs: str  # digest of everything but the records
    records: Stats
    contexts: dict[str, str] = field(default_factory=dict)  # paper id -> its page's context
    shell: str = ""  # digest of the paper-page shell as MkDocs rendered it
    site: tuple[int, int, int] = (0, 0, 0)  # device, inode, mtime of the site folder
    out: str = ""  # the site folder

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "out": self.out, "inputs": self.inputs, "records": self.records,
                           "contexts": self.contexts, "shell": self.shell, "site": self.site}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> BuildState | None:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                return None
            return cls(inputs=str(data["inputs"]), records={k: (int(v[0]), int(v[1])) for k, v in data["records"].items()},
                       contexts={str(k): str(v) for k, v in data["contexts"].items()}, shell=str(data["shell"]),
                       site=(int(data["site"][0]), int(data["site"][1]), int(data["site"][2])),
                       out=str(data.get("out", "")))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None


def state_path(config_file: Path, out: Path) -> Path:
    """Where the state of the site at ``out`` lives: one file per output folder."""
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    return config_file.resolve().parent / STATE_DIR / f"{name}.json"


def read_state(path: Path) -> BuildState | None:
    try:
        return BuildState.from_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def write_state(path: Path, state: BuildState) -> None:
    """Save atomically (a killed build leaves the old state or none, never half of one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".state-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(state.to_json())
    os.replace(temporary, path)
    _prune(path.parent)


def _prune(folder: Path, keep: int = 20) -> None:
    """Forget the states of site folders that are gone (test runs build into many temporary folders)."""
    states = sorted(folder.glob("*.json"))
    if len(states) <= keep:
        return
    for path in states:
        try:
            with open(path, encoding="utf-8") as stream:
                head = stream.read(4096)
            out = json.loads(head[:head.index(',"inputs"')] + "}")["out"]
        except (OSError, ValueError, KeyError):
            continue
        if out and not os.path.isdir(out):
            forget_state(path)


def forget_state(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def site_identity(out: Path) -> tuple[int, int, int]:
    try:
        stat = os.stat(out)
    except OSError:
        return (0, 0, 0)
    return (stat.st_dev, stat.st_ino, stat.st_mtime_ns)


def record_stats(papers: Path) -> Stats:
    """Size and modification time of every entry of the records folder (links followed)."""
    stats: Stats = {}
    try:
        entries = list(os.scandir(papers))
    except OSError:
        return stats
    for entry in entries:
        try:
            stat = entry.stat()
        except OSError:
            stat = None
        stats[entry.name] = (stat.st_size, stat.st_mtime_ns) if stat else (-1, -1)
    return stats


def inputs_digest(config_file: Path, papers: Path, out: Path, options: dict[str, str | None]) -> str:
    """A digest of what the site depends on besides the records themselves."""
    digest = hashlib.sha256()
    config = config_file.resolve()
    base = config.parent
    digest.update(_bytes(config))
    settings = _settings(config)
    folders = [base / str(settings.get("docs_dir") or "docs"), PACKAGE]
    theme = settings.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        folders.append(base / str(theme["custom_dir"]))
    watched = settings.get("watch")
    if isinstance(watched, list):
        folders += [base / str(w) for w in watched]
    hooks = settings.get("hooks")
    if isinstance(hooks, list):
        folders += [base / str(h) for h in hooks]
    records = papers.resolve()
    for folder in sorted({f.resolve() for f in folders if f.resolve() != records}):
        for name, stat in _tree_stats(folder):
            digest.update(f"{name}\0{stat[0]}\0{stat[1]}\n".encode())
    versions = [sys.version]
    for package in ("mkdocs", "mkdocs-material", "jinja2", "markdown-it-py", "minify-html", "pyyaml"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package}={metadata.version(package)}")
    digest.update(json.dumps({"versions": versions, "papers": str(records), "out": str(out.resolve()),
                              "options": options, "env": os.environ.get("PAPERS_REPO_PATH")},
                             sort_keys=True).encode())
    return digest.hexdigest()


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


class _Lenient(yaml.SafeLoader):
    """Reads mkdocs.yml for folder names; tags such as !ENV or !!python/name become None."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def _settings(config: Path) -> dict[str, Any]:
    try:
        data = yaml.load(_bytes(config), Loader=_Lenient)  # a SafeLoader subclass
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _tree_stats(folder: Path) -> list[tuple[str, tuple[int, int]]]:
    found: list[tuple[str, tuple[int, int]]] = []
    if folder.is_file():
        stat = folder.stat()
        return [(str(folder), (stat.st_size, stat.st_mtime_ns))]
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP)
        for name in sorted(files):
            path = os.path.join(root, name)
            with contextlib.suppress(OSError):
                stat = os.stat(path)
                found.append((path, (stat.st_size, stat.st_mtime_ns)))
    return found
