"""A value read from YAML with the line it starts on, as both readers of front matter give it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.problems import Problem

BOOL_TAG = "tag:yaml.org,2002:bool"
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"


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


def given_twice(shown: str, line: int, field: str, key: str, first: int) -> Problem:
    """A key repeated in one mapping: PyYAML would silently keep the last value."""
    return Problem(shown, line, field, f"'{key}' is given twice (first on line {first}); YAML would keep only the last",
                   "merge the two into one")
