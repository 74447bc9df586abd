"""BibTeX: citation keys, one entry per paper, and bibliographies, in two files per selection.

Two style families read ``.bib`` files differently, so each gets its own file:

- ``papers.bib`` (:func:`entry`) is for **classic BibTeX** (natbib with plainnat, abbrvnat,
  unsrtnat, IEEEtran, ..., and pybtex): ASCII, with every accented letter as a LaTeX
  accent in braces (``{\\"a}``), so that BibTeX sorts "Kärki" as "Karki" (it compares
  bytes; UTF-8 put it after "Kuang"). A character without a LaTeX form (CJK, emoji), which
  pdflatex refuses with a fatal error, is written as its code point, ``{[U+5B66]}``, and an
  invisible one (zero-width, bidi controls) is left out.
  The arXiv id is printed once, where plainnat prints something: ``howpublished = {arXiv:ID}``
  for a preprint (``@misc``), ``note = {arXiv:ID}`` for a published paper. No ``eprint``: pybtex's
  styles print it as well (the id twice), and citation.js reads the id from the text anyway.
  A URL or DOI is written only when it is made of characters that read the same with and
  without the ``url`` package (plainnat's fallback ``\\url`` is ``\\texttt``, where ``%``,
  ``#``, ``_``, ``~``, ``^`` would be TeX); otherwise its text goes, escaped, into ``note``.
  This is the entry a paper page shows.
- ``papers.biblatex.bib`` (:func:`biblatex_entry`) is for **biblatex with biber**: UTF-8
  (biber sorts it right; a character LaTeX has no form for is written as in the classic file,
  since pdflatex stops at it), the arXiv id once, as ``eprint`` with ``eprinttype = {arxiv}``
  (no "arXiv preprint" journal, no arXiv URL), preprints as ``@online``.

Both: ``@inproceedings`` with ``booktitle`` for conference and workshop papers,
``@article`` with ``journal``, ``volume``, ``number``, ``pages`` for journal papers, and
``year`` the venue's year for a published paper (the record's ``year`` is the first public
version's). A paper whose authors are unknown has no ``author``; the classic file gives it
``key`` (its title up to a colon), which BibTeX sorts and labels by. ``url`` is given only when
neither an arXiv id nor a DOI locates the paper (the record's project link).

Text: LaTeX's special characters are escaped (``& % $ # _`` as ``\\&`` ..., ``~ ^ \\`` as
``\\textasciitilde{}`` ..., braces as ``\\textbraceleft{}``/``\\textbraceright{}``; ``\\{``
would still count as a brace for BibTeX and biber), and pairs TeX fonts join (``--``, ``''``)
get ``{}`` between them, so nothing a contributor writes is read as TeX: no macro, no
``^^5c`` escape. Braces protect only the words that must keep their case in sentence-case
styles: a capital after the first letter of a word or of a hyphenated part ("ReTool",
"LLMs", "GPT-4", "{LLM}-Based"; "In-Context" stays plain). Proper names written with one
capital ("Minecraft") are not protected: a guess from the abstract (capitalised mid-sentence,
never lowercase) protected 11 words in the 95 records, 6 of them wrongly ("Control",
"Explore", "Demonstrations", "Motion", "Persistent", "Transient"), so it was removed.

Citation keys are ``<first author's family name><year><first significant title word>`` in
lowercase ASCII (``feng2025retool``; ``anon`` when no author is recorded), with the record's
first public year. When papers share a key, the one that joined the list first keeps it and
the others get ``b``, ``c``, ... in order of ``added`` then id: a paper's key never changes
when a later paper joins the list.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import partial

from pylatexenc.latexencode import UnicodeToLatexEncoder
from slugify import slugify

from generator.exports.encoding import Framing, pieces
from generator.exports.names import split_name
from generator.exports.text import xml_line
from generator.exports.venues import Kind, is_published, publication_kind, venue
from generator.made import FRESH, Made
from generator.model import Catalog, Paper
from generator.record.ids import STOP_WORDS

KEY_PART_LENGTH = 20
_ASCII_WORD = re.compile(r"[a-z0-9]+")
CLASSIC_TYPES = {Kind.CONFERENCE: "inproceedings", Kind.JOURNAL: "article", Kind.PREPRINT: "misc",
                 Kind.OTHER: "misc"}
BIBLATEX_TYPES = {Kind.CONFERENCE: "inproceedings", Kind.JOURNAL: "article", Kind.PREPRINT: "online",
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
_VERBATIM_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", "^": "%5E"})


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
    return _escape_line(xml_line(text))


def _escape_line(text: str) -> str:
    """``text`` (on one line already) with LaTeX's special characters escaped and its ligatures broken."""
    if not _SPECIAL.search(text):
        return text  # the common case: nothing to escape
    return _LIGATURE.sub("{}", text.translate(_ESCAPES))


