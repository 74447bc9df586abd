"""What a pull request changes in the list, as Markdown (`python -m generator pr-summary`).

CI appends the output to ``$GITHUB_STEP_SUMMARY``: the papers added, changed and
removed between two git refs (title, topics, tags, the page in the site
preview), changes to the vocabulary, and the check result of the changed
records. Everything a contributor wrote (titles, ids, file names, even YAML
keys) is escaped, so a title like ``<script>`` or ``a | b`` cannot add HTML,
links or table cells to the summary.

Exit status: 0 whenever the summary was written, even when records have errors
(the check step fails the run for those); 2 when the refs cannot be compared.
"""

from __future__ import annotations

import io
import re
import string
import subprocess
import tarfile
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.check.vocabulary import Vocabulary
from generator.errors import GitError, SummaryError
from generator.load import load, vocabulary
from generator.model import Term
from generator.problems import Problem
from generator.record.fields import MAX_FOLDER_FILE_BYTES, VOCABULARY_FILES
from generator.record.files import refusal
from generator.record.ids import ID_PATTERN
from generator.record.located import Located
from generator.record.read import (
    RawRecord,
    as_text,
    folder_file_bytes,
    parse_yaml_mapping,
    read_record,
    shown_path,
)
from generator.text import escaped, one_line

GIT_TIMEOUT = 300  # seconds; a diff of a 100k-paper list takes well under one
MAX_ROWS = 200  # per table: the step summary is capped at 1 MiB
MAX_PROBLEMS = 100
MAX_TEXT = 300  # characters of one title or term shown in a cell
_URL = re.compile(r"^https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+$")
_PUNCTUATION = frozenset(string.punctuation)
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# GitHub links an e-mail address after parsing, in the text a backslash escape has already become, so
# the escaped ``user\@host.org`` would still be a mailto: link; an empty <wbr> element before the "@" puts the two
# halves into different text nodes (tests/test_pr_summary.py renders with cmark-gfm, GitHub's parser).
_AT = "<wbr>\\@"



# --- escaping ---------------------------------------------------------------------------

def cell_text(text: str, limit: int = MAX_TEXT) -> str:
    """Text on one line without control or invisible format characters, at most ``limit`` long."""
    kept = [" " if char.isspace() else char for char in text
            if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")]
    flat = one_line("".join(kept))
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat


def md(text: str, limit: int = MAX_TEXT) -> str:
    """Contributor text as inert GitHub-flavoured Markdown, safe inside a table cell.

    Whitespace (newlines included) collapses to single spaces, so a cell cannot
    break; control and invisible format characters (bidi overrides, zero-width
    spaces) are dropped; ``&``, ``<`` and ``>`` become entities, so no raw HTML
    passes; every other ASCII punctuation character is backslash-escaped, so
    nothing becomes a link, emphasis, code, a mention, an emoji or a cell border; an ``@`` is
    preceded by an empty ``<wbr>``, so no e-mail address (``user@host.org``, ``mailto:``) is linked.
    """
    out: list[str] = []
    for char in cell_text(text, limit):
        if char == "@":
            out.append(_AT)
        elif char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def code(text: str) -> str:
    """A code span for text known to be safe (ids, paths built from ids), else escaped text."""
    if re.fullmatch(r"[A-Za-z0-9._/-]+", text):
        return f"`{text}`"
    return md(escaped(text))  # a newline ending a file name shows as \n, not as a space


def literal(text: str, limit: int = 1000) -> str:
    """Contributor text shown verbatim in a code span (outside tables): nothing in it is parsed."""
    flat = cell_text(text, limit)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith(("`", " ")) or flat.endswith(("`", " ")) else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def check_url(value: str | None, option: str) -> str | None:
    if not value:
        return None
    if not _URL.match(value):
        raise SummaryError(f"{option} must be an http(s) URL without spaces, quotes or brackets, not {value!r}")
    return value


# --- git --------------------------------------------------------------------------------

def git(root: Path, *args: str) -> bytes:
    """Run git with an argument list (never a shell); a failure becomes a SummaryError."""
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=false", *args], cwd=root,
                              capture_output=True, check=False, timeout=GIT_TIMEOUT)
    except FileNotFoundError as exc:
        raise SummaryError("git is not installed (pr-summary compares two git refs)") from exc
    except subprocess.TimeoutExpired as exc:
        raise SummaryError(f"git {args[0]} took longer than {GIT_TIMEOUT} s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else f'exit {done.returncode}'}", args)
    return done.stdout


