"""One exception hierarchy: every failure the generator explains in one line.

Problems in records are not exceptions: they are :class:`generator.problems.Problem` values,
collected and reported together. These are the failures that stop a command. Each carries
the offending value where there is one, and its message is the line a person reads; the
command line prints it, and inside MkDocs the plugin turns it into a ``PluginError``.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence

# What a person can do about an OS error that is no bug: the disk, its permissions, its quota.
_WHAT_TO_DO = {
    errno.ENOSPC: "free some space on that disk, then run the command again",
    errno.EDQUOT: "free some space within your quota, then run the command again",
    errno.EROFS: "that file system is read-only: choose a folder on a writable disk",
    errno.EACCES: "you may not write there: change its permissions, or choose another folder",
    errno.EPERM: "you may not write there: change its permissions, or choose another folder",
}


def os_error_line(exc: OSError) -> str | None:
    """One line for an OS error a person can fix (no space, read-only, permission), naming the path; else None."""
    fix = _WHAT_TO_DO.get(exc.errno or 0)
    if fix is None:
        return None
    reason = (exc.strerror or os.strerror(exc.errno or 0)).lower()
    where = f"cannot write {exc.filename}: " if exc.filename else "cannot write: "
    return f"{where}{reason} ({fix})"


class GeneratorError(Exception):
    """Base class; ``value`` is the offending input, when there is one."""

    def __init__(self, message: str, value: object = None) -> None:
        super().__init__(message)
        self.value = value


class ThemeError(GeneratorError):
    """The theme's page or a paper template no longer has the shape the fast paper pages need."""


class ShellError(ThemeError):
    """The theme's page did not keep a placeholder (an override changed the template)."""


class SplitError(ThemeError):
    """A template changes a slot's value (a filter, a test on it): it cannot be filled by joining."""


class HelperFailed(GeneratorError):
    """The helper process failed or was killed: the build cannot be trusted."""


class OutRefused(GeneratorError):
    """`build --out` names something that is not a site a build wrote: it is never replaced."""


class SummaryError(GeneratorError):
    """The refs of a pull request cannot be compared (pr-summary)."""


class GitError(SummaryError):
    """A git command failed; ``value`` is its argument list."""

    def __init__(self, message: str, command: Sequence[str]) -> None:
        super().__init__(message, tuple(command))

    @property
    def subcommand(self) -> str:
        return str(self.value[0]) if isinstance(self.value, tuple) and self.value else ""


class Refused(GeneratorError):
    """`new` cannot create the record (a duplicate, a file that exists, a bad option)."""


class ImportFailed(GeneratorError):
    """An importer (arXiv, BibTeX) could not give a draft record."""


class SynthError(GeneratorError):
    """The synthetic corpus cannot be written."""
