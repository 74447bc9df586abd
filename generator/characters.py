"""What a character is, for rules on contributor text: a bidi control, invisible, or a visible letter.

The classes are Unicode's own properties, read through the ``regex`` module (Python's ``re`` and
``unicodedata`` do not expose them): Bidi_Control (the twelve characters that reorder the text
around them: U+061C, U+200E-200F, U+202A-202E, U+2066-2069) and Default_Ignorable_Code_Point
(zero-width space and joiners, soft hyphen, word joiner, BOM, variation selectors, Hangul fillers,
tag characters ...: the characters a renderer shows as nothing).
"""

from __future__ import annotations

import unicodedata

import regex

_BIDI_CONTROL = regex.compile(r"\p{Bidi_Control}")
_INVISIBLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")


def bidi_controls(text: str) -> list[str]:
    """The bidi control characters in ``text``, in order (empty for legitimate right-to-left text)."""
    return _BIDI_CONTROL.findall(text)


def code_point(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: a character named as a message shows it."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def without_invisible(text: str) -> str:
    """``text`` with every default-ignorable (invisible) character removed."""
    return _INVISIBLE.sub("", text)


def first_invisible(text: str) -> str | None:
    """The first invisible (default-ignorable) character in ``text``, or None."""
    found = _INVISIBLE.search(text)
    return found.group()[0] if found else None


def has_visible_letter(text: str) -> bool:
    """Whether ``text`` holds a letter or digit a reader can see.

    Invisible characters are removed first (a Hangul filler is a "letter" to Unicode's category
    Lo, yet shows as nothing), and combining marks are not letters: a title of only marks, a
    zero-width space or a filler has nothing to read or click.
    """
    return any(char.isalnum() for char in without_invisible(text) if not unicodedata.combining(char))
