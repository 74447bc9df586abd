"""Load the records of a folder into a Catalog: read -> check -> model."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .checks import (
    Vocabulary,
    check_duplicates,
    check_record,
    check_vocabulary_use,
    load_vocabulary,
    term_usage,
)
from .model import Catalog, Paper
from .problems import Problem, Severity, display_path
from .records import FRONT_MATTER, RawRecord, read_record, shown_path

VOCABULARY_FILES = ("topics.yml", "tags.yml")
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


@dataclass
class LoadResult:
    """What loading a folder gave: the catalog (None when any error), and every problem."""

    catalog: Catalog | None
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def record_paths(papers_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The record files of a folder (``*.md`` directly inside it), sorted, and odd entries."""
    paths: list[Path] = []
    problems: list[Problem] = []
    root = papers_dir.resolve()
    try:
        entries = sorted(os.scandir(papers_dir), key=lambda e: e.name)
    except OSError as exc:
        return [], [Problem(display_path(papers_dir), 1, "papers", f"cannot read the folder: {exc.strerror}",
                            "pass the folder that holds the records and topics.yml/tags.yml")]
    for entry in entries:
        path = Path(entry.path)
        shown = shown_path(path)
        if entry.name.startswith("."):
            continue
        if not entry.name.endswith(".md"):
            if entry.name not in VOCABULARY_FILES and entry.is_file():
                problems.append(Problem(shown, 1, "file", "is not a record and is ignored",
                                        "records are Markdown files named '<id>.md'", Severity.WARNING))
            continue
        if entry.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):  # a dangling link, or a loop (RuntimeError before Python 3.13)
                problems.append(Problem(shown, 1, FRONT_MATTER, "is a symbolic link to nothing (a missing file or a loop)",
                                        "commit the record itself, not a link"))
                continue
            if root not in target.parents:
                problems.append(Problem(shown, 1, FRONT_MATTER, "is a symbolic link to a file outside the records folder",
                                        "commit the record itself, not a link"))
                continue
        if entry.is_dir():
            problems.append(Problem(shown, 1, FRONT_MATTER, "is a folder, not a record file",
                                    "records are files named '<id>.md'; rename the folder"))
            continue
        if not entry.is_file():  # a FIFO would block the reader forever; a socket or device is no record
            problems.append(Problem(shown, 1, FRONT_MATTER, "is not a regular file",
                                    "records are plain text files named '<id>.md'"))
            continue
        paths.append(path)
    return paths, problems


def _resolve(path: Path) -> Path:
    """``path.resolve()``, or the absolute path for a symbolic-link loop (which makes resolve() raise)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()




def _field_lines(raw: RawRecord) -> dict[tuple[str, str], int]:
    return {(raw.shown, name): located.line for name, located in raw.fields.items()}


def load(papers_dir: Path, only: Sequence[Path] | None = None, today: dt.date | None = None) -> LoadResult:
    """Read and check a records folder; ``only`` limits full checks to some records.

    Cross-record rules (duplicates, vocabulary use) always see every record, so
    a new record that repeats an old one is caught when only it is checked.
    """
    vocab, problems = load_vocabulary(papers_dir)
    paths, found = record_paths(papers_dir)
    problems.extend(found)
    selected = {_resolve(p) for p in only} if only is not None else None
    if selected is not None:
        problems = [p for p in problems if not p.path.endswith(".md") or _resolve(Path(p.path)) in selected]
    papers: list[Paper] = []
    lines: dict[tuple[str, str], int] = {}
    usage: Counter[tuple[str, str]] = Counter()
    checked = 0
    failed = False
    for path in paths:
        raw = read_record(path)
        usage.update(term_usage(raw))
        paper, found = check_record(raw, vocab, today)
        is_selected = selected is None or _resolve(path) in selected
        if is_selected:
            problems.extend(found)
            checked += 1
        failed = failed or paper is None
        if paper is not None:
            papers.append(paper)
            lines.update(_field_lines(raw))
    if selected is not None:
        for path in sorted(selected - {_resolve(p) for p in paths}):
            problems.extend(_outside(path, papers_dir))
            checked += 1
    duplicates = check_duplicates(papers, lines)
    problems.extend(d for d in duplicates if selected is None or _resolve(Path(d.path)) in selected)
    problems.extend(check_vocabulary_use(usage, vocab))
    catalog = None
    if not failed and not any(p.is_error for p in problems):
        catalog = Catalog(tuple(papers), vocab.topics, vocab.tags)
    return LoadResult(catalog, sorted({_one_line(p) for p in problems}, key=_order), checked)


def _outside(path: Path, papers_dir: Path) -> Iterable[Problem]:
    shown = shown_path(path)
    if not path.exists():
        return [Problem(shown, 1, "file", "does not exist", "check the path")]
    if path.suffix != ".md":
        return [Problem(shown, 1, "file", "is not a record", "records are Markdown files named '<id>.md'")]
    return [Problem(shown, 1, "file", f"is not in the records folder {display_path(papers_dir)}",
                    f"move it into {display_path(papers_dir)}/")]


def _one_line(problem: Problem) -> Problem:
    """The problem with line breaks typed in a value (a key, a block scalar) shown as spaces:
    every problem prints as one line, as editors, CI annotations and `check` expect."""
    field, message, hint = (_LINE_BREAKS.sub(" ", text) for text in (problem.field, problem.message, problem.hint))
    if (field, message, hint) == (problem.field, problem.message, problem.hint):
        return problem
    return replace(problem, field=field, message=message, hint=hint)


def _order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.path, problem.line, problem.field, problem.message)


def vocabulary(papers_dir: Path) -> Vocabulary:
    return load_vocabulary(papers_dir)[0]
