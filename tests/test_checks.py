"""The record format, told through the checker's messages.

Each file in tests/fixtures/broken/ makes one mistake; `make check` on that
folder must print exactly one precise line for it: the file, the line, the
field, what was expected and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load import load

from .support import FIXTURES, ROOT, TODAY

BROKEN = FIXTURES / "broken"
B = "tests/fixtures/broken"

# file -> the one line `check` prints for it
EXPECTED = {
    # The file name is the id: lowercase letters, digits and hyphens.
    "Bad_File_Name.md": f"{B}/Bad_File_Name.md:1: id: the file name 'Bad_File_Name.md' is not a valid record id (rename it: the id (file name without .md) uses lowercase ASCII letters, digits and single hyphens, e.g. 'retool-2025')",
    # `added` is the day the paper joined the list, never in the future.
    "added-in-future-2025.md": f"{B}/added-in-future-2025.md:7: added: 2999-01-01 is in the future (use today's date, 2026-11-24)",
    # An unquoted arXiv id is a YAML float: 2504.10110 would lose its last zero.
    "arxiv-as-number-2025.md": f'{B}/arxiv-as-number-2025.md:8: arxiv: 2504.10110 is read by YAML as a number, which can drop digits (quote it: arxiv: "2504.10110")',
    "arxiv-malformed-2025.md": f"{B}/arxiv-malformed-2025.md:8: arxiv: '25041.10110' is not an arXiv id (expected 'YYMM.NNNNN' (e.g. \"2504.11536\") or 'archive/YYMMNNN' (e.g. \"hep-th/9901001\"))",
    # The id names the paper, not one version of it.
    "arxiv-version-2025.md": f'{B}/arxiv-version-2025.md:8: arxiv: \'2504.10110v2\' has a version suffix (drop the version: arxiv: "2504.10110")',
    "authors-as-string-2025.md": f"{B}/authors-as-string-2025.md:3: authors: expected a list of names, got one string (write one name per item: authors: [Ada Lovelace, Alan Turing])",
    "control-character-2025.md": f"{B}/control-character-2025.md:2: title: contains control characters (U+0007) (remove them; they are invisible and break exports)",
    "date-other-year-2025.md": f"{B}/date-other-year-2025.md:8: date: 2024-12-30 is not in the year 2025 (the date and the year must both be the first public version's)",
    "doi-as-link-2025.md": f"{B}/doi-as-link-2025.md:8: doi: 'https://doi.org/10.1145/3586183.3606763' is a link, not a DOI (write the bare DOI: doi: 10.1145/3586183.3606763)",
    "doi-malformed-2025.md": f"{B}/doi-malformed-2025.md:8: doi: '11.1145/abc' is not a DOI (expected '10.<registrant>/<suffix>', e.g. 10.1145/3586183.3606763)",
    # PyYAML silently keeps the last of two equal keys; the checker does not.
    "duplicate-key-2025.md": f"{B}/duplicate-key-2025.md:8: year: 'year' is given twice (first on line 4); YAML would keep only the last (merge the two into one)",
    "empty-2025.md": f"{B}/empty-2025.md:1: front matter: the file is empty (a record starts with front matter between two '---' lines; copy an existing record or run 'make new')",
    # Links are shown to readers: only absolute http(s) URLs.
    "link-javascript-2025.md": f"{B}/link-javascript-2025.md:9: links.project: 'javascript:alert(1)' is not an absolute http(s) URL (links must start with https:// (or http://); other schemes are refused for readers' safety)",
    "link-relative-2025.md": f"{B}/link-relative-2025.md:9: links.code: 'github.com/x/y' is not an absolute http(s) URL (links must start with https:// (or http://); other schemes are refused for readers' safety)",
    # Authors are never invented: a record without them is a warning, not an error.
    "missing-authors-2025.md": f"{B}/missing-authors-2025.md:7: authors: no authors are recorded (add 'authors:' with every author in the paper's order, or 'authors: unknown' when no source names them)",
    "missing-year-2025.md": f"{B}/missing-year-2025.md:7: year: the required field 'year' is missing (add 'year:' with a year such as 2025)",
    "no-abstract-2025.md": f"{B}/no-abstract-2025.md:9: abstract: the record has no abstract (paste the abstract below the closing '---', as published)",
    "no-front-matter-2025.md": f"{B}/no-front-matter-2025.md:1: front matter: the file does not start with '---' (put the fields between two '---' lines at the top of the file)",
    "not-a-mapping-2025.md": f"{B}/not-a-mapping-2025.md:2: front matter: front matter must be a mapping of 'field: value' lines, not a list (write one field per line, e.g. 'title: \"...\"')",
    "not-utf8-2025.md": f"{B}/not-utf8-2025.md:2: title: the file is not valid UTF-8 (byte 0xe9 at offset 15) (save the file as UTF-8)",
    "one-tag-2025.md": f"{B}/one-tag-2025.md:7: tags: has 1 tag, expected at least 2 (add the methods, settings or phenomena a reader would filter by)",
    # Duplicates are found across records, ignoring versions, DOI case and punctuation.
    "same-arxiv-2025.md": f"{B}/same-arxiv-2025.md:8: arxiv: the same arXiv id 2504.11536 is already in {B}/good-2025.md (this paper is on the list already; edit that record instead)",
    "same-doi-2025.md": f"{B}/same-doi-2025.md:8: doi: the same DOI 10.48550/ARXIV.2504.11536 is already in {B}/good-2025.md (this paper is on the list already; edit that record instead)",
    "same-title-2025.md": f"{B}/same-title-2025.md:2: title: the same title is already in {B}/good-2025.md (this paper is on the list already; edit that record instead)",
    "unknown-field-2025.md": f"{B}/unknown-field-2025.md:8: linx: unknown field 'linx' (did you mean 'links'?)",
    "unknown-tag-2025.md": f"{B}/unknown-tag-2025.md:7: tags: unknown tag 'tool-usage' (did you mean 'tool-use'?)",
    "unknown-topic-2025.md": f"{B}/unknown-topic-2025.md:5: topics: unknown topic 'reasonning' (did you mean 'reasoning'?)",
    # The line to fix is where the open quote is, not where the parser gave up.
    "yaml-syntax-2025.md": f"{B}/yaml-syntax-2025.md:2: title: front matter is not valid YAML: while scanning a quoted scalar, found unexpected end of stream (check the quoting and indentation on this line; quote values that hold ': ' or start with a special character)",
    "year-as-text-2025.md": f"{B}/year-as-text-2025.md:4: year: expected a year such as 2025, got str 'twenty' (write the year as four digits, unquoted: year: 2025)",
    "year-implausible-1850.md": f"{B}/year-implausible-1850.md:4: year: 1850 is not a plausible year (expected 1900-2027) (use the year of the paper's first public version)",
    # A duplicate is reported on both files, so `check` of either one shows it.
    "good-2025.md": [
        f"{B}/good-2025.md:2: title: the same title is also in {B}/same-title-2025.md (one paper, one record: keep one of the two)",
        f"{B}/good-2025.md:5: arxiv: the same arXiv id 2504.11536 is also in {B}/same-arxiv-2025.md (one paper, one record: keep one of the two)",
        f"{B}/good-2025.md:6: doi: the same DOI 10.48550/ARXIV.2504.11536 is also in {B}/same-doi-2025.md (one paper, one record: keep one of the two)",
    ],
    # The vocabulary: a tag used by fewer than three papers is a warning, an unused one an error.
    "tags.yml": [
        f"{B}/tags.yml:13: warning: rare-tag: the tag 'rare-tag' is used by 1 paper(s), fewer than 3 (a tag earns its place when several papers share it; tag more papers with it or merge it into a broader tag)",
        f"{B}/tags.yml:17: unused-tag: the tag 'unused-tag' is not used by any paper (remove it, or add it to the papers it describes)",
    ],
}
VALID = {"rl-filler-2025.md", "rl-filler-b-2025.md", "topics.yml"}


@pytest.fixture(scope="module")
def broken_output(monkeypatch_module: pytest.MonkeyPatch) -> dict[str, list[str]]:
    monkeypatch_module.chdir(ROOT)
    result = load(Path(B), today=TODAY)
    by_file: dict[str, list[str]] = {}
    for problem in result.problems:
        by_file.setdefault(Path(problem.path).name, []).append(problem.text())
    return by_file


@pytest.fixture(scope="module")
def monkeypatch_module():  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_every_fixture_file_is_either_valid_or_expected_to_fail() -> None:
    assert {p.name for p in BROKEN.iterdir()} == set(EXPECTED) | VALID


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mistake_gives_one_precise_line(name: str, broken_output: dict[str, list[str]]) -> None:
    expected = EXPECTED[name]
    assert broken_output.get(name) == (expected if isinstance(expected, list) else [expected])


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_files_beside_broken_ones_are_not_blamed(name: str, broken_output: dict[str, list[str]]) -> None:
    assert name not in broken_output


def test_check_command_prints_every_problem_and_exits_1_without_a_traceback() -> None:
    run = subprocess.run([sys.executable, "-m", "generator", "check", "--papers", B],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == sum(len(v) if isinstance(v, list) else 1 for v in EXPECTED.values()) + 1
    assert lines[-1].startswith(f"checked 33 record(s) of {B}: 34 error(s), 1 warning(s)")


def test_github_format_prints_annotations_on_the_line() -> None:
    run = subprocess.run([sys.executable, "-m", "generator", "check", "--papers", B, "--format", "github",
                          f"{B}/unknown-tag-2025.md"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert f"::error file={B}/unknown-tag-2025.md,line=7,title=tags::tags: unknown tag 'tool-usage' (did you mean 'tool-use'?)" in run.stdout.splitlines()


def test_checking_one_file_reports_only_that_file_but_still_finds_its_duplicates(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = load(Path(B), only=[Path(f"{B}/same-arxiv-2025.md")], today=TODAY)
    record_problems = [p.text() for p in result.problems if p.path.endswith(".md")]
    assert record_problems == [EXPECTED["same-arxiv-2025.md"]]
    assert result.checked == 1


def test_checking_the_older_record_alone_still_names_the_newer_duplicate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whichever of the two files a pull request adds, `check` of that file shows the problem."""
    monkeypatch.chdir(ROOT)
    result = load(Path(B), only=[Path(f"{B}/good-2025.md")], today=TODAY)
    assert [p.text() for p in result.problems if p.path.endswith(".md")] == EXPECTED["good-2025.md"]


