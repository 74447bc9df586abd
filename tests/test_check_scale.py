"""Checking one changed record of a large list, and loading a list again: fast, and never different.

`check FILE` (what a pull request needs) checks the given records in full and
only scans the others for the rules that look across records: a repeated arXiv
id, DOI or title, and how many papers use each tag. Whatever it skips, the
changed record gets exactly the problems a full check gives it, on the same
line. A full load reuses the results of records whose bytes did not change (in
the same process, and from a cache file when asked); a stale or damaged cache
costs time, never a different result.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.check.across import term_usage
from generator.check.common import control_characters
from generator.check.record import check_record
from generator.check.vocabulary import load_vocabulary
from generator.cli import main
from generator.identity import arxiv_key, doi_key, fold, fold_ascii, title_key
from generator.load import LoadResult, load
from generator.record.located import Located
from generator.record.read import (
    _NON_PRINTABLE,
    compose_with_libyaml,
    decode_text,
    read_record,
    split_front_matter,
)
from generator.speed import record_cache
from generator.speed.quick_scan import mentions, scan, text_of
from generator.speed.subset_reader import compose as _compose_subset
from generator.synth import write_corpus

from .support import FIXTURES, ROOT, TODAY

SYNTH = 40  # records in the synthetic list the property tests change


@pytest.fixture(autouse=True)
def cold() -> Iterator[None]:
    """Each test starts as a new process would: nothing remembered from an earlier load."""
    record_cache.forget()
    yield
    record_cache.forget()


@pytest.fixture
def papers(mini: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini list (four valid records, each tag on three of them), named 'papers/<name>' in messages."""
    monkeypatch.chdir(mini.parent)
    return Path("papers")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def new_record(folder: Path, name: str, **changes: str) -> Path:
    """A copy of retool-2025.md under another name and title, without its arXiv id, with ``changes``."""
    text = (folder / "retool-2025.md").read_text(encoding="utf-8")
    text = text.replace('"ReTool: Reinforcement Learning for Strategic Tool Use in LLMs"', '"A New Paper"')
    text = text.replace('arxiv: "2504.11536"\n', "")
    for old, new in changes.items():
        assert old.replace("_", " ") in text or old in text
        text = text.replace(old, new)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def full_check_of(result: LoadResult, selected: list[Path]) -> list[str]:
    """What a full check reports that a check of ``selected`` reports too: their problems and the others'."""
    chosen = {p.resolve() for p in selected}
    return [p.text() for p in result.problems if not p.path.endswith(".md") or Path(p.path).resolve() in chosen]


def texts(result: LoadResult) -> list[str]:
    return [p.text() for p in result.problems]


# --- what a contributor sees when checking one changed record ----------------------------

def test_a_repeated_arxiv_id_is_reported_on_the_changed_records_line(papers: Path) -> None:
    changed = new_record(papers, "zz-copy-2025.md", **{"year: 2025\n": 'year: 2025\narxiv: "2504.11536"\n'})
    expected = ("papers/zz-copy-2025.md:8: arxiv: the same arXiv id 2504.11536 is already in papers/retool-2025.md "
                "(this paper is on the list already; edit that record instead)")
    assert texts(load(papers, only=[changed], today=TODAY)) == [expected]
    assert expected in texts(load(papers, today=TODAY))


def test_a_repeated_doi_is_reported_whatever_its_case(papers: Path) -> None:
    edit(papers / "generative-agents-2023.md", "doi: 10.1145/3586183.3606763", "doi: 10.48550/arXiv.2304.03442")
    changed = new_record(papers, "zz-copy-2025.md", **{"year: 2025\n": "year: 2025\ndoi: 10.48550/ARXIV.2304.03442\n"})
    expected = ("papers/zz-copy-2025.md:8: doi: the same DOI 10.48550/ARXIV.2304.03442 is already in "
                "papers/generative-agents-2023.md (this paper is on the list already; edit that record instead)")
    assert texts(load(papers, only=[changed], today=TODAY)) == [expected]
    assert full_check_of(load(papers, today=TODAY), [changed]) == [expected]


