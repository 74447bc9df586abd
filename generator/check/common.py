"""What every rule shares: suggestions for a misspelt id, and the characters contributor text may not hold."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection

# Unicode categories Cc (C0 and C1 controls) and Cs (surrogates), as unicodedata.category names them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # newlines and tabs allowed


# Suggestions compare a word with every choice (about 10 us each): none among more choices than
# this (the real vocabulary has about 100 terms; a 1 MiB tags.yml can hold 15,000), and in a list of
# unknown terms, for the first few only.
MAX_SUGGESTION_CHOICES = 2_000
MAX_SUGGESTED = 3


def did_you_mean(word: str, choices: Collection[str]) -> str:
    if len(choices) > MAX_SUGGESTION_CHOICES:
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def control_characters(text: str, allow_newlines: bool = False) -> list[str]:
    """Control and format characters that must not be in contributor text."""
    pattern = _CONTROL_IN_TEXT if allow_newlines else _CONTROL
    if pattern.search(text) is None:  # the usual answer, found without a Python loop
        return []
    return [f"U+{ord(char):04X}" for char in pattern.findall(text)]
