"""BibTeX: citation keys, one entry per paper, and bibliographies.

Choices, so that the files work with biber/biblatex and with classic BibTeX:

- Non-ASCII text (accents, CJK, emoji) is kept as UTF-8, not turned into
  LaTeX accent macros: biber reads UTF-8 natively and pdfLaTeX with
  ``inputenc``/``fontenc`` handles Latin scripts; converting would lose
  characters that have no macro. Classic 8-bit BibTeX passes the bytes
  through but may sort and abbreviate them imperfectly.
- The characters LaTeX treats specially are escaped: ``& % $ # _`` as
  ``\\&`` and so on, ``~ ^ \\`` as ``\\textasciitilde{}``, ``\\textasciicircum{}``,
  ``\\textbackslash{}``, and ``{ }`` as ``\\textbraceleft{}``/``\\textbraceright{}``
  (``\\{`` would still count as a brace for BibTeX and biber, so an unbalanced
  brace in a title could swallow the rest of the file). Pairs that TeX
  fonts join into one glyph (``--``, ``''``, ``<<``, ...) get ``{}``
  between them, so the text prints as the contributor wrote it. Verbatim fields
  (``url``, ``doi``, ``eprint``) are not escaped; braces and backslashes in
  them are percent-encoded instead.
- Title words with a capital letter after their first character ("ReTool",
  "LLMs", "BioCLIP", "GPT-4") are wrapped in braces so that styles which
  lowercase titles keep them.
- Entry types follow :mod:`.venues`: ``@inproceedings`` with ``booktitle``
  for conference papers, ``@article`` with ``journal`` for journal papers and,
  for arXiv preprints without a venue, ``journal = {arXiv preprint arXiv:ID}``;
  ``@misc`` otherwise. arXiv papers also get ``eprint`` and
  ``archivePrefix = {arXiv}`` (no ``primaryClass``: records do not store it).
- ``url`` is the arXiv abstract page; without arXiv id and DOI, the record's
  project link. No abstracts, to keep files small at 100k papers.
- Citation keys are ``<first author's family name><year><first significant
  title word>`` in lowercase ASCII (``feng2025retool``; ``anon`` when no
  author is recorded). When papers share a key, the one that joined the list
  first keeps it and the others get ``b``, ``c``, ... in order of ``added``
  then id, like record ids: a paper's key never changes when a later paper
  joins the list.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import partial

from slugify import slugify

from generator.exports.encoding import Framing, pieces
from generator.exports.names import split_name
from generator.exports.text import xml_line
from generator.exports.venues import Kind, publication_kind, venue
from generator.made import FRESH, Made
from generator.model import Catalog, Paper
from generator.record.ids import STOP_WORDS

KEY_PART_LENGTH = 20
_ASCII_WORD = re.compile(r"[a-z0-9]+")
ENTRY_TYPES = {Kind.CONFERENCE: "inproceedings", Kind.JOURNAL: "article", Kind.PREPRINT: "article",
               Kind.OTHER: "misc"}

_ESCAPES = str.maketrans({
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
})
FRAMING = Framing(separator="\n\n", tail="\n")

# Pairs TeX fonts turn into other characters: -- (en dash), `` '' (curly quotes), << >>, ?` !`.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=<)(?=<)|(?<=>)(?=>)|(?<=[?!])(?=`)")
_SPECIAL = re.compile(r"[\\{}&%$#_~^]|--|``|''|<<|>>|[?!]`")
_VERBATIM_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C"})


# --- citation keys ----------------------------------------------------------------------

def _ascii_words(text: str) -> list[str]:
    """Lowercase ASCII words of ``text``, accents folded ("Kärki" -> "karki"; other scripts transliterated)."""
    if text.isascii():
        return _ASCII_WORD.findall(text.lower().replace("'", ""))
    return [w for w in str(slugify(text)).split("-") if w]


def base_key(paper: Paper) -> str:
    """The citation key before collisions are resolved, e.g. ``feng2025retool``."""
    who = "".join(_ascii_words(split_name(paper.authors[0]).family))[:KEY_PART_LENGTH] if paper.authors else ""
    words = _ascii_words(paper.title)
    significant = [w for w in words if w not in STOP_WORDS] or words or ["paper"]
    return f"{who or 'anon'}{paper.year}{significant[0][:KEY_PART_LENGTH]}"


def _suffixes() -> Iterator[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters[1:]
    for size in itertools.count(2):
        for combination in itertools.product(letters, repeat=size):
            yield "".join(combination)


def citation_keys(catalog: Catalog, made: Made = FRESH) -> dict[str, str]:
    """Paper id -> citation key: readable, unique, stable (see the module docstring)."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in catalog.papers:
        groups[made.get("citation-base", paper.id, paper, partial(base_key, paper))].append(paper)
    taken = set(groups)
    keys: dict[str, str] = {}
    for base in sorted(groups):
        first, *others = sorted(groups[base], key=lambda p: (p.added, p.id))
        keys[first.id] = base
        suffixes = _suffixes()
        for paper in others:
            key = next(base + s for s in suffixes if base + s not in taken)
            taken.add(key)
            keys[paper.id] = key
    return keys