def test_a_repeated_title_is_reported_whatever_its_case_and_punctuation(papers: Path) -> None:
    changed = new_record(papers, "zz-copy-2025.md", **{
        '"A New Paper"': "'generative agents -- interactive simulacra of HUMAN behavior!'"})
    expected = ("papers/zz-copy-2025.md:2: title: the same title is already in papers/generative-agents-2023.md "
                "(this paper is on the list already; edit that record instead)")
    assert texts(load(papers, only=[changed], today=TODAY)) == [expected]
    assert full_check_of(load(papers, today=TODAY), [changed]) == [expected]


def test_a_repeat_of_a_record_with_errors_is_reported_as_a_full_check_reports_it(papers: Path) -> None:
    """The duplicate rule compares valid records: a full check names the broken one's errors, not a repeat."""
    changed = new_record(papers, "zz-copy-2025.md", **{"year: 2025\n": 'year: 2025\narxiv: "2504.11536"\n'})
    edit(papers / "retool-2025.md", "year: 2025", "year: twenty")
    assert texts(load(papers, only=[changed], today=TODAY)) == []
    assert full_check_of(load(papers, today=TODAY), [changed]) == []


def test_a_tag_dropping_below_the_minimum_is_warned_about(papers: Path) -> None:
    changed = papers / "retool-2025.md"
    edit(changed, "tags: [reinforcement-learning, tool-use]", "tags: [reinforcement-learning, self-play]")
    warning = ("papers/tags.yml:13: warning: tool-use: the tag 'tool-use' is used by 2 paper(s), fewer than 3 "
               "(a tag earns its place when several papers share it; tag more papers with it or merge it "
               "into a broader tag)")
    assert texts(load(papers, only=[changed], today=TODAY)) == [warning]


def test_problems_in_unchanged_records_are_not_reported(papers: Path) -> None:
    edit(papers / "drone-volleyball-2025.md", "year: 2025", "year: twenty")
    edit(papers / "generative-agents-2023.md", "title:", "titel:")
    changed = new_record(papers, "zz-new-2025.md")
    result = load(papers, only=[changed], today=TODAY)
    assert texts(result) == []
    assert result.checked == 1 and result.catalog is None  # the others were only scanned


@pytest.mark.parametrize("style", [
    "block lists and comments", "CRLF line ends", "a byte-order mark", "escapes in quoted text",
    "single quotes", "a tab", "a folded title", "an indented mapping",
])
def test_unchanged_records_written_any_way_still_count(papers: Path, style: str) -> None:
    """Records the scan does not read itself are read in full: their tags and keys count all the same."""
    other = papers / "generative-agents-2023.md"
    text = other.read_text(encoding="utf-8")
    text = {
        "block lists and comments": text.replace("tags: [emergent-communication, tool-use, self-play]",
                                                 "tags:  # what readers filter by\n- emergent-communication\n"
                                                 "- tool-use\n\n  # the last one\n- self-play"),
        "CRLF line ends": text.replace("\n", "\r\n"),
        "a byte-order mark": "\ufeff" + text,
        "escapes in quoted text": text.replace('Agents: Interactive', 'Agents: \\u0049nteractive'),
        "single quotes": text.replace('title: "Generative Agents: Interactive Simulacra of Human Behavior"',
                                      "title: 'Generative Agents: Interactive Simulacra of Human Behavior'"),
        "a tab": text.replace("year: 2023", "year:\t2023"),
        "a folded title": text.replace('title: "Generative Agents: Interactive Simulacra of Human Behavior"',
                                       "title: >-\n  Generative Agents: Interactive\n  Simulacra of Human Behavior"),
        "an indented mapping": text.replace("\n", "\n  ").replace("\n  ---", "\n---", 1),
    }[style]
    other.write_text(text, encoding="utf-8", newline="")
    full = load(papers, today=TODAY)
    assert texts(full) == []
    copy = new_record(papers, "zz-copy-2025.md", **{
        '"A New Paper"': '"Generative Agents: Interactive Simulacra of Human Behavior"',
        "tags: [reinforcement-learning, tool-use]": "tags: [reinforcement-learning, self-play]"})
    expected = full_check_of(load(papers, today=TODAY), [copy])
    assert [line for line in expected if "same title" in line]
    assert texts(load(papers, only=[copy], today=TODAY)) == expected


