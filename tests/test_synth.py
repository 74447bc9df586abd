"""The synthetic list (`python -m generator synth`) and the benchmark harness that uses it."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.check.record import ARXIV_NEW
from generator.cli import main
from generator.identity import title_key
from generator.load import LoadResult, load
from generator.model import Catalog
from generator.synth import STAMP, synthesize, write_corpus

from .support import ROOT, TODAY

N = 300


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "papers"
    write_corpus(out, N, seed=7, vocabulary_dir=ROOT / "papers")
    return out


@pytest.fixture(scope="module")
def loaded(corpus: Path) -> LoadResult:
    return load(corpus, today=TODAY)


@pytest.fixture(scope="module")
def catalog(loaded: LoadResult) -> Catalog:
    assert loaded.catalog is not None
    return loaded.catalog


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_synthetic_list_checks_clean(loaded: LoadResult, corpus: Path) -> None:
    assert [p.text() for p in loaded.problems] == []
    assert loaded.catalog is not None and len(loaded.catalog) == N
    assert (corpus / "topics.yml").read_bytes() == (ROOT / "papers" / "topics.yml").read_bytes()
    assert (corpus / "tags.yml").read_bytes() == (ROOT / "papers" / "tags.yml").read_bytes()


def test_the_cli_check_agrees(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--papers", str(corpus)]) == 0
    assert f"checked {N} record(s)" in capsys.readouterr().out


def test_counts_per_paper_are_in_range(catalog: Catalog) -> None:
    for paper in catalog.papers:
        assert 1 <= len(paper.topics) <= 2, paper.id
        assert 2 <= len(paper.tags) <= 6, paper.id
        assert 3 <= len(paper.authors) <= 12, paper.id
        assert 1200 <= len(paper.abstract.encode("utf-8")) <= 1800, paper.id
    assert {len(p.tags) for p in catalog.papers} == {2, 3, 4, 5, 6}
    assert {len(p.topics) for p in catalog.papers} == {1, 2}
    assert len({len(p.authors) for p in catalog.papers}) >= 8


def test_every_term_is_used_and_tag_popularity_is_skewed(catalog: Catalog) -> None:
    tags = Counter(t for p in catalog.papers for t in p.tags)
    topics = Counter(t for p in catalog.papers for t in p.topics)
    assert set(tags) == set(catalog.tags) and min(tags.values()) >= 3
    assert set(topics) == set(catalog.topics)
    ordered = sorted(tags.values(), reverse=True)
    assert ordered[0] >= 4 * ordered[-1]  # a few popular tags, a long tail, as in the real list


def test_identifiers_dates_and_titles_look_real(catalog: Catalog) -> None:
    papers = catalog.papers
    assert len({p.arxiv for p in papers}) == N
    assert len({title_key(p.title) for p in papers}) == N
    for paper in papers:
        assert paper.arxiv is not None and ARXIV_NEW.match(paper.arxiv) and len(paper.arxiv) == 10
        assert 2019 <= paper.year <= 2026 and paper.arxiv[:2] == f"{paper.year % 100:02d}"
        assert paper.date is None or (paper.date.year == paper.year and paper.date <= TODAY)
        assert dt.date(2024, 1, 1) <= paper.added <= TODAY
        assert re.fullmatch(rf"[a-z0-9-]+-{paper.year}(-[a-z])?", paper.id)
        assert all(url.startswith("https://") for _, url in paper.links)
    assert {p.added.year for p in papers} == {2024, 2025, 2026}


def test_optional_parts_have_realistic_shares(catalog: Catalog) -> None:
    papers = catalog.papers
    share = {
        "notes": sum(bool(p.notes) for p in papers) / N,
        "links": sum(bool(p.links) for p in papers) / N,
        "github": sum(any("github.com/" in u for _, u in p.links) for p in papers) / N,
        "venue": sum(bool(p.venue) for p in papers) / N,
    }
    assert 0.01 <= share["notes"] <= 0.12, share
    assert 0.2 <= share["links"] <= 0.4, share
    assert share["github"] >= 0.15, share
    assert 0.2 <= share["venue"] <= 0.6, share


def test_the_same_n_and_seed_give_a_byte_identical_folder(tmp_path: Path, corpus: Path) -> None:
    again = tmp_path / "again"
    write_corpus(again, N, seed=7, vocabulary_dir=ROOT / "papers")
    assert files_of(again) == files_of(corpus)
    write_corpus(again, N, seed=8, vocabulary_dir=ROOT / "papers")  # a folder synth made is replaced
    assert files_of(again) != files_of(corpus)
    assert len([p for p in again.iterdir() if p.suffix == ".md"]) == N


def test_small_lists_work_too() -> None:
    for n in (0, 1, 5, 40):
        records = synthesize(n, ["a", "b", "c"], [f"t{i}" for i in range(60)], seed=3)
        assert len(records) == len({r.id for r in records}) == n


def test_cli_writes_and_refuses_a_foreign_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "list"
    assert main(["synth", "20", "--out", str(out), "--seed", "2", "--vocab", str(ROOT / "papers")]) == 0
    assert "wrote 20 synthetic records" in capsys.readouterr().out
    assert json.loads((out / STAMP).read_text())["n"] == 20
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.md").write_text("keep me\n")
    assert main(["synth", "5", "--out", str(foreign), "--vocab", str(ROOT / "papers")]) == 1
    assert "--force" in capsys.readouterr().out
    assert (foreign / "mine.md").read_text() == "keep me\n"


def test_bench_smoke_runs_end_to_end(tmp_path: Path) -> None:
    """The harness at N=200 without the slow MkDocs reference: a table and the JSON (well under a minute)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "200", "--skip-ref-mkdocs",
         "--out", str(tmp_path), "--timeout", "120"],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| run | wall s | CPU s | peak RSS MB |" in done.stdout
    for row in ("ours cold", "ours no-change", "ours one-edit", "ours check-one", "ref MkDocs", "Hugo",
                "lower bound"):
        assert f"| {row} |" in done.stdout
    assert "Cold wall-time ratios" in done.stdout
    report = json.loads((tmp_path / "latest.json").read_text())
    rows = report["sizes"]["200"]["rows"]
    assert list(tmp_path.glob("bench-*.json"))
    assert rows["lower bound"]["status"] == "ok" and rows["lower bound"]["files"] == 200
    assert rows["ref MkDocs"]["status"].startswith("skipped")
    assert rows["Hugo"]["status"] in ("ok", "skipped (hugo not installed)")
    for name in ("ours cold", "ours no-change", "ours one-edit", "ours check-one"):
        assert rows[name]["wall_s"] is not None  # it ran; whether our build passes is the build tests' job
    if rows["ours cold"]["status"] == "ok":
        assert rows["ours cold"]["median_paper_kb"] > 0
        assert rows["ours no-change"]["files_written"] is not None
    corpus = tmp_path / "corpus-200"
    assert not (corpus / ".bench-edit.json").exists()  # the edited record was put back
    assert load(corpus, today=TODAY).problems == []
