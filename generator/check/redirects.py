"""papers/redirects.yml: pages that moved (a renamed or merged topic or tag), old path -> new path.

The old URL keeps a small page that sends its readers on; the check makes sure each target exists
and no redirect hides a page the site still has.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.check.vocabulary import Vocabulary
from generator.problems import Problem, display_path
from generator.record.read import as_text, read_yaml_file

_PAGE = re.compile(r"^(topics|tags)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
_EXAMPLE = "topics/old-topic-id: topics/new-topic-id (or tags/<id>)"


def load_redirects(file: Path, vocab: Vocabulary) -> tuple[dict[str, str], list[Problem]]:
    """The redirects in ``file`` (none when it does not exist), checked against the vocabulary."""
    if not file.exists():
        return {}, []
    shown = display_path(file)
    entries, problems = read_yaml_file(file, "the redirects file", "papers/redirects.yml maps old page paths to new")
    redirects: dict[str, str] = {}
    for old, located in entries.items():
        new = as_text(located)
        if _PAGE.fullmatch(old) is None:
            problems.append(Problem(shown, located.line, old, f"'{old}' is not a topic or tag page", f"write {_EXAMPLE}"))
        elif _exists(old, vocab):
            problems.append(Problem(shown, located.line, old, f"'{old}' is a page of the site",
                                    "a redirect would hide it: remove the redirect, or the term"))
        elif new is None or _PAGE.fullmatch(new) is None:
            problems.append(Problem(shown, located.line, old, f"'{new}' is not a topic or tag page", f"write {_EXAMPLE}"))
        elif not _exists(new, vocab):
            problems.append(Problem(shown, located.line, old, f"'{new}' is not a page of the site",
                                    "point it at a topic or tag that exists"))
        else:
            redirects[old] = new
    return redirects, problems


def _exists(page: str, vocab: Vocabulary) -> bool:
    kind, _, term_id = page.partition("/")
    return term_id in (vocab.topics if kind == "topics" else vocab.tags)
