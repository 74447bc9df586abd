"""Contributor text made safe and short for pages: Markdown without HTML, summaries."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from generator.urls import WebUrl, web_url

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(\[])")
SUMMARY_CHARS = 300


def _opens_where_it_reads(url: str) -> bool:
    """A Markdown link's target (markdown-it has normalised it) is a link ``check`` would accept."""
    return isinstance(web_url(url), WebUrl)


def _outward_links(state: StateCore) -> None:
    """Every link: the canonical href, ``rel="noopener noreferrer"``, and its host after it."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        host = ""
        for token in block.children:
            children.append(token)
            if token.type == "link_open":
                parsed = web_url(str(token.attrGet("href")))
                assert isinstance(parsed, WebUrl)  # validateLink let only these through
                token.attrSet("href", parsed.href)
                token.attrSet("rel", "noopener noreferrer")
                host = parsed.host
            elif token.type == "link_close":
                children.append(Token("html_inline", "", 0, content=f' <span class="rl-host">({escapeHtml(host)})</span>'))
        block.children = children


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default": CommonMark with raw HTML off; links a browser would not open where they read are dropped.
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _opens_where_it_reads  # type: ignore[method-assign]
    md.disable(["image"])  # an image would make readers' browsers fetch from another host
    md.core.ruler.push("outward_links", _outward_links)
    return md


# What can start Markdown syntax inside a line (emphasis, code, links, autolinks, entities, escapes,
# strikethrough, tables, headings), control characters, and any whitespace but the space.
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>!&~|#\x00-\x1f\x7f-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def markdown_html(text: str) -> str:
    """Contributor Markdown (an abstract, notes) as HTML, with raw HTML shown as text."""
    fast = plain_paragraph(text)
    return fast if fast is not None else str(_markdown().render(text)).strip()


def plain_paragraph(text: str) -> str | None:
    """The HTML markdown-it makes of ``text`` when it is one line of plain prose, else None.

    Most abstracts are: one paragraph that starts with a letter (so no list, heading, quote or
    code block) and holds no character that starts inline syntax. markdown-it then only strips
    the ends and escapes ``"`` (``&``, ``<`` and ``>`` are excluded above); tests/test_fast_path.py
    checks this against markdown-it over random text. About 10x faster than parsing.
    """
    if not text[:1].isalpha():
        return None
    line = text.rstrip(" \n")
    if _NOT_PLAIN.search(line):
        return None
    return "<p>" + line.replace('"', "&quot;") + "</p>"


def plain(text: str) -> str:
    """One line of text: whitespace collapsed."""
    return " ".join(text.split())


def summary(abstract: str, limit: int = SUMMARY_CHARS) -> str:
    """The abstract's first sentence or two, at most about ``limit`` characters."""
    text = plain(abstract[:4 * limit])  # enough to decide (see below), without reading a long abstract whole
    if len(text) < 2 * limit + 2 and len(abstract) > 4 * limit:
        text = plain(abstract)
    # With 2 * limit + 2 characters or more, the text cut short gives the same summary: a first
    # sentence not ending in it is cut at ``limit``; a second is added only if both end within 0.8 * limit.
    first = _SENTENCE_END.search(text)  # the first two sentences, without splitting all of them
    result = text if first is None else text[:first.start()]
    if first is not None and len(result) < limit * 0.8:
        second = _SENTENCE_END.search(text, first.end())
        following = text[first.end():second.start() if second else len(text)]
        if len(result) + len(following) < limit * 0.8:
            result += " " + following
    if len(result) > limit:
        cut = result[:limit].rsplit(" ", 1)[0]
        result = cut.rstrip(",;:") + " …"
    return result


def short_authors(authors: tuple[str, ...], count: int = 3) -> str:
    """'A, B, C et al.' for lists longer than ``count``."""
    if not authors:
        return "Authors not recorded"
    if len(authors) <= count:
        return ", ".join(authors)
    return ", ".join(authors[:count]) + " et al."


def json_for_script(value: object) -> str:
    """JSON safe to put inside <script>: no '<', '>' or '&' that could close the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
