"""Text facts every stage shares: one line of text, and YAML strings that read back exactly."""

from __future__ import annotations


def one_line(text: str) -> str:
    """``text`` on one line: every run of whitespace (line breaks, tabs, odd spaces) becomes one space."""
    return " ".join(text.split())


def yaml_quoted(text: str, ascii_only: bool = False) -> str:
    """``text`` as a YAML double-quoted scalar that reads back exactly.

    ``"`` and ``\\`` are escaped, and every character that is not printable: a line break, a
    control or invisible character. ``ascii_only`` escapes everything beyond printable ASCII
    too (generated front matter: no raw character can change how MkDocs reads it). A character
    beyond U+FFFF is written ``\\U0001F9E0``, never as a surrogate pair (``json.dumps`` does
    that, and YAML refuses it).
    """
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~" or (not ascii_only and char.isprintable()):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def escaped(text: str) -> str:
    """``text`` with every character that is not printable written as its escape (``\\n``, ``\\u202e``):
    a file name or id shown in a message, a table or a page as the characters it really holds."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)
