"""Read record files: bytes -> front-matter fields with their line numbers.

The reader is the only code that parses ``papers/*.md`` and the vocabulary
files. It never raises for bad input: everything wrong with a file becomes a
:class:`Problem` with the file, the line and the field. It uses libyaml's C
loader when present (about ten times faster than the pure-Python one) and
works on PyYAML's node tree, so every value keeps its line, duplicate keys are
seen, and a scalar keeps the exact text the contributor typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem, display_path
from generator.record.fields import MAX_FOLDER_FILE_BYTES, MAX_RECORD_BYTES, NOTES_HEADING
from generator.record.files import read_bounded, refusal, too_large
from generator.record.located import BOOL_TAG, NULL_TAG, STR_TAG, Located, given_twice
from generator.record.yaml_limits import first_refused
from generator.speed import subset_reader
from generator.text import escaped

Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FRONT_MATTER = "front matter"
_TOO_LARGE_HINT = "check for a paste accident; the limits are in docs/contributing.md"
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
# Characters YAML refuses anywhere in a stream (PyYAML's Reader.NON_PRINTABLE): found here,
# before parsing, so the message names the line and field rather than a byte offset.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


@dataclass
class RawRecord:
    """One record file as read: located fields, body, and problems of form."""

    path: Path
    shown: str  # the path as printed in messages
    fields: dict[str, Located] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    abstract: str = ""
    notes: str = ""
    notes_line: int = 0
    end_line: int = 1  # the closing '---' of the front matter
    problems: list[Problem] = field(default_factory=list)
    readable: bool = False  # the front matter could be read (its fields may still be wrong)

    @property
    def stem(self) -> str:
        return self.path.stem


def decode_text(data: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text with BOM and CRLF/CR line ends normalised, or a problem."""
    if not data or data.isspace():
        return None, [Problem(shown, 1, FRONT_MATTER, "the file is empty",
                              "a record starts with front matter between two '---' lines; "
                              "copy an existing record or run 'make new'")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # what Windows editors call "Unicode"
        return None, [Problem(shown, 1, FRONT_MATTER, "the file is UTF-16, not UTF-8",
                              "save the file as UTF-8 (in Notepad: Save as, Encoding: UTF-8)")]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(shown, line, FRONT_MATTER, "the file is binary, not text (it holds NUL bytes)",
                              "a record is a UTF-8 Markdown file")]
    if data.startswith(b"\xef\xbb\xbf"):  # a byte-order mark, as some editors on Windows write
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        field_name = _field_at(data[: exc.start].decode("utf-8", "replace"), line)
        return None, [Problem(shown, line, field_name,
                              f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                              "save the file as UTF-8")]
    return (text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text), []


def _field_at(text: str, line: int, outside: str = FRONT_MATTER) -> str:
    """The top-level key whose value spans ``line`` (for messages about raw text); ``outside`` above the first."""
    lines = text.split("\n")[: max(line, 1)]
    for candidate in reversed(lines):
        match = _TOP_KEY.match(candidate)
        if match:
            return match.group(1)
    return outside


def split_front_matter(text: str, shown: str) -> tuple[str, int, str, int, list[Problem]]:
    """(front matter text, closing line, body, body's first line, problems)."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return "", 0, text, 1, [Problem(shown, 1, FRONT_MATTER, "the file does not start with '---'",
                                        "put the fields between two '---' lines at the top of the file")]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index]) + "\n"
            body = "\n".join(lines[index + 1:])
            return front, index + 1, body, index + 2, []
    return "", 0, text, 1, [Problem(shown, 1, FRONT_MATTER, "the front matter is not closed",
                                    "add a line '---' after the last field")]


def parse_yaml_mapping(text: str, shown: str, first_line: int, what: str) -> tuple[dict[str, Located], list[Problem]]:
    """A YAML mapping as {key: Located}; ``first_line`` is the file line of ``text``'s line 1."""
    offset = first_line - 1
    unprintable = _NON_PRINTABLE.search(text)
    if unprintable:  # the reader would refuse it (and the pure-Python one raises before parsing)
        char = unprintable.group()
        line = text.count("\n", 0, unprintable.start()) + 1
        kind = "control characters" if unicodedata.category(char) == "Cc" else "characters YAML does not allow"
        return {}, [Problem(shown, line + offset, _field_at(text, line), f"contains {kind} (U+{ord(char):04X})",
                            "remove them; they are invisible and break exports")]
    subset = subset_reader.compose(text, shown, offset)  # the fast twin, for the subset records are written in
    return subset if subset is not None else compose_with_libyaml(text, shown, first_line, what)


