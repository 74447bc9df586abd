"""Exports and feeds: the Catalog in, file contents out (pure; the writer writes them).

Output paths, relative to the site root (for lists, topics and tags of more
than ``layout.LARGE`` papers, :mod:`.layout` gzips the whole list's files and
leaves out the topic's or tag's own; :func:`downloads` names what exists):

- ``export/papers.{bib,biblatex.bib,csl.json,ris}``: the whole list, newest first (``.bib`` for
  classic BibTeX and natbib, ``.biblatex.bib`` for biblatex with biber: :mod:`.bibtex`);
- ``export/topics/<topic>.{...}`` and ``export/tags/<tag>.{...}``, the same four;
- ``export/papers.json`` (every record) and ``export/record.schema.json`` (its JSON Schema);
- ``feeds/all.atom.xml``, ``feeds/topics/<topic>.atom.xml``, ``feeds/tags/<tag>.atom.xml``.

Each paper is rendered once per format and files are assembled from those
pieces, so a paper in five tags costs one rendering, not six.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial

from generator.exports import bibtex, csl, dump, feeds, ris
from generator.exports.encoding import Framing, assemble
from generator.exports.layout import DUMP, WHOLE_LIST, Download, downloads
from generator.made import FRESH, Made
from generator.model import Catalog, Paper
from generator.record.ids import is_valid_id

__all__ = ["Download", "Pieces", "downloads", "render_exports", "selections"]

Renderer = Callable[[Paper, str], str]
FORMATS: dict[str, tuple[Renderer, Framing]] = {
    ".bib": (bibtex.entry, bibtex.FRAMING),
    ".biblatex.bib": (bibtex.biblatex_entry, bibtex.FRAMING),
    ".csl.json": (csl.item_json, csl.FRAMING),
    ".ris": (ris.record, ris.FRAMING),
}


def selections(catalog: Catalog) -> Iterator[tuple[str, Sequence[Paper]]]:
    """(base path, papers newest first) for the whole list, then each topic and each tag by id."""
    yield WHOLE_LIST, catalog.papers
    for kind, terms, members in (("topics", catalog.topics, catalog.papers_in_topic),
                                 ("tags", catalog.tags, catalog.papers_with_tag)):
        for term_id in sorted(terms):
            if not is_valid_id(term_id):
                raise ValueError(f"the {kind} id {term_id!r} cannot be part of a file name")
            yield f"export/{kind}/{term_id}", members(term_id)


def bibliographies(catalog: Catalog, keys: Mapping[str, str], bib: Mapping[str, str] | None = None,
                   made: Made = FRESH) -> dict[str, bytes]:
    """Path -> bytes of every BibTeX, CSL-JSON and RIS file (``bib``: the BibTeX entries, if the caller has them).

    A paper is rendered once per format however many files it is in. Topic and tag files
    come first and their pieces are kept for the next file; the whole list comes last and is
    streamed (at 100k papers most topics and tags are too large for files of their own, so
    the pieces of the whole list need not all sit in memory).
    """
    kept: dict[tuple[str, str], str] = {}

    def piece(paper: Paper, extension: str, keep: bool) -> str:
        if extension == ".bib" and bib is not None:
            return bib[paper.id]
        text = kept.get((paper.id, extension))
        if text is None:
            key = keys[paper.id]
            text = made.get(extension, paper.id, (paper, key), partial(FORMATS[extension][0], paper, key))
            if keep:
                kept[(paper.id, extension)] = text
        return text

    files: dict[str, bytes] = {}
    chosen = list(selections(catalog))
    for base, papers in chosen[1:] + chosen[:1]:
        keep = base != WHOLE_LIST
        for download in downloads(base, len(papers)):
            if download.extension not in FORMATS:
                continue  # the record dump: see render_exports
            framing = FORMATS[download.extension][1]
            items = (piece(p, download.extension, keep) for p in papers)
            files[download.path] = assemble(items, framing, download.path)
    return files


def render_exports(catalog: Catalog, site_url: str, keys: Mapping[str, str] | None = None,
                   bib: Mapping[str, str] | None = None, made: Made = FRESH) -> dict[str, bytes]:
    """Every export and feed file: relative output path -> contents, sorted by path.

    ``site_url`` is the site's absolute URL with a final slash, e.g.
    ``https://example.org/reading-list/``; feeds and the JSON dump link to pages under it.
    ``keys`` (:func:`bibtex.citation_keys`) and ``bib`` (the entries made with them) save
    computing them again when the caller has them; ``made`` gives each paper's pieces (:mod:`generator.made`).
    """
    if not site_url.endswith("/"):
        raise ValueError(f"site_url must end with '/': {site_url!r}")
    files = bibliographies(catalog, keys if keys is not None else bibtex.citation_keys(catalog, made), bib, made)
    dump_path = next(d.path for d in downloads(WHOLE_LIST, len(catalog)) if d.extension == DUMP)
    lines = (made.get(DUMP, p.id, (p, site_url), partial(dump.record_line, p, site_url))
             for p in sorted(catalog.papers, key=lambda p: p.id))
    files[dump_path] = assemble(lines, dump.FRAMING, dump_path)
    files["export/record.schema.json"] = dump.schema_json(catalog, site_url).encode("utf-8")
    files.update((path, text.encode("utf-8")) for path, text in feeds.feeds(catalog, site_url).items())
    return dict(sorted(files.items()))
