"""generator/speed/build_state.py: what the last `generator build` was made from.

A build is skipped, or limited to the changed records, only when the state says nothing else
changed: the digest of the inputs must change with mkdocs.yml, the folders it names, the
generator's code and the build's options, and must not change when nothing did. Each test
works on a copy of mkdocs.yml, docs/ and overrides/ in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.speed import build_state
from generator.speed.build_state import (
    FORMAT,
    BuildState,
    inputs_digest,
    read_state,
    record_stats,
    state_path,
    write_state,
)

from .support import ROOT

OPTIONS: dict[str, str | None] = {"site_url": None}


@pytest.fixture
def project(tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """mkdocs.yml, docs/ and overrides/ copied beside the mini records (tmp_path/papers); returns mkdocs.yml.

    The generator's code is a copy too (build_state.PACKAGE), so a test may edit it.
    """
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    code = tmp_path / "code"
    (code / "render").mkdir(parents=True)
    (code / "render" / "pages.py").write_text("PAGES = 1\n", encoding="utf-8")
    monkeypatch.setattr(build_state, "PACKAGE", code)
    monkeypatch.delenv("PAPERS_REPO_PATH", raising=False)
    assert mini == tmp_path / "papers"
    return tmp_path / "mkdocs.yml"


def digest(config: Path, options: dict[str, str | None] = OPTIONS, out: str = "site") -> str:
    return inputs_digest(config, config.parent / "papers", config.parent / out, options)


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(text)


def some_file(folder: Path, suffix: str) -> Path:
    return next(p for p in sorted(folder.rglob(f"*{suffix}")) if p.is_file())


def test_the_digest_is_stable_when_nothing_changes(project: Path) -> None:
    first = digest(project)
    assert digest(project) == first
    assert len(first) == 64 and int(first, 16) >= 0


@pytest.mark.parametrize("edit", ["mkdocs.yml", "docs page", "new docs file", "docs file removed", "overrides",
                                  "generator code", "new generator module"])
def test_the_digest_changes_with_what_the_site_is_made_from(project: Path, edit: str) -> None:
    base = project.parent
    before = digest(project)
    if edit == "mkdocs.yml":
        append(project, "\n# a comment\n")
    elif edit == "docs page":
        append(base / "docs" / "about.md", "\nOne more line.\n")
    elif edit == "new docs file":
        (base / "docs" / "extra.md").write_text("# Extra\n", encoding="utf-8")
    elif edit == "docs file removed":
        some_file(base / "docs", ".md").unlink()
    elif edit == "overrides":
        append(some_file(base / "overrides", ".html"), "\n")
    elif edit == "generator code":
        append(build_state.PACKAGE / "render" / "pages.py", "PAGES = 2\n")
    else:
        (build_state.PACKAGE / "render" / "site.py").write_text("", encoding="utf-8")
    assert digest(project) != before


def test_a_touched_file_changes_the_digest(project: Path) -> None:
    """Same size, new modification time (an editor's save of the same length): not trusted as unchanged."""
    page = project.parent / "docs" / "about.md"
    before = digest(project)
    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert digest(project) != before


def test_the_digest_changes_with_the_build_options(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = digest(project)
    assert digest(project, {"site_url": "https://preview.example.org/"}) != before
    assert digest(project, out="elsewhere") != before
    monkeypatch.setenv("PAPERS_REPO_PATH", "lists/papers")  # the edit links change
    assert digest(project) != before
    monkeypatch.delenv("PAPERS_REPO_PATH")
    assert digest(project) == before


def test_a_folder_named_in_mkdocs_yml_counts(project: Path) -> None:
    """`custom_dir`, `docs_dir`, `watch` and `hooks` are read from mkdocs.yml, not assumed."""
    base = project.parent
    shutil.copytree(base / "docs", base / "pages")
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("watch:\n", "docs_dir: pages\nhooks:\n  - hook.py\nwatch:\n"), encoding="utf-8")
    (base / "hook.py").write_text("# hook\n", encoding="utf-8")
    before = digest(project)
    append(base / "docs" / "about.md", "\nNot the docs folder any more.\n")
    assert digest(project) == before
    append(base / "pages" / "about.md", "\nThe docs folder now.\n")
    after_pages = digest(project)
    assert after_pages != before
    append(base / "hook.py", "# edited\n")
    assert digest(project) != after_pages


def test_records_are_not_in_the_digest_but_in_the_record_stats(project: Path) -> None:
    """The records folder (watched by mkdocs.yml) is compared file by file, not through the digest."""
    papers = project.parent / "papers"
    before, stats = digest(project), record_stats(papers)
    append(papers / "retool-2025.md", "\nMore notes.\n")
    assert digest(project) == before
    after = record_stats(papers)
    assert after["retool-2025.md"] != stats["retool-2025.md"]
    assert after["retool-2025.md"][0] == (papers / "retool-2025.md").stat().st_size
    assert {k: v for k, v in after.items() if k != "retool-2025.md"} == \
        {k: v for k, v in stats.items() if k != "retool-2025.md"}


def test_record_stats_name_every_entry(mini: Path) -> None:
    stats = record_stats(mini)
    assert set(stats) == {p.name for p in mini.iterdir()}
    assert stats["tags.yml"] == ((mini / "tags.yml").stat().st_size, (mini / "tags.yml").stat().st_mtime_ns)
    (mini / "new-paper-2025.md").write_text("---\n", encoding="utf-8")
    (mini / "social-deduction-2025.md").unlink()
    (mini / "dangling.md").symlink_to(mini / "nowhere.md")
    stats = record_stats(mini)
    assert stats["new-paper-2025.md"][0] == 4
    assert "social-deduction-2025.md" not in stats
    assert stats["dangling.md"] == (-1, -1)
    assert record_stats(mini / "missing") == {}


# --- the state file --------------------------------------------------------------------------

STATE = BuildState(inputs="ab" * 32, records={"retool-2025.md": (812, 1_700_000_000_123_456_789), "tags.yml": (90, 5)},
                   contexts={"retool-2025": "feng2025retool"}, shell="cd" * 8, site=(2049, 1234567, 1_700_000_000_000_000_001),
                   out="/tmp/some/site")


def test_write_and_read_state_round_trip(tmp_path: Path) -> None:
    path = tmp_path / ".cache" / "build" / "state.json"
    write_state(path, STATE)
    assert read_state(path) == STATE
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temporary file left
    changed = BuildState(inputs="0" * 64, records={}, out="/tmp/other")
    write_state(path, changed)
    assert read_state(path) == changed


@pytest.mark.parametrize("text", [
    "", "not json", "[1, 2]", "null", "{}", '{"format": 1}',
    STATE.to_json()[:-10],  # a killed writer (the writes are atomic, but a copy may not be)
    STATE.to_json().replace(f'"format":{FORMAT}', f'"format":{FORMAT + 1}'),  # another version of the generator
    STATE.to_json().replace(f'"format":{FORMAT},', ""),
    STATE.to_json().replace('"site":[2049,1234567,1700000000000000001]', '"site":[1]'),
    STATE.to_json().replace('"records":{', '"records":{"x.md":"big",'),
    STATE.to_json().replace('"contexts":{"retool-2025":"feng2025retool"}', '"contexts":["a"]'),
])
def test_a_state_that_cannot_be_read_is_none(tmp_path: Path, text: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(text, encoding="utf-8")
    assert read_state(path) is None


def test_unreadable_state_files_are_none(tmp_path: Path) -> None:
    assert read_state(tmp_path / "missing.json") is None
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    assert read_state(tmp_path / "binary.json") is None
    (tmp_path / "folder.json").mkdir()
    assert read_state(tmp_path / "folder.json") is None


def test_the_state_file_belongs_to_one_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    site, preview = state_path(config, tmp_path / "site"), state_path(config, tmp_path / "preview")
    assert site != preview
    assert site.parent == preview.parent == tmp_path / ".cache" / "build"
    monkeypatch.chdir(tmp_path)
    assert state_path(Path("mkdocs.yml"), Path("site")) == site  # relative or absolute, the same folder
    assert state_path(config, tmp_path / "sub" / ".." / "site") == site


def test_states_of_folders_that_are_gone_are_forgotten(tmp_path: Path) -> None:
    """Test runs build into many temporary folders: their states do not pile up, a live site's stays."""
    config = tmp_path / "mkdocs.yml"
    live = tmp_path / "site"
    live.mkdir()
    for i in range(60):
        out = live if i == 30 else tmp_path / f"gone-{i}"
        write_state(state_path(config, out), BuildState(inputs=str(i), records={}, out=str(out)))
    states = sorted((tmp_path / ".cache" / "build").glob("*.json"))
    assert len(states) <= 21
    assert read_state(state_path(config, live)) == BuildState(inputs="30", records={}, out=str(live))