def compose_with_libyaml(text: str, shown: str, first_line: int, what: str) -> tuple[dict[str, Located], list[Problem]]:
    """:func:`parse_yaml_mapping` by libyaml's node tree, for any printable text."""
    offset = first_line - 1
    refused = first_refused(text, Loader)  # before anything is composed: an alias is never expanded
    if refused is not None:
        line = refused.line + 1
        return {}, [Problem(shown, line + offset, _field_at(text, line, what), refused.message, refused.hint)]
    loader = Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            # The context mark is where the broken construct began (an open quote, say):
            # the line a contributor has to fix. The problem mark is where the parser gave up.
            mark = exc.context_mark or exc.problem_mark
            line = (mark.line + 1 if mark else 1) + offset
            reason = f"{exc.context}, {exc.problem}" if exc.context else str(exc.problem or exc)
            hint = "check the quoting and indentation on this line; quote values that hold ': ' or start with a special character"
            return {}, [Problem(shown, line, _field_at(text, line - offset),
                                f"{what} is not valid YAML: {reason}", hint)]
        except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
            reason = " ".join(str(exc).split())  # one line, as every message
            return {}, [Problem(shown, first_line, what, f"{what} is not valid YAML: {reason}",
                                "remove control characters; save the file as UTF-8 text")]
        if node is None:
            return {}, [Problem(shown, first_line, what, f"{what} is empty",
                                "write one field per line, e.g. 'title: \"...\"'")]
        if not isinstance(node, yaml.MappingNode):
            return {}, [Problem(shown, node.start_mark.line + 1 + offset, what,
                                f"{what} must be a mapping of 'field: value' lines, not a {_node_kind(node)}",
                                "write one field per line, e.g. 'title: \"...\"'")]
        problems: list[Problem] = []
        return _mapping(loader, node, shown, offset, problems, ""), problems
    finally:
        loader.dispose()


def _node_kind(node: yaml.Node) -> str:
    return "list" if isinstance(node, yaml.SequenceNode) else "single value"


def _mapping(loader: Any, node: yaml.MappingNode, shown: str, offset: int,
             problems: list[Problem], parent: str) -> dict[str, Located]:
    result: dict[str, Located] = {}
    first_seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1 + offset
        name = f"{parent}.{key}" if parent else key
        if key in first_seen:
            problems.append(given_twice(shown, line, name, key, first_seen[key]))
            continue
        first_seen[key] = line
        located = _located(loader, value_node, shown, offset, problems, name)
        located.line = line  # a field is reported on its key's line; list items on their own
        result[key] = located
    return result


def _located(loader: Any, node: yaml.Node, shown: str, offset: int,
             problems: list[Problem], name: str) -> Located:
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.SequenceNode):
        items = [_located(loader, item, shown, offset, problems, name) for item in node.value]
        return Located(items, line, node.tag)
    if isinstance(node, yaml.MappingNode):
        return Located(_mapping(loader, node, shown, offset, problems, name), line, node.tag)
    if node.tag == STR_TAG:  # what construct_object would give, without its bookkeeping
        return Located(node.value, line, STR_TAG, node.value, plain=not getattr(node, "style", None))
    try:
        value = loader.construct_object(node, deep=True)
    except Exception as exc:  # an impossible date 2025-02-30; PyYAML's constructors raise anything on '!!timestamp x'
        known = isinstance(exc, (yaml.YAMLError, ValueError, OverflowError))
        reason = " ".join(str(exc).split()) if known else f"it is not a valid {node.tag.rsplit(':', 1)[-1]}"
        problems.append(Problem(shown, line, name, f"cannot read the value {node.value!r}: {reason}",
                                "quote it if it is meant as text"))
        value = node.value
    return Located(value, line, node.tag, str(node.value), plain=not getattr(node, "style", None))


def as_text(located: Located) -> str | None:
    """A scalar as text, exactly as typed: ``no``, ``on`` and ``2025`` stay text.

    YAML 1.1 turns unquoted ``no``/``yes``/``on`` into booleans and digits into
    numbers; where the record format expects text, the source is what was meant.
    """
    if isinstance(located.value, (list, dict)):
        return None
    if located.tag == NULL_TAG:
        return None
    if located.tag == STR_TAG or isinstance(located.value, str):
        return str(located.value)
    return located.source


