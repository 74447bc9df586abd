"""The plain YAML subset records are written in, as regular expressions.

``key: value`` lines at the left margin; one-line scalars: double-quoted without
escapes, single-quoted, or plain (no indicator first, no ': ' or ' #' inside);
flow lists of such scalars; a block list or a one-level mapping of scalars below
a key that has no value on its line; comments and blank lines. :data:`MAPPING`
matches a text exactly when it is a mapping in that subset, and libyaml reads
every such text without error, as that mapping.

:func:`compose` builds the fields of such front matter without libyaml, exactly
as the plain reader (:func:`generator.record.read.compose_with_libyaml`) would;
the reader and the scan (:mod:`generator.speed.quick_scan`) both go through it. Anything outside it
(tabs, YAML's non-printable characters and other line breaks, anchors, aliases, tags,
escapes, block or multi-line scalars, deeper nesting) is left to libyaml, and the plain reader
refuses anchors, aliases, tags and deep nesting before it composes anything.
tests/test_check_scale.py holds both fast paths to libyaml on mutated records.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.problems import Problem
from generator.record.located import BOOL_TAG, MAP_TAG, NULL_TAG, SEQ_TAG, STR_TAG, Located, given_twice

# Characters left to libyaml: YAML's non-printable ones, its other line breaks (NEL, U+2028,
# U+2029), a byte-order mark, tabs; excluded from every class below (\n is among them).
_ODD = "\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"

_KEY = r"[A-Za-z_][A-Za-z0-9_-]{0,63}"  # libyaml refuses a key longer than 1024 characters
_EOL = rf"(?:\x20++(?:\#[^{_ODD}]*+)?)?"  # trailing spaces and a comment
_DQ = rf'"[^"\\{_ODD}]*+"'  # no escapes
_SQ = rf"'(?:[^'{_ODD}]|'')*+'"
# A plain scalar on one line: no indicator first; ': ' and ' #' end it, so neither is inside.
_PLAIN = (rf"""[^\s\-?:,\[\]{{}}\#&*!|>'"%@`\\{_ODD}]"""
          rf"(?:[^\x20:\#{_ODD}]++|:(?=[^\s,\[\]{{}}{_ODD}])|\#|\x20++(?=[^\s\#{_ODD}]))*+")
# The same inside [...], where ',', brackets and braces end it too (and ':' is left to libyaml).
_FLOW_PLAIN = (rf"""[^\s\-?:,\[\]{{}}\#&*!|>'"%@`\\{_ODD}]"""
               rf"(?:[^\x20:\#,\[\]{{}}{_ODD}]++|\x20++(?=[^\s\#:,\[\]{{}}{_ODD}]))*+")
_FLOW_ITEM = rf"(?:{_FLOW_PLAIN}|{_DQ}|{_SQ})"
_FLOW = rf"\[\x20*+(?:{_FLOW_ITEM}(?:\x20*+,\x20*+{_FLOW_ITEM})*+\x20*+)?\]"
_SCALAR = rf"(?:{_DQ}|{_SQ}|{_PLAIN})"
_BLANK = rf"\x20*+(?:\#[^{_ODD}]*+)?\n"
# Below a key with no value: a block list (items at one indentation, possibly none) or a mapping.
_SEQ = (rf"(?:{_BLANK})*+(?P<si>\x20*+)-(?:\x20++{_SCALAR})?{_EOL}\n"
        rf"(?:{_BLANK}|(?P=si)-(?:\x20++{_SCALAR})?{_EOL}\n)*+")
_MAP = (rf"(?:{_BLANK})*+(?P<mi>\x20++){_KEY}:(?:\x20++{_SCALAR})?{_EOL}\n"
        rf"(?:{_BLANK}|(?P=mi){_KEY}:(?:\x20++{_SCALAR})?{_EOL}\n)*+")
_BODY = rf"(?:{_KEY}:(?:\x20++(?:{_FLOW}|{_SCALAR}){_EOL}\n|{_EOL}\n(?:{_SEQ}|{_MAP})?)|{_BLANK})*+"

