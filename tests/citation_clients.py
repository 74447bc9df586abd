"""The real citation clients, run on a site's exports: pdflatex with BibTeX or biber, pdftotext.

Used by tests/test_citation_clients.py (the real list), tests/hostile/test_latex_exports.py
(hostile records) and benchmarks/citation_clients.py (the tables before and after).

A client that is not installed makes a test skip locally, with the package that brings it; when
``CI`` is set it fails instead (``.ci/run`` installs every one of them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# What brings each program, for the skip message (Debian package or make target).
PROVIDERS = {
    "pdflatex": "texlive-latex-base", "bibtex": "texlive-binaries", "biber": "biber",
    "pdftotext": "poppler-utils", "node": "nodejs", "npm": "npm",
}
# kpathsea's own guards, so that a compile of hostile records cannot harm the machine running
# it even if the exports let something through: TeX may open files in the job folder only
# (no parent folders, no absolute paths, no dot files), and may not run programs.
SAFE_TEX_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
TIMEOUT = 300  # seconds for one program run; a compile of the 95 records takes about 2 s

# The documents: natbib with plainnat and no url package (its \url is then \texttt), and
# biblatex with biber. T1 and Latin Modern so that pdftotext reads back what TeX printed.
NATBIB = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{natbib}
\begin{document}
\nocite{*}
\bibliographystyle{plainnat}
\bibliography{papers}
\end{document}
"""
BIBLATEX = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage[backend=biber,style=authoryear]{biblatex}
\addbibresource{papers.biblatex.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""
DOCUMENTS = {"bibtex": (NATBIB, "papers.bib"), "biber": (BIBLATEX, "papers.biblatex.bib")}

_LATEX_WARNING = re.compile(r"^(?:LaTeX|Package \S+|Class \S+) Warning:.*$", re.MULTILINE)
_TEX_ERROR = re.compile(r"^! .*$", re.MULTILINE)
_BIBTEX_WARNING = re.compile(r"^Warning--.*$", re.MULTILINE)
_BIBTEX_ERROR = re.compile(r"^.*---(?:line \d+ of file|this can't happen|while executing).*$", re.MULTILINE)
_BIBER_WARNING = re.compile(r"^.*\bWARN - .*$", re.MULTILINE)
_BIBER_ERROR = re.compile(r"^.*\bERROR - .*$", re.MULTILINE)


def need(program: str) -> str:
    """The path of ``program``; skip the test when it is missing (fail when ``CI`` is set)."""
    import pytest

    found = shutil.which(program)
    if found:
        return found
    reason = f"{program} is not installed (Debian: apt-get install {PROVIDERS.get(program, program)}; .ci/run does it)"
    if os.environ.get("CI"):
        pytest.fail(f"CI needs every citation client: {reason}")
    pytest.skip(reason)


@dataclass
class Step:
    command: str
    returncode: int
    output: str


@dataclass
class TexJob:
    """One document compiled in ``folder``: pdflatex, BibTeX or biber, pdflatex twice."""

    folder: Path
    engine: str  # "bibtex" or "biber"
    steps: list[Step] = field(default_factory=list)

    def read(self, suffix: str) -> str:
        path = self.folder / f"doc{suffix}"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    @property
    def log(self) -> str:
        return self.read(".log")

    @property
    def blg(self) -> str:
        return self.read(".blg")

    @property
    def bbl(self) -> str:
        return self.read(".bbl")

    def latex_warnings(self) -> list[str]:
        """The warnings of the last pdflatex run (earlier runs warn about citations not yet resolved)."""
        return _LATEX_WARNING.findall(self.log)

    def latex_errors(self) -> list[str]:
        return _TEX_ERROR.findall(self.log)

    def bibliography_warnings(self) -> list[str]:
        return (_BIBTEX_WARNING if self.engine == "bibtex" else _BIBER_WARNING).findall(self.blg)

    def bibliography_errors(self) -> list[str]:
        return (_BIBTEX_ERROR if self.engine == "bibtex" else _BIBER_ERROR).findall(self.blg)

    def failed_steps(self) -> list[Step]:
        return [s for s in self.steps if s.returncode != 0]

    def cited_keys(self) -> list[str]:
        """The keys of the entries the bibliography printed (natbib's ``\\bibcite`` lines, biber's ``\\entry``)."""
        if self.engine == "bibtex":
            return re.findall(r"^\\bibcite\{([^}]+)\}", self.read(".aux"), re.MULTILINE)
        return re.findall(r"^\s*\\entry\{([^}]+)\}", self.bbl, re.MULTILINE)

    def pdf_text(self) -> str:
        """The PDF as text (pdftotext, reading order), or "" when there is no PDF."""
        pdf = self.folder / "doc.pdf"
        if not pdf.exists():
            return ""
        result = subprocess.run([need("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                check=True, timeout=TIMEOUT)
        return result.stdout.decode("utf-8", errors="replace")


def compile_bibliography(bib: Path, engine: str, folder: Path, env: Mapping[str, str] | None = None,
                         document: str | None = None) -> TexJob:
    """Compile a document citing every entry of ``bib`` in ``folder`` with ``engine``.

    ``engine`` is "bibtex" (natbib, plainnat) or "biber" (biblatex); ``document`` replaces
    its usual document (:data:`DOCUMENTS`). ``env`` is added to the environment of every
    program, after :data:`SAFE_TEX_ENV`.
    """
    usual, name = DOCUMENTS[engine]
    document = usual if document is None else document
    for program in ("pdflatex", engine):
        need(program)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bib, folder / name)
    (folder / "doc.tex").write_text(document, encoding="utf-8")
    job = TexJob(folder, engine)
    full_env = {**os.environ, **SAFE_TEX_ENV, **(env or {})}
    for command in (["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], [engine, "doc"],
                    ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                    ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]):
        result = subprocess.run(command, cwd=folder, env=full_env, capture_output=True, text=True, errors="replace",
                                timeout=TIMEOUT, stdin=subprocess.DEVNULL, check=False)
        job.steps.append(Step(" ".join(command), result.returncode, result.stdout + result.stderr))
    return job
