"""The paper-page shell: one Material page rendered once, filled per paper.

Every paper page shares the theme's head, header, navigation and footer; only the
title, description, canonical URL, head tags and the article differ. MkDocs renders
a page made of placeholders once, and each paper page is that HTML with the
placeholders replaced: the cost of a page is the cost of its article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markupsafe import escape

from .pages import PaperPage

SHELL_ID = "__shell__"  # cannot clash with a record id: ids have no underscores
SHELL_SRC = f"papers/{SHELL_ID}.md"
TITLE = "@@RL-TITLE@@"
DESCRIPTION = "@@RL-DESCRIPTION@@"
HEAD = "@@RL-HEAD@@"
ARTICLE = '<div class="rl-slot"><h1>@@RL-ARTICLE@@</h1></div>'
_TOKENS = (TITLE, DESCRIPTION, HEAD, ARTICLE, SHELL_ID)
_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in _TOKENS) + ")")


class ShellError(Exception):
    """The theme's page did not keep a placeholder (an override changed the template)."""


def shell_markdown() -> str:
    """The Markdown page MkDocs renders into the shell."""
    return (f"---\ntitle: \"{TITLE}\"\ndescription: \"{DESCRIPTION}\"\nsearch:\n  exclude: true\n---\n\n"
            f"{ARTICLE}\n")


class Shell:
    """A rendered shell, split once at its placeholders."""

    def __init__(self, html: str):
        self.parts = _SPLIT.split(html)
        found = {p for p in self.parts[1::2]}
        missing = [t for t in (TITLE, ARTICLE, HEAD) if t not in found]
        if missing:
            raise ShellError(f"the paper-page shell lost its placeholders {missing}; "
                             "check overrides/main.html keeps the 'extrahead' block")
        if self.parts[1::2].count(ARTICLE) != 1:
            raise ShellError("the paper-page shell must hold the article slot exactly once")

    def fill(self, page: PaperPage) -> bytes:
        values: Mapping[str, str] = {
            TITLE: str(escape(page.title)), DESCRIPTION: str(escape(page.description)),
            HEAD: page.head, ARTICLE: page.article, SHELL_ID: page.id,
        }
        parts = self.parts
        out = [parts[0]]
        for index in range(1, len(parts), 2):
            out.append(values[parts[index]])
            out.append(parts[index + 1])
        return "".join(out).encode("utf-8")