def test_a_tag_written_with_an_escape_still_counts(papers: Path) -> None:
    """A scan could miss "tool\\u002duse" looking for tool-use: records with escapes are read in full."""
    edit(papers / "generative-agents-2023.md", "tags: [emergent-communication, tool-use, self-play]",
         'tags: [emergent-communication, "tool\\u002duse", self-play]')
    changed = papers / "retool-2025.md"
    edit(changed, "tags: [reinforcement-learning, tool-use]", "tags: [reinforcement-learning, self-play]")
    problems = texts(load(papers, only=[changed], today=TODAY))
    assert problems == full_check_of(load(papers, today=TODAY), [changed])
    assert len(problems) == 1 and "the tag 'tool-use' is used by 2 paper(s)" in problems[0]


@pytest.mark.parametrize("twice", ["tags", "title"])
def test_a_field_given_twice_in_an_unchanged_record_counts_as_the_full_reader_counts_it(
        papers: Path, twice: str) -> None:
    other = papers / "generative-agents-2023.md"
    line = {"tags": "tags: [tool-use, emergent-communication]\n",
            "title": 'title: "ReTool: Reinforcement Learning for Strategic Tool Use in LLMs"\n'}[twice]
    edit(other, "year: 2023\n", f"year: 2023\n{line}")
    changed = papers / "retool-2025.md"
    edit(changed, "tags: [reinforcement-learning, tool-use]", "tags: [reinforcement-learning, self-play]")
    assert texts(load(papers, only=[changed], today=TODAY)) == full_check_of(load(papers, today=TODAY), [changed])


