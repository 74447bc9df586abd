"""Every hostile case as something to plant in a records folder: the case files under
``tests/hostile/`` (each folder but ``papers/``, which is the folder they are planted in) and the
cases too big to commit, made on demand.

``tests/hostile/test_bounds.py`` and ``benchmarks/hostile_cost.py`` both plant cases with
:func:`plant`, so the benchmark measures exactly what the tests check.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

HOSTILE = Path(__file__).parent
BASE = HOSTILE / "papers"  # a small valid records folder, with its vocabulary: every case is planted in a copy

_HEAD = '---\ntitle: "Rejected: {case}"\n'
_TAIL = "year: 2025\ntopics: [scripts-and-breakouts]\ntags: [script-tags, breakouts]\nadded: 2025-06-07\n---\n\nAn abstract.\n"
_AUTHOR = "authors:\n  - Ada Lovelace\n"


def target(case: Path) -> str:
    """Where a case file goes in a records folder: a record under its own name, a vocabulary
    (``topics*.yml``, ``tags*.yml``) or ``redirects*.yml`` file in place of the folder's own, a
    reading path (``path*.yml``) in ``paths/``."""
    name = case.name
    for prefix, replaces in (("topics", "topics.yml"), ("tags", "tags.yml"), ("redirects", "redirects.yml")):
        if name.startswith(prefix) and name.endswith(".yml"):
            return replaces
    if name.startswith("path") and name.endswith(".yml"):
        return f"paths/{name}"
    return name


def case_files() -> list[Path]:
    """Every committed case file, in every folder of tests/hostile/ but ``papers/`` (the base) and ``latex/``.

    ``latex/`` is a records folder of its own (test_latex_exports.py builds and compiles it), not cases.
    """
    found = []
    for folder in sorted(p for p in HOSTILE.iterdir() if p.is_dir() and p not in (BASE, HOSTILE / "latex")
                         and not p.name.startswith((".", "_"))):
        found += sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".md", ".yml"))
    return found


def _record(papers: Path, case: str, middle: str, tail: str = _TAIL) -> str:
    (papers / f"{case}-2025.md").write_text(_HEAD.format(case=case) + middle + tail, encoding="utf-8")
    return f"{case}-2025.md"


def repeated_alias(papers: Path) -> str:
    """About 100 KB: one author of 1,999 characters, then its alias 25,000 times (50 MB of names, expanded)."""
    aliases = ", ".join(["*a"] * 25_000)
    return _record(papers, "repeated-alias", f'authors: [&a "{"lol " * 500}", {aliases}]\n')


def authors(count: int) -> Callable[[Path], str]:
    def make(papers: Path) -> str:
        names = "".join(f"  - Author {i}\n" for i in range(count))
        return _record(papers, f"authors-{count}", f"authors:\n{names}")
    make.__name__ = f"authors_{count}"
    return make


def unknown_tags(count: int) -> Callable[[Path], str]:
    def make(papers: Path) -> str:
        tags = ", ".join(f"t{i}" for i in range(count))
        return _record(papers, f"unknown-tags-{count}", _AUTHOR,
                       f"year: 2025\ntopics: [scripts-and-breakouts]\ntags: [{tags}]\nadded: 2025-06-07\n---\n\nAn abstract.\n")
    make.__name__ = f"unknown_tags_{count}"
    return make


def big_vocabulary(papers: Path) -> str:
    """A tags.yml of 15,000 terms (just under its size limit) and a record with 30 unknown tags: each
    suggestion compares with every term (before: 61 s for five such records)."""
    terms = "".join(f"tag-number-{i}:\n  title: T{i}\n  facet: method\n  description: D.\n" for i in range(15_000))
    with open(papers / "tags.yml", "a", encoding="utf-8") as tags:
        tags.write(terms)
    unknown = ", ".join(f"tag-numbr-{i}x" for i in range(30))
    return _record(papers, "big-vocabulary", _AUTHOR,
                   f"year: 2025\ntopics: [scripts-and-breakouts]\ntags: [{unknown}]\nadded: 2025-06-07\n---\n\nAn abstract.\n")


def huge_title(papers: Path) -> str:
    (papers / "huge-title-2025.md").write_text(
        '---\ntitle: "' + "A very long title " * 5_000 + '"\n' + _AUTHOR + _TAIL, encoding="utf-8")
    return "huge-title-2025.md"


def huge_link(papers: Path) -> str:
    return _record(papers, "huge-link", f"{_AUTHOR}links:\n  code: https://example.org/{'a' * 100_000}\n")


def huge_record(papers: Path) -> str:
    """A record of 2 MB (an abstract of 2 MB): refused by its size before it is parsed."""
    path = papers / "huge-record-2025.md"
    path.write_text(_HEAD.format(case="huge-record") + _AUTHOR + _TAIL + "An abstract. " * 160_000, encoding="utf-8")
    return path.name


def _link(papers: Path, name: str, to: str) -> str:
    path = papers / name
    path.parent.mkdir(exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    os.symlink(to, path)
    return name


def tags_to_dev_zero(papers: Path) -> str:
    return _link(papers, "tags.yml", "/dev/zero")


def topics_outside(papers: Path) -> str:
    """topics.yml links to a file beside (outside) the records folder: it must be neither read nor echoed."""
    secret = papers.parent / "secret.yml"
    secret.write_text("secret-topic:\n  title: SECRET TITLE\n  description: SECRET DESCRIPTION\n", encoding="utf-8")
    return _link(papers, "topics.yml", str(secret))


def path_to_dev_zero(papers: Path) -> str:
    return _link(papers, "paths/endless.yml", "/dev/zero")


def redirects_to_dev_zero(papers: Path) -> str:
    return _link(papers, "redirects.yml", "/dev/zero")


# name -> a function that plants the case in a records folder and returns its path there
GENERATED: dict[str, Callable[[Path], str]] = {
    "repeated-alias (100 KB)": repeated_alias,
    "100,000 authors": authors(100_000),
    "5,001 authors": authors(5_001),
    "300,000 unknown tags": unknown_tags(300_000),
    "10,000 unknown tags": unknown_tags(10_000),
    "tags.yml of 15,000 terms, 30 unknown tags": big_vocabulary,
    "huge title (90 KB)": huge_title,
    "huge link (100 KB)": huge_link,
    "huge record (2 MB)": huge_record,
    "tags.yml -> /dev/zero": tags_to_dev_zero,
    "topics.yml -> outside": topics_outside,
    "paths/endless.yml -> /dev/zero": path_to_dev_zero,
    "redirects.yml -> /dev/zero": redirects_to_dev_zero,
}


def plant(case: str | Path, papers: Path) -> str:
    """Put one case (a generated case's name, or a case file) into ``papers``; its path there."""
    if isinstance(case, str):
        return GENERATED[case](papers)
    where = target(case)
    destination = papers / where
    destination.parent.mkdir(exist_ok=True)
    destination.write_bytes(case.read_bytes())
    return where


def every_case() -> Iterator[tuple[str, str | Path]]:
    """(name, case) for every case file and every generated case."""
    for path in case_files():
        yield path.relative_to(HOSTILE).as_posix(), path
    for name in GENERATED:
        yield name, name