def test_a_valid_list_checks_clean(mini: Path) -> None:
    result = load(mini, today=TODAY)
    assert result.problems == []
    assert result.catalog is not None and len(result.catalog) == 4


def test_old_style_arxiv_ids_are_accepted(mini: Path) -> None:
    path = mini / "retool-2025.md"
    path.write_text(path.read_text().replace('arxiv: "2504.11536"', 'arxiv: "hep-th/9901001"'))
    result = load(mini, today=TODAY)
    assert result.problems == []
    assert result.catalog is not None
    assert result.catalog.paper("retool-2025").arxiv == "hep-th/9901001"


def test_yes_no_and_on_stay_text_where_text_is_expected(mini: Path) -> None:
    path = mini / "retool-2025.md"
    text = path.read_text().replace("name: ICLR", "name: on").replace("  - Xingwei Qu", "  - No")
    path.write_text(text)
    result = load(mini, today=TODAY)
    assert result.problems == []
    paper = result.catalog.paper("retool-2025") if result.catalog else None
    assert paper is not None and paper.venue is not None and paper.venue.name == "on" and paper.authors[-1] == "No"


def test_byte_order_mark_and_crlf_line_ends_are_read_like_plain_utf8(mini: Path) -> None:
    path = mini / "retool-2025.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = load(mini, today=TODAY)
    assert result.problems == []
    paper = result.catalog.paper("retool-2025") if result.catalog else None
    assert paper is not None and paper.date == dt.date(2025, 4, 15) and "\r" not in paper.abstract
    assert paper.notes == "A clear example of an *aha moment* in tool use."


