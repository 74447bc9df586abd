"""How real citation clients read a built site's whole-list exports: entries, errors, warnings.

    python benchmarks/citation_clients.py SITE [SITE ...]

For each built site folder (``generator build --out SITE``), prints one table row per client and
file: pdflatex + BibTeX with natbib and plainnat (``export/papers.bib``), pdflatex + biblatex
with biber (``export/papers.biblatex.bib`` when the site has it, else ``papers.bib``), and
pybtex's plain style on every whole-list ``.bib``. Then the five entries named in issue 16 as
plainnat and biblatex print them (text of the PDF, via pdftotext when present, else the .bbl).
Clients that are not installed are reported as such, never counted as 0.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ENTRIES = ("akata2023playing", "agashe2023llm", "lica2024mindforge", "chan2022data", "herrador2025pacifaist")
TEX_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
NATBIB = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{natbib}
\begin{document}
\nocite{*}
\bibliographystyle{plainnat}
\bibliography{list}
\end{document}
"""
BIBLATEX = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[backend=biber,style=authoryear]{biblatex}
\addbibresource{list.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


def run(args: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, **TEX_ENV}
    return subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, errors="replace",
                          timeout=300, stdin=subprocess.DEVNULL, check=False)


def latex_warnings(log: str) -> int:
    return len(re.findall(r"^(?:LaTeX|Package \w+) Warning", log, re.MULTILINE))


def natbib(bib: Path) -> tuple[str, str]:
    """(row, text per entry) for pdflatex + BibTeX + plainnat."""
    if not (shutil.which("pdflatex") and shutil.which("bibtex")):
        return "pdflatex+BibTeX (plainnat) | not installed", ""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copyfile(bib, folder / "list.bib")
        (folder / "doc.tex").write_text(NATBIB)
        run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], folder)
        bibtex = run(["bibtex", "doc"], folder)
        run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], folder)
        last = run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], folder)
        blg = (folder / "doc.blg").read_text(errors="replace") if (folder / "doc.blg").exists() else ""
        bbl = (folder / "doc.bbl").read_text(errors="replace") if (folder / "doc.bbl").exists() else ""
        entries = bbl.count(r"\bibitem")
        warnings = len(re.findall(r"^Warning--", blg, re.MULTILINE))
        errors = len(re.findall(r"error message", blg)) + last.stdout.count("\n! ")
        text = _pdf_text(folder) or bbl
        row = (f"pdflatex+BibTeX (plainnat) | {bib.name} | {entries} | {errors} | "
               f"{warnings} BibTeX + {latex_warnings(last.stdout)} LaTeX | rc {bibtex.returncode}")
        return row, text


def biber(bib: Path) -> tuple[str, str]:
    if not (shutil.which("pdflatex") and shutil.which("biber")):
        return "pdflatex+biblatex+biber | not installed", ""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copyfile(bib, folder / "list.bib")
        (folder / "doc.tex").write_text(BIBLATEX)
        run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], folder)
        result = run(["biber", "doc"], folder)
        run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], folder)
        last = run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], folder)
        out = result.stdout
        bbl = (folder / "doc.bbl").read_text(errors="replace") if (folder / "doc.bbl").exists() else ""
        entries = bbl.count(r"\entry{")
        row = (f"pdflatex+biblatex+biber | {bib.name} | {entries} | {out.count('ERROR -') + last.stdout.count(chr(10) + '! ')}"
               f" | {out.count('WARN -')} biber + {latex_warnings(last.stdout)} LaTeX | rc {result.returncode}")
        return row, _pdf_text(folder) or bbl


def _pdf_text(folder: Path) -> str:
    if not shutil.which("pdftotext") or not (folder / "doc.pdf").exists():
        return ""
    return run(["pdftotext", "-layout", "doc.pdf", "-"], folder).stdout


def pybtex_row(bib: Path) -> str:
    try:
        import pybtex.database
        import pybtex.plugin
    except ImportError:
        return "pybtex plain | not installed"
    errors = 0
    entries = 0
    try:
        data = pybtex.database.parse_file(str(bib))
        style = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")()
        entries = len(list(style.format_entries(data.entries.values())))
    except Exception as exc:  # the whole-list render aborts on the first bad entry
        errors = 1
        print(f"  pybtex: {type(exc).__name__}: {exc}", file=sys.stderr)
    return f"pybtex plain | {bib.name} | {entries} | {errors} | -"


def main(sites: list[str]) -> None:
    for site in sites:
        export = Path(site) / "export"
        print(f"\n## {site}\n\nclient | file | entries | errors | warnings | exit\n--- | --- | --- | --- | --- | ---")
        classic = export / "papers.bib"
        modern = export / "papers.biblatex.bib"
        row, natbib_text = natbib(classic)
        print(row)
        row, biber_text = biber(modern if modern.exists() else classic)
        print(row)
        for bib in sorted(export.glob("papers*.bib")):
            print(pybtex_row(bib))
        for name, text in (("plainnat", natbib_text), ("biblatex", biber_text)):
            print(f"\n### the five entries as {name} prints them\n")
            flat = " ".join(text.split())
            for key in ENTRIES:
                print(f"- {key}: {_excerpt(flat, key)}")


def _excerpt(flat: str, key: str) -> str:
    """The printed entry (found by its first author's family name and a title word)."""
    words = {"akata2023playing": "Playing repeated games", "agashe2023llm": "Coordination: Evaluating",
             "lica2024mindforge": "MindForge", "chan2022data": "Data distributional",
             "herrador2025pacifaist": "PacifAIst"}[key]
    at = flat.lower().find(words.lower())
    return flat[max(0, at - 120): at + 220] if at >= 0 else "(not found)"


if __name__ == "__main__":
    main(sys.argv[1:])