def resolve(root: Path, ref: str, option: str) -> str:
    """The commit a ref names, or a SummaryError that says how to make it available."""
    if not ref or ref.startswith("-") or any(c.isspace() or unicodedata.category(c) == "Cc" for c in ref):
        raise SummaryError(f"{option} {ref!r} is not a git ref")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except SummaryError:
        raise SummaryError(f"{option} {ref!r} is not a commit in this repository "
                           "(fetch it first; in CI check out with fetch-depth: 0)") from None


@dataclass
class Change:
    status: str  # A, M, D, R, C, T
    path: str  # relative to the repository root, POSIX
    old_path: str | None = None  # for renames and copies


def diff(root: Path, base: str, head: str, papers_rel: str) -> list[Change]:
    """``git diff --name-status -M base...head -- papers/``: what the head side changed."""
    out = git(root, "diff", "--name-status", "-z", "-M", "--no-color", "--no-ext-diff",
              f"{base}...{head}", "--", papers_rel or ".")
    tokens = out.decode("utf-8", "surrogateescape").split("\0")
    changes: list[Change] = []
    index = 0
    while index < len(tokens) and tokens[index]:
        status = tokens[index][0]
        if status in "RC":
            changes.append(Change(status, tokens[index + 2], tokens[index + 1]))
            index += 3
        else:
            changes.append(Change(status, tokens[index + 1]))
            index += 2
    return changes


def show(root: Path, commit: str, path: str) -> bytes | None:
    """A file's bytes at a commit, or None when it is not there."""
    try:
        return git(root, "show", f"{commit}:{path}")
    except SummaryError:
        return None


@contextmanager
def tree_at(root: Path, commit: str, papers_rel: str, checked_out: bool) -> Iterator[Path]:
    """The records folder as it is at ``commit``: the working tree when that is checked out."""
    if checked_out:
        yield root / papers_rel
        return
    with tempfile.TemporaryDirectory(prefix="pr-summary-") as tmp:
        target = Path(tmp) / papers_rel
        target.mkdir(parents=True, exist_ok=True)
        try:
            data = git(root, "archive", "--format=tar", commit, "--", papers_rel or ".")
        except SummaryError:  # the folder is gone at this commit
            data = b""
        if data:
            with tarfile.open(fileobj=io.BytesIO(data)) as archive:
                if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse links that leave the folder
                    archive.extractall(tmp, filter="data")
                else:  # pragma: no cover
                    archive.extractall(tmp)  # our own repository's files
        yield target


# --- what changed -----------------------------------------------------------------------

@dataclass
class Row:
    id: str
    title: str | None
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # field names, for changed records
    renamed_from: str | None = None


@dataclass
class Summary:
    base: str
    merge_base: str
    added: list[Row] = field(default_factory=list)
    changed: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    vocabulary: list[str] = field(default_factory=list)  # ready-made Markdown lines
    others: list[tuple[str, str]] = field(default_factory=list)  # (path, what happened)
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0


_MISSING = object()
_WHAT = {"A": "added", "C": "added", "M": "changed", "T": "changed", "R": "renamed", "D": "removed"}


def _is_record(path: str, papers_rel: str) -> bool:
    pure = PurePosixPath(path)
    return pure.suffix == ".md" and pure.parent == PurePosixPath(papers_rel or ".")


def _texts(located: Located | None) -> list[str]:
    if located is None:
        return []
    if isinstance(located.value, list):
        return [text for item in located.value if (text := as_text(item))]
    text = as_text(located)
    return [text] if text else []


def _row(raw: RawRecord, stem: str) -> Row:
    title = raw.fields.get("title")
    return Row(stem, as_text(title) if title else None, _texts(raw.fields.get("topics")), _texts(raw.fields.get("tags")))


def _content(raw: RawRecord) -> dict[str, Any]:
    values: dict[str, Any] = {name: located.plain_value() for name, located in raw.fields.items()}
    values["abstract"], values["notes"] = raw.abstract, raw.notes
    if not raw.readable:
        values["front matter"] = tuple(p.message for p in raw.problems)
    return values


def changed_fields(before: RawRecord, after: RawRecord) -> list[str]:
    """The fields (and 'abstract', 'notes') whose values differ, in the record's order."""
    old, new = _content(before), _content(after)
    names = list(new) + [name for name in old if name not in new]
    return [name for name in names if old.get(name, _MISSING) != new.get(name, _MISSING)]