def test_the_check_command_on_one_file_prints_what_a_full_check_prints_for_it(
        papers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed = new_record(papers, "zz-copy-2025.md", **{
        "year: 2025\n": 'year: 2025\narxiv: "2504.11536"\n',
        "authors:\n  - Jiazhan Feng\n  - Shijue Huang\n  - Xingwei Qu\n": "",
        "tags: [reinforcement-learning, tool-use]": "tags: [reinforcement-learning, self-play]"})
    edit(papers / "drone-volleyball-2025.md", ", tool-use]", "]")  # now on two papers only
    assert main(["check", "--papers", "papers", "--no-cache"]) == 1
    full = [line for line in capsys.readouterr().out.splitlines()
            if line.startswith(("papers/zz-copy-2025.md:", "papers/tags.yml:", "papers/topics.yml:"))]
    assert main(["check", "--papers", "papers", str(changed)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == full
    assert [line.split(":")[2] for line in full] == [" warning", " authors"]  # tags.yml, then the record
    assert out[-1].startswith("checked 1 record(s) of papers: 1 error(s), 1 warning(s) in ")


# --- the scan against the full reader ------------------------------------------------------

SEEDS = [FIXTURES / "mini" / name for name in ("retool-2025.md", "generative-agents-2023.md")] + [
    ROOT / "papers" / name for name in sorted(os.listdir(ROOT / "papers"))[:3] if name.endswith(".md")]
VOCABULARIES = {FIXTURES / "mini": load_vocabulary(FIXTURES / "mini")[0],
                ROOT / "papers": load_vocabulary(ROOT / "papers")[0]}
# Ways contributors and editors write the same thing, and ways they break it.
REWRITES: list[tuple[str, str]] = [
    (r'^(title|arxiv|doi): "(.*)"$', r"\1: '\2'"),  # single quotes
    (r'^(title|arxiv|doi): "([^:#\'"]*)"$', r"\1: \2"),  # plain
    (r"^(tags|topics): \[(.*)\]$", r"\1:\n  - \2"),  # a block list (of one joined item, or a real one below)
    (r"^(tags|topics): \[(\S+), (.*)\]$", r"\1:\n- \2\n- \3"),
    (r"^(title|arxiv|doi|tags|topics|year): (.*)$", r"\1: \2  # a comment"),
    (r"^(title|arxiv|doi|tags|topics): ", r"\1:   "),
    (r"^(tags|topics): \[(.*)\]$", r"\1: [ \2 ]"),
    (r", ", r","),
    (r"^year:", "doi: 10.5555/Some-DOI\nyear:"),
    (r"^year:", "doi: null\nyear:"),
    (r"^year:", 'doi: "10.1/x"  # quoted\nyear:'),
    (r'^title: "', 'title: "Caf\u00e9 \uff21 \u00df '),
    (r"^(tags): \[", r"\1: [null, "),
    (r"^(tags): \[", r"\1: ['', "),
    (r"^---$", "---  "),
    (r"\n\n", "\n\n\n"),
    (r"^(tags: .*)$", r"\1\ntags: [self-play]"),  # a field given twice: the full reader keeps the first
    (r"^(title: .*)$", r"\1\ntitle: Another Title"),
    (r"^(tags: \[)(\w)", r'\1"\\x\2'),  # an escape (\x followed by a letter: not even a valid one, at times)
    (r"^(  - )(\w)", r"\1#\2"),  # an item that is a comment: an empty item
    (r"^(  - .*)$", r"\1\n  -"),
    (r'^(title: ".*")$', r'\1 # "a quoted comment"'),
    (r"^(  - .*)$", r"\1 # a comment"),
]
BREAKERS = ["'", '"', "[", "]", "{", "}", ":", ": ", "- ", "\t", "  ", " ", "#", " #", "&a ", "*a", "!", "|", ">",
            "%", "@", "`", "---\n", "...\n", "\n---", "\r", "\r\n", "\n", "\ufeff", "\x85", "\u2028", "\u3000",
            "\\", "~", "null", ",", "? ", "<<: ", "\x00", "\x07", "\udcff", "tags: [x]\n", "title: t\n", "\n  - y"]


def _rewrite(text: str, which: int) -> str:
    pattern, replacement = REWRITES[which % len(REWRITES)]
    return re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)


def _mutate(data: bytes, kind: int, where: int, other: int, insert: str) -> bytes:
    lines = data.split(b"\n")
    i, j = where % len(lines), other % len(lines)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(j, lines[i])
    elif kind == 2:
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 3:
        lines[i] = b" " * (other % 5) + lines[i].lstrip()
    else:
        at = where % min(len(data) + 1, 700)
        return data[:at] + insert.encode("utf-8", "surrogatepass") + data[at:]
    return b"\n".join(lines)


CHANGE = st.one_of(
    st.tuples(st.just("rewrite"), st.integers(0, 100), st.just(0), st.just(0), st.just("")),
    st.tuples(st.just("mutate"), st.integers(0, 4), st.integers(0, 10_000), st.integers(0, 10_000),
              st.sampled_from(BREAKERS)),
)


def changed_bytes(seed: Path, changes: list[tuple[str, int, int, int, str]]) -> bytes:
    data = seed.read_bytes()
    for kind, a, b, c, insert in changes:
        if kind == "rewrite":
            text = data.decode("utf-8", "surrogateescape")
            data = _rewrite(text, a).encode("utf-8", "surrogateescape")
        else:
            data = _mutate(data, a, b, c, insert)
    return data


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), changes=st.lists(CHANGE, min_size=1, max_size=4))
def test_the_scan_reads_what_the_full_reader_reads_or_declines(
        tmp_path_factory: pytest.TempPathFactory, seed: Path, changes: list[tuple[str, int, int, int, str]]) -> None:
    data = changed_bytes(seed, changes)
    found = scan(data)
    if found is None:
        return
    path = tmp_path_factory.getbasetemp() / "scanned-2025.md"
    path.write_bytes(data)
    raw = read_record(path)
    assert Counter(("topic", t) for t in found.topics) + Counter(("tag", t) for t in found.tags) \
        == Counter(term_usage(raw))
    paper, _ = check_record(raw, VOCABULARIES[seed.parent], TODAY)
    if paper is not None:
        assert (found.arxiv, found.doi, title_key(found.title or "")) \
            == (paper.arxiv, doi_key(paper.doi) if paper.doi else None, title_key(paper.title))
        text = text_of(data)
        assert text is not None
        # What the loader looks for before it scans: a record holding these is never passed over.
        assert mentions(text, list(found.topics + found.tags), [])
        words = [fold_ascii(arxiv_key(paper.arxiv)) if paper.arxiv else None,
                 fold_ascii(doi_key(paper.doi)) if paper.doi else None, max(title_key(paper.title).split(" "), key=len)]
        assert all(mentions(text, [], [w]) for w in words if w)


def test_every_seed_record_is_read_by_the_scan_itself() -> None:
    """The common case is the fast one: every record of the list and the mini fixtures."""
    for path in [*sorted((ROOT / "papers").glob("*.md")), *sorted((FIXTURES / "mini").glob("*.md"))]:
        assert scan(path.read_bytes()) is not None, path


