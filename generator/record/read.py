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
from generator.record.fields import NOTES_HEADING
from generator.speed import subset_reader as yaml_subset

Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FRONT_MATTER = "front matter"
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
# Characters YAML refuses anywhere in a stream (PyYAML's Reader.NON_PRINTABLE): found here,
# before parsing, so the message names the line and field rather than a byte offset.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


@dataclass
class Located:
    """A value from a YAML file with the 1-based line it starts on.

    Lists and mappings hold Located items, so a bad tag in a list of five is
    reported on its own line. ``source`` is the scalar exactly as typed.
    """

    value: Any
    line: int
    tag: str = ""
    source: str = ""
    plain: bool = False  # an unquoted scalar: what YAML 1.1 may have retyped

    def plain_value(self) -> Any:
        """The value without Located wrappers (lists and dicts unwrapped)."""
        if isinstance(self.value, list):
            return [item.plain_value() for item in self.value]
        if isinstance(self.value, dict):
            return {key: item.plain_value() for key, item in self.value.items()}
        return self.value


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
    if not data.strip():
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
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _field_at(text: str, line: int) -> str:
    """The top-level key whose value spans ``line`` (for messages about raw text)."""
    lines = text.split("\n")[: max(line, 1)]
    for candidate in reversed(lines):
        match = _TOP_KEY.match(candidate)
        if match:
            return match.group(1)
    return FRONT_MATTER


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
    subset = _compose_subset(text, shown, offset)
    return subset if subset is not None else compose_with_libyaml(text, shown, first_line, what)


def compose_with_libyaml(text: str, shown: str, first_line: int, what: str) -> tuple[dict[str, Located], list[Problem]]:
    """:func:`parse_yaml_mapping` by libyaml's node tree, for any printable text."""
    offset = first_line - 1
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


class _Decline(Exception):
    """The text is libyaml's to read after all."""


_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_RESOLVER: Any = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# First character -> the implicit types (bool, int, float, null, timestamp ...) a plain scalar starting
# with it may have; None would hold those for any character. PyYAML's own table, as resolve() reads it.
_IMPLICIT: dict[str | None, Any] = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCT = {tag: yaml.constructor.SafeConstructor.yaml_constructors[tag]
              for tag in (_NULL_TAG, _BOOL_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                          "tag:yaml.org,2002:timestamp")}


def _compose_subset(text: str, shown: str, offset: int) -> tuple[dict[str, Located], list[Problem]] | None:
    """The mapping of ``text`` as _mapping would give it, when ``text`` is in the plain subset.

    Records are nearly always written in :mod:`generator.speed.subset_reader`; reading its lines
    directly costs a fraction of composing libyaml's node tree. None: libyaml's to read.
    """
    if yaml_subset.MAPPING.fullmatch(text) is None:
        return None
    lines = text.split("\n")
    fields: dict[str, Located] = {}
    first_seen: dict[str, int] = {}
    problems: list[Problem] = []
    count, index = len(lines), 0
    try:
        while index < count:
            line = lines[index]
            index += 1
            if not line or line[0] in " #":
                continue  # a blank or comment line (the subset has no other indented line here)
            key, _, rest = line.partition(":")
            number = index + offset
            below = index
            inline = _has_value(rest)
            if not inline:
                while index < count and (not lines[index] or lines[index][0] in " -#"):
                    index += 1
            if key in first_seen:
                problems.append(_given_twice(shown, number, key, key, first_seen[key]))
                continue
            first_seen[key] = number
            located = (_subset_value(rest, number, key, shown, problems) if inline
                       else _subset_block(lines[below:index], below + 1 + offset, number, key, shown, problems))
            located.line = number
            fields[key] = located
    except _Decline:
        return None
    if not fields:
        return None  # blank, or only comments: libyaml names that
    return fields, problems


def _has_value(rest: str) -> bool:
    """Whether the text after 'key:' holds a value (else the value is below, or null)."""
    stripped = rest.lstrip(" ")
    return bool(stripped) and stripped[0] != "#"


def _subset_value(rest: str, line: int, name: str, shown: str, problems: list[Problem]) -> Located:
    if rest[:2] == ' "' and rest[-1] == '"' and '"' not in rest[2:-1]:  # the usual quoted text
        return Located(rest[2:-1], line, _STR_TAG, rest[2:-1], False)
    value = yaml_subset.VALUE.fullmatch(rest)
    if value is None:
        raise _Decline
    flow = value.group("flow")
    if flow is not None:
        items = [_subset_scalar(*yaml_subset.scalar(item), line, name, shown, problems)
                 for item in yaml_subset.ITEM.finditer(flow)]
        return Located(items, line, _SEQ_TAG)
    return _subset_scalar(*yaml_subset.scalar(value), line, name, shown, problems)


