"""The LaTeX test (issue 15, item 8): hostile records compiled with the real TeX clients read,
write and run nothing, and print every title as text.

``tests/hostile/latex/`` holds seven records that pass ``check`` and put TeX into every field
that reaches a citation file: ``^^5c`` escapes (``^^5cinput^^7breading-list-sentinel^^7d``
is ``\\input{reading-list-sentinel}`` to TeX, which decodes ``^^`` before anything else),
``\\input``, ``\\immediate\\write18``, ``\\openin``, ``\\openout``, ``\\csname``, ``\\catcode``,
``%``, ``#``, ``~``, ``$``, unbalanced braces that would close the BibTeX field and open an
``@preamble``, backslashes at the end of a field, and a ``^`` at the end of one field next to
``^5c`` at the start of the next, in titles, author names, venue names, DOIs and links; and
emoji, CJK and Arabic letters, which pdflatex has no form for.

The site built from them is compiled the way a reader would: its whole-list ``papers.bib``
with pdflatex + BibTeX (natbib, plainnat, no url package, so ``\\url`` is ``\\texttt``) and
its ``papers.biblatex.bib`` with pdflatex + biblatex + biber, each in a job folder of its
own, with kpathsea's guards on (``openin_any=p openout_any=p shell_escape=f``). A sentinel
file outside the job folder, reachable only through ``TEXINPUTS`` under the name the
records use, holds a unique text: if any ``\\input`` the records carry were executed, that
text would be in the log or the PDF (the control compile below shows it would).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from generator.load import load

from ..citation_clients import NATBIB, TexJob, compile_bibliography, need
from ..support import built, tree
from . import HOSTILE

LATEX = HOSTILE / "latex"
SENTINEL_NAME = "reading-list-sentinel"  # what the records \input, in every spelling
SENTINEL_TEXT = "SentinelTextReadThroughTheExports"
PASSWD_TEXT = "root:x:0:0"  # the first line of /etc/passwd, which two records \input too
ENGINES = ("bibtex", "biber")
# A title with characters pdflatex has no form for is printed with their code points (an emoji
# kept as UTF-8 stopped the whole compile); the zero-width joiner inside the emoji goes.
PRINTED = {"unicode-letters-2025": "Emoji [U+1F9E0] and [U+1F469][U+1F3FD][U+1F52C], CJK [U+5B66][U+4E60] and "
                                   "\u00c5ngstr\u00f6m in a Title"}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(LATEX, tmp_path_factory.mktemp("latex") / "site")


@pytest.fixture(scope="module")
def tex_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the sentinel (``inputs/``), a home folder, and the job folders of each compile."""
    root = tmp_path_factory.mktemp("tex")
    (root / "inputs").mkdir()
    (root / "inputs" / f"{SENTINEL_NAME}.tex").write_text(SENTINEL_TEXT + "\n", encoding="utf-8")
    (root / "home").mkdir()
    return root


def tex_env(root: Path) -> dict[str, str]:
    """The sentinel on TeX's search path; HOME and TeX's cache folder under ``root``, where writes are seen."""
    return {"TEXINPUTS": f".:{root / 'inputs'}//:", "HOME": str(root / "home"),
            "TEXMFVAR": str(root / "home" / "texmf-var")}


@pytest.fixture(scope="module")
def jobs(hostile_site: Path, tex_root: Path) -> dict[str, tuple[TexJob, dict[str, bytes], dict[str, bytes]]]:
    """engine -> (its compile, the files outside its job folder before, and after)."""
    for program in ("pdflatex", "bibtex", "biber", "pdftotext"):
        need(program)
    result = {}
    for engine in ENGINES:
        before = _outside(tex_root, engine)
        bib = hostile_site / "export" / ("papers.bib" if engine == "bibtex" else "papers.biblatex.bib")
        job = compile_bibliography(bib, engine, tex_root / engine, tex_env(tex_root))
        result[engine] = (job, before, _outside(tex_root, engine))
    return result


def _outside(root: Path, engine: str) -> dict[str, bytes]:
    return {path: data for path, data in tree(root).items() if not path.startswith(f"{engine}/")}


def test_the_sentinel_would_show_if_an_input_ran(tex_root: Path, tmp_path: Path) -> None:
    """Control: under the same environment, a document that does \\input the sentinel prints its text."""
    for program in ("pdflatex", "bibtex", "pdftotext"):
        need(program)
    bib = tmp_path / "papers.bib"
    bib.write_text("@misc{x, title = {T}, author = {A, B}, year = {2025}}\n", encoding="utf-8")
    document = NATBIB.replace("\\nocite{*}", "\\nocite{*}\\input{" + SENTINEL_NAME + "}")
    job = compile_bibliography(bib, "bibtex", tmp_path / "control", tex_env(tex_root), document)
    assert job.failed_steps() == []
    assert SENTINEL_TEXT in job.pdf_text()


