"""The paper-page shell: one Material page rendered once, filled per paper.

Every paper page shares the theme's head, header, navigation and footer; only the
title, description, canonical URL, head tags and the article differ. MkDocs renders
a page made of placeholders once, and each paper page is that HTML with the
placeholders replaced: the cost of a page is the cost of its article.

The shell is made lean once, for every paper page at a time (``lean``): whitespace
and optional quotes go (minify-html; inline scripts are kept byte for byte, the
Content-Security-Policy allows them by hash), and the theme's inline SVG icons,
repeated in every page, become references into one icon file (``ICONS``). The
page looks the same; tests/test_fast_path.py compares it with the same page
rendered by MkDocs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

import minify_html
from markupsafe import escape

from generator.errors import ShellError
from generator.render.pages import PAPER_ROOT, PaperPage

SHELL_ID = "__shell__"  # cannot clash with a record id: ids have no underscores
SHELL_SRC = f"papers/{SHELL_ID}.md"
TITLE = "@@RL-TITLE@@"
DESCRIPTION = "@@RL DESCRIPTION@@"  # a space, so that minifying keeps the attribute's quotes
HEAD = "@@RL-HEAD@@"
ARTICLE = "@@RL-ARTICLE@@"
ARTICLE_SLOT = f'<div class="rl-slot"><h1>{ARTICLE}</h1></div>'
_TOKENS = (TITLE, DESCRIPTION, HEAD, SHELL_ID)
_ARTICLE_SLOT = re.compile(r'<div class="?rl-slot"?><h1>' + re.escape(ARTICLE) + "</h1></div>")
_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in (*_TOKENS, ARTICLE)) + ")")
_SVG = re.compile(r"<svg\b([^>]*)>(.*?)</svg>", re.DOTALL)
_VIEWBOX = re.compile(r'\bviewbox="([^"]*)"', re.IGNORECASE)
_VERBATIM = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')  # kept as the theme wrote it
ICONS_DIR = "assets/"



def shell_markdown() -> str:
    """The Markdown page MkDocs renders into the shell."""
    return (f"---\ntitle: \"{TITLE}\"\ndescription: \"{DESCRIPTION}\"\nsearch:\n  exclude: true\n---\n\n"
            f"{ARTICLE_SLOT}\n")


@dataclass(frozen=True)
class Icons:
    """The shell's icons as one SVG file of symbols: its path under the site root and its bytes."""

    path: str
    data: bytes


def lean(html: str) -> tuple[str, Icons]:
    """The shell minified, with each inline icon replaced by a reference into the icon file."""
    kept = _VERBATIM.findall(html)
    for index, element in enumerate(kept):
        html = html.replace(element, f"@@RL-KEPT-{index}@@", 1)
    small = minify_html.minify(html, minify_js=False, minify_css=False, keep_closing_tags=True,
                               keep_html_and_head_opening_tags=True, keep_input_type_text_attr=True)
    for index, element in enumerate(kept):
        small = small.replace(f"@@RL-KEPT-{index}@@", element, 1)
    symbols: dict[str, str] = {}  # icon body -> symbol id, in order of first use

    def symbol(match: re.Match[str]) -> str:
        attributes, body = match.group(1), match.group(2)
        name = symbols.setdefault(body, f"i{len(symbols)}")
        box = _VIEWBOX.search(attributes)
        return f'<svg{_viewbox(box)}><use href="{PAPER_ROOT}{{icons}}#{name}"></use></svg>'

    referenced = _SVG.sub(symbol, small)
    data = ('<svg xmlns="http://www.w3.org/2000/svg">'
            + "".join(f'<symbol id="{name}">{body}</symbol>' for body, name in symbols.items())
            + "</svg>\n").encode("utf-8")
    path = f"{ICONS_DIR}rl-icons.{hashlib.sha256(data).hexdigest()[:8]}.svg"
    return referenced.replace("{icons}", path), Icons(path, data)


def _viewbox(box: re.Match[str] | None) -> str:
    return f' viewBox="{box.group(1)}"' if box else ""


class Shell:
    """A rendered shell, made lean and split once at its placeholders."""

    def __init__(self, html: str):
        if len(_ARTICLE_SLOT.findall(html)) != 1:
            raise ShellError("the paper-page shell must hold the article slot exactly once")
        small, self.icons = lean(html)
        if len(_ARTICLE_SLOT.findall(small)) != 1 or "{icons}" in html:
            raise ShellError("minifying the paper-page shell changed its article slot")
        self.parts = _SPLIT.split(_ARTICLE_SLOT.sub(ARTICLE, small))
        found = set(self.parts[1::2])
        missing = [t for t in (TITLE, ARTICLE, HEAD) if t not in found]
        if missing:
            raise ShellError(f"the paper-page shell lost its placeholders {missing}; "
                             "check overrides/main.html keeps the 'extrahead' block")
        for index in range(1, len(self.parts), 2):
            if self.parts[index] == DESCRIPTION and not self.parts[index - 1].endswith('"'):
                raise ShellError("the paper-page shell's description lost its quotes")

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