def test_an_id_that_does_not_end_with_the_year_is_a_warning_only(mini: Path) -> None:
    (mini / "retool-2025.md").rename(mini / "retool.md")
    result = load(mini, today=TODAY)
    assert [p.text() for p in result.problems] == [
        f"{(mini / 'retool.md').as_posix()}:1: warning: id: the id 'retool' does not end with the year 2025 "
        "(ids are '<short-title>-<year>'; keep a published id stable rather than renaming it)"]
    assert result.catalog is not None


def test_vocabulary_entry_without_description_names_the_line(mini: Path) -> None:
    (mini / "tags.yml").write_text((mini / "tags.yml").read_text() + "new-tag:\n  title: New\n  facet: method\n  descripton: typo\n")
    result = load(mini, today=TODAY)
    shown = (mini / "tags.yml").as_posix()
    assert [p.text() for p in result.problems] == [
        f"{shown}:17: new-tag.description: the tag has no description (add 'description:' under 'new-tag:')",
        f"{shown}:20: new-tag.descripton: unknown field 'descripton' (did you mean 'description'?)",
    ]


def test_a_broken_vocabulary_file_is_reported_with_its_line(mini: Path) -> None:
    (mini / "topics.yml").write_text("reasoning:\n  title: [unclosed\n")
    result = load(mini, today=TODAY)
    assert result.catalog is None
    assert [p.text() for p in result.errors] == [
        f"{(mini / 'topics.yml').as_posix()}:2: reasoning: topics.yml is not valid YAML: while parsing a flow sequence, "
        "did not find expected ',' or ']' (check the quoting and indentation on this line; "
        "quote values that hold ': ' or start with a special character)"]


def test_an_empty_tag_id_is_reported_in_a_field_a_reader_can_see(mini: Path) -> None:
    """Found by the fuzzer: `"": {...}` in tags.yml gave a problem with an empty field name."""
    (mini / "tags.yml").write_text((mini / "tags.yml").read_text() + '"":\n  title: Nothing\n  facet: method\n'
                                   "  description: An id that is not there.\n")
    result = load(mini, today=TODAY)
    shown = (mini / "tags.yml").as_posix()
    assert [p.text() for p in result.problems] == [
        f"{shown}:17: (tag id): '' is not a valid tag id (use lowercase ASCII letters, digits and single hyphens, "
        "e.g. 'tool-use')"]
