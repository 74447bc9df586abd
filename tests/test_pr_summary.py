"""`python -m generator pr-summary`: the Markdown CI writes to the job summary of a pull request."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt

from generator.cli import main
from generator.pr_summary import md

FIXTURES = Path(__file__).parent / "fixtures"

HOSTILE_TITLE = "<script>alert(1)</script> | `x` [x](javascript:alert(1)) <img src=x onerror=alert(1)> **b**"

NEW_PAPER = """\
---
title: "Emergent Tool Use From Multi-Agent Autocurricula"
authors: [Bowen Baker, Ingmar Kanitscheider]
year: 2019
arxiv: "1909.07528"
topics: [multi-agent]
tags: [self-play, tool-use]
added: 2026-11-24
---

Through multi-agent competition, agents create a self-supervised autocurriculum.
"""

HOSTILE_PAPER = f"""\
---
title: '{HOSTILE_TITLE}'
authors: [Mallory]
year: 2025
topics: [reasoning]
tags: [reinforcement-learning, tool-use]
added: 2026-11-24
---

An abstract.
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository: the mini list committed on main, and a checked-out branch 'feature'."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "user.name", "Test")
    git(root, "config", "commit.gpgsign", "false")
    shutil.copytree(FIXTURES / "mini", root / "papers")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the list")
    git(root, "switch", "-q", "-c", "feature")
    monkeypatch.chdir(root)
    return root


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def summary(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["pr-summary", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def table_rows(markdown: str, heading: str) -> list[str]:
    """The body rows of the table under a '### heading'."""
    lines = markdown.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"### {heading}"))
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("###"):
            break
        if line.startswith("| ") and not line.startswith("| Paper") and not line.startswith("| ---"):
            rows.append(line)
    return rows


def add_two_change_one(repo: Path) -> None:
    (repo / "papers" / "emergent-tool-use-2019.md").write_text(NEW_PAPER, encoding="utf-8")
    (repo / "papers" / "hostile-2025.md").write_text(HOSTILE_PAPER, encoding="utf-8")
    edit(repo / "papers" / "retool-2025.md", "tags: [reinforcement-learning, tool-use]",
         "tags: [reinforcement-learning, tool-use, self-play]")
    commit(repo)


ESCAPED_HOSTILE = (r"&lt;script&gt;alert\(1\)&lt;\/script&gt; \| \`x\` \[x\]\(javascript\:alert\(1\)\) "
                   r"&lt;img src\=x onerror\=alert\(1\)&gt; \*\*b\*\*")


def test_a_branch_that_adds_two_papers_and_changes_one(repo: Path, summary: Run) -> None:
    add_two_change_one(repo)
    code, out, err = summary("--base", "main")
    assert (code, err) == (0, "")
    assert "**2 added**, **1 changed**, **0 removed**" in out
    assert table_rows(out, "Added papers (2)") == [
        "| `emergent-tool-use-2019` | Emergent Tool Use From Multi\\-Agent Autocurricula | Multi\\-agent systems "
        "| Self\\-play, Tool use | `papers/emergent-tool-use-2019/index.html` |",
        f"| `hostile-2025` | {ESCAPED_HOSTILE} | Reasoning in language models "
        "| Reinforcement learning, Tool use | `papers/hostile-2025/index.html` |",
    ]
    assert table_rows(out, "Changed papers (1)") == [
        "| `retool-2025` | ReTool\\: Reinforcement Learning for Strategic Tool Use in LLMs "
        "| Reasoning in language models | Reinforcement learning, Tool use, Self\\-play | tags "
        "| `papers/retool-2025/index.html` |",
    ]
    assert "### Removed" not in out
    assert "✅ 0 errors, 0 warnings in 3 changed records: `make check` passes." in out


def test_the_hostile_title_renders_as_text_in_one_cell(repo: Path, summary: Run) -> None:
    add_two_change_one(repo)
    _, out, _ = summary("--base", "main")
    # Render as GitHub would, with raw HTML allowed, so any HTML that got through would show.
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(out)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    hostile_row = next(row for row in html.split("<tr>") if "hostile-2025" in row)
    assert hostile_row.count("<td>") == 5
    assert "<a " not in hostile_row and "<strong>" not in hostile_row and "<code>x</code>" not in hostile_row
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | `x` [x](javascript:alert(1))" in hostile_row