# A mapping in the subset; its text ends with a line break (as split_front_matter gives it).
MAPPING = re.compile(_BODY)
# A record whose front matter is in the subset, as split_front_matter finds it: from an opening
# '---' line to the first '---' or '...' line (no line the subset accepts can be one).
# A value after 'key:', a flow list item and a block list line, in text MAPPING accepted.
VALUE = re.compile(rf'\x20+(?:"(?P<dq>[^"\n]*)"|\'(?P<sq>(?:[^\'\n]|\'\')*+)\'|(?P<flow>{_FLOW})|(?P<plain>{_PLAIN})){_EOL}')
ITEM = re.compile(rf'"(?P<dq>[^"\n]*)"|\'(?P<sq>(?:[^\'\n]|\'\')*+)\'|(?P<plain>{_FLOW_PLAIN})')
BLOCK_ITEM = re.compile(rf"\x20*-(?:\x20+(?:\"(?P<dq>[^\"\n]*)\"|'(?P<sq>(?:[^'\n]|'')*+)'|(?P<plain>{_PLAIN})))?{_EOL}")


def scalar(match: re.Match[str]) -> tuple[str, bool]:
    """(the value's text, whether it was plain) of a VALUE, ITEM or BLOCK_ITEM match of a scalar."""
    plain = match.group("plain")
    if plain is not None:
        return plain, True
    quoted = match.group("dq")
    if quoted is not None:
        return quoted, False
    quoted = match.group("sq")
    if quoted is not None:
        return quoted.replace("''", "'"), False
    return "", True  # an empty list item: null


# --- front matter in the subset, as the plain reader gives it -----------------------------------

class _Decline(Exception):
    """The text is libyaml's to read after all."""


_RESOLVER: Any = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# First character -> the implicit types (bool, int, float, null, timestamp ...) a plain scalar starting
# with it may have; None would hold those for any character. PyYAML's own table, as resolve() reads it.
_IMPLICIT: dict[str | None, Any] = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCT = {tag: yaml.constructor.SafeConstructor.yaml_constructors[tag]
              for tag in (NULL_TAG, BOOL_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                          "tag:yaml.org,2002:timestamp")}


def compose(text: str, shown: str, offset: int,
            only: frozenset[str] | None = None) -> tuple[dict[str, Located], list[Problem]] | None:
    """The mapping of ``text`` as _mapping would give it, when ``text`` is in the plain subset.

    Records are nearly always written in this subset; reading its lines directly costs a fraction
    of composing libyaml's node tree. None: libyaml's to read
    (:func:`generator.record.read.compose_with_libyaml`, the plain twin). ``only``: the top-level
    keys whose values are wanted (the scan's); the others are skipped, a key given twice is still
    a problem.
    """
    if MAPPING.fullmatch(text) is None:
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
                problems.append(given_twice(shown, number, key, key, first_seen[key]))
                continue
            first_seen[key] = number
            if only is not None and key not in only:
                continue
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
        return Located(rest[2:-1], line, STR_TAG, rest[2:-1], False)
    value = VALUE.fullmatch(rest)
    if value is None:
        raise _Decline
    flow = value.group("flow")
    if flow is not None:
        items = [_subset_scalar(*scalar(item), line, name, shown, problems)
                 for item in ITEM.finditer(flow)]
        return Located(items, line, SEQ_TAG)
    return _subset_scalar(*scalar(value), line, name, shown, problems)


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
                items.append(Located(value, number, STR_TAG, value, True))  # the usual name: plain text
                continue
            item = BLOCK_ITEM.fullmatch(text)
            if item is None or item.lastindex is None:
                raise _Decline  # an empty item: libyaml places its null on another line
            items.append(_subset_scalar(*scalar(item), number, name, shown, problems))
        return Located(items, line, SEQ_TAG)
    mapping: dict[str, Located] = {}
    first_seen: dict[str, int] = {}
    for number, text in numbered:
        key, _, rest = text.lstrip(" ").partition(":")
        full = f"{name}.{key}"
        if key in first_seen:
            problems.append(given_twice(shown, number, full, key, first_seen[key]))
            continue
        first_seen[key] = number
        mapping[key] = (_subset_value(rest, number, full, shown, problems) if _has_value(rest)
                        else _subset_scalar("", True, number, full, shown, problems))
    return Located(mapping, line, MAP_TAG)


def _subset_scalar(text: str, plain: bool, line: int, name: str, shown: str, problems: list[Problem]) -> Located:
    """A scalar as _located makes it: the type YAML 1.1 gives plain text, the text as typed."""
    if not plain:
        return Located(text, line, STR_TAG, text, plain=False)
    if text and text[0] not in _IMPLICIT and None not in _IMPLICIT:  # no implicit type starts so
        return Located(text, line, STR_TAG, text, plain=True)
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == STR_TAG:
        return Located(text, line, STR_TAG, text, plain=True)
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
