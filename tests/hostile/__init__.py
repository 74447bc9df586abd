"""A corpus of hostile records: what a careless or malicious pull request could put in a record.

- ``papers/``: six records and a vocabulary that must pass ``check`` with no problem and
  build. Every contributor-controlled field (title, authors, venue, DOI, links, abstract,
  notes, topic and tag titles and descriptions) carries script tags, event-handler
  attributes, ``</textarea>``/``</title>``/``</script>`` breakouts, template syntax,
  Markdown that would make raw HTML or ``javascript:`` links, HTML entities, right-to-left
  text (Arabic, Hebrew) and zero-width characters, emoji and very long lines. The site must show all of it as
  literal text and run none of it.
- ``rejected/``: one record (or vocabulary file) per thing ``check`` must refuse: links
  with other schemes than http(s), obfuscated ones included, and control characters in each
  field. ``REJECTED`` below says which message each one gets.
- ``latex/``: seven records that pass ``check`` and put TeX into every field the citation
  files carry (``^^5c`` escapes, ``\\input``, ``\\write18``, unbalanced braces, emoji);
  ``test_latex_exports.py`` compiles their ``.bib`` files with the real TeX clients.
"""

from __future__ import annotations

from pathlib import Path

HOSTILE = Path(__file__).parent
PAPERS = HOSTILE / "papers"
REJECTED = HOSTILE / "rejected"

# The payloads, by what they try; each is somewhere in the corpus, in every field it can be in.
SCRIPT = "<script>alert("
EVENT_HANDLERS = ("onerror=", "onload=", "onmouseover=", "onfocus=", "onclick=")
BREAKOUTS = ("</textarea>", "</title>", "</script>", "</style>", '">', "-->", "]]>")
TEMPLATES = ("{{", "{%", "@@RL-")
# Right-to-left letters (Arabic, Hebrew), legitimate in any field; bidi controls (U+202E ...) are refused
# everywhere and have their cases in lookalikes/.
RTL = tuple(map(chr, range(0x0621, 0x064B))) + tuple(map(chr, range(0x05D0, 0x05EB)))
ZERO_WIDTH = ("\u200b", "\u200d", "\u2060", "\ufeff")

# Text each kind of page must show literally (the payloads, unescaped once, never run).
# Paper titles, authors, venues and vocabulary come from the records and show exactly as typed;
# these are what the abstracts and notes must show after Markdown.
PAPER_TEXT: dict[str, tuple[str, ...]] = {
    "script-payloads-2025": (
        "<script>alert('abstract')</script> The abstract starts with a script tag.",
        "<img src=x onerror=alert('abstract')> and <svg onload=alert('abstract')> follow,",
        "<iframe src=\"javascript:alert('abstract')\"></iframe>",
        "<script>alert('notes')</script> Curator notes with <img src=x onerror=alert('notes')> in them.",
    ),
    "breakout-payloads-2025": (
        "</textarea></title></script></style></noscript></template><script>window.__pwned='abstract'</script>",
        "--><script>window.__pwned='abstract comment'</script><!-- and ]]><![CDATA[ and }}{% endraw %}.",
        "</textarea><script>window.__pwned='notes'</script> \"><svg onload=window.__pwned='notes'>",
    ),
    "template-syntax-2025": (
        "{{ config }} {% for x in range(3) %}loop{% endfor %} {# comment #}",  # 7*7 ... 7*7: Markdown emphasis
        "{{constructor.constructor('window.__pwned=\"angular\"')()}}",
        "@@RL-TITLE@@ @@RL-HEAD@@ @@RL-ARTICLE@@",
        "<!-- reading-list:counts --> <!-- reading-list:newest -->",
        "{{ 7*7 }} in the notes, {% raw %}raw{% endraw %} and <!-- reading-list:topics -->.",
    ),
    "markdown-payloads-2025": (
        "[click](javascript:alert('abstract'))",
        "[mixed](JaVaScRiPt:alert('abstract'))",
        "[vb](vbscript:msgbox('abstract'))",
        "<javascript:alert('abstract')>",
        "<img src=x onerror=alert('abstract')> <a href=\"javascript:alert('abstract')\">a</a>",
        "{: onclick=\"window.__pwned='attr_list'\" }",
        "<script>alert('code')</script>",
        "<script>alert('fenced')</script>",
        # a link's host is shown beside it
        "Notes with [click](javascript:alert('notes')), <img src=x onerror=alert('notes')> and ok (example.org).",
    ),
    "unicode-payloads-2025": (
        "Right-to-left مرحبا and שלום",
        "Supercalifragilistic" * 200,
        "ملاحظات Notes in RTL 🧠.",
    ),
    "entity-payloads-2025": (  # in Markdown an entity is markup: it shows as its character, as text
        "<script>alert('abstract')</script> <img src=x onerror=alert('abstract')> &lt; \\u003cscript\\u003e",
        "<script>alert('notes')</script> <b>",
    ),
}
