"""Templates split once at their slots, then filled by joining strings.

Rendering a Jinja2 template per paper costs more than everything else a paper page
needs (~90 us of ~150 at 100k papers). A template whose per-page values are only
``{{ slot }}`` placeholders (no loops, conditions or filters on them) renders to its
text with each value escaped into place, so it is rendered once with a marker in
each slot, split at the markers, and filled per page with ``markupsafe.escape`` of
each value: exactly what Jinja's autoescaping would have printed
(tests/test_fast_path.py checks the two against each other). Loops and optional
parts are made in Python from small templates split the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.errors import SplitError

_MARK = "\x1a"  # cannot occur in a template's own text
_SLOT = re.compile(_MARK + "([A-Za-z_][A-Za-z0-9_]*)" + _MARK)



@dataclass(frozen=True)
class Split:
    """A template's text between its slots: ``pieces[0] + slot 0 + pieces[1] + ... + pieces[-1]``.

    Slots named in ``html`` take HTML made by the caller (other split templates, Markdown
    rendered safely) and are not escaped, as a Markup value is not in Jinja.
    """

    pieces: tuple[str, ...]
    slots: tuple[str, ...]
    html: frozenset[str] = frozenset()

    @classmethod
    def of(cls, render: Callable[..., object], slots: Sequence[str], html: Sequence[str] = (),
           **constants: object) -> Split:
        """Split what ``render(**slots, **constants)`` prints; every slot must be printed as it is."""
        text = str(render(**{name: _marker(name, name in html) for name in slots}, **constants))
        parts = _SLOT.split(text)
        pieces, found = tuple(parts[0::2]), tuple(parts[1::2])
        if any(_MARK in piece for piece in pieces) or set(found) != set(slots):
            raise SplitError(f"a template does not print each of {sorted(slots)} as it is "
                             f"(found {sorted(set(found))}); only {{{{ slot }}}} placeholders can be split")
        return cls(pieces, found, frozenset(html))

    def fill(self, values: Mapping[str, object]) -> str:
        """The text with each slot's value escaped, but for the ``html`` slots."""
        pieces, html = self.pieces, self.html
        out = [pieces[0]]
        for index, slot in enumerate(self.slots, 1):
            value = values[slot]
            out.append(str(value) if slot in html else text(value))
            out.append(pieces[index])
        return "".join(out)

    def __call__(self, **values: object) -> str:
        return self.fill(values)


def text(value: object) -> str:
    """``value`` escaped for HTML, as ``markupsafe.escape`` (and so Jinja's autoescaping) does."""
    if type(value) is str:
        if "&" in value or "<" in value or ">" in value or "'" in value or '"' in value:
            return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("'", "&#39;").replace('"', "&#34;"))
        return value
    return str(escape(value))


def _marker(name: str, html: bool) -> str:
    marker = f"{_MARK}{name}{_MARK}"
    return Markup(marker) if html else marker
