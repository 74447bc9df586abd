"""Importers: what a contributor already has (a BibTeX entry, an arXiv id) as a draft record.

Each importer returns a :class:`Draft` or raises :class:`ImportFailed` with one
line a contributor can act on. ``python -m generator new`` merges the draft
with the options given on the command line (those win) and writes the record.
"""

from __future__ import annotations

from generator.errors import ImportFailed
from generator.importers.draft import Draft

__all__ = ["Draft", "ImportFailed"]