def is_yaml_bool(located: Located) -> bool:
    return located.tag == BOOL_TAG


def shown_path(path: Path) -> str:
    """The path as printed in messages; a symbolic link is named itself, not its target."""
    if path.is_symlink():
        return f"{display_path(path.parent)}/{escaped(path.name)}"
    return display_path(path)


def read_record(path: Path, data: bytes | None = None, shown: str | None = None) -> RawRecord:
    """Read one record file; every problem of form is in ``.problems``.

    ``shown`` is the path as messages print it, when the caller knows it already
    (the loader does, for a whole folder at once): :func:`shown_path` by default.
    """
    shown = shown if shown is not None else shown_path(path)
    record = RawRecord(path=path, shown=shown)
    if data is None:
        try:
            data = read_bounded(path, MAX_RECORD_BYTES)
        except OSError as exc:
            record.problems.append(Problem(shown, 1, FRONT_MATTER, f"cannot read the file: {exc.strerror}",
                                           "check that it is a readable regular file"))
            return record
    large = too_large(data, MAX_RECORD_BYTES, "a record")
    if large is not None:
        record.problems.append(Problem(shown, 1, FRONT_MATTER, large, _TOO_LARGE_HINT))
        return record
    text, problems = decode_text(data, shown)
    if text is None:
        record.problems.extend(problems)
        return record
    front, end_line, body, body_line, problems = split_front_matter(text, shown)
    record.problems.extend(problems)
    if problems:
        return record
    record.end_line = end_line
    record.fields, problems = parse_yaml_mapping(front, shown, 2, FRONT_MATTER)
    record.problems.extend(problems)
    record.readable = bool(record.fields) or not problems
    record.body, record.body_line = body, body_line
    record.abstract, record.notes, record.notes_line = split_notes(body, body_line)
    return record


def split_notes(body: str, body_line: int) -> tuple[str, str, int]:
    """(abstract, notes, line of the notes heading or 0)."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() == NOTES_HEADING:
            abstract = "\n".join(lines[:index]).strip()
            notes = "\n".join(lines[index + 1:]).strip()
            return abstract, notes, body_line + index
    return body.strip(), "", 0


def read_vocabulary_file(path: Path) -> tuple[dict[str, Located], list[Problem]]:
    """A vocabulary file (topics.yml or tags.yml) as located entries."""
    return read_yaml_file(path, "the vocabulary file", "the list needs papers/topics.yml and papers/tags.yml")


def read_yaml_file(path: Path, what: str, hint: str, root: Path | None = None) -> tuple[dict[str, Located], list[Problem]]:
    """A YAML mapping file beside the records (vocabulary, redirects, a reading path) as located entries.

    ``root``: the records folder the file must be in (default: the file's folder).
    """
    shown = shown_path(path)
    data, problem = folder_file_bytes(path, root if root is not None else path.parent, what, hint)
    if problem is not None:
        return {}, [problem]
    text, problems = decode_text(data, shown)
    if text is None:
        return {}, [Problem(p.path, p.line, path.name if p.field == FRONT_MATTER else p.field, p.message, p.hint)
                    for p in problems]
    return parse_yaml_mapping(text, shown, 1, path.name)


def folder_file_bytes(path: Path, root: Path, what: str = "the file", hint: str = "") -> tuple[bytes, Problem | None]:
    """The bytes of a file beside the records (vocabulary, redirects, a reading path), or why they are not read.

    The guards of record files (:func:`generator.record.files.refusal`) and a size limit: a link to
    /dev/zero or to a file outside ``root`` is refused unread, and at most one byte past the limit is read.
    """
    shown = shown_path(path)
    if path.is_symlink() or path.exists():
        refused = refusal(path, str(path), root.resolve())
        if refused is None and path.is_dir():
            refused = "is a folder, not a file"
        if refused is not None:
            fix = "commit the file itself, not a link" if "link" in refused else f"{what} is a plain text file"
            return b"", Problem(shown, 1, path.name, refused, fix)
    try:
        data = read_bounded(path, MAX_FOLDER_FILE_BYTES)
    except OSError as exc:
        return b"", Problem(shown, 1, path.name, f"cannot read {what}: {exc.strerror}", hint)
    large = too_large(data, MAX_FOLDER_FILE_BYTES, what)
    if large is not None:
        return b"", Problem(shown, 1, path.name, large, _TOO_LARGE_HINT)
    return data, None