# --- a check of some records against a full check, on a list with every kind of change -------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scale") / "papers"
    write_corpus(folder, SYNTH, seed=11, today=TODAY, vocabulary_dir=ROOT / "papers")
    return folder


EDITS = ["copy-arxiv", "copy-title", "copy-doi", "rare-tag", "no-tags", "error", "rewrite", "mutate", "remove"]


def _apply(folder: Path, names: list[str], edit_kind: str, target: int, source: int, detail: int) -> None:
    path, other = folder / names[target % len(names)], folder / names[source % len(names)]
    if not path.exists() or not other.exists():
        return
    data = path.read_bytes()
    text = data.decode("utf-8", "surrogateescape")
    theirs = other.read_text(encoding="utf-8", errors="surrogateescape")
    field = {"copy-arxiv": "arxiv", "copy-title": "title", "copy-doi": "doi"}.get(edit_kind)
    if field:
        value = re.search(rf"^{field}: (.*)$", theirs, re.MULTILINE)
        if field == "doi":
            value_text = value.group(1) if value else f"10.5555/shared-{detail % 3}"
            styles = [value_text, value_text.upper(), f'"{value_text}"', f"'{value_text}'  # same"]
        else:
            if value is None:
                return
            value_text = value.group(1)
            styles = [value_text, value_text.upper() if field == "title" else value_text]
        line = f"{field}: {styles[detail % len(styles)]}"
        if re.search(rf"^{field}:", text, re.MULTILINE):
            text = re.sub(rf"^{field}: .*$", lambda _: line, text, count=1, flags=re.MULTILINE)
        else:
            text = text.replace("\nyear:", f"\n{line}\nyear:", 1)
    elif edit_kind == "rare-tag":
        text = re.sub(r"^tags: \[.*\]$", f"tags: [{['human-ai-interaction', 'tool-use', 'self-play'][detail % 3]}, "
                                         "multi-agent-rl]", text, count=1, flags=re.MULTILINE)
    elif edit_kind == "no-tags":
        text = re.sub(r"^tags: .*\n", "", text, count=1, flags=re.MULTILINE)
    elif edit_kind == "error":
        text = text.replace("\nyear: ", "\nyear: 1" if detail % 2 else "\nyeer: ", 1)
    elif edit_kind == "rewrite":
        text = _rewrite(text, detail)
    elif edit_kind == "mutate":
        path.write_bytes(_mutate(data, detail % 5, source * 7, target * 3, BREAKERS[detail % len(BREAKERS)]))
        return
    else:
        path.unlink()
        return
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, SYNTH - 1), st.integers(0, SYNTH - 1),
                                st.integers(0, 50)), min_size=1, max_size=6),
       chosen=st.lists(st.integers(0, SYNTH - 1), min_size=1, max_size=3, unique=True))
def test_checking_some_records_gives_them_exactly_the_problems_of_a_full_check(
        synthetic: Path, tmp_path: Path, edits: list[tuple[str, int, int, int]], chosen: list[int]) -> None:
    folder = tmp_path / "papers"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(synthetic, folder)
    names = sorted(p.name for p in folder.glob("*.md"))
    for edit_kind, target, source, detail in edits:
        _apply(folder, names, edit_kind, target, source, detail)
    selected = [folder / names[i] for i in chosen if (folder / names[i]).exists()]
    assume(selected)
    record_cache.forget()
    some = load(folder, only=selected, today=TODAY)
    full = load(folder, today=TODAY)
    assert texts(some) == full_check_of(full, selected)
    assert some.checked == len(selected)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve records over the mini vocabulary (three topics, four tags): use counts near the minimums,
    so the loader's shortcut for records naming only settled terms is taken and tested."""
    folder = tmp_path_factory.mktemp("small") / "papers"
    shutil.copytree(FIXTURES / "mini", folder)
    template = (folder / "retool-2025.md").read_text(encoding="utf-8")
    tags = ["reinforcement-learning", "tool-use", "self-play", "emergent-communication"]
    topics = ["reasoning", "multi-agent"]
    for n in range(8):
        text = template.replace("ReTool:", f"Paper {n}:").replace('"2504.11536"', f'"2504.{20000 + n}"')
        text = text.replace("tags: [reinforcement-learning, tool-use]", f"tags: [{tags[n % 4]}, {tags[(n + 1) % 4]}]")
        text = text.replace("topics: [reasoning]", f"topics: [{topics[n % 2]}]")
        (folder / f"paper-{n}-2025.md").write_text(text, encoding="utf-8")
    return folder


