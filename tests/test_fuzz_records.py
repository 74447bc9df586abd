"""Property-based tests: a valid record (or vocabulary file), mutated in every way a contributor or a
broken editor could, never makes `check` or the render step raise or hang.

Mutations: delete, duplicate or swap lines (a field lost or given twice), retype a value (a list
for a string, a date for a year, YAML 1.1 booleans, tags, anchors, impossible dates), break the
YAML (quotes, brackets, tabs, indentation, markers), inject bytes (NUL, invalid UTF-8, control
and invisible characters, BOM, CR) and truncate. Every problem must name the file, a line
between 1 and the file's last line + 1, and a field; every message is one line.

The default run tries a few hundred mutations, deterministically; ``pytest -m slow`` runs a
randomised one with thousands.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.exports.bibtex import entries as bibtex_entries
from generator.load import LoadResult, load
from generator.model import Catalog
from generator.pipeline import export_files
from generator.problems import display_path
from generator.render.pages import PaperRenderer, SiteInfo, generated_pages, home_fragments
from generator.render.site import contributing_fragments
from generator.text import yaml_quoted

from .support import FIXTURES, TODAY, build, tree

SEEDS = sorted(p.name for p in (FIXTURES / "mini").iterdir())  # four records, topics.yml, tags.yml
SITE = SiteInfo(site_name="Fuzz", site_url="https://example.org/list/", repo_url="https://github.com/o/r")
TIME_LIMIT = 10  # seconds for one check and render; far more than a record takes

VALUES = [  # what a field's value may be retyped to
    "", "null", "~", "yes", "no", "on", "off", "true", "2025", "-1", "0", "1e9", ".inf", ".nan", "0x1F", "0o17",
    "2504.10110", '"2504.10110"', "2025-02-30", "2025-13-01", "2025-04-15T10:00:00Z", "[]", "{}", "[a, b]",
    "[[nested]]", "{a: 1}", "{code: javascript:alert(1)}", "'quoted'", '"unterminated', "[unclosed", "{unclosed",
    "&anchor value", "*alias", "!!binary aGVsbG8=", "!!python/object/apply:os.system [echo]", "!!timestamp x",
    "!!int x", "!!set {a, b}", "!!omap [a: 1]", "? complex key", "|", ">-", "|\n  block\n  text", "- item",
    "a: b: c", "@reserved", "`backtick", "%directive", "<<: {a: 1}", "x" * 3000, "ünïcödé 🧪", "\u202e\u200b",
]
BREAKERS = ["'", '"', "[", "]", "{", "}", ":", ": ", "- ", "\t", "  ", "#", "&", "*", "!", "|", ">", "%", "@",
            "---\n", "...\n", "\n---", "\r", "\r\n", "\n", "\ufeff", "\x00", "\x07", "\x1b", "\x7f", "\x85",
            "\u2028", "\u2029", "\ufffe", "\ud7ff", "## Notes\n", "<<: *a\n", "? ", "\\"]


@dataclass(frozen=True)
class Mutation:
    """One change to a file's bytes (its repr is what Hypothesis prints for a failing case)."""

    kind: str
    where: int
    other: int
    insert: bytes = b""

    def __call__(self, data: bytes) -> bytes:
        lines = data.split(b"\n")
        i, j = self.where % len(lines), self.other % len(lines)
        at = self.where % (len(data) + 1)
        if self.kind == "delete":
            del lines[i]
        elif self.kind == "duplicate":
            lines.insert(j, lines[i])
        elif self.kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif self.kind == "retype":
            key, colon, _ = lines[i].partition(b":")
            lines[i] = key + b": " + self.insert if colon else self.insert
        elif self.kind == "indent":
            lines[i] = b" " * (self.other % 5) + lines[i].lstrip()
        elif self.kind == "truncate":
            return data[:at]
        else:  # insert
            return data[:at] + self.insert + data[at:]
        return b"\n".join(lines)


POSITION = st.integers(min_value=0, max_value=10_000)
MUTATION = st.one_of(
    st.builds(Mutation, st.sampled_from(["delete", "duplicate", "swap", "indent", "truncate"]), POSITION, POSITION),
    st.builds(Mutation, st.just("retype"), POSITION, POSITION, st.sampled_from(VALUES).map(str.encode)),
    st.builds(Mutation, st.just("insert"), POSITION, POSITION,
              st.one_of(st.sampled_from(BREAKERS).map(lambda b: b.encode("utf-8", "surrogatepass")),
                        st.binary(min_size=1, max_size=8), st.text(min_size=1, max_size=12).map(str.encode))),
)


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"took more than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def render_everything(catalog: Catalog) -> None:
    """The build's render step, in-process: every generated page, paper page, fragment and export."""
    generated_pages(catalog)
    home_fragments(catalog)
    contributing_fragments(catalog, "../")
    entries = bibtex_entries(catalog)
    renderer = PaperRenderer(catalog, SITE)
    for paper in catalog.papers:
        renderer.page(paper, entries[paper.id])
    export_files(catalog, SITE)


