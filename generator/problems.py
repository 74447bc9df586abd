"""Problems found in records: what the checker reports to contributors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from generator.text import escaped


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one place: file, line, field, what is wrong, how to fix it."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self) -> str:
        """``papers/x.md:9: tags: unknown tag 'tool-usage' (did you mean 'tool-use'?)``"""
        prefix = "" if self.is_error else "warning: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}: {prefix}{self.field}: {self.message}{hint}"

    def github(self) -> str:
        """The same problem as a GitHub Actions workflow command (an annotation)."""
        hint = f" ({self.hint})" if self.hint else ""
        body = _escape_data(f"{self.field}: {self.message}{hint}")
        props = f"file={_escape_property(self.path)},line={self.line},title={_escape_property(self.field)}"
        return f"::{self.severity.value} {props}::{body}"


def display_path(path: Path) -> str:
    """A path as contributors see it: relative to the working directory when inside it, a character
    that is not printable (a newline ending a file name) written as its escape, so a message stays one line."""
    try:
        return escaped(path.resolve().relative_to(Path.cwd().resolve()).as_posix())
    except ValueError:
        return escaped(path.as_posix())


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
