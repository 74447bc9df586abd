"""The rules every piece of contributor text follows beyond control characters: no bidi controls,
and something to see where a reader must see something (a title, a name).

Each returns the message and fix of a :class:`generator.problems.Problem` (the caller knows the
file, line and field), or None when the text is fine.
"""

from __future__ import annotations

from generator.characters import bidi_controls, code_point, first_invisible, has_visible_letter

BIDI_HINT = "remove it; right-to-left text such as an Arabic or Hebrew name needs no control characters"


def bidi_problem(text: str) -> tuple[str, str] | None:
    """A right-to-left override or any other bidi control: it reorders the text shown after it
    (a card's year "2025" reads "5202"), in our pages and wherever the text is copied to."""
    found = bidi_controls(text)
    if not found:
        return None
    return f"holds a bidirectional control character ({code_point(found[0])}) that can reorder the text around it", BIDI_HINT


def invisible_problem(text: str, what: str) -> tuple[str, str] | None:
    """Text with no letter or digit a reader can see: only invisible characters, combining marks,
    a Hangul filler, or symbols. ``what`` names what to write instead ("the paper's title")."""
    if has_visible_letter(text):
        return None
    hidden = first_invisible(text)
    shown = f" (it holds {code_point(hidden)})" if hidden else ""
    return f"has no visible letter or digit{shown}", f"write {what}"


def identifier_problem(text: str) -> tuple[str, str] | None:
    """An invisible character in an arXiv id or DOI: it can disguise what the identifier points at."""
    hidden = first_invisible(text)
    if hidden is None:
        return None
    return (f"{text!r} holds an invisible character ({code_point(hidden)}) that can disguise where it leads",
            "type it again, without it")
