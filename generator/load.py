"""Load the records of a folder into a Catalog: read -> check -> model.

A full load reads and checks every record, reusing the results of records whose
bytes did not change since the last load (see :mod:`generator.speed.record_cache`).
A load limited to some records (``only``, what a pull request needs) reads and
checks those in full and only scans the others (:mod:`generator.speed.quick_scan`) for
what the cross-record rules need; either way the selected records get exactly
the problems a full check would give them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.check.across import (
    RELATIONS,
    check_duplicates,
    check_relations,
    check_vocabulary_use,
    term_usage,
)
from generator.check.paths import load_paths
from generator.check.record import check_record
from generator.check.redirects import load_redirects
from generator.check.vocabulary import Vocabulary, load_vocabulary
from generator.identity import arxiv_key, doi_key, fold_ascii, title_key
from generator.model import Catalog, Paper, ReadingPath
from generator.problems import Problem, Severity, display_path
from generator.record.fields import (
    FOLDER_FILES,
    MAX_MESSAGES_PER_FILE,
    MAX_RECORD_BYTES,
    MIN_PAPERS_PER_TAG,
    PATHS_DIR,
    REDIRECTS_FILE,
    VOCABULARY_FILES,
)
from generator.record.files import NOT_REGULAR, read_bounded, refusal
from generator.record.read import FRONT_MATTER, folder_file_bytes, read_record, shown_path
from generator.speed import record_cache
from generator.speed.quick_scan import mentions, scan_text, text_of
from generator.speed.record_cache import Checked, FolderState
from generator.text import escaped

_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_LINE_FIELDS = ("arxiv", "doi", "title", *RELATIONS)  # the fields cross-record messages point at
_REWRITE_SHARE = 20  # rewrite the cache file when 1/20 of the records (or more) were read anew

_Entry = tuple[str, str, bool]  # a record file's name, path, and whether it is a symbolic link


@dataclass
class LoadResult:
    """What loading a folder gave.

    ``catalog`` holds every paper; it is None when any record has an error, and
    when ``only`` limited the full checks to some records. ``problems`` is every
    problem found, in file and line order; ``checked`` counts the records checked
    in full.

    ``changed`` is the set of ids (file names without ``.md``) of the records
    whose file was added, edited or removed since the previous full load of the
    same folder in this process, or else since the cache file was written (when
    ``load`` was given a cache folder). It is None when that is unknown: the first
    load without a cache, and any load limited by ``only``. It compares the files'
    bytes, so saving a file unchanged is no change; the vocabulary files are not
    records and never in it.
    """

    catalog: Catalog | None
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0
    changed: frozenset[str] | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]



def _record_entries(papers_dir: Path) -> tuple[list[_Entry], list[Problem]]:
    """(file name, path, is a symbolic link) of every record file, sorted by name, and odd entries.

    Paths stay strings: at 100,000 records, making a Path of each costs more than scanning them.
    """
    entries: list[_Entry] = []
    problems: list[Problem] = []
    root = papers_dir.resolve()
    try:
        found = sorted(os.scandir(papers_dir), key=lambda e: e.name)
    except OSError as exc:
        return [], [Problem(display_path(papers_dir), 1, "papers", f"cannot read the folder: {exc.strerror}",
                            "pass the folder that holds the records and topics.yml/tags.yml")]
    for entry in found:
        name = entry.name
        if name.startswith("."):
            continue
        if not name.endswith(".md"):
            if name not in FOLDER_FILES and entry.is_file():
                problems.append(Problem(shown_path(Path(entry.path)), 1, "file", "is not a record and is ignored",
                                        "records are Markdown files named '<id>.md'", Severity.WARNING))
            continue
        refused = refusal(entry, entry.path, root)
        if refused is not None:
            hint = "records are plain text files named '<id>.md'" if refused == NOT_REGULAR \
                else "commit the record itself, not a link"
            problems.append(Problem(shown_path(Path(entry.path)), 1, FRONT_MATTER, refused, hint))
            continue
        if entry.is_dir():
            problems.append(Problem(shown_path(Path(entry.path)), 1, FRONT_MATTER, "is a folder, not a record file",
                                    "records are files named '<id>.md'; rename the folder"))
            continue
        entries.append((name, entry.path, entry.is_symlink()))
    return entries, problems


def _resolve(path: Path) -> Path:
    """``path.resolve()``, or the absolute path for a symbolic-link loop (which makes resolve() raise)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _namer(papers_dir: Path) -> Callable[[str, str, bool], str]:
    """``shown_path`` for the files of one folder, without resolving each file's path again."""
    try:
        relative = papers_dir.resolve().relative_to(Path.cwd().resolve()).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
    except ValueError:  # outside the working directory: display_path shows the path as given
        prefix = Path(os.path.join(papers_dir, "x")).as_posix()[:-1]

    def shown(name: str, path: str, link: bool) -> str:
        return shown_path(Path(path)) if link else prefix + escaped(name)

    return shown


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while records are read: they make no cycles, and at 100,000
    records the collector's passes over every object kept so far cost about a seventh of the load."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_bytes(path: str) -> bytes | None:
    try:
        return read_bounded(path, MAX_RECORD_BYTES)  # one byte more than a record may have: read_record says so
    except OSError:
        return None  # read_record reads it again and says why it cannot


