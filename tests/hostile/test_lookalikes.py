"""Lookalikes, bidirectional text, invisible text, odd file names and reserved ids (issue 15, items 3-7).

``lookalikes/accepted/`` holds a record that must check clean and build beside the hostile corpus:
Arabic and Hebrew author names, an Arabic venue and emerges line, with no control character.
``lookalikes/rejected/`` holds one file per thing ``check`` must refuse; ``EXPECTED`` says the name it
takes in the records folder and the exact lines ``check`` prints for that file. A duplicate case
repeats the accepted record (its title, DOI) in a disguise.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.identity import arxiv_key, doi_key, title_key
from generator.load import load
from generator.model import Catalog
from generator.pr_summary import Links, _preview_cell, code
from generator.record.ids import RESERVED_IDS, is_valid_id

from ..support import ROOT, TODAY, build, build_env, built, tree
from . import PAPERS

LOOKALIKES = Path(__file__).parent / "lookalikes"
ACCEPTED = LOOKALIKES / "accepted"
REJECTED = LOOKALIKES / "rejected"
ORIGINAL = "agents-lookalikes-2025.md"  # the accepted record the duplicate cases repeat

BIDI_HINT = "(remove it; right-to-left text such as an Arabic or Hebrew name needs no control characters)"
NOT_ASCII_HINT = "(type the {} again in plain ASCII letters and digits)"


def _same(case: str, what: str) -> list[str]:
    line = 6 if what.startswith("DOI") else 2
    field = "doi" if what.startswith("DOI") else "title"
    return [f"papers/{case}:{line}: {field}: the same {what} is already in papers/{ORIGINAL} "
            "(this paper is on the list already; edit that record instead)"]


def _bidi(case: str, line: int, field: str, code: str) -> list[str]:
    return [f"papers/{case}:{line}: {field}: holds a bidirectional control character ({code}) "
            f"that can reorder the text around it {BIDI_HINT}"]


def _invisible(case: str, line: int, field: str, held: str, fix: str) -> list[str]:
    holds = f" (it holds {held})" if held else ""
    return [f"papers/{case}:{line}: {field}: has no visible letter or digit{holds} ({fix})"]


TITLE_FIX = "write the paper's title, as published"

# rejected/<file> -> (the name it takes in the records folder, the lines `check` prints for that file)
EXPECTED: dict[str, tuple[str, list[str]]] = {
    # 3. a copied title or DOI in disguise is still a duplicate
    **{case: (case, _same(case, "title")) for case in (
        "title-zero-width-2025.md", "title-soft-hyphen-2025.md", "title-cyrillic-2025.md", "title-fullwidth-2025.md")},
    "doi-other-case-2025.md": ("doi-other-case-2025.md", _same("doi-other-case-2025.md", "DOI 10.1234/LOOKALIKE.5")),
    # 3. identifiers are ASCII, and hold no invisible character
    "arxiv-fullwidth-digits-2025.md": ("arxiv-fullwidth-digits-2025.md", [
        "papers/arxiv-fullwidth-digits-2025.md:6: arxiv: '２５０１.０１２３４' holds U+FF12 FULLWIDTH DIGIT TWO, which is "
        f"not ASCII {NOT_ASCII_HINT.format('arXiv id')}"]),
    "arxiv-arabic-indic-digits-2025.md": ("arxiv-arabic-indic-digits-2025.md", [
        "papers/arxiv-arabic-indic-digits-2025.md:6: arxiv: '٢٥٠١.٠١٢٣٤' holds U+0662 ARABIC-INDIC DIGIT TWO, which is "
        f"not ASCII {NOT_ASCII_HINT.format('arXiv id')}"]),
    "doi-arabic-indic-digits-2025.md": ("doi-arabic-indic-digits-2025.md", [
        "papers/doi-arabic-indic-digits-2025.md:6: doi: '10.١٢٣٤/lookalike.5' holds U+0661 ARABIC-INDIC DIGIT ONE, which "
        f"is not ASCII {NOT_ASCII_HINT.format('DOI')}"]),
    "doi-bidi-override-2025.md": ("doi-bidi-override-2025.md", [
        r"papers/doi-bidi-override-2025.md:6: doi: '10.1234/\u202eexe.5' holds an invisible character "
        "(U+202E RIGHT-TO-LEFT OVERRIDE) that can disguise where it leads (type it again, without it)"]),
    "doi-zero-width-2025.md": ("doi-zero-width-2025.md", [
        r"papers/doi-zero-width-2025.md:6: doi: '10.1234/look\u200balike.5' holds an invisible character "
        "(U+200B ZERO WIDTH SPACE) that can disguise where it leads (type it again, without it)"]),
    # 4. bidi controls, in every field
    "author-bidi-override-2025.md": ("author-bidi-override-2025.md",
                                     _bidi("author-bidi-override-2025.md", 4, "authors", "U+202E RIGHT-TO-LEFT OVERRIDE")),
    "author-arabic-letter-mark-2025.md": ("author-arabic-letter-mark-2025.md",
                                          _bidi("author-arabic-letter-mark-2025.md", 4, "authors", "U+061C ARABIC LETTER MARK")),
    "title-bidi-isolate-2025.md": ("title-bidi-isolate-2025.md",
                                   _bidi("title-bidi-isolate-2025.md", 2, "title", "U+2067 RIGHT-TO-LEFT ISOLATE")),
    "venue-right-to-left-mark-2025.md": ("venue-right-to-left-mark-2025.md",
                                         _bidi("venue-right-to-left-mark-2025.md", 8, "venue.name", "U+200F RIGHT-TO-LEFT MARK")),
    "emerges-bidi-embedding-2025.md": ("emerges-bidi-embedding-2025.md",
                                       _bidi("emerges-bidi-embedding-2025.md", 8, "emerges", "U+202B RIGHT-TO-LEFT EMBEDDING")),
    "abstract-bidi-override-2025.md": ("abstract-bidi-override-2025.md",
                                       _bidi("abstract-bidi-override-2025.md", 13, "abstract", "U+202E RIGHT-TO-LEFT OVERRIDE")),
    "notes-bidi-isolate-2025.md": ("notes-bidi-isolate-2025.md",
                                   _bidi("notes-bidi-isolate-2025.md", 16, "notes", "U+2066 LEFT-TO-RIGHT ISOLATE")),
    "tags-bidi-override.yml": ("tags.yml", _bidi("tags.yml", 17, "unicode.title", "U+202E RIGHT-TO-LEFT OVERRIDE")),
    "path-bidi-note.yml": ("paths/bidi-note.yml",
                           _bidi("paths/bidi-note.yml", 7, "steps[2].note", "U+202E RIGHT-TO-LEFT OVERRIDE")),
    # 5. text that shows nothing
    "title-zero-width-only-2025.md": ("title-zero-width-only-2025.md", _invisible(
        "title-zero-width-only-2025.md", 2, "title", "U+200B ZERO WIDTH SPACE", TITLE_FIX)),
    "title-combining-marks-only-2025.md": ("title-combining-marks-only-2025.md", _invisible(
        "title-combining-marks-only-2025.md", 2, "title", "", TITLE_FIX)),
    "title-hangul-filler-2025.md": ("title-hangul-filler-2025.md", _invisible(
        "title-hangul-filler-2025.md", 2, "title", "U+3164 HANGUL FILLER", TITLE_FIX)),
    "author-hangul-filler-2025.md": ("author-hangul-filler-2025.md", _invisible(
        "author-hangul-filler-2025.md", 4, "authors", "U+FFA0 HALFWIDTH HANGUL FILLER", "write each author's name, as the paper gives it")),
    "emerges-hangul-fillers-2025.md": ("emerges-hangul-fillers-2025.md", _invisible(
        "emerges-hangul-fillers-2025.md", 8, "emerges", "U+115F HANGUL CHOSEONG FILLER", "write one sentence a reader can read")),
    "tags-hangul-filler-title.yml": ("tags.yml", _invisible(
        "tags.yml", 17, "unicode.title", "U+3164 HANGUL FILLER", "write the tag's name")),
    "path-invisible-title.yml": ("paths/invisible-title.yml", _invisible(
        "paths/invisible-title.yml", 1, "title", "U+200B ZERO WIDTH SPACE", "write the path's title")),
    # 6. a file name that ends in a newline, shown escaped
    "newline-name-2025.md": ("newline-name-2025\n.md", [
        r"papers/newline-name-2025\n.md:1: id: the file name 'newline-name-2025\n.md' is not a valid record id (rename it: "
        "the id (file name without .md) uses lowercase ASCII letters, digits and single hyphens, e.g. 'retool-2025')"]),
    # 7. ids the site uses itself
    "index.md": ("index.md", ["papers/index.md:1: id: 'index' is a name the site itself uses for a page or folder "
                              "(rename the file: choose another id, e.g. '<short-title>-<year>')"]),
    "topics-reserved-index.yml": ("topics.yml", ["papers/topics.yml:16: index: 'index' is a name the site itself uses "
                                                 "for a page or folder (choose another id for the topic)"]),
    "path-reserved-index.yml": ("paths/index.yml", ["papers/paths/index.yml:1: id: 'index' is a name the site itself "
                                                    "uses for a page or folder (rename the file: choose another id)"]),
}


def lookalike_papers(folder: Path) -> Path:
    """The hostile corpus with the accepted lookalike records, copied to ``folder``/papers."""
    papers = folder / "papers"
    shutil.copytree(PAPERS, papers)
    for record in ACCEPTED.iterdir():
        shutil.copyfile(record, papers / record.name)
    return papers


def _with_case(tmp_path: Path, name: str) -> Path:
    papers = lookalike_papers(tmp_path)
    target = papers / EXPECTED[name][0]
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(REJECTED / name, target)
    return papers


def test_the_accepted_records_check_clean_beside_the_hostile_corpus(tmp_path: Path) -> None:
    result = load(lookalike_papers(tmp_path), today=TODAY)
    assert [p.text() for p in result.problems] == []
    assert result.catalog is not None
    paper = result.catalog.paper(ORIGINAL[:-3])
    assert paper.authors == ("محمد علي", "דוד לוי")


def test_every_rejected_file_has_its_expected_message() -> None:
    assert {p.name for p in REJECTED.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_rejected_case_gets_its_precise_lines(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target, expected = EXPECTED[name]
    _with_case(tmp_path, name)
    monkeypatch.chdir(tmp_path)
    result = load(Path("papers"), today=TODAY)
    assert result.catalog is None
    shown = f"papers/{target}".replace("\n", r"\n")
    assert [p.text() for p in result.problems if p.path == shown] == expected
    assert all("\n" not in p.text() for p in result.problems)


def test_check_prints_the_newline_file_on_one_line_and_build_writes_nothing(tmp_path: Path) -> None:
    papers = _with_case(tmp_path, "newline-name-2025.md")
    run = subprocess.run([sys.executable, "-m", "generator", "check", "--papers", "papers", "--no-cache"],
                         cwd=tmp_path, capture_output=True, text=True, check=False, env=build_env())
    assert run.returncode == 1
    assert EXPECTED["newline-name-2025.md"][1][0] in run.stdout.splitlines()
    out = tmp_path / "site"
    shutil.copytree(PAPERS, tmp_path / "clean")
    assert build(tmp_path / "clean", out).returncode == 0
    before = tree(out)
    run = build(papers, out)
    assert run.returncode == 1 and "Traceback" not in run.stdout + run.stderr
    assert tree(out) == before  # no folder, sitemap entry or listing link got the name
    assert not any("\n" in path for path in before)


def test_the_pr_summary_shows_a_newline_in_a_file_name_escaped() -> None:
    html = MarkdownIt("commonmark").render(f"| a |\n| --- |\n| {code('papers/newline-name-2025' + chr(10) + '.md')} |\n")
    assert r"papers/newline-name-2025\n.md" in html
    assert _preview_cell("newline-name-2025\n", Links()) == "—"  # no preview link to a page that cannot exist


def test_ids_are_matched_whole() -> None:
    assert is_valid_id("retool-2025")
    assert not is_valid_id("retool-2025\n")
    assert not is_valid_id("retool-\u0662\u0660\u0662\u0665")


# --- the keys ---------------------------------------------------------------------------

@pytest.mark.parametrize("disguised", [
    "Emer\u200bgent Communication in Multi-Agent Games",  # zero-width space
    "Emer\u00adgent Communi\u00adcation in Multi-Agent Games",  # soft hyphens
    "Emergent Communication\u2060 in Multi\u2011Agent Games",  # word joiner, non-breaking hyphen
    "Emergent \u0421\u043emmunic\u0430tion in Multi-Agent Games",  # Cyrillic С, о, а
    "\u0415m\u0435rg\u0435nt Communication in Multi-Agent Games",  # Cyrillic Е, е
    "\uff25\uff2d\uff25\uff32\uff27\uff25\uff2e\uff34 communication in multi agent games",  # fullwidth
    "EMERGENT COMMUNICATION IN MULTI-AGENT GAMES",
    "Émergent Communication in Multi-Agent Games\ufe0f",  # an accent and a variation selector
    "Emergent Communication in Multi-Agent Games\u3164",  # a Hangul filler
])
def test_a_disguised_title_has_the_key_of_the_original(disguised: str) -> None:
    assert title_key(disguised) == title_key("Emergent Communication in Multi-Agent Games")


def test_capital_lookalikes_and_the_capital_i_fold_with_their_latin_twins() -> None:
    assert title_key("\u0412\u0415RT") == title_key("BERT")  # Cyrillic capital В and Е
    assert title_key("Intelligence") == title_key("intelligence") == title_key("\u0406ntelligence")  # Ukrainian І
    assert title_key("AI agents") == title_key("Al agents")


def test_different_titles_keep_different_keys() -> None:
    assert title_key("Emergent Communication") != title_key("Emergent Cooperation")
    assert title_key("GPT-4 agents") != title_key("GPT-5 agents")


def test_arxiv_and_doi_keys() -> None:
    assert arxiv_key("2501.01234v3") == arxiv_key("2501.01234")
    assert arxiv_key("hep-th/9901001v2") == "hep-th/9901001"
    assert doi_key("10.1234/LookAlike.5") == doi_key("10.1234/lookalike.5")


# --- what the site shows ------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lookalikes")
    return built(lookalike_papers(folder), folder / "site")


def test_right_to_left_names_are_isolated_on_the_paper_page(site: Path) -> None:
    html = (site / "papers" / ORIGINAL[:-3] / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<span class=\"?rl-author\"?><bdi>محمد علي</bdi></span>", html)
    assert "<bdi>مؤتمر ICLR</bdi>" in html
    assert "<bdi>A shared code, شيفرة مشتركة, emerges between agents who must cooperate.</bdi>" in html
    assert re.search(r"<h1><bdi>Emergent Communication in Multi-Agent Games</bdi></h1>", html)


def test_right_to_left_names_are_isolated_on_listing_cards(site: Path) -> None:
    html = (site / "topics" / "scripts-and-breakouts" / "index.html").read_text(encoding="utf-8")
    card = html[html.index(f'papers/{ORIGINAL[:-3]}/'):]
    card = card[:card.index("</li>")]
    assert re.search(r"<span class=\"?rl-card__authors\"?><bdi>محمد علي, דוד לוי</bdi></span> · "
                     r"<span class=\"?rl-card__year\"?>2025</span>", card), card[:600]


def test_every_name_the_site_writes_is_reserved(real_site: Path, real_catalog: Catalog) -> None:
    """Build the real site: each top-level entry, and each entry of a folder of per-id pages that is not
    an id, is a name no record, topic, tag or path may take."""
    ids = {"papers": {p.id for p in real_catalog.papers}, "topics": set(real_catalog.topics),
           "tags": set(real_catalog.tags), "paths": set(real_catalog.paths)}
    for old in real_catalog.redirects:  # a moved page keeps a redirect at its old id
        folder, _, old_id = old.partition("/")
        ids[folder].add(old_id)
    written = {entry.name.split(".")[0] for entry in real_site.iterdir()}
    for folder, known in ids.items():
        written |= {entry.name.split(".")[0] for entry in (real_site / folder).iterdir() if entry.name not in known}
    written.discard("")  # a hidden file (the site's marker, .reading-list-site) can never be an id
    assert written - RESERVED_IDS == set()
    assert ROOT.joinpath("docs").is_dir()
    assert {p.stem for p in (ROOT / "docs").glob("*.md")} <= RESERVED_IDS
