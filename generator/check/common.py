"""What every rule shares: suggestions for a misspelt id, and the characters contributor text may not hold."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# Unicode categories Cc (C0 and C1 controls) and Cs (surrogates), as unicodedata.category names them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # newlines and tabs allowed


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def control_characters(text: str, allow_newlines: bool = False) -> list[str]:
    """Control and format characters that must not be in contributor text."""
    pattern = _CONTROL_IN_TEXT if allow_newlines else _CONTROL
    if pattern.search(text) is None:  # the usual answer, found without a Python loop
        return []
    return [f"U+{ord(char):04X}" for char in pattern.findall(text)]