def _check(path: str, shown: str, data: bytes | None, vocab: Vocabulary, today: dt.date) -> Checked:
    """Read and check one record in full."""
    raw = read_record(Path(path), data=data, shown=shown)
    paper, problems = check_record(raw, vocab, today)
    used = term_usage(raw)
    lines = tuple(raw.fields[name].line if name in raw.fields else 1 for name in _LINE_FIELDS)
    return Checked(paper, tuple(problems), tuple(t for kind, t in used if kind == "topic"),
                   tuple(t for kind, t in used if kind == "tag"), lines)


class _Lines(Mapping[tuple[str, str], int]):
    """(record shown path, field) -> line, for the duplicate rule, from a few ints per record."""

    def __init__(self, lines: dict[str, tuple[int, ...]]):
        self._lines = lines

    def __getitem__(self, key: tuple[str, str]) -> int:
        source, name = key
        if name not in _LINE_FIELDS:
            raise KeyError(key)
        return self._lines[source][_LINE_FIELDS.index(name)]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((source, name) for source in self._lines for name in _LINE_FIELDS)

    def __len__(self) -> int:
        return len(self._lines) * len(_LINE_FIELDS)


class _Usage:
    """How many records name each topic and tag (records with errors included)."""

    def __init__(self) -> None:
        self.topics: Counter[str] = Counter()
        self.tags: Counter[str] = Counter()

    def add(self, topics: Iterable[str], tags: Iterable[str]) -> None:
        self.topics.update(topics)
        self.tags.update(tags)

    def counts(self) -> dict[tuple[str, str], int]:
        counts = {("topic", term): n for term, n in self.topics.items()}
        counts.update((("tag", term), n) for term, n in self.tags.items())
        return counts


def load(papers_dir: Path, only: Sequence[Path] | None = None, today: dt.date | None = None,
         *, cache: Path | None = None) -> LoadResult:
    """Read and check a records folder; ``only`` limits full checks to some records.

    Cross-record rules (duplicates, vocabulary use) always see every record, so
    a new record that repeats an old one is caught when only it is checked.
    ``cache`` is a folder where the results of a full load are kept for the next
    process (e.g. :data:`generator.speed.record_cache.DEFAULT_DIR`); None keeps them in
    this process only.
    """
    today = today or dt.date.today()
    vocab, problems = load_vocabulary(papers_dir)
    entries, found = _record_entries(papers_dir)
    problems.extend(found)
    with _gc_paused():
        if only is None:
            return _load_all(papers_dir, entries, vocab, problems, today, cache)
        return _load_some(papers_dir, entries, [_resolve(p) for p in only], vocab, problems, today)