def _terms(data: bytes | None, name: str) -> dict[str, Any]:
    if data is None or len(data) > MAX_FOLDER_FILE_BYTES:  # too large: `check` says so, below
        return {}
    text = data.decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n")
    entries, _ = parse_yaml_mapping(text, name, 1, name)
    return {key: located.plain_value() for key, located in entries.items()}


def _term_title(value: Any) -> str:
    return str(value["title"]) if isinstance(value, dict) and value.get("title") is not None else ""


def vocabulary_change(path: str, before: bytes | None, after: bytes | None) -> str:
    """One Markdown line: which terms a vocabulary file gained, lost or changed."""
    name = PurePosixPath(path).name
    old, new = _terms(before, name), _terms(after, name)
    parts = []
    for label, ids in (("added", [k for k in new if k not in old]),
                       ("removed", [k for k in old if k not in new]),
                       ("changed", [k for k in new if k in old and new[k] != old[k]])):
        if ids:
            source = old if label == "removed" else new
            terms = [code(k) + (f" ({md(t)})" if (t := _term_title(source[k])) else "") for k in ids[:MAX_ROWS]]
            more = f" and {len(ids) - MAX_ROWS} more" if len(ids) > MAX_ROWS else ""
            parts.append(f"{label} {', '.join(terms)}{more}")
    what = "; ".join(parts) if parts else "reformatted (no term added, removed or changed)"
    if after is None:
        what = "deleted"
    return f"- {code(path)}: {what}"


def collect(root: Path, papers_rel: str, base_ref: str, base: str, head: str,
            head_dir: Path) -> tuple[Summary, Vocabulary]:
    """Everything the summary shows, read from git (base side) and ``head_dir`` (head side)."""
    merge_base = git(root, "merge-base", base, head).decode().strip()
    summary = Summary(base_ref, merge_base)
    vocab = vocabulary(head_dir)
    sorter = _Sorter(root, papers_rel, head_dir, summary)
    for change in diff(root, base, head, papers_rel):
        sorter.add(change)
    for rows in (summary.added, summary.changed, summary.removed):
        rows.sort(key=lambda r: r.id)
    if sorter.to_check or summary.vocabulary or summary.removed or summary.others:
        result = load(head_dir, only=sorter.to_check)
        summary.problems, summary.checked = result.problems, result.checked
    return summary, vocab


class _Sorter:
    """Puts each change of the diff where the summary shows it: vocabulary, records, other files."""

    def __init__(self, root: Path, papers_rel: str, head_dir: Path, summary: Summary) -> None:
        self.root, self.papers_rel, self.head_dir, self.summary = root, papers_rel, head_dir, summary
        self.prefix = f"{papers_rel}/" if papers_rel else ""
        self.vocab_paths = {self.prefix + name for name in VOCABULARY_FILES}
        self.to_check: list[Path] = []  # the head side's added and changed records

    def add(self, change: Change) -> None:
        old_path = change.old_path or change.path
        if self._is_vocabulary(change):
            self._vocabulary(change, old_path)
            return
        new_is_record = change.status != "D" and _is_record(change.path, self.papers_rel)
        old_is_record = change.status in "MTRD" and _is_record(old_path, self.papers_rel)
        if not new_is_record and not old_is_record:
            self._other(change, old_path)
            return
        old_raw = self._base_record(old_path) if old_is_record else None
        if new_is_record:
            self._record(change, old_path, old_raw)
        else:
            self._removed(change, old_path, old_raw)

    def _is_vocabulary(self, change: Change) -> bool:
        return change.path in self.vocab_paths or (change.old_path in self.vocab_paths and change.status == "R")

    def _head_file(self, path: str) -> Path:
        return self.head_dir / path[len(self.prefix):]

    def _base_record(self, path: str) -> RawRecord | None:
        """The record as it is at the merge base; None when it is not there."""
        before = show(self.root, self.summary.merge_base, path)
        return read_record(Path(path), data=before) if before is not None else None

    def _vocabulary(self, change: Change, old_path: str) -> None:
        local = self._head_file(change.path)
        after = None
        if change.status != "D":  # read as `check` reads it: a link out of the folder or to /dev/zero is not
            after, problem = folder_file_bytes(local, self.head_dir)
            if problem is not None:
                self.summary.vocabulary.append(f"- {code(change.path)}: {md(problem.message)}")
                return
        before = show(self.root, self.summary.merge_base, old_path)
        self.summary.vocabulary.append(vocabulary_change(change.path, before, after))

    def _other(self, change: Change, old_path: str) -> None:
        what = _WHAT.get(change.status, "changed")
        self.summary.others.append((change.path, f"{what} from {old_path}" if change.status == "R" else what))

    def _removed(self, change: Change, old_path: str, old_raw: RawRecord | None) -> None:
        stem = PurePosixPath(old_path).stem
        self.summary.removed.append(_row(old_raw, stem) if old_raw else Row(stem, None))
        if change.status == "R":  # renamed to a file that is no record
            self.summary.others.append((change.path, f"renamed from {old_path}"))

    def _record(self, change: Change, old_path: str, old_raw: RawRecord | None) -> None:
        """An added record, or a changed (perhaps renamed) one."""
        local = self._head_file(change.path)
        refused = refusal(local, str(local), self.head_dir.resolve()) if local.is_symlink() else None
        if refused is None:
            raw = read_record(local)
        else:  # a link out of the folder, or to a device: not read (`check` says why, below)
            raw = RawRecord(local, shown_path(local), problems=[Problem(shown_path(local), 1, "file", refused)])
        row = _row(raw, PurePosixPath(change.path).stem)
        self.to_check.append(local)
        if old_raw is None:
            self.summary.added.append(row)
            return
        row.changed = changed_fields(old_raw, raw)
        if change.status == "R" and old_path != change.path:
            row.renamed_from = PurePosixPath(old_path).stem
        self.summary.changed.append(row)