@pytest.mark.parametrize("engine", ENGINES)
def test_every_step_exits_0_without_errors_or_warnings(jobs: dict[str, tuple[TexJob, dict[str, bytes], dict[str, bytes]]],
                                                       engine: str) -> None:
    job = jobs[engine][0]
    assert job.failed_steps() == [], [(s.command, s.returncode, s.output[-2000:]) for s in job.failed_steps()]
    assert job.latex_errors() == []
    assert job.latex_warnings() == []
    assert job.bibliography_errors() == []
    assert job.bibliography_warnings() == []


@pytest.mark.parametrize("engine", ENGINES)
def test_every_hostile_entry_is_in_the_bibliography(jobs: dict[str, tuple[TexJob, dict[str, bytes], dict[str, bytes]]],
                                                   engine: str) -> None:
    catalog = load(LATEX).catalog
    assert catalog is not None
    assert len(jobs[engine][0].cited_keys()) == len(catalog.papers) == 7


@pytest.mark.parametrize("engine", ENGINES)
def test_no_file_is_read_outside_the_job_folder(jobs: dict[str, tuple[TexJob, dict[str, bytes], dict[str, bytes]]],
                                               engine: str) -> None:
    job = jobs[engine][0]
    for name, text in (("log", job.log), ("blg", job.blg), ("bbl", job.bbl), ("PDF", job.pdf_text())):
        assert SENTINEL_TEXT not in text, f"the sentinel was read into the {name}"
        assert PASSWD_TEXT not in text, f"/etc/passwd was read into the {name}"
    assert SENTINEL_NAME + ".tex" not in job.log  # TeX logs every file it opens, by name


@pytest.mark.parametrize("engine", ENGINES)
def test_no_file_is_written_outside_the_job_folder_and_nothing_runs(
        jobs: dict[str, tuple[TexJob, dict[str, bytes], dict[str, bytes]]], engine: str) -> None:
    job, before, after = jobs[engine]
    assert after == before
    assert not any(p.name.startswith("pwned") for p in job.folder.rglob("*"))
    assert "runsystem" not in job.log  # TeX logs each \write18 it is asked to run, even when it refuses


def _comparable(text: str) -> str:
    """Text as pdftotext gives it back, comparable with a title: case, spaces, hyphens, quote glyphs and ligatures aside."""
    text = unicodedata.normalize("NFKC", text).replace("\u2018", "`").replace("\u2019", "'")
    text = text.replace("\u201c", "").replace("\u201d", "")  # biblatex's quotes around a title
    return re.sub(r"[\s\-\u2013\u2014]+", "", text).casefold()


@pytest.mark.parametrize("engine", ENGINES)
def test_every_hostile_title_is_printed_as_text(jobs: dict[str, tuple[TexJob, dict[str, bytes], dict[str, bytes]]],
                                               engine: str) -> None:
    catalog = load(LATEX).catalog
    assert catalog is not None
    printed = _comparable(jobs[engine][0].pdf_text())
    missing = [p.title for p in catalog.papers if _comparable(PRINTED.get(p.id, p.title)) not in printed]
    assert missing == []


def test_no_caret_pair_can_form_in_the_bib_files(hostile_site: Path) -> None:
    """Every ^ in a .bib file is part of a macro (``\\^`` or ``{^``), so no ``^^`` can form, in a field or across two."""
    for name in ("papers.bib", "papers.biblatex.bib"):
        text = (hostile_site / "export" / name).read_text(encoding="utf-8")
        assert re.search(r"(?<![\\{])\^", text) is None, name
        assert "\\input" not in text.replace("\\textbackslash{}input", "")


def test_ris_and_json_hold_each_title_as_plain_data(hostile_site: Path) -> None:
    """A JSON reader gets each title back exactly; no RIS line starts anything but a tag of ours."""
    catalog = load(LATEX).catalog
    assert catalog is not None
    titles = sorted(p.title for p in catalog.papers)
    csl = json.loads((hostile_site / "export" / "papers.csl.json").read_text(encoding="utf-8"))
    assert sorted(item["title"] for item in csl) == titles
    dump = json.loads((hostile_site / "export" / "papers.json").read_text(encoding="utf-8"))
    assert sorted(record["title"] for record in dump) == titles
    ris = (hostile_site / "export" / "papers.ris").read_bytes().decode("utf-8")
    lines = [line for line in ris.split("\r\n") if line]
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines)
    assert sorted(line[6:] for line in lines if line.startswith("TI  - ")) == titles


def test_no_caret_pair_forms_from_any_two_characters_side_by_side() -> None:
    """TeX reads ``^^5c`` as a backslash: no two characters, escaped and encoded, make a bare ``^`` (so never ``^^``)."""
    from generator.exports import bibtex

    carets = [chr(c) for c in range(0x80, 0x30000) if not 0xD800 <= c < 0xE000
              and "^" in bibtex.ascii_latex(chr(c))]
    assert len(carets) > 30  # \^ accents and superscripts: the characters whose LaTeX form holds a ^
    pieces = [*carets, "^", "^^", "\\", "{", "}", "5c", "\u0302", "\uff3e"]
    for first in pieces:
        for second in pieces:
            for text in (bibtex.ascii_latex(bibtex.escape(first + second)),
                         bibtex.pdflatex_letters(bibtex.escape(first + second))):
                assert re.search(r"(?<![\\{])\^", text) is None, (first, second, text)