def lines_in(data: bytes) -> int:
    """Lines as the reader counts them: CRLF and CR are line ends."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def assert_well_reported(result: LoadResult, folder: Path) -> None:
    lines = {display_path(p): lines_in(p.read_bytes()) for p in folder.iterdir()}
    for problem in result.problems:
        text = problem.text()
        assert problem.path in lines, text
        assert 1 <= problem.line <= lines[problem.path] + 1, text
        assert problem.field and problem.message, text
        assert "\n" not in text and "\r" not in text, text


def check_and_render(folder: Path, name: str, data: bytes) -> LoadResult:
    original = (FIXTURES / "mini" / name).read_bytes()
    (folder / name).write_bytes(data)
    try:
        with time_limit(TIME_LIMIT):
            result = load(folder, today=TODAY)
            assert_well_reported(result, folder)
            if result.catalog is not None:
                render_everything(result.catalog)
        return result
    finally:
        (folder / name).write_bytes(original)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "papers"
    shutil.copytree(FIXTURES / "mini", target)
    return target


def _mutate(seed: str, mutations: list[Mutation]) -> bytes:
    data = (FIXTURES / "mini" / seed).read_bytes()
    for change in mutations:
        data = change(data)
    return data


MUTATED = st.tuples(st.sampled_from(SEEDS), st.lists(MUTATION, min_size=1, max_size=4))


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=MUTATED)
def test_mutated_records_never_raise_and_every_problem_is_located(
        folder: Path, case: tuple[str, list[Mutation]]) -> None:
    seed, mutations = case
    check_and_render(folder, seed, _mutate(seed, mutations))


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=MUTATED)
def test_many_more_mutated_records(folder: Path, case: tuple[str, list[Mutation]]) -> None:
    seed, mutations = case
    check_and_render(folder, seed, _mutate(seed, mutations))


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), junk=st.binary(max_size=400))
def test_any_bytes_at_all_never_raise(folder: Path, seed: str, junk: bytes) -> None:
    check_and_render(folder, seed, junk)


def test_the_unmutated_records_render(folder: Path) -> None:
    result = check_and_render(folder, SEEDS[0], (FIXTURES / "mini" / SEEDS[0]).read_bytes())
    assert result.problems == [] and result.catalog is not None and len(result.catalog) == 4


# A handful of full builds: the CLI ends with 0 or 1, never a traceback, and a failed one writes nothing.
@settings(max_examples=3, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=st.tuples(st.sampled_from([s for s in SEEDS if s.endswith(".md")]),
                      st.lists(MUTATION, min_size=1, max_size=3)))
def test_full_builds_of_mutated_records(tmp_path: Path, case: tuple[str, list[Mutation]]) -> None:
    seed, mutations = case
    papers, out = tmp_path / "papers", tmp_path / "site"
    shutil.rmtree(tmp_path, ignore_errors=True)
    shutil.copytree(FIXTURES / "mini", papers)
    (papers / seed).write_bytes(_mutate(seed, mutations))
    expected = load(papers)  # as the build checks: with today's date
    run = build(papers, out)
    assert "Traceback" not in run.stdout + run.stderr and "internal error" not in run.stderr, run.stderr
    if expected.catalog is None:
        assert run.returncode == 1 and not out.exists()
    else:
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"papers/{seed.removesuffix('.md')}/index.html" in tree(out)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=st.text())
def test_generated_front_matter_reads_back_exactly(text: str) -> None:
    """Titles and descriptions go into generated pages' front matter (ASCII only) and records: any text
    must survive YAML, and the generated form holds nothing but printable ASCII."""
    generated = yaml_quoted(text, ascii_only=True)
    assert generated.isascii() and generated.isprintable()
    assert yaml.load(f"title: {generated}\n", Loader=yaml.SafeLoader) == {"title": text}
    assert yaml.load(f"title: {yaml_quoted(text)}\n", Loader=yaml.SafeLoader) == {"title": text}