@pytest.mark.parametrize("text, expected", [
    ("a | b", r"a \| b"),
    ("line\nbreak\r\nand\ttab", "line break and tab"),
    ("<b>&amp;</b>", r"&lt;b&gt;&amp;amp\;&lt;\/b&gt;"),
    ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
    ("`code`", r"\`code\`"),
    ("@maintainer #12 :tada:", r"<wbr>\@maintainer \#12 \:tada\:"),
    ("user@host.org", r"user<wbr>\@host\.org"),
    ("user\\@host.org", r"user\\<wbr>\@host\.org"),
    ("bidi\u202eevil\u200b\x07", "bidievil"),
    ("Émergence — ∞", "Émergence — ∞"),
])
def test_md_escapes_contributor_text(text: str, expected: str) -> None:
    assert md(text) == expected


def _github_cell(markdown: str) -> str:
    """What GitHub shows in a table cell holding ``markdown``: cmark-gfm, GitHub's own parser, with its autolinks."""
    html = cmarkgfm.github_flavored_markdown_to_html(f"| a |\n| --- |\n| {markdown} |", options=Options.CMARK_OPT_UNSAFE)
    return html.split("<td>")[1].split("</td>")[0]


@pytest.mark.parametrize("text", [
    "user@host.org", "user\\@host.org", "mailto:user@host.org", "xmpp:user@host.org/home", "a.b+c@d-e.example.com",
    "www.example.org", "https://example.org/x", "http://example.org", "see www.example.org.",
])
def test_github_shows_an_address_in_contributor_text_as_text_never_as_a_link(text: str) -> None:
    assert "<a " in _github_cell(text)  # unescaped, GitHub links it: the test can fail
    assert _github_cell(md(text)).replace("<wbr>", "") == text


def test_escaping_alone_left_an_email_address_a_link() -> None:
    """What md() wrote before (``user\\@host\\.org``, every punctuation escaped): GitHub still made a mailto: link."""
    assert _github_cell(r"user\@host\.org") == '<a href="mailto:user@host.org">user@host.org</a>'


def test_md_truncates_long_text() -> None:
    assert md("x" * 1000, limit=10) == "x" * 9 + "…"


def test_removed_renamed_vocabulary_and_other_files(repo: Path, summary: Run) -> None:
    papers = repo / "papers"
    git(repo, "rm", "-q", "papers/generative-agents-2023.md")
    git(repo, "mv", "papers/drone-volleyball-2025.md", "papers/multi-drone-volleyball-2025.md")
    edit(papers / "tags.yml", "self-play:\n  title: Self-play", "self-play:\n  title: Self play")
    with (papers / "tags.yml").open("a", encoding="utf-8") as tags:
        tags.write("world-models:\n  title: World models\n  facet: method\n  description: Models of the environment.\n")
    (papers / "README.txt").write_text("notes\n", encoding="utf-8")
    commit(repo)
    code, out, err = summary("--base", "main")
    assert (code, err) == (0, "")
    assert "**0 added**, **1 changed**, **1 removed**" in out
    assert table_rows(out, "Changed papers (1)") == [
        "| `multi-drone-volleyball-2025` | Mastering Multi\\-Drone Volleyball through Hierarchical Co\\-Self\\-Play "
        "Reinforcement Learning | Multi\\-agent systems | Reinforcement learning, Self play, Emergent communication, "
        "Tool use | renamed from `drone-volleyball-2025` | `papers/multi-drone-volleyball-2025/index.html` |",
    ]
    assert table_rows(out, "Removed papers (1)") == [
        "| `generative-agents-2023` | Generative Agents\\: Interactive Simulacra of Human Behavior |",
    ]
    assert "- `papers/tags.yml`: added `world-models` (World models); changed `self-play` (Self play)" in out
    assert "- `papers/README.txt`: added" in out
    # The new tag is used by no paper: an error of the vocabulary, listed but not fatal here.
    assert "❌ 1 error, 4 warnings in 1 changed record:" in out
    assert ("- `papers/tags.yml:17: world-models: the tag 'world-models' is not used by any paper "
            "(remove it, or add it to the papers it describes)`") in out
    assert "- `papers/README.txt:1: warning: file: is not a record and is ignored" in out


