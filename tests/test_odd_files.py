"""Odd things in the records folder: each gets a clear message or follows a documented rule,
and neither `check` nor the build crashes or hangs on them.

The rules, as the loader applies them:

- only ``*.md`` files directly in the folder are records; other files get a warning and are
  ignored, names starting with ``.`` (editor swap files, ``.gitkeep``) are skipped silently;
- a record must be a regular file: a folder, a FIFO or a socket named ``x.md`` is an error,
  and so is a symbolic link to outside the folder, to nothing, or to itself;
- the file name is the id: lowercase ASCII letters, digits and hyphens (``café-2025.md`` is not);
- the file is UTF-8 text: empty, binary (NUL bytes), UTF-16 or other encodings are errors;
- an abstract or the notes hold at most 5,000 characters (arXiv allows 1,920): a 100 KB paste
  is an error, not a 200 KB page (a file over 256 KiB is refused whole: tests/hostile/test_bounds.py);
- a collaboration paper with 5,000 authors (the limit) builds, its page lists them all and
  cards show the first three "et al.".
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.load import load

from .support import FIXTURES, ROOT, TODAY, build, build_env, tree

RECORD = (FIXTURES / "mini" / "retool-2025.md").read_text(encoding="utf-8")
LINK_HINT = "commit the record itself, not a link"
FOLDER_HINT = "records are files named '<id>.md'; rename the folder"


def _variant(title: str, abstract: str | None = None) -> str:
    """The ReTool record under another title and without its arXiv id (no duplicate)."""
    text = RECORD.replace("ReTool:", f"{title}:").replace('arxiv: "2504.11536"\n', "")
    return text if abstract is None else text.replace(text[text.index("While reasoning"):text.index("## Notes")],
                                                      abstract + "\n\n")


def _huge_abstract(folder: Path) -> None:  # 100 KB: within a record file's size limit (a larger file: test_bounds)
    (folder / "huge-abstract-2025.md").write_text(_variant("Huge", "word " * 20_000), encoding="utf-8")


def _symlink_outside(folder: Path) -> None:
    outside = folder.resolve().parent / "outside.md"
    outside.write_text(_variant("Outside"), encoding="utf-8")
    (folder / "outside-2025.md").symlink_to(outside)


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "fifo-2025.md")


def _socket(folder: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(folder / "socket-2025.md"))
    except OSError as exc:  # a path too long for AF_UNIX
        pytest.skip(f"cannot make a socket here: {exc}")
    finally:
        server.close()


# name -> (how to make it in the records folder, the lines `check` prints for it)
ODD: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "empty": (lambda d: (d / "empty-2025.md").write_bytes(b""), [
        "papers/empty-2025.md:1: front matter: the file is empty (a record starts with front matter between two '---' "
        "lines; copy an existing record or run 'make new')"]),
    "blank": (lambda d: (d / "blank-2025.md").write_bytes(b"\n \n\t\n"), [
        "papers/blank-2025.md:1: front matter: the file is empty (a record starts with front matter between two '---' "
        "lines; copy an existing record or run 'make new')"]),
    "binary": (lambda d: (d / "image-2025.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), [
        "papers/image-2025.md:3: front matter: the file is binary, not text (it holds NUL bytes) "
        "(a record is a UTF-8 Markdown file)"]),
    "latin-1": (lambda d: (d / "latin-2025.md").write_bytes(_variant("Café Latin").encode("latin-1")), [
        "papers/latin-2025.md:2: title: the file is not valid UTF-8 (byte 0xe9 at offset 15) (save the file as UTF-8)"]),
    "utf-16": (lambda d: (d / "utf16-2025.md").write_bytes(_variant("Sixteen").encode("utf-16")), [
        "papers/utf16-2025.md:1: front matter: the file is UTF-16, not UTF-8 "
        "(save the file as UTF-8 (in Notepad: Save as, Encoding: UTF-8))"]),
    "100 KB abstract": (_huge_abstract, [
        "papers/huge-abstract-2025.md:20: abstract: is 99,999 characters long (at most 5,000) "
        "(paste only the abstract, as published)"]),
    "one 200 KB line": (lambda d: (d / "one-line-2025.md").write_bytes(b"x" * 200_000), [
        "papers/one-line-2025.md:1: front matter: the file does not start with '---' "
        "(put the fields between two '---' lines at the top of the file)"]),
    "front matter never closed": (lambda d: (d / "unclosed-2025.md").write_text("---\n" + "title: x\n" * 20_000), [
        "papers/unclosed-2025.md:1: front matter: the front matter is not closed (add a line '---' after the last field)"]),
    "symlink outside": (_symlink_outside, [
        f"papers/outside-2025.md:1: front matter: is a symbolic link to a file outside the records folder ({LINK_HINT})"]),
    "dangling symlink": (lambda d: (d / "dangling-2025.md").symlink_to("missing.md"), [
        f"papers/dangling-2025.md:1: front matter: is a symbolic link to nothing (a missing file or a loop) ({LINK_HINT})"]),
    "symlink loop": (lambda d: (d / "loop-2025.md").symlink_to("loop-2025.md"), [
        f"papers/loop-2025.md:1: front matter: is a symbolic link to nothing (a missing file or a loop) ({LINK_HINT})"]),
    "non-ASCII name": (lambda d: (d / "café-2025.md").write_text(_variant("Café"), encoding="utf-8"), [
        "papers/café-2025.md:1: id: the file name 'café-2025.md' is not a valid record id (rename it: the id "
        "(file name without .md) uses lowercase ASCII letters, digits and single hyphens, e.g. 'retool-2025')"]),
    "folder named like a record": (lambda d: (d / "x-2025.md").mkdir(), [
        f"papers/x-2025.md:1: front matter: is a folder, not a record file ({FOLDER_HINT})"]),
    "FIFO": (_fifo, [
        "papers/fifo-2025.md:1: front matter: is not a regular file (records are plain text files named '<id>.md')"]),
    "socket": (_socket, [
        "papers/socket-2025.md:1: front matter: is not a regular file (records are plain text files named '<id>.md')"]),
    "not Markdown": (lambda d: (d / "notes.txt").write_text("a note"), [
        "papers/notes.txt:1: warning: file: is not a record and is ignored (records are Markdown files named '<id>.md')"]),
    "upper-case extension": (lambda d: (d / "upper-2025.MD").write_text(_variant("Upper")), [
        "papers/upper-2025.MD:1: warning: file: is not a record and is ignored (records are Markdown files named '<id>.md')"]),
    "hidden file": (lambda d: (d / ".draft-2025.md").write_bytes(b"\x00 not even text"), []),
}


@pytest.fixture
def papers(mini: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini list, with messages naming its files 'papers/<name>'."""
    monkeypatch.chdir(mini.parent)
    return Path("papers")


