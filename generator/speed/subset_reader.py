"""The plain YAML subset records are written in, as regular expressions.

``key: value`` lines at the left margin; one-line scalars: double-quoted without
escapes, single-quoted, or plain (no indicator first, no ': ' or ' #' inside);
flow lists of such scalars; a block list or a one-level mapping of scalars below
a key that has no value on its line; comments and blank lines. :data:`MAPPING`
matches a text exactly when it is a mapping in that subset, and libyaml reads
every such text without error, as that mapping.

Two fast paths stand on it: the reader (:mod:`generator.record.read`) builds the
fields of such front matter without libyaml, and the scan
(:mod:`generator.speed.quick_scan`) reads a few fields from it. Anything outside it
(tabs, YAML's non-printable characters and other line breaks, anchors, tags,
escapes, block or multi-line scalars, deeper nesting) is left to libyaml.
tests/test_check_scale.py holds both fast paths to libyaml on mutated records.
"""

from __future__ import annotations

import re

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
RECORD = re.compile(rf"---[^\S\n]*+\n(?P<front>{_BODY})(?:---|\.\.\.)[^\S\n]*+(?:\n|\Z)")
# A value after 'key:', a flow list item and a block list line, in text MAPPING accepted.
VALUE = re.compile(rf'\x20+(?:"(?P<dq>[^"\n]*)"|\'(?P<sq>(?:[^\'\n]|\'\')*+)\'|(?P<flow>{_FLOW})|(?P<plain>{_PLAIN})){_EOL}')
ITEM = re.compile(rf'"(?P<dq>[^"\n]*)"|\'(?P<sq>(?:[^\'\n]|\'\')*+)\'|(?P<plain>{_FLOW_PLAIN})')
BLOCK_ITEM = re.compile(rf"\x20*-(?:\x20+(?:\"(?P<dq>[^\"\n]*)\"|'(?P<sq>(?:[^'\n]|'')*+)'|(?P<plain>{_PLAIN})))?{_EOL}")
NULLS = frozenset({"", "~", "null", "Null", "NULL"})  # the plain scalars YAML reads as null


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
