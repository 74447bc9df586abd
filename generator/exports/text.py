"""Contributor text made safe for machine-readable files: one line, XML 1.0 characters only.

Records are checked before they get here (no control characters), but exports
are read by other programs, so every format cleans its text again rather than
trusting the checker.
"""

from __future__ import annotations

import re

from generator.text import one_line

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/U+FFFF)
# and the C1 controls and non-characters it discourages.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML 1.0 document may not (or should not) contain."""
    return _NOT_XML.sub("", text)


def xml_line(text: str) -> str:
    """``text`` on one line: any run of whitespace (line breaks included) becomes one space."""
    if text.isprintable() and "  " not in text and text == text.strip():
        return text  # the common case, three C calls: no control, format, odd space or non-character
    return one_line(xml_text(text))