# --- rendering --------------------------------------------------------------------------

@dataclass(frozen=True)
class Links:
    preview_prefix: str | None = None
    artifact_url: str | None = None


def _terms_cell(ids: Sequence[str], known: dict[str, Term] | Any, kind: str) -> str:
    if not ids:
        return "—"
    cells = []
    for term_id in ids:
        term = known.get(term_id)
        cells.append(md(term.title) if term is not None else f"{md(term_id)} (not in {kind}.yml)")
    return ", ".join(cells)


def _title_cell(row: Row) -> str:
    return md(row.title) if row.title else "*no title*"


def _preview_cell(paper_id: str, links: Links) -> str:
    if not ID_PATTERN.fullmatch(paper_id):
        return "—"
    path = f"papers/{paper_id}/index.html"
    if links.preview_prefix:
        return f"[`{path}`]({links.preview_prefix}{path})"
    return f"`{path}`"


def _capped(rows: Sequence[Row]) -> tuple[Sequence[Row], str]:
    if len(rows) <= MAX_ROWS:
        return rows, ""
    return rows[:MAX_ROWS], f"\n… and {len(rows) - MAX_ROWS} more.\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


_ADDED_HEAD = ("| Paper | Title | Topics | Tags | Preview page |", "| --- | --- | --- | --- | --- |")
_CHANGED_HEAD = ("| Paper | Title | Topics | Tags | What changed | Preview page |",
                 "| --- | --- | --- | --- | --- | --- |")
_REMOVED_HEAD = ("| Paper | Title |", "| --- | --- |")


def render(summary: Summary, vocab: Vocabulary, links: Links, shown_dir: tuple[str, str] | None = None) -> str:
    """The summary as GitHub-flavoured Markdown."""
    lines = _intro(summary, links)
    lines += _table(f"Added papers ({len(summary.added)})", _ADDED_HEAD, summary.added,
                    lambda r: f"| {_paper_cells(r, vocab)} | {_preview_cell(r.id, links)} |")
    lines += _table(f"Changed papers ({len(summary.changed)})", _CHANGED_HEAD, summary.changed,
                    lambda r: f"| {_paper_cells(r, vocab)} | {_what_changed(r)} | {_preview_cell(r.id, links)} |")
    lines += _table(f"Removed papers ({len(summary.removed)})", _REMOVED_HEAD, summary.removed,
                    lambda r: f"| {code(r.id)} | {_title_cell(r)} |")
    if summary.vocabulary:
        lines += ["### Vocabulary", "", *summary.vocabulary, ""]
    if summary.others:
        lines += ["### Other files", ""]
        lines += [f"- {code(path)}: {md(what)}" for path, what in summary.others[:MAX_ROWS]]
        lines.append("")
    if not (summary.added or summary.changed or summary.removed or summary.vocabulary or summary.others):
        lines += ["No records and no vocabulary changed.", ""]
        return "\n".join(lines)
    lines += _check_section(summary, shown_dir)
    return "\n".join(lines)


