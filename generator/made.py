"""How a pure stage gets per-item results (a paper's BibTeX entry, its browse words, a listing page).

Stages that render something per paper or per term ask a :class:`Made` for it, naming the
item and the inputs it depends on. :data:`FRESH` makes every item each time: a plain build.
:class:`generator.speed.reuse.Reuse` keeps items from one build to the next in the same
process (``mkdocs serve``) and returns an item again while its inputs are equal. Either way
the stage's output is the same; no stage keeps a cache of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Made(Protocol):
    def get(self, kind: str, name: str, inputs: object, make: Callable[[], T]) -> T:
        """The item ``name`` of ``kind``, made by ``make()`` from ``inputs`` (compared by equality)."""
        ...


class Fresh:
    """Every item made anew."""

    def get(self, kind: str, name: str, inputs: object, make: Callable[[], T]) -> T:
        return make()


FRESH: Made = Fresh()
