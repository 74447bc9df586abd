"""The vocabulary files (topics.yml, tags.yml): each entry checked, and the vocabulary the records are checked against."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.check.common import control_characters, did_you_mean
from generator.check.text_rules import bidi_problem, invisible_problem
from generator.model import FACETS, Tag, Term, Topic
from generator.problems import Problem
from generator.record.fields import (
    TAGS_FILE,
    TOPICS_FILE,
)
from generator.record.ids import ID_RULE, is_valid_id, reserved
from generator.record.located import Located
from generator.record.read import as_text, read_vocabulary_file
from generator.text import escaped


@dataclass
class Vocabulary:
    """The controlled vocabulary with where each entry is defined."""

    topics: dict[str, Topic] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, id) -> line
    paths: dict[str, str] = field(default_factory=dict)  # kind -> shown path
    unreadable: set[str] = field(default_factory=set)  # kinds whose file could not be read


def load_vocabulary(papers_dir: Path) -> tuple[Vocabulary, list[Problem]]:
    vocab = Vocabulary()
    problems: list[Problem] = []
    for kind, filename, cls in (("topic", TOPICS_FILE, Topic), ("tag", TAGS_FILE, Tag)):
        path = papers_dir / filename
        entries, found = read_vocabulary_file(path)
        problems.extend(found)
        if found and not entries:
            vocab.unreadable.add(kind)
        shown = found[0].path if found else _shown(path)
        vocab.paths[kind] = shown
        target: dict[str, Any] = vocab.topics if kind == "topic" else vocab.tags
        for term_id, located in entries.items():
            term = _term(cls, kind, term_id, located, shown, problems)
            if term is not None:
                target[term_id] = term
                vocab.lines[(kind, term_id)] = located.line
    return vocab, problems


def _shown(path: Path) -> str:
    from generator.problems import display_path
    return display_path(path)


def _term(cls: type[Term], kind: str, term_id: str, located: Located, shown: str,
          problems: list[Problem]) -> Term | None:
    if not is_valid_id(term_id):
        problems.append(Problem(shown, located.line, escaped(term_id) or f"({kind} id)", f"'{escaped(term_id)}' is not a valid {kind} id",
                                f"use {ID_RULE.replace('retool-2025', 'tool-use')}"))
        return None
    why = reserved(term_id)
    if why:
        problems.append(Problem(shown, located.line, term_id, why, f"choose another id for the {kind}"))
        return None
    keys = ("title", "facet", "description") if kind == "tag" else ("title", "description")
    if not isinstance(located.value, dict):
        problems.append(Problem(shown, located.line, term_id, f"the {kind} must have {_listed(keys)}",
                                f"indent {_listed(keys, quoted=True)} under the id"))
        return None
    values: dict[str, str] = {}
    for key, item in located.value.items():
        if key not in keys:
            hint = did_you_mean(key, keys) or f"only {_listed(keys, quoted=True)} are allowed"
            problems.append(Problem(shown, item.line, f"{term_id}.{key}", f"unknown field '{key}'", hint))
            continue
        text = as_text(item)
        if not text or not text.strip():
            problems.append(Problem(shown, item.line, f"{term_id}.{key}", f"expected a non-empty {key}",
                                    f"write a {key} for the {kind}"))
            continue
        if control_characters(text, allow_newlines=(key == "description")):
            problems.append(Problem(shown, item.line, f"{term_id}.{key}", "contains control characters",
                                    "remove them"))
            continue
        found = bidi_problem(text) or (invisible_problem(text, f"the {kind}'s name") if key == "title" else None)
        if found:
            problems.append(Problem(shown, item.line, f"{term_id}.{key}", *found))
            continue
        if key == "facet" and text.strip() not in FACETS:
            problems.append(Problem(shown, item.line, f"{term_id}.facet", f"'{text.strip()}' is not a facet",
                                    f"use {_listed(tuple(FACETS))}: what emerges, how it is produced or studied, "
                                    "or the environment, task or domain"))
            continue
        values[key] = " ".join(text.split()) if key == "title" else text.strip()
    for key in keys:
        if key not in located.value:
            problems.append(Problem(shown, located.line, f"{term_id}.{key}", f"the {kind} has no {key}",
                                    f"add '{key}:' under '{term_id}:'"))
    if len(values) < len(keys):
        return None
    if kind == "tag":
        return Tag(term_id, values["title"], values["description"], values["facet"])
    return cls(term_id, values["title"], values["description"])


def _listed(keys: tuple[str, ...], quoted: bool = False) -> str:
    """'title and description', or "'title', 'facet' and 'description'"."""
    shown = [f"'{k}'" if quoted else k for k in keys]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]


# --- one record ----------------------------------------------------------------------------