def _subset_block(lines: list[str], first: int, line: int, name: str, shown: str,
                  problems: list[Problem]) -> Located:
    """The value below a key: a block list, a mapping, or (only blank lines or comments) null."""
    numbered = [(first + i, text) for i, text in enumerate(lines) if (s := text.lstrip(" ")) and s[0] != "#"]
    if not numbered:
        return _subset_scalar("", True, line, name, shown, problems)
    if numbered[0][1].lstrip(" ")[0] == "-":
        items = []
        for number, text in numbered:
            value = text.lstrip(" ")[1:].lstrip(" ")
            if (value and value[0] not in "\"'#" and value[0] not in _IMPLICIT and None not in _IMPLICIT
                    and " #" not in value and value[-1] != " "):
                items.append(Located(value, number, _STR_TAG, value, True))  # the usual name: plain text
                continue
            item = yaml_subset.BLOCK_ITEM.fullmatch(text)
            if item is None or item.lastindex is None:
                raise _Decline  # an empty item: libyaml places its null on another line
            items.append(_subset_scalar(*yaml_subset.scalar(item), number, name, shown, problems))
        return Located(items, line, _SEQ_TAG)
    mapping: dict[str, Located] = {}
    first_seen: dict[str, int] = {}
    for number, text in numbered:
        key, _, rest = text.lstrip(" ").partition(":")
        full = f"{name}.{key}"
        if key in first_seen:
            problems.append(_given_twice(shown, number, full, key, first_seen[key]))
            continue
        first_seen[key] = number
        mapping[key] = (_subset_value(rest, number, full, shown, problems) if _has_value(rest)
                        else _subset_scalar("", True, number, full, shown, problems))
    return Located(mapping, line, _MAP_TAG)


def _subset_scalar(text: str, plain: bool, line: int, name: str, shown: str, problems: list[Problem]) -> Located:
    """A scalar as _located makes it: the type YAML 1.1 gives plain text, the text as typed."""
    if not plain:
        return Located(text, line, _STR_TAG, text, plain=False)
    if text and text[0] not in _IMPLICIT and None not in _IMPLICIT:  # no implicit type starts so
        return Located(text, line, _STR_TAG, text, plain=True)
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR_TAG:
        return Located(text, line, _STR_TAG, text, plain=True)
    construct = _CONSTRUCT.get(tag)
    if construct is None:
        raise _Decline  # '=' or '<<': rare, and libyaml knows what to say
    try:
        value = construct(_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except (ValueError, OverflowError) as exc:  # an impossible date 2025-02-30, as _located reports it
        problems.append(Problem(shown, line, name, f"cannot read the value {text!r}: {' '.join(str(exc).split())}",
                                "quote it if it is meant as text"))
        value = text
    except Exception as exc:
        raise _Decline from exc
    return Located(value, line, tag, text, plain=True)


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
            problems.append(_given_twice(shown, line, name, key, first_seen[key]))
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
    if node.tag == _STR_TAG:  # what construct_object would give, without its bookkeeping
        return Located(node.value, line, _STR_TAG, node.value, plain=not getattr(node, "style", None))
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
    if located.tag == _NULL_TAG:
        return None
    if located.tag == _STR_TAG or isinstance(located.value, str):
        return str(located.value)
    return located.source


def is_yaml_bool(located: Located) -> bool:
    return located.tag == _BOOL_TAG


def _given_twice(shown: str, line: int, field: str, key: str, first: int) -> Problem:
    """A key repeated in one mapping: PyYAML would silently keep the last value."""
    return Problem(shown, line, field, f"'{key}' is given twice (first on line {first}); YAML would keep only the last",
                   "merge the two into one")


def shown_path(path: Path) -> str:
    """The path as printed in messages; a symbolic link is named itself, not its target."""
    if path.is_symlink():
        return f"{display_path(path.parent)}/{path.name}"
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
            data = path.read_bytes()
        except OSError as exc:
            record.problems.append(Problem(shown, 1, FRONT_MATTER, f"cannot read the file: {exc.strerror}",
                                           "check that it is a readable regular file"))
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
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return {}, [Problem(shown, 1, path.name, f"cannot read the vocabulary file: {exc.strerror}",
                            "the list needs papers/topics.yml and papers/tags.yml")]
    text, problems = decode_text(data, shown)
    if text is None:
        return {}, [Problem(p.path, p.line, path.name if p.field == FRONT_MATTER else p.field, p.message, p.hint)
                    for p in problems]
    return parse_yaml_mapping(text, shown, 1, path.name)
