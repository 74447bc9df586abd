"""MkDocs' own file writes, routed through the generator's writer while a build runs.

MkDocs empties the site folder before every build and rewrites every file. With
100k paper pages that undoes everything an incremental build saves: `mkdocs serve`
would rewrite them all on each change, and a no-change rebuild would touch every
file. While installed, MkDocs' ``write_file`` and ``copy_file`` write only changed
bytes (by renaming, so a file hard-linked from the previous site is never modified
in place) and ``clean_directory`` does nothing; the hook removes what the build no
longer produces at the end instead (:meth:`SiteWriter.remove_stale`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs import utils

from generator.write import SiteWriter

_ORIGINALS: dict[str, Callable[..., Any]] = {}


def install(writer: SiteWriter) -> None:
    """Route MkDocs' writes under ``writer.root`` through ``writer`` (until :func:`uninstall`)."""
    uninstall()
    _ORIGINALS.update(write_file=utils.write_file, copy_file=utils.copy_file, clean_directory=utils.clean_directory)
    original_write, original_copy = utils.write_file, utils.copy_file

    def write_file(content: bytes, output_path: str) -> None:
        if _inside(writer, output_path):
            writer.write(writer.relative(output_path), content)
        else:
            original_write(content, output_path)

    def copy_file(source_path: str, output_path: str) -> None:
        if os.path.isdir(output_path):
            output_path = os.path.join(output_path, os.path.basename(source_path))
        if _inside(writer, output_path):
            writer.copy(Path(source_path), writer.relative(output_path))
        else:
            original_copy(source_path, output_path)

    def clean_directory(directory: str) -> None:
        pass  # files the build no longer produces are removed after it (SiteWriter.remove_stale)

    utils.write_file = write_file
    utils.copy_file = copy_file
    utils.clean_directory = clean_directory


def uninstall() -> None:
    """Give MkDocs its own functions back."""
    for name, function in _ORIGINALS.items():
        setattr(utils, name, function)
    _ORIGINALS.clear()


def _inside(writer: SiteWriter, path: str) -> bool:
    root = os.path.abspath(writer.root)
    return os.path.abspath(path).startswith(root + os.sep)