@pytest.mark.parametrize("name", list(ODD))
def test_each_odd_file_gets_a_clear_message(name: str, papers: Path) -> None:
    make, expected = ODD[name]
    before = {p.name for p in papers.iterdir()}
    make(papers)
    (added,) = {p.name for p in papers.iterdir()} - before
    result = load(papers, today=TODAY)
    assert [p.text() for p in result.problems if Path(p.path).name == added] == expected
    others = [p.text() for p in result.problems if Path(p.path).name != added]
    assert others == []
    assert (result.catalog is None) == any(" warning: " not in line for line in expected)


def test_check_and_build_on_a_folder_of_every_odd_file_end_cleanly(papers: Path, tmp_path: Path) -> None:
    for make, _expected in ODD.values():
        make(papers)
    check = subprocess.run([sys.executable, "-m", "generator", "check", "--papers", str(papers.resolve())],
                           cwd=ROOT, env=build_env(), capture_output=True, text=True, timeout=120, check=False)
    assert check.returncode == 1
    assert "Traceback" not in check.stdout + check.stderr and "internal error" not in check.stderr
    shown = str(papers.resolve().relative_to(ROOT)) if papers.resolve().is_relative_to(ROOT) else str(papers.resolve())
    printed = check.stdout.replace(shown + "/", "papers/")
    for _make, expected in ODD.values():
        for line in expected:
            assert line in printed
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the previous site")
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--papers", str(papers.resolve()), "--out", str(out)],
                         cwd=ROOT, env=build_env(), capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr and "internal error" not in run.stderr
    assert tree(out) == {"index.html": b"the previous site"}


def test_a_paper_with_5000_authors_checks_and_builds(mini: Path, tmp_path: Path) -> None:
    authors = [f"Author Number{i} Lastname{i}" for i in range(5_000)]
    text = _variant("Collaboration").replace("  - Jiazhan Feng\n  - Shijue Huang\n  - Xingwei Qu\n",
                                             "".join(f"  - {a}\n" for a in authors))
    (mini / "collaboration-2025.md").write_text(text, encoding="utf-8")
    result = load(mini, today=TODAY)
    assert result.problems == [] and result.catalog is not None
    assert result.catalog.paper("collaboration-2025").authors == tuple(authors)
    out = tmp_path / "site"
    run = build(mini, out)
    assert run.returncode == 0, run.stdout + run.stderr
    page = (out / "papers" / "collaboration-2025" / "index.html").read_text(encoding="utf-8")
    assert page.count('<span class="rl-author">') == 5_000
    assert all(f">{a}<" in page for a in (authors[0], authors[2_500], authors[-1]))
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f"{authors[0]}, {authors[1]}, {authors[2]} et al." in home


def test_a_symbolic_link_to_a_record_inside_the_folder_is_read_like_a_copy(papers: Path) -> None:
    """Documented rule: a link inside the folder is followed; its own name is the id, so it is a duplicate."""
    (papers / "alias-2025.md").symlink_to("retool-2025.md")
    result = load(papers, today=TODAY)
    assert [p.text() for p in result.errors] == [  # a duplicate is reported on both files
        "papers/alias-2025.md:2: title: the same title is also in papers/retool-2025.md "
        "(one paper, one record: keep one of the two)",
        "papers/alias-2025.md:9: arxiv: the same arXiv id 2504.11536 is also in papers/retool-2025.md "
        "(one paper, one record: keep one of the two)",
        "papers/retool-2025.md:2: title: the same title is already in papers/alias-2025.md "
        "(this paper is on the list already; edit that record instead)",
        "papers/retool-2025.md:9: arxiv: the same arXiv id 2504.11536 is already in papers/alias-2025.md "
        "(this paper is on the list already; edit that record instead)",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_named(papers: Path) -> None:
    path = papers / "locked-2025.md"
    path.write_text(_variant("Locked"))
    path.chmod(0)
    try:
        result = load(papers, today=TODAY)
    finally:
        path.chmod(0o644)
    assert [p.text() for p in result.problems] == [
        "papers/locked-2025.md:1: front matter: cannot read the file: Permission denied "
        "(check that it is a readable regular file)"]


__all__ = ["shutil"]