def _load_all(papers_dir: Path, entries: list[_Entry], vocab: Vocabulary, problems: list[Problem],
              today: dt.date, cache: Path | None) -> LoadResult:
    """Read and check every record, reusing the results of those whose bytes did not change."""
    memory = _Memory(papers_dir, today, cache)
    reuse, state = memory.reuse, memory.state
    shown_of = _namer(papers_dir)
    digests: dict[str, bytes | None] = {}
    papers: list[Paper] = []
    lines: dict[str, tuple[int, ...]] = {}
    usage = _Usage()
    failed = False
    for name, path, link in entries:  # per record at 100,000 records: keep the work inline
        shown = shown_of(name, path, link)
        data = _read_bytes(path)
        key = record_cache.digest(data) if data is not None else None
        digests[name] = key
        checked = reuse.get(name, key, shown) if reuse is not None and key is not None else None
        if checked is None:
            checked = _check(path, shown, data, vocab, today)
            state.unsaved += 1
        if key is not None:
            state.entries[name] = (key, shown, checked)
        problems.extend(checked.problems)
        usage.add(checked.topics, checked.tags)
        if checked.paper is None:
            failed = True
        else:
            papers.append(checked.paper)
            lines[checked.paper.source] = checked.lines
    changed = memory.changed(digests)
    memory.keep(len(entries))
    problems.extend(check_duplicates(papers, _Lines(lines)))
    problems.extend(check_vocabulary_use(usage.counts(), vocab))
    known = _record_ids(entries)
    problems.extend(check_relations(papers, known, _Lines(lines)))
    paths, redirects = _paths_and_redirects(papers_dir, known, vocab, problems)
    catalog = None
    if not failed and not any(p.is_error for p in problems):
        catalog = Catalog(tuple(papers), vocab.topics, vocab.tags, paths, redirects)
    return LoadResult(catalog, _finished(problems), len(entries), changed)


def _record_ids(entries: list[_Entry]) -> frozenset[str]:
    """The ids of the folder's record files (whatever their content): what relations and paths may name."""
    return frozenset(name[:-3] for name, _, _ in entries)


def _paths_and_redirects(papers_dir: Path, known: frozenset[str], vocab: Vocabulary,
                         problems: list[Problem]) -> tuple[dict[str, ReadingPath], dict[str, str]]:
    """The reading paths and redirects beside the records, checked; their problems go to ``problems``."""
    paths, found = load_paths(papers_dir / PATHS_DIR, known)
    problems.extend(found)
    redirects, found = load_redirects(papers_dir / REDIRECTS_FILE, vocab)
    problems.extend(found)
    return paths, redirects


class _Memory:
    """What the last full load of a folder left to reuse, and the state this load leaves for the next.

    The last load is the one remembered in this process, else the one saved in the cache file.
    """

    def __init__(self, papers_dir: Path, today: dt.date, cache: Path | None) -> None:
        self.folder = str(papers_dir.resolve())
        context = record_cache.context(_vocabulary_bytes(papers_dir), today.isoformat())
        previous = record_cache.remembered(self.folder)
        unsaved = previous.unsaved if previous is not None else 0  # results the cache file does not hold yet
        self.cache_path = record_cache.cache_file(cache, self.folder) if cache is not None else None
        if previous is None and self.cache_path is not None:
            previous = record_cache.read(self.cache_path)
        self.previous = previous
        self.reuse = previous if previous is not None and previous.context == context else None
        self.state = FolderState(context, unsaved=unsaved)

    def changed(self, digests: Mapping[str, bytes | None]) -> frozenset[str] | None:
        """The names (without ``.md``) of the records whose bytes differ from the last load's; None if unknown."""
        if self.previous is None:
            return None
        before = {name: entry[0] for name, entry in self.previous.entries.items()}
        return frozenset(name[:-3] for name in before.keys() | digests.keys()
                         if before.get(name) != digests.get(name))

    def keep(self, records: int) -> None:
        """Remember this load's state in this process, and save it when enough of ``records`` were read anew."""
        record_cache.remember(self.folder, self.state)
        unsaved = self.state.unsaved
        # Not for every edit `serve` rebuilds: this process remembers those.
        if self.cache_path is not None and unsaved and unsaved * _REWRITE_SHARE >= records:
            record_cache.write(self.cache_path, self.state)


