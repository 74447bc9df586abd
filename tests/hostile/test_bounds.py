"""Resources a pull request can make us spend are bounded (issue 15, items 1 and 2).

Each case (a file in ``bounds/``, or made by ``cases.GENERATED`` when it is too big to commit) is
planted in a copy of ``papers/``; `check` prints exactly the expected lines and nothing else, and
`build` refuses without writing a site. Anchors, aliases and tags are refused before anything is
expanded, by both readers; the quick scan and the pull-request summary do not expand them either;
files beside the records have the records' guards; `make serve` keeps the last good site.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from generator.cli import main
from generator.load import load
from generator.pr_summary import vocabulary_change
from generator.problems import Problem
from generator.record.fields import FIELDS, LIMITS, MAX_MESSAGES_PER_FILE
from generator.record.read import (
    _NON_PRINTABLE,
    Loader,
    compose_with_libyaml,
    decode_text,
    parse_yaml_mapping,
    split_front_matter,
)
from generator.record.yaml_limits import first_refused
from generator.speed.quick_scan import scan
from generator.speed.subset_reader import compose as compose_subset

from ..mkdocs_serve import Server, mkdocs_serve
from ..support import FIXTURES, ROOT, build
from ..test_check_scale import CHANGE, SEEDS, _plain, changed_bytes
from .cases import BASE, GENERATED, HOSTILE, plant, target

BOUNDS = HOSTILE / "bounds"
WRITE_OUT = "(write each value out in full: anchors, aliases and tags are not allowed)"
NO_TAG = "(remove the tag, and quote the value if it is text: tags, anchors and aliases are not allowed)"
DEEP = ("nests lists and mappings more than 4 deep (check the brackets and the indentation: a record needs 2 "
        "levels (links:), a reading path 3 (steps:))")
TOO_LARGE = ("front matter: the file is larger than 262,144 bytes, the most a record may have "
             "(check for a paste accident; the limits are in docs/contributing.md)")
OUTSIDE = "is a symbolic link to a file outside the records folder (commit the file itself, not a link)"

# case (a file under bounds/ or a name in GENERATED) -> every line `check` prints but its summary
EXPECTED: dict[str, list[str]] = {
    "billion-laughs-2025.md": [f"papers/billion-laughs-2025.md:3: authors: uses the YAML anchor '&a' {WRITE_OUT}"],
    "repeated-alias (100 KB)": [f"papers/repeated-alias-2025.md:3: authors: uses the YAML anchor '&a' {WRITE_OUT}"],
    "deep-flow-nesting-2025.md": [f"papers/deep-flow-nesting-2025.md:3: authors: {DEEP}"],
    "deep-block-nesting-2025.md": [f"papers/deep-block-nesting-2025.md:8: links: {DEEP}"],
    "python-object-tag-2025.md": [
        f"papers/python-object-tag-2025.md:5: venue: uses the YAML tag '!!python/object/apply:os.system' {NO_TAG}"],
    "custom-tag-2025.md": [f"papers/custom-tag-2025.md:4: authors: uses the YAML tag '!foo' {NO_TAG}"],
    "topics-anchor.yml": [f"papers/topics.yml:1: scripts-and-breakouts: uses the YAML anchor '&topic' {WRITE_OUT}"],
    "tags-anchor.yml": [f"papers/tags.yml:4: script-tags: uses the YAML anchor '&same' {WRITE_OUT}"],
    "path-anchor.yml": [f"papers/paths/path-anchor.yml:5: steps: uses the YAML anchor '&note' {WRITE_OUT}"],
    "redirects-tag.yml": [f"papers/redirects.yml:1: redirects.yml: uses the YAML tag '!!python/name:os.system' {NO_TAG}"],
    "100,000 authors": [f"papers/authors-100000-2025.md:1: {TOO_LARGE}"],
    "5,001 authors": ["papers/authors-5001-2025.md:3: authors: has 5,001 items (at most 5,000) "
                      "(keep the first ones, in the paper's order; the paper itself names the rest)"],
    "300,000 unknown tags": [f"papers/unknown-tags-300000-2025.md:1: {TOO_LARGE}"],
    "10,000 unknown tags": ["papers/unknown-tags-10000-2025.md:7: tags: has 10,000 items (at most 30) "
                            "(keep the tags a reader would filter by)"],
    "unknown-tags-capped-2025.md": [
        *(f"papers/unknown-tags-capped-2025.md:{7 + i}: tags: unknown tag 'unknown-tag-{i}' "
          "(pick one from papers/tags.yml, or propose a new tag there)" for i in range(1, MAX_MESSAGES_PER_FILE + 1)),
        "papers/unknown-tags-capped-2025.md:28: tags: … and 5 more problems in this file "
        "(fix the ones above, then check again)"],
    "tags.yml of 15,000 terms, 30 unknown tags": [  # no suggestion among 15,000 terms; every message capped
        *(f"papers/big-vocabulary-2025.md:7: tags: unknown tag '{tag}' (pick one from papers/tags.yml, or propose "
          "a new tag there)" for tag in sorted(f"tag-numbr-{i}x" for i in range(30))[:MAX_MESSAGES_PER_FILE]),
        "papers/big-vocabulary-2025.md:7: tags: … and 10 more problems in this file (fix the ones above, then check "
        "again)",
        *(f"papers/tags.yml:{20 + 4 * i}: tag-number-{i}: the tag 'tag-number-{i}' is not used by any paper "
          "(remove it, or add it to the papers it describes)" for i in range(MAX_MESSAGES_PER_FILE)),
        "papers/tags.yml:100: tag-number-20: … and 14,980 more problems in this file (fix the ones above, then "
        "check again)"],
    "huge title (90 KB)": ["papers/huge-title-2025.md:2: title: is 89,999 characters long (at most 2,000) "
                           "(this looks like a paste accident; shorten it)"],
    "huge link (100 KB)": ["papers/huge-link-2025.md:6: links.code: the address is 100,020 characters long "
                           "(at most 2,000) (link to the page itself, without tracking or session parameters)"],
    "too-many-links-2025.md": ["papers/too-many-links-2025.md:5: links: has 21 items (at most 20) "
                               "(keep the pages a reader needs: code, project, data, video)"],
    "long-link-label-2025.md": [f"papers/long-link-label-2025.md:6: links.{'a' * 30}…: the label is 40 characters "
                                "long (at most 30) (use a lowercase word such as code, project, data, video)"],
    "huge record (2 MB)": [f"papers/huge-record-2025.md:1: {TOO_LARGE}"],
    "tags.yml -> /dev/zero": [f"papers/tags.yml:1: tags.yml: {OUTSIDE}"],
    "topics.yml -> outside": [f"papers/topics.yml:1: topics.yml: {OUTSIDE}"],
    "paths/endless.yml -> /dev/zero": [f"papers/paths/endless.yml:1: endless.yml: {OUTSIDE}"],
    "redirects.yml -> /dev/zero": [f"papers/redirects.yml:1: redirects.yml: {OUTSIDE}"],
}


def _case(name: str) -> str | Path:
    return name if name in GENERATED else BOUNDS / name


def _planted(name: str, tmp_path: Path) -> Path:
    papers = tmp_path / "papers"
    shutil.copytree(BASE, papers)
    plant(_case(name), papers)
    return papers


def test_every_case_has_its_expected_lines() -> None:
    assert {p.name for p in BOUNDS.iterdir()} | set(GENERATED) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_prints_exactly_the_expected_lines(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _planted(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--papers", "papers", "--no-cache"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[:-1] == EXPECTED[name]
    assert lines[-1].startswith("checked ")
    assert "SECRET" not in "\n".join(lines)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_build_refuses_without_writing_a_site(name: str, tmp_path: Path) -> None:
    papers = _planted(name, tmp_path)
    out = tmp_path / "site"
    run = build(papers, out)
    assert run.returncode == 1, run.stdout + run.stderr
    printed = run.stdout.splitlines()
    assert printed[:-1] == [line.replace("papers/", f"{papers}/") for line in EXPECTED[name]]  # paths as given
    assert "Traceback" not in run.stdout + run.stderr and "SECRET" not in run.stdout + run.stderr
    assert not out.exists()


# --- both readers agree; the scan and the pull-request summary expand nothing ---------------

RECORD_CASES = sorted(p.name for p in BOUNDS.glob("*.md") if p.name != "unknown-tags-capped-2025.md"
                      and "link" not in p.name)
YAML_CASES = sorted(p.name for p in BOUNDS.glob("*.yml"))


def _front(path: Path) -> str:
    text, _ = decode_text(path.read_bytes(), path.name)
    assert text is not None
    return split_front_matter(text, path.name)[0]


@pytest.mark.parametrize("name", RECORD_CASES)
def test_both_readers_refuse_the_same_way_before_expanding(name: str) -> None:
    front = _front(BOUNDS / name)
    assert compose_subset(front, name, 1) is None  # the fast reader leaves it to the plain one ...
    fast = parse_yaml_mapping(front, name, 2, "front matter")
    plain = compose_with_libyaml(front, name, 2, "front matter")
    assert fast == plain == ({}, fast[1]) and len(fast[1]) == 1  # ... which refuses it, whole
    assert scan((BOUNDS / name).read_bytes()) is None  # the quick scan declines: the full reader reports it


@pytest.mark.parametrize("name", YAML_CASES)
def test_yaml_files_are_refused_by_both_readers(name: str) -> None:
    text = (BOUNDS / name).read_text(encoding="utf-8")
    assert compose_subset(text, name, 0) is None
    fast = parse_yaml_mapping(text, name, 1, target(BOUNDS / name))
    assert fast == compose_with_libyaml(text, name, 1, target(BOUNDS / name)) and fast[0] == {}


def test_the_billion_laughs_is_refused_without_expanding() -> None:
    """Expanded, its 9^9 strings take gigabytes (a MemoryError before); refused from the events, nothing is built."""
    data = (BOUNDS / "billion-laughs-2025.md").read_bytes()
    assert scan(data) is None
    fields, problems = parse_yaml_mapping(_front(BOUNDS / "billion-laughs-2025.md"), "x.md", 2, "front matter")
    assert fields == {} and [p.message for p in problems] == ["uses the YAML anchor '&a'"]


def test_the_pull_request_summary_does_not_expand_a_vocabulary_alias() -> None:
    front = (BOUNDS / "billion-laughs-2025.md").read_bytes().split(b"---\n")[1]  # as a tags.yml would hold them
    line = vocabulary_change("papers/tags.yml", None, front)
    assert line == "- `papers/tags.yml`: reformatted (no term added, removed or changed)"


_INSERTS = ["&a ", "*a", "!foo ", "!!python/object:x ", "[[[[[", "{a: {b: {c: {d: ", "- - - - - "]


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), changes=st.lists(CHANGE, max_size=2),
       insert=st.sampled_from(_INSERTS), where=st.integers(0, 10_000))
def test_both_readers_agree_on_mutated_records_with_anchors_aliases_tags_and_nesting(
        seed: Path, changes: list[tuple[str, int, int, int, str]], insert: str, where: int) -> None:
    """The twin tests' mutations (tests/test_check_scale.py), with one of the refused constructs put anywhere:
    the fast reader (parse_yaml_mapping) gives what libyaml's gives, and whatever the parser sees as an
    anchor, alias, tag or deep nesting is refused whole, on its line, by both."""
    data = changed_bytes(seed, changes)
    values = [m.end() for m in re.finditer(rb"(?:: |- |\[)", data)]  # where a value starts: most often there
    at = values[where % len(values)] if values and where % 4 else where % (len(data) + 1)
    text, _ = decode_text(data[:at] + insert.encode() + data[at:], "x.md")
    if text is None:
        return
    front, _, _, _, problems = split_front_matter(text, "x.md")
    if problems or _NON_PRINTABLE.search(front):
        return
    fast = parse_yaml_mapping(front, "x.md", 2, "front matter")
    assert _plain(fast[0]) == _plain(compose_with_libyaml(front, "x.md", 2, "front matter")[0])
    assert fast[1] == compose_with_libyaml(front, "x.md", 2, "front matter")[1]
    refused = first_refused(front, Loader)
    if refused is not None:
        assert fast == ({}, [Problem("x.md", refused.line + 2, fast[1][0].field, refused.message, refused.hint)])
        assert scan(text.encode()) is None


# --- a valid list still checks clean at the limits -----------------------------------------------

def test_the_limits_leave_every_real_record_and_fixture_clean() -> None:
    for folder in (ROOT / "papers", FIXTURES / "mini", BASE):
        assert [p.text() for p in load(folder, today=dt.date(2026, 12, 31)).problems if p.is_error] == [], folder


def test_the_guide_shows_every_limit_from_the_one_place_it_is_kept() -> None:
    from generator.render.site import contributing_fragments
    guide = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    assert "<!-- reading-list:limits -->" in guide and "<!-- reading-list:fields -->" in guide
    catalog = load(FIXTURES / "mini").catalog
    assert catalog is not None
    fragments = contributing_fragments(catalog, "../")
    for limit in LIMITS:
        assert f"<td>{escape(limit.limit)}</td><td>{escape(limit.why)}</td>" in fragments["limits"]
    for spec in FIELDS:
        if spec.limit:
            assert f"<td>{spec.limit}</td>" in fragments["fields"]
    assert "<td>5,000 items of 2,000 characters each</td>" in fragments["fields"]  # authors


# --- make serve keeps the last good site ----------------------------------------------------------

SERVE_CASES = ["billion-laughs-2025.md", "repeated-alias (100 KB)", "deep-flow-nesting-2025.md",
               "tags.yml -> /dev/zero", "topics.yml -> outside", "300,000 unknown tags"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    papers = tmp_path_factory.mktemp("served") / "papers"
    shutil.copytree(BASE, papers)
    with mkdocs_serve(papers, lambda running: running.page_shows("papers/script-payloads-2025/", "abstract")) as s:
        yield s, papers


@pytest.mark.parametrize("name", SERVE_CASES)
def test_serve_reports_each_case_and_keeps_the_last_good_site(served: tuple[Server, Path], name: str) -> None:
    server, papers = served
    before = len(server.log)
    where = plant(_case(name), papers)
    expected = EXPECTED[name][0].removeprefix("papers/")
    server.wait_for_log(re.escape(expected), before)
    server.wait_for_log(r"still serving the last good version", before)
    assert server.page_shows("papers/script-payloads-2025/", "abstract")
    assert not any("SECRET" in line or "Traceback" in line for line in server.log[before:])
    after = len(server.log)
    _restore(papers, where)
    server.wait_for_log(r"generator: \d+ paper pages", after)  # a good build again


def _restore(papers: Path, where: str) -> None:
    path = papers / where
    path.unlink()
    original = BASE / where
    if original.exists():
        shutil.copyfile(original, path)