def verbatim(text: str) -> str:
    """A URL-like value for biber (url, doi, eprint): unescaped, but never a brace, backslash or ``^``."""
    return xml_line(text).translate(_VERBATIM_ESCAPES)


def _without_latex_form(character: str) -> str:
    """A character pdflatex has no form for: nothing if invisible (format), else its code point, ``{[U+1F9E0]}``.

    Kept as UTF-8, one emoji or CJK letter in any record stopped every pdflatex compile of the
    whole list ("LaTeX Error: Unicode character not set up for use with LaTeX"). The braces
    keep the code from being lowercased by sentence-case styles.
    """
    return "" if unicodedata.category(character) == "Cf" else f"{{[U+{ord(character):04X}]}}"


@functools.cache
def _latex_encoder() -> UnicodeToLatexEncoder:
    return UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                                 unknown_char_policy=_without_latex_form, unknown_char_warning=False)


def ascii_latex(value: str) -> str:
    """A field value (already escaped) in ASCII: accented letters as LaTeX accents in braces (``K{\\"a}rki``)."""
    if value.isascii():
        return value
    latex = str(_latex_encoder().unicode_to_latex(unicodedata.normalize("NFC", value)))
    return _DOTLESS_I.sub(r"{\\\1i}", latex) if "\\i}" in latex else latex


# pylatexenc writes í as {\'\i} (an accent on a dotless i): LaTeX prints the same for {\'i}, but
# citation.js reads it back as "ı́", two characters ("Martín" came back "Martı́n", measured on 2 records).
_DOTLESS_I = re.compile(r"\{\\([`'^\"~=.])\\i\}")


@functools.lru_cache(maxsize=4_096)
def _utf8_or_code(character: str) -> str:
    """A non-ASCII character for the UTF-8 file: itself when LaTeX has a form for it, else as in the classic file."""
    if unicodedata.category(character) == "Cf" or _latex_encoder().unicode_to_latex(character) == _without_latex_form(
            character):
        return _without_latex_form(character)
    return character


def pdflatex_letters(value: str) -> str:
    """A UTF-8 field value with the characters pdflatex has no form for written as in the classic file."""
    if value.isascii():
        return value
    return "".join(c if c.isascii() else _utf8_or_code(c) for c in unicodedata.normalize("NFC", value))


def inert(text: str) -> bool:
    """``text`` reads the same to TeX with and without the url package (no %, #, _, ~, ^, &, $, braces, backslash)."""
    return _INERT.match(text) is not None


_INERT = re.compile(r"^[A-Za-z0-9/:.,;()?=+@!*'\-]+$")
_RUN = re.compile(r"[^\W_]+")  # a run of letters and digits: what a sentence-case style may lowercase


def _needs_protection(run: str) -> bool:
    """A capital after the first letter: "ReTool", "LLMs", "GPT", "3H"."""
    rest = run[1:]
    return rest != rest.lower()


def _joined_initial(text: str, start: int, end: int) -> bool:
    """A lone capital joined to the next word without a space: "Q-Learning", "R&D", "X-ray"."""
    return (end - start == 1 and text[start].isupper() and end + 1 < len(text)
            and text[end] in "-&/." and text[end + 1].isalnum())


def title_value(title: str) -> str:
    """The title, escaped, with the words that must keep their case in braces (module docstring)."""
    text = xml_line(title)
    out: list[str] = []
    position = 0
    for match in _RUN.finditer(text):
        run = match.group()
        if _needs_protection(run) or _joined_initial(text, match.start(), match.end()):
            out.append(_escape_line(text[position:match.start()]))
            out.append("{" + run + "}")
            position = match.end()
    out.append(_escape_line(text[position:]))
    return "".join(out)


def author_value(name: str) -> str:
    """One author as ``Family, Given`` (``Family, Jr., Given``), or ``{Whole Name}`` if it cannot be split."""
    parts = split_name(name)
    if parts.literal:
        return "{" + escape(parts.family) + "}"
    return ", ".join(escape(p) for p in (parts.family, parts.suffix, parts.given) if p)


def sort_key_value(title: str) -> str:
    """The ``key`` of a paper without authors: its title up to a colon (what BibTeX sorts and labels by)."""
    return escape(xml_line(title).split(":")[0].strip() or xml_line(title))