# --- field values -----------------------------------------------------------------------

def escape(text: str) -> str:
    """``text`` on one line with LaTeX's special characters escaped and its ligatures broken."""
    text = xml_line(text)
    if not _SPECIAL.search(text):
        return text  # the common case: nothing to escape
    return _LIGATURE.sub("{}", text.translate(_ESCAPES))


def verbatim(text: str) -> str:
    """A URL-like value (url, doi, eprint): unescaped, but never with a brace or backslash."""
    return xml_line(text).translate(_VERBATIM_ESCAPES)


def _needs_protection(word: str) -> bool:
    """A capital letter after the first character ("ReTool", "LLMs", "GPT-4")."""
    rest = word[1:]
    return rest != rest.lower()


def _protect_word(token: str) -> str:
    if not _needs_protection(token):
        return escape(token)  # the common case: no capital after the first character
    start, end = 0, len(token)
    while start < end and not token[start].isalnum():
        start += 1
    while end > start and not token[end - 1].isalnum():
        end -= 1
    core = token[start:end]
    if not _needs_protection(core):
        return escape(token)
    return escape(token[:start]) + "{" + escape(core) + "}" + escape(token[end:])


def title_value(title: str) -> str:
    """The title, escaped, with words that must keep their capitals in braces."""
    return " ".join(_protect_word(token) for token in xml_line(title).split(" ") if token)


def author_value(name: str) -> str:
    """One author as ``Family, Given`` (``Family, Jr., Given``), or ``{Whole Name}`` if it cannot be split."""
    parts = split_name(name)
    if parts.literal:
        return "{" + escape(parts.family) + "}"
    return ", ".join(escape(p) for p in (parts.family, parts.suffix, parts.given) if p)


def url(paper: Paper) -> str | None:
    """The link a citation carries: arXiv, else (without a DOI) the project page."""
    if paper.arxiv_url:
        return paper.arxiv_url
    return None if paper.doi else dict(paper.links).get("project")


# --- entries ----------------------------------------------------------------------------

def entry(paper: Paper, key: str) -> str:
    """One BibTeX entry for ``paper``, readable, without a trailing newline."""
    kind = publication_kind(paper)
    fields: list[tuple[str, str]] = [("title", title_value(paper.title))]
    if paper.authors:
        fields.append(("author", " and ".join(author_value(a) for a in paper.authors)))
    where = venue(paper)
    if kind is Kind.CONFERENCE and where:
        fields.append(("booktitle", escape(where)))
    elif kind is Kind.JOURNAL and where:
        fields.append(("journal", escape(where)))
    elif kind is Kind.PREPRINT and paper.arxiv:
        fields.append(("journal", f"arXiv preprint arXiv:{escape(paper.arxiv)}"))
    fields.append(("year", str(paper.year)))
    if paper.arxiv:
        fields += [("eprint", verbatim(paper.arxiv)), ("archivePrefix", "arXiv")]
    if paper.doi:
        fields.append(("doi", verbatim(paper.doi)))
    link = url(paper)
    if link:
        fields.append(("url", verbatim(link)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{ENTRY_TYPES[kind]}{{{key},\n{body}\n}}"


def entries(catalog: Catalog) -> dict[str, str]:
    """Paper id -> its BibTeX entry, with the catalog's citation keys."""
    keys = citation_keys(catalog)
    return {paper.id: entry(paper, keys[paper.id]) for paper in catalog.papers}


def join_entries(rendered: Iterable[str]) -> str:
    """Entries as one .bib file: a blank line between entries, a newline at the end."""
    return "".join(pieces(rendered, FRAMING))


def bibliography(papers: Iterable[Paper], keys: Mapping[str, str]) -> str:
    """A .bib file of ``papers`` in the order given, with ``keys`` from :func:`citation_keys`."""
    return join_entries(entry(paper, keys[paper.id]) for paper in papers)
