"""What `suggest` watches: papers/watch.yml, read with the guards of every file beside the records.

The file names arXiv categories and, under the id of a topic or tag of the vocabulary, the phrases
that make a paper a candidate for it. Every mistake is one :class:`Problem` (file, line, field,
fix); :func:`load_watch` raises :class:`Refused` with the first few so nothing runs half-configured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.check.common import control_characters
from generator.check.vocabulary import Vocabulary, load_vocabulary
from generator.errors import Refused
from generator.problems import Problem, display_path
from generator.record.fields import WATCH_FILE
from generator.record.located import Located
from generator.record.read import as_text, read_yaml_file

MAX_GROUPS = 100  # topics and tags watched
MAX_TERMS = 30  # phrases per topic or tag
MAX_TERM_LENGTH = 80  # characters in one phrase
MAX_CATEGORIES = 40
MAX_RESULTS = 1000  # the most arXiv answers one run may ask for (arXiv pages them 100 at a time)
DEFAULT_RESULTS = 200
_CATEGORY = re.compile(r"[a-z-]+(?:\.[A-Za-z-]+)?", re.ASCII)
_KNOWN = frozenset({"categories", "terms", "max_results", "huggingface_daily"})
_HINT = "see the comments at the top of papers/watch.yml"


@dataclass(frozen=True)
class Watch:
    """The watch file, checked: categories, phrases by topic or tag id, and how much to ask for."""

    categories: tuple[str, ...]
    terms: dict[str, tuple[str, ...]]  # topic or tag id -> phrases, lower case
    max_results: int = DEFAULT_RESULTS
    huggingface_daily: bool = False


def load_watch(papers: Path, vocabulary: Vocabulary) -> Watch:
    """The checked watch file of the records folder ``papers``; Refused with its problems."""
    watch, problems = read_watch(papers / WATCH_FILE, vocabulary)
    if problems:
        lines = [problem.text() for problem in problems[:5]]
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise Refused("; ".join(lines) + more)
    assert watch is not None
    return watch


def check_watch(papers: Path) -> list[Problem]:
    """The watch file's problems, for `check`; none when the list has no watch file."""
    path = papers / WATCH_FILE
    if not path.exists() and not path.is_symlink():
        return []
    vocabulary, _ = load_vocabulary(papers)
    return read_watch(path, vocabulary)[1]


def read_watch(path: Path, vocabulary: Vocabulary) -> tuple[Watch | None, list[Problem]]:
    entries, problems = read_yaml_file(path, "the watch file", "suggest needs papers/watch.yml: " + _HINT)
    if problems:
        return None, problems
    shown = display_path(path)
    for key, located in entries.items():
        if key not in _KNOWN:
            problems.append(Problem(shown, located.line, key, "unknown setting",
                                    f"the settings are {', '.join(sorted(_KNOWN))}"))
    categories = _categories(entries.get("categories"), shown, problems)
    terms = _terms(entries.get("terms"), shown, vocabulary, problems)
    max_results = _max_results(entries.get("max_results"), shown, problems)
    daily = entries.get("huggingface_daily")
    if daily is not None and not isinstance(daily.value, bool):
        problems.append(Problem(shown, daily.line, "huggingface_daily", f"{daily.source!r} is not true or false"))
    if problems:
        return None, problems
    return Watch(categories, terms, max_results, bool(daily and daily.value)), []


def _categories(located: Located | None, shown: str, problems: list[Problem]) -> tuple[str, ...]:
    if located is None or not isinstance(located.value, list) or not located.value:
        problems.append(Problem(shown, located.line if located else 1, "categories",
                                "needs a list of arXiv categories", "for example [cs.AI, cs.MA]"))
        return ()
    if len(located.value) > MAX_CATEGORIES:
        problems.append(Problem(shown, located.line, "categories", f"more than {MAX_CATEGORIES} categories"))
        return ()
    categories = []
    for item in located.value:
        text = as_text(item)
        if text is None or not _CATEGORY.fullmatch(text):
            problems.append(Problem(shown, item.line, "categories", f"{item.source or text!r} is not an arXiv category",
                                    "for example cs.AI or q-bio.PE"))
        else:
            categories.append(text)
    return tuple(categories)


def _terms(located: Located | None, shown: str, vocabulary: Vocabulary,
           problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    if located is None or not isinstance(located.value, dict) or not located.value:
        problems.append(Problem(shown, located.line if located else 1, "terms",
                                "needs phrases grouped under topic or tag ids", _HINT))
        return {}
    if len(located.value) > MAX_GROUPS:
        problems.append(Problem(shown, located.line, "terms", f"more than {MAX_GROUPS} topics and tags"))
        return {}
    terms: dict[str, tuple[str, ...]] = {}
    for term_id, phrases in located.value.items():
        field = f"terms.{term_id}"
        if term_id not in vocabulary.topics and term_id not in vocabulary.tags:
            problems.append(Problem(shown, phrases.line, field, f"{term_id!r} is neither a topic nor a tag",
                                    "use an id from papers/topics.yml or papers/tags.yml"))
            continue
        if not isinstance(phrases.value, list) or not phrases.value or len(phrases.value) > MAX_TERMS:
            problems.append(Problem(shown, phrases.line, field, f"needs a list of 1 to {MAX_TERMS} phrases"))
            continue
        kept = []
        for item in phrases.value:
            text = as_text(item)
            if text is None or not text.strip() or len(text) > MAX_TERM_LENGTH or control_characters(text):
                problems.append(Problem(shown, item.line, field, f"{item.source!r} is not a phrase",
                                        f"plain text of 1 to {MAX_TERM_LENGTH} characters"))
            else:
                kept.append(" ".join(text.lower().split()))
        terms[term_id] = tuple(kept)
    return terms


def _max_results(located: Located | None, shown: str, problems: list[Problem]) -> int:
    if located is None:
        return DEFAULT_RESULTS
    if not isinstance(located.value, int) or isinstance(located.value, bool) or not 1 <= located.value <= MAX_RESULTS:
        problems.append(Problem(shown, located.line, "max_results", f"{located.source!r} is not a number from 1 to "
                                f"{MAX_RESULTS}"))
        return DEFAULT_RESULTS
    return located.value
