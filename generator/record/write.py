"""Write a record file in canonical form (the inverse of the reader).

Used by `new`, the importers and `synth`, so every record the tools write looks
like the ones contributors copy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from generator.record.fields import AUTHORS_UNKNOWN, FIELD_NAMES, NOTES_HEADING, VENUE_KEYS
from generator.record.located import STR_TAG
from generator.text import yaml_quoted

_PLAIN = re.compile(r"^[^\W\d_][\w .,'()&+/-]*[\w.)]$|^[^\W\d_]$", re.UNICODE)
_URL = re.compile(r"^https?://[^\s'\"{}\[\],]+$")
# Quoted always: titles and emerges lines often hold colons; an unquoted arXiv id is a float.
_RESOLVER: Any = yaml.resolver.Resolver()  # the implicit types YAML 1.1 gives a plain scalar
_ALWAYS_QUOTED = frozenset({"title", "arxiv", "emerges"})


def yaml_string(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value``: plain when that is safe, else double-quoted."""
    if _PLAIN.match(value):  # letters, digits, spaces and a little punctuation: no indicator, no ':' or '#'
        if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == STR_TAG:  # not yes/no/null/true ...
            return value
    elif _URL.match(value) and ": " not in value and " #" not in value:
        try:
            if yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
    return yaml_quoted(value)


def _flow_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(yaml_string(v) for v in values) + "]"


def _field_lines(name: str, value: object) -> list[str]:
    if value is None:
        return []
    if name == "authors":
        if value == AUTHORS_UNKNOWN:
            return [f"{name}: {AUTHORS_UNKNOWN}"]
        assert isinstance(value, Sequence)
        return [f"{name}:"] + [f"  - {yaml_string(str(a))}" for a in value]
    if name in ("topics", "tags", "builds_on", "challenges"):
        assert isinstance(value, Sequence)
        if name in ("builds_on", "challenges") and not value:
            return []
        return [f"{name}: {_flow_list([str(v) for v in value])}"]
    if name == "venue":
        assert isinstance(value, Mapping)
        return [f"{name}:"] + [f"  {k}: {v if isinstance(v, int) else yaml_string(str(v))}"
                               for k in VENUE_KEYS if (v := value.get(k)) is not None]
    if name == "links":
        assert isinstance(value, Mapping)
        if not value:
            return []
        return [f"{name}:"] + [f"  {k}: {yaml_string(str(v))}" for k, v in value.items()]
    if name in _ALWAYS_QUOTED:
        return [f"{name}: {yaml_quoted(str(value))}"]
    if isinstance(value, bool):
        return [f"{name}: true"] if value else []
    if isinstance(value, (dt.date, int)):
        return [f"{name}: {value}"]
    return [f"{name}: {yaml_string(str(value))}"]


def format_record(fields: Mapping[str, object], abstract: str, notes: str | None = None) -> str:
    """The text of ``papers/<id>.md`` for these fields, abstract and notes."""
    lines = ["---"]
    for name in FIELD_NAMES:
        lines.extend(_field_lines(name, fields.get(name)))
    lines.append("---")
    text = "\n".join(lines) + "\n\n" + abstract.strip() + "\n"
    if notes and notes.strip():
        text += f"\n{NOTES_HEADING}\n\n{notes.strip()}\n"
    return text