def url(paper: Paper) -> str | None:
    """The link a citation carries: arXiv, else (without a DOI) the project page."""
    if paper.arxiv_url:
        return paper.arxiv_url
    return None if paper.doi else dict(paper.links).get("project")


def project_url(paper: Paper) -> str | None:
    """The record's project link, for a paper neither an arXiv id nor a DOI locates."""
    return None if paper.arxiv or paper.doi else dict(paper.links).get("project")


# --- entries ----------------------------------------------------------------------------

def _venue_fields(paper: Paper, kind: Kind) -> list[tuple[str, str]]:
    """booktitle, or journal with volume, number and pages; the venue name is escaped."""
    where, place = venue(paper), paper.venue
    if where is None or place is None:
        return []
    if kind is Kind.CONFERENCE:
        fields = [("booktitle", escape(where))]
    elif kind is Kind.JOURNAL:
        fields = [("journal", escape(where))]
        fields += [(name, escape(value)) for name, value in (("volume", place.volume), ("number", place.issue))
                   if value]
    else:
        return [("howpublished", escape(where))]  # a preprint server other than arXiv
    if place.pages:
        fields.append(("pages", escape(place.pages).replace("-", "--")))
    return fields


def _body(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}"


def entry(paper: Paper, key: str) -> str:
    """One classic BibTeX entry (natbib, plainnat; ASCII), readable, without a trailing newline."""
    kind = publication_kind(paper)
    fields: list[tuple[str, str]] = [("title", title_value(paper.title))]
    if paper.authors:
        fields.append(("author", " and ".join(author_value(a) for a in paper.authors)))
    else:
        fields.append(("key", sort_key_value(paper.title)))
    fields += _venue_fields(paper, kind)
    fields.append(("year", str(paper.cited_year)))
    notes: list[str] = []
    if paper.arxiv:
        arxiv = f"arXiv:{escape(paper.arxiv)}"
        if kind is Kind.PREPRINT and paper.venue is None:
            fields.append(("howpublished", arxiv))
        else:
            notes.append(arxiv)
    if paper.doi:
        if inert(paper.doi):
            fields.append(("doi", paper.doi))
        else:
            notes.append("doi: " + escape(paper.doi))
    link = project_url(paper)
    if link:
        if inert(link):
            fields.append(("url", link))
        else:
            notes.append(escape(link))
    if notes:
        fields.append(("note", ". ".join(notes)))
    return ascii_latex(_body(CLASSIC_TYPES[kind], key, fields))


def biblatex_entry(paper: Paper, key: str) -> str:
    """One biblatex entry (biber; UTF-8), readable, without a trailing newline."""
    kind = publication_kind(paper)
    fields: list[tuple[str, str]] = [("title", title_value(paper.title))]
    if paper.authors:
        fields.append(("author", " and ".join(author_value(a) for a in paper.authors)))
    fields += _venue_fields(paper, kind)
    if paper.date and not is_published(paper):
        fields.append(("date", paper.date.isoformat()))
    else:
        fields.append(("year", str(paper.cited_year)))
    if paper.arxiv:
        fields += [("eprint", verbatim(paper.arxiv)), ("eprinttype", "arxiv")]
    if paper.doi:
        fields.append(("doi", verbatim(paper.doi)))
    link = project_url(paper)
    if link:
        fields.append(("url", verbatim(link)))
    return pdflatex_letters(_body(BIBLATEX_TYPES[kind], key, fields))


def entries(catalog: Catalog) -> dict[str, str]:
    """Paper id -> its classic BibTeX entry, with the catalog's citation keys."""
    keys = citation_keys(catalog)
    return {paper.id: entry(paper, keys[paper.id]) for paper in catalog.papers}


def join_entries(rendered: Iterable[str]) -> str:
    """Entries as one .bib file: a blank line between entries, a newline at the end."""
    return "".join(pieces(rendered, FRAMING))


def bibliography(papers: Iterable[Paper], keys: Mapping[str, str]) -> str:
    """A classic .bib file of ``papers`` in the order given, with ``keys`` from :func:`citation_keys`."""
    return join_entries(entry(paper, keys[paper.id]) for paper in papers)


def biblatex_bibliography(papers: Iterable[Paper], keys: Mapping[str, str]) -> str:
    """A biblatex .bib file of ``papers`` in the order given."""
    return join_entries(biblatex_entry(paper, keys[paper.id]) for paper in papers)
