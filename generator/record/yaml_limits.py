"""What YAML may not hold in our files, found in the parser's events before anything is composed.

Records, the vocabulary, reading paths and redirects never need anchors (``&a``), aliases
(``*a``) or tags (``!!python/object``, ``!foo``), nor lists and mappings nested deeper than a few
levels. An alias is what makes a ten-line file expand to gigabytes when it is composed and walked;
deep nesting is what makes a recursive walk fail. The parser's event stream shows each of them
where it is written, one event at a time, and nothing is expanded or built while it is read.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import yaml

from generator.record.fields import MAX_NESTING

_SHOWN = 40  # characters of an anchor or tag name shown in a message
_STANDARD = "tag:yaml.org,2002:"
_WRITE_OUT = "write each value out in full: anchors, aliases and tags are not allowed"


class Refused(NamedTuple):
    line: int  # 0-based, in the text given
    message: str
    hint: str


def first_refused(text: str, loader_class: Any) -> Refused | None:
    """The first anchor, alias, tag or too-deep list or mapping in ``text``; None when there is none.

    Text the parser cannot read is None too: the composer says what is wrong with it, as before.
    """
    parser = loader_class(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            line = event.start_mark.line
            if isinstance(event, yaml.AliasEvent):
                return Refused(line, f"uses the YAML alias '*{_short(event.anchor or '')}'", _WRITE_OUT)
            anchor, tag = getattr(event, "anchor", None), getattr(event, "tag", None)
            if anchor is not None:
                return Refused(line, f"uses the YAML anchor '&{_short(anchor)}'", _WRITE_OUT)
            if tag is not None:
                return Refused(line, f"uses the YAML tag '{_shown_tag(tag)}'",
                               "remove the tag, and quote the value if it is text: tags, anchors and aliases are not allowed")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return Refused(line, f"nests lists and mappings more than {MAX_NESTING} deep",
                                   "check the brackets and the indentation: a record needs 2 levels (links:), "
                                   "a reading path 3 (steps:)")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None


def _short(name: str) -> str:
    """At most _SHOWN characters, none a control character (a tag may hold %-escaped ones)."""
    shown = "".join(c if c.isprintable() else "?" for c in name[:_SHOWN])
    return shown if len(name) <= _SHOWN else shown + "…"


def _shown_tag(tag: str) -> str:
    """A tag as it is typed: ``!!python/object`` for the standard prefix's, else as given (``!foo``)."""
    return _short("!!" + tag[len(_STANDARD):] if tag.startswith(_STANDARD) else tag)