def _intro(summary: Summary, links: Links) -> list[str]:
    """The heading, the counts, and where to find the preview."""
    lines = ["## Reading list: what this pull request changes", ""]
    counts = (f"**{len(summary.added)} added**, **{len(summary.changed)} changed**, "
              f"**{len(summary.removed)} removed**")
    lines += [f"Compared with {md(summary.base)} (merge base `{summary.merge_base[:12]}`): {counts}.", ""]
    if links.artifact_url:
        lines += [f"Preview: [download the built site]({links.artifact_url}), unzip it and open a page below.", ""]
    elif summary.added or summary.changed:
        lines += ["Preview: the pages below are paths inside this run's site preview artifact.", ""]
    return lines


def _table(heading: str, head: Sequence[str], rows: Sequence[Row], line: Callable[[Row], str]) -> list[str]:
    """A section with one table line per row (at most MAX_ROWS); nothing when there are no rows."""
    if not rows:
        return []
    shown, more = _capped(rows)
    lines = [f"### {heading}", "", *head]
    lines += [line(r) for r in shown]
    lines += [more, ""] if more else [""]
    return lines


def _paper_cells(row: Row, vocab: Vocabulary) -> str:
    """The Paper, Title, Topics and Tags cells of a row."""
    return (f"{code(row.id)} | {_title_cell(row)} | {_terms_cell(row.topics, vocab.topics, 'topics')} | "
            f"{_terms_cell(row.tags, vocab.tags, 'tags')}")


def _what_changed(row: Row) -> str:
    what = ", ".join(md(name, 60) for name in row.changed) or "formatting only"
    if row.renamed_from:
        what = f"renamed from {code(row.renamed_from)}" + (f"; {what}" if row.changed else "")
    return what


def _check_section(summary: Summary, shown_dir: tuple[str, str] | None) -> list[str]:
    """The check result and the first MAX_PROBLEMS problems, paths shown as in the working tree."""
    lines = ["### Check of the changed records", "", _check_line(summary), ""]
    for problem in summary.problems[:MAX_PROBLEMS]:
        text = problem.text()
        if shown_dir is not None:
            text = text.replace(shown_dir[0], shown_dir[1], 1)
        lines.append(f"- {literal(text)}")
    if len(summary.problems) > MAX_PROBLEMS:
        lines.append(f"- … and {len(summary.problems) - MAX_PROBLEMS} more; run `make check` for all of them")
    if summary.problems:
        lines.append("")
    return lines


def _check_line(summary: Summary) -> str:
    errors = sum(p.is_error for p in summary.problems)
    warnings = len(summary.problems) - errors
    found = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(summary.checked, 'changed record')}"
    if errors:
        return f"❌ {found}: the *check* step marks them in the files; fix them and push again."
    return f"✅ {found}." if warnings else f"✅ {found}: `make check` passes."


# --- the command ------------------------------------------------------------------------

def summary_markdown(papers: Path, base_ref: str, head_ref: str, links: Links) -> str:
    """The Markdown summary of what ``head_ref`` changes in ``papers`` against ``base_ref``; raises SummaryError."""
    start = papers if papers.is_dir() else Path.cwd()
    try:
        root = Path(git(start, "rev-parse", "--show-toplevel").decode().strip())
    except SummaryError:
        raise SummaryError(f"{start} is not inside a git repository") from None
    try:
        rel = papers.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise SummaryError(f"the records folder {papers} is not inside the repository {root}") from None
    papers_rel = "" if rel == "." else rel
    base = resolve(root, base_ref, "--base")
    head = resolve(root, head_ref, "--head")
    checked_out = head == git(root, "rev-parse", "HEAD").decode().strip()
    with tree_at(root, head, papers_rel, checked_out) as head_dir:
        try:
            summary, vocab = collect(root, papers_rel, base_ref, base, head, head_dir)
        except GitError as exc:
            if exc.subcommand == "merge-base":
                raise SummaryError(f"{base_ref!r} and {head_ref!r} share no history "
                                   "(a shallow clone? check out with fetch-depth: 0)") from None
            raise
        shown = None if checked_out else (str(head_dir.resolve()), papers_rel or ".")
        return render(summary, vocab, links, shown)