def _load_some(papers_dir: Path, entries: list[_Entry], selected: list[Path], vocab: Vocabulary,
               problems: list[Problem], today: dt.date) -> LoadResult:
    """Check the ``selected`` records in full; scan the others for the cross-record rules.

    The duplicate rule compares valid records only, the first (by path) owning a
    key, so a selected record's duplicate problems depend on the valid records that
    share a key with it. The scan gives every record's keys (exactly, for a valid
    record); the few whose keys match a selected record's are checked in full to
    learn whether they are valid. Records the scan cannot read exactly are read in
    full, as in a full load.
    """
    wanted = set(selected)
    problems = [p for p in problems if not p.path.endswith(".md") or _resolve(Path(p.path)) in wanted]
    chosen, others, seen = _pick(entries, wanted, papers_dir.resolve())
    shown_of = _namer(papers_dir)
    usage = _Usage()
    pool = _Pool()
    selected_pool = _Pool()
    for name, path, link in chosen:
        result = _check(path, shown_of(name, path, link), None, vocab, today)
        problems.extend(result.problems)
        usage.add(result.topics, result.tags)
        pool.add(result)
        selected_pool.add(result)
    _scan_others(others, shown_of, vocab, today, usage, pool)
    missing = sorted(wanted - seen)
    for outside in missing:
        problems.extend(_outside(outside, papers_dir))
    problems.extend(d for d in pool.duplicates() if _resolve(Path(d.path)) in wanted)
    problems.extend(check_vocabulary_use(usage.counts(), vocab))
    known = _record_ids(entries)
    problems.extend(check_relations(selected_pool.papers, known, _Lines(selected_pool.lines)))
    _paths_and_redirects(papers_dir, known, vocab, problems)  # small files, always checked in full
    return LoadResult(None, _finished(problems), len(chosen) + len(missing))


def _pick(entries: list[_Entry], wanted: set[Path], root: Path) -> tuple[list[_Entry], list[_Entry], set[Path]]:
    """The entries of the ``wanted`` records, the other entries, and the wanted paths found in the folder."""
    names = {path.name for path in wanted if path.parent == root}
    chosen: list[_Entry] = []
    others: list[_Entry] = []
    seen: set[Path] = set()
    for name, path, link in entries:
        if not (_resolve(Path(path)) in wanted if link else name in names):
            others.append((name, path, link))
            continue
        chosen.append((name, path, link))
        seen.add(_resolve(Path(path)) if link else root / name)
    return chosen, others, seen


class _Pool:
    """The valid papers the duplicate rule needs to see, and the lines of their keys."""

    def __init__(self) -> None:
        self.papers: list[Paper] = []
        self.lines: dict[str, tuple[int, ...]] = {}

    def add(self, checked: Checked) -> None:
        if checked.paper is not None:
            self.papers.append(checked.paper)
            self.lines[checked.paper.source] = checked.lines

    def duplicates(self) -> list[Problem]:
        return check_duplicates(self.papers, _Lines(self.lines))


def _scan_others(others: list[_Entry], shown_of: Callable[[str, str, bool], str], vocab: Vocabulary,
                 today: dt.date, usage: _Usage, pool: _Pool) -> None:
    """Add to ``usage`` the terms the records not selected name, and to ``pool`` those that may repeat a key.

    Each record is only scanned, unless the scan cannot read it exactly or it may share a key
    with a paper already in ``pool`` (a selected record): then it is checked in full.
    """
    repeats = _Repeats(pool.papers)
    unsettled = _Unsettled(vocab, usage)
    for name, path, link in others:
        data = _read_bytes(path)
        text = text_of(data) if data is not None else None
        if text is not None and unsettled.few() and not mentions(text, unsettled.ids, repeats.needles):
            continue  # names no term whose count matters and holds no key a selected record has
        found = scan_text(text) if text is not None else None
        if found is not None:
            usage.add(found.topics, found.tags)
            unsettled.update(usage, found.topics, found.tags)
            if not repeats.may_repeat(found.arxiv, found.doi, found.title):
                continue
        # A record the scan cannot read exactly, or one that may repeat a selected record: in full.
        result = _check(path, shown_of(name, path, link), data, vocab, today)
        if found is None:
            usage.add(result.topics, result.tags)
            unsettled.update(usage, result.topics, result.tags)
        pool.add(result)