SMALL_EDITS = ["copy-arxiv", "copy-title", "copy-doi", "one-tag", "no-tags", "error", "rewrite", "remove"]


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(SMALL_EDITS), st.integers(0, 11), st.integers(0, 11),
                                st.integers(0, 50)), min_size=1, max_size=6),
       chosen=st.lists(st.integers(0, 11), min_size=1, max_size=2, unique=True))
def test_checking_some_records_of_a_list_with_few_tags_gives_the_problems_of_a_full_check(
        small: Path, tmp_path: Path, edits: list[tuple[str, int, int, int]], chosen: list[int]) -> None:
    folder = tmp_path / "papers"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(small, folder)
    names = sorted(p.name for p in folder.glob("*.md"))
    for edit_kind, target, source, detail in edits:
        if edit_kind == "one-tag":
            path = folder / names[target]
            if path.exists():
                text = re.sub(r"^tags: .*$", f"tags: [{['tool-use', 'self-play'][detail % 2]}, x-{detail % 2}]",
                              path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
                path.write_text(text if detail % 3 else text.replace("tags: [", 'tags: ["\\x41", '), encoding="utf-8")
        else:
            _apply(folder, names, edit_kind, target, source, detail)
    selected = [folder / names[i] for i in chosen if (folder / names[i]).exists()]
    assume(selected)
    some = load(folder, only=selected, today=TODAY)
    assert texts(some) == full_check_of(load(folder, today=TODAY), selected)


@pytest.mark.parametrize("key", ["arxiv", "doi", "title"])
def test_a_repeat_is_found_once_every_tag_is_used_often_enough(small: Path, tmp_path: Path, key: str) -> None:
    """Late in the list every term is settled and only the keys decide which records are read."""
    folder = tmp_path / "papers"
    shutil.copytree(small, folder)
    edit(folder / "paper-7-2025.md", "year: 2025\n", "year: 2025\ndoi: 10.5555/Paper.Seven\n")
    line = {"arxiv": 'arxiv: "2504.20007"', "doi": "doi: 10.5555/PAPER.SEVEN",
            "title": 'title: "paper 7: reinforcement learning for strategic tool use in LLMs"'}[key]
    changes = ({"year: 2025\n": f"year: 2025\n{line}\n", '"A New Paper"': '"Quite Unrelated"'} if key != "title"
               else {'title: "A New Paper"': line})
    changed = new_record(folder, "zz-copy-2025.md", **changes)
    problems = texts(load(folder, only=[changed], today=TODAY))
    assert problems == full_check_of(load(folder, today=TODAY), [changed])
    assert len(problems) == 1 and "is already in" in problems[0] and "paper-7-2025.md" in problems[0]


def test_the_shortcut_looks_for_what_yaml_could_spell_otherwise() -> None:
    """Before scanning a record the loader asks whether its front matter could hold an id or a key at all."""
    record = '---\ntitle: "{}"\ntags: [{}]\n---\n\nAn abstract naming tool-use and arXiv 2504.11536.\n'
    assert not mentions(record.format("A Title", "self-play"), ["tool-use"], ["2504.11536"])
    assert mentions(record.format("A Title", "self-play, tool-use"), ["tool-use"], [])
    assert mentions(record.format("A Title", '"tool\\u002duse"'), ["tool-use"], [])  # an escape: maybe
    assert mentions(record.format("RETOOL", "x"), [], ["retool"])  # keys in any case
    assert mentions(record.format("\uff32\uff45\uff34\uff4f\uff4f\uff4c", "x"), [], ["retool"])  # fullwidth: folds to it
    assert mentions("no front matter at all, retool", [], ["retool"])


# --- loading again: the cache and what changed -------------------------------------------------

def summary(result: LoadResult) -> tuple[list[str], object]:
    return texts(result), result.catalog.papers if result.catalog else None


def test_the_first_load_does_not_know_what_changed_and_later_loads_do(papers: Path) -> None:
    assert load(papers, today=TODAY).changed is None
    assert load(papers, today=TODAY).changed == frozenset()
    edit(papers / "retool-2025.md", "year: 2026", "year: 2027")
    new_record(papers, "new-paper-2025.md")
    (papers / "social-deduction-2025.md").unlink()
    result = load(papers, today=TODAY)
    assert result.changed == {"retool-2025", "new-paper-2025", "social-deduction-2025"}
    assert result.catalog is not None and result.catalog.paper("retool-2025").cited_year == 2027
    assert load(papers, today=TODAY).changed == frozenset()


def test_saving_a_file_unchanged_is_no_change(papers: Path) -> None:
    load(papers, today=TODAY)
    path = papers / "retool-2025.md"
    path.write_bytes(path.read_bytes())
    assert load(papers, today=TODAY).changed == frozenset()


def test_a_load_of_some_records_does_not_say_what_changed(papers: Path) -> None:
    load(papers, today=TODAY)
    assert load(papers, only=[papers / "retool-2025.md"], today=TODAY).changed is None


def test_a_new_process_learns_what_changed_from_the_cache_file(papers: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load(papers, today=TODAY, cache=cache)
    assert first.changed is None and list(cache.iterdir())
    record_cache.forget()  # a new process
    edit(papers / "retool-2025.md", "year: 2026", "year: 2027")
    again = load(papers, today=TODAY, cache=cache)
    assert again.changed == {"retool-2025"}
    record_cache.forget()
    assert summary(load(papers, today=TODAY)) == summary(again)


def test_an_edit_that_keeps_the_size_and_the_time_is_still_seen(papers: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load(papers, today=TODAY, cache=cache)
    record_cache.forget()
    path = papers / "retool-2025.md"
    stat = path.stat()
    edit(path, "year: 2025", "year: 2O25")  # a letter O for a zero: same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    result = load(papers, today=TODAY, cache=cache)
    assert result.catalog is None and "papers/retool-2025.md:7: year: expected a year" in texts(result)[0]


@pytest.mark.parametrize("damage", ["truncated", "a flipped byte", "garbage", "empty", "another format",
                                    "a folder", "another day", "another vocabulary", "another working directory"])
def test_a_damaged_or_stale_cache_gives_the_same_result_as_none(
        papers: Path, tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    today = TODAY
    load(papers, today=today, cache=cache)
    (file,) = cache.iterdir()
    data = file.read_bytes()
    if damage == "truncated":
        file.write_bytes(data[: len(data) // 2])
    elif damage == "a flipped byte":
        file.write_bytes(data[:-100] + bytes([data[-100] ^ 0x55]) + data[-99:])
    elif damage == "garbage":
        file.write_bytes(os.urandom(len(data)))
    elif damage == "empty":
        file.write_bytes(b"")
    elif damage == "another format":
        file.write_bytes(data.replace(record_cache.FORMAT, b"reading-list record cache 0\n", 1))
    elif damage == "a folder":
        file.unlink()
        file.mkdir()
    elif damage == "another day":
        today = TODAY + dt.timedelta(days=1)
    elif damage == "another vocabulary":
        edit(papers / "tags.yml", "tool-use:", "tools:")
    else:
        monkeypatch.chdir(papers)
        papers = Path(".")
    edit(papers / "generative-agents-2023.md", "year: 2023", "year: 2024")
    record_cache.forget()
    cached = load(papers, today=today, cache=cache)
    record_cache.forget()
    assert summary(cached) == summary(load(papers, today=today))


def test_a_cache_file_of_many_chunks_reads_back_whole(papers: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record_cache, "_CHUNK", 3)  # four records and two vocabulary files: two chunks
    cache = tmp_path / "cache"
    first = load(papers, today=TODAY, cache=cache)
    record_cache.forget()
    again = load(papers, today=TODAY, cache=cache)
    assert again.changed == frozenset()  # every record came back from the file
    assert summary(again) == summary(first)


def test_the_cache_folder_keeps_the_files_of_the_folders_used_last(mini: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folders = []
    for n in range(10):
        folder = tmp_path / f"list-{n}" / "papers"
        shutil.copytree(mini, folder)
        folders.append(folder)
        load(folder, today=TODAY, cache=cache)
        written = record_cache.cache_file(cache, str(folder.resolve()))
        os.utime(written, ns=(n * 10**9, n * 10**9))  # one second apart: the order of use, without waiting
    kept = sorted(cache.iterdir())
    assert len(kept) == 8
    assert record_cache.cache_file(cache, str(folders[-1].resolve())) in kept
    assert record_cache.cache_file(cache, str(folders[0].resolve())) not in kept


def test_a_cache_folder_that_cannot_be_written_is_no_cache(papers: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    result = load(papers, today=TODAY, cache=blocked / "cache")
    assert texts(result) == [] and result.catalog is not None


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, SYNTH - 1), st.integers(0, SYNTH - 1),
                                st.integers(0, 50), st.booleans()), min_size=1, max_size=5))
def test_loading_again_after_edits_gives_what_a_cold_load_gives(
        synthetic: Path, tmp_path: Path, steps: list[tuple[str, int, int, int, bool]]) -> None:
    folder, cache = tmp_path / "papers", tmp_path / "cache"
    for leftover in (folder, cache):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(synthetic, folder)
    names = sorted(p.name for p in folder.glob("*.md"))
    record_cache.forget()
    load(folder, today=TODAY, cache=cache)
    touched: set[str] = set()
    for edit_kind, target, source, detail, new_process in steps:
        before = {p.name: p.read_bytes() for p in folder.glob("*.md")}
        _apply(folder, names, edit_kind, target, source, detail)
        after = {p.name: p.read_bytes() for p in folder.glob("*.md")}
        now = {n[:-3] for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
        touched |= now
        if new_process:
            record_cache.forget()
        warm = load(folder, today=TODAY, cache=cache)
        assert warm.changed is not None
        if new_process:  # since the cache file was written, maybe some steps ago
            assert now <= warm.changed <= touched
        else:  # since the last load
            assert warm.changed == now
        remembered = record_cache.remembered(str(folder.resolve()))
        record_cache.forget()
        assert summary(warm) == summary(load(folder, today=TODAY))
        assert remembered is not None
        record_cache.remember(str(folder.resolve()), remembered)


# --- the faster rules give the answers of the slower ones ---------------------------------------

def _plain(value: object) -> object:
    """A Located tree as comparable data (NaN made equal to itself)."""
    if isinstance(value, Located):
        inner = value.value
        inner = "NaN" if isinstance(inner, float) and math.isnan(inner) else _plain(inner)
        return (inner, type(value.value).__name__, value.line, value.tag, value.source, value.plain)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


VOCABULARY_SEEDS = [FIXTURES / "mini" / "tags.yml", ROOT / "papers" / "topics.yml"]


@settings(max_examples=500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS + VOCABULARY_SEEDS), changes=st.lists(CHANGE, min_size=1, max_size=4))
def test_the_readers_shortcut_gives_what_libyaml_gives_or_declines(
        seed: Path, changes: list[tuple[str, int, int, int, str]]) -> None:
    text, _ = decode_text(changed_bytes(seed, changes), "x.md")
    if text is None:
        return
    first_line = 1
    if seed.suffix == ".md":
        text, first_line, _, _, problems = split_front_matter(text, "x.md")
        first_line = 2
        if problems:
            return
    if _NON_PRINTABLE.search(text):
        return
    subset = _compose_subset(text, "x.md", first_line - 1)
    if subset is None:
        return
    fields, problems = compose_with_libyaml(text, "x.md", first_line, "front matter")
    assert (_plain(subset[0]), subset[1]) == (_plain(fields), problems)


def test_the_readers_shortcut_takes_every_seed_record() -> None:
    """The common case is the fast one (vocabulary files, read once, use block scalars: libyaml reads them)."""
    for path in [*sorted((ROOT / "papers").glob("*.md")), *sorted((FIXTURES / "mini").glob("*.md"))]:
        text, _ = decode_text(path.read_bytes(), path.name)
        assert text is not None
        if path.suffix == ".md":
            text = split_front_matter(text, path.name)[0]
        assert _compose_subset(text, path.name, 0) is not None, path


def test_control_characters_are_the_unicode_control_and_surrogate_categories() -> None:
    for code in range(0x110000):
        char = chr(code)
        bad = unicodedata.category(char) in ("Cc", "Cs")
        assert control_characters(char) == ([f"U+{code:04X}"] if bad else [])
        assert control_characters(char, allow_newlines=True) == ([f"U+{code:04X}"] if bad and char not in "\n\t"
                                                                   else [])


def _slow_normalise(title: str) -> str:
    return " ".join(fold(title).split())


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(title=st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_title_folding_is_the_same_for_ascii_and_any_text(title: str) -> None:
    assert title_key(title) == _slow_normalise(title)