def test_record_errors_are_listed_and_the_exit_status_stays_0(repo: Path, summary: Run) -> None:
    (repo / "papers" / "broken-2019.md").write_text(
        NEW_PAPER.replace("tags: [self-play, tool-use]", "tags: [self-play, tool-usage]"), encoding="utf-8")
    commit(repo)
    code, out, _ = summary("--base", "main")
    assert code == 0
    assert table_rows(out, "Added papers (1)") == [
        "| `broken-2019` | Emergent Tool Use From Multi\\-Agent Autocurricula | Multi\\-agent systems "
        "| Self\\-play, tool\\-usage (not in tags.yml) | `papers/broken-2019/index.html` |",
    ]
    assert "❌ 1 error, 0 warnings in 1 changed record:" in out
    assert "- `papers/broken-2019.md:7: tags: unknown tag 'tool-usage' (did you mean 'tool-use'?)`" in out


def test_a_head_that_is_not_checked_out_reads_its_own_records(repo: Path, summary: Run) -> None:
    add_two_change_one(repo)
    (repo / "papers" / "broken-2025.md").write_text(NEW_PAPER.replace("year: 2019", "year: 19"), encoding="utf-8")
    commit(repo)
    _, from_branch, _ = summary("--base", "main")
    git(repo, "switch", "-q", "main")
    code, from_main, err = summary("--base", "main", "--head", "feature")
    assert (code, err) == (0, "")
    assert from_main == from_branch
    assert "- `papers/broken-2025.md:4: year: 19 is not a plausible year" in from_main
    assert "pr-summary-" not in from_main  # paths as in the repository, not in a temporary folder


def test_preview_links_with_a_url_prefix(repo: Path, summary: Run) -> None:
    add_two_change_one(repo)
    _, out, _ = summary("--base", "main", "--preview-url-prefix", "https://preview.example.org/pr-7",
                        "--artifact-url", "https://github.com/o/r/actions/runs/1/artifacts/2")
    assert ("| [`papers/retool-2025/index.html`](https://preview.example.org/pr-7/papers/retool-2025/index.html) |"
            in out)
    assert "[download the built site](https://github.com/o/r/actions/runs/1/artifacts/2)" in out


@pytest.mark.parametrize("option", ["--preview-url-prefix", "--artifact-url"])
def test_a_link_option_must_be_an_http_url(repo: Path, summary: Run, option: str) -> None:
    code, out, err = summary("--base", "main", option, "javascript:alert(1)")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(f"pr-summary: {option} must be an http(s) URL")


@pytest.mark.parametrize("args, message", [
    (("--base", "origin/nope"), "pr-summary: --base 'origin/nope' is not a commit in this repository"),
    (("--base", "main", "--head", "nope"), "pr-summary: --head 'nope' is not a commit in this repository"),
    (("--base=--output=x",), "pr-summary: --base '--output=x' is not a git ref"),
])
def test_a_bad_ref_is_one_line_and_exit_2(repo: Path, summary: Run, args: tuple[str, ...], message: str) -> None:
    code, out, err = summary(*args)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(message)
    assert "Traceback" not in err


def test_unrelated_histories_are_one_line_and_exit_2(repo: Path, summary: Run) -> None:
    git(repo, "switch", "-q", "--orphan", "lonely")
    (repo / "papers").mkdir(exist_ok=True)
    (repo / "papers" / "x.md").write_text("x\n", encoding="utf-8")
    commit(repo)
    code, out, err = summary("--base", "main")
    assert (code, out) == (2, "")
    assert err == "pr-summary: 'main' and 'HEAD' share no history (a shallow clone? check out with fetch-depth: 0)\n"


def test_outside_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, summary: Run) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "papers")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, out, err = summary("--base", "main")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "is not inside a git repository" in err


def test_nothing_changed(repo: Path, summary: Run) -> None:
    code, out, _ = summary("--base", "main")
    assert code == 0
    assert "**0 added**, **0 changed**, **0 removed**" in out
    assert "No records and no vocabulary changed." in out


def test_git_runs_with_an_argument_list_never_a_shell(repo: Path, summary: Run,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    add_two_change_one(repo)
    calls: list[tuple[Any, dict[str, Any]]] = []
    real_run = subprocess.run

    def spy(cmd: Any, **kwargs: Any) -> Any:
        calls.append((cmd, kwargs))
        return real_run(cmd, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    assert summary("--base", "main")[0] == 0
    assert calls and all(isinstance(cmd, list) and not kw.get("shell") for cmd, kw in calls)
    diffs = [cmd for cmd, _ in calls if "diff" in cmd]
    assert len(diffs) == 1 and "--name-status" in diffs[0] and "-M" in diffs[0]
    assert diffs[0][-2:] == ["--", "papers"] and any(arg.count("...") == 1 for arg in diffs[0])