class _Unsettled:
    """The vocabulary terms whose use count can still change what check_vocabulary_use says.

    A topic is settled once one record names it, a tag once MIN_PAPERS_PER_TAG do: more
    uses change no message. Records that name no unsettled term add nothing to learn.
    """

    MANY = 40  # beyond this many, looking for each in a record (~0.15 us each) costs about a scan (~10 us)

    def __init__(self, vocab: Vocabulary, usage: _Usage):
        self.topics = {t for t in vocab.topics if usage.topics[t] < 1}
        self.tags = {t for t in vocab.tags if usage.tags[t] < MIN_PAPERS_PER_TAG}
        self.ids = tuple(sorted(self.topics | self.tags))

    def few(self) -> bool:
        return len(self.ids) <= self.MANY

    def update(self, usage: _Usage, topics: Iterable[str], tags: Iterable[str]) -> None:
        settled = [t for t in topics if t in self.topics and usage.topics[t] >= 1]
        self.topics.difference_update(settled)
        more = [t for t in tags if t in self.tags and usage.tags[t] >= MIN_PAPERS_PER_TAG]
        self.tags.difference_update(more)
        if settled or more:
            self.ids = tuple(sorted(self.topics | self.tags))


class _Repeats:
    """Does a scanned record share a duplicate key (as check_duplicates compares them) with some papers?"""

    def __init__(self, papers: Iterable[Paper]):
        papers = list(papers)
        self.arxiv = {arxiv_key(p.arxiv) for p in papers if p.arxiv}
        self.doi = {doi_key(p.doi) for p in papers if p.doi}
        self.titles = {title_key(p.title) for p in papers}
        # What a record sharing a key must hold in its text, folded as quick_scan.mentions folds it:
        # the arXiv id, the DOI, the longest word of the title key (a key with no word matches too
        # much: every record).
        longest = [max(title.split(" "), key=len) for title in self.titles]
        self.needles = (tuple(fold_ascii(a) for a in self.arxiv) + tuple(fold_ascii(d) for d in self.doi)
                        + tuple(longest) if all(longest) else ("",))

    def may_repeat(self, arxiv: str | None, doi: str | None, title: str | None) -> bool:
        if (arxiv and arxiv_key(arxiv) in self.arxiv) or (doi and doi_key(doi) in self.doi):
            return True
        return bool(title) and title_key(title or "") in self.titles


def _vocabulary_bytes(papers_dir: Path) -> bytes:
    parts = []
    for name in VOCABULARY_FILES:
        path = papers_dir / name
        data, problem = folder_file_bytes(path, papers_dir)
        if problem is not None:
            data = f"unreadable: {problem.message}".encode()
        parts.append(f"{display_path(path)}\n{len(data)}\n".encode() + data)
    return b"\n".join(parts)


def _finished(problems: list[Problem]) -> list[Problem]:
    return _capped(sorted({_one_line(p) for p in problems}, key=_order))


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_MESSAGES_PER_FILE problems of each file (``problems`` sorted by file), the rest in one line."""
    counts = Counter(p.path for p in problems)
    if max(counts.values(), default=0) <= MAX_MESSAGES_PER_FILE:
        return problems
    kept: list[Problem] = []
    for path, group in itertools.groupby(problems, key=lambda p: p.path):
        found = list(group)
        kept += found[:MAX_MESSAGES_PER_FILE]
        rest = found[MAX_MESSAGES_PER_FILE:]
        if rest:
            first = rest[0]
            severity = Severity.ERROR if any(p.is_error for p in rest) else Severity.WARNING
            kept.append(Problem(path, first.line, first.field, f"… and {len(rest):,} more problem"
                                f"{'' if len(rest) == 1 else 's'} in this file",
                                "fix the ones above, then check again", severity))
    return kept


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
