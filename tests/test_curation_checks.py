"""The curator's fields, reading paths, redirects and tag facets, told through `check`'s messages:
each mistake gives one line with the file, the line, the field and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load

from .support import TODAY

PATH = """title: From one agent to a society
description: >-
  How behavior changes as agents multiply.
steps:
  - paper: retool-2025
    note: One agent learns to use a tool.
  - paper: generative-agents-2023
    note: Twenty-five agents in a town.
  - paper: social-deduction-2025
    note: Agents that talk to win a game.
"""


def messages(papers: Path, *only: Path) -> list[str]:
    result = load(papers, list(only) or None, today=TODAY)
    shown = str(papers)
    return [p.text().replace(shown + "/", "") for p in result.problems if p.is_error]


def add_fields(mini: Path, name: str, lines: str) -> Path:
    """Put ``lines`` into the record ``name`` just before its `added:` line."""
    path = mini / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("added:", lines + "added:", 1), encoding="utf-8")
    return path


def test_the_curator_fields_reach_the_paper(mini: Path) -> None:
    add_fields(mini, "retool-2025.md", 'emerges: "Code self-correction emerges in an LLM trained with RL to use a code '
               'interpreter, e.g. Python."\nstart_here: true\nbuilds_on: [generative-agents-2023]\n')
    (mini / "paths").mkdir()
    (mini / "paths" / "one-to-many.yml").write_text(PATH, encoding="utf-8")
    (mini / "redirects.yml").write_text("topics/old-reasoning: topics/reasoning\n", encoding="utf-8")
    result = load(mini, today=TODAY)
    assert result.errors == [] and result.catalog is not None
    catalog = result.catalog
    retool = catalog.paper("retool-2025")
    assert retool.emerges is not None and retool.emerges.endswith("e.g. Python.")
    assert retool.start_here and retool.builds_on == ("generative-agents-2023",)
    assert [p.id for p in catalog.built_upon_by("generative-agents-2023")] == ["retool-2025"]
    assert catalog.start_here("reasoning") == (retool,)
    path = catalog.paths["one-to-many"]
    assert [s.paper for s in path.steps] == ["retool-2025", "generative-agents-2023", "social-deduction-2025"]
    assert catalog.steps_of("generative-agents-2023") == ((path, 1),)
    assert dict(catalog.redirects) == {"topics/old-reasoning": "topics/reasoning"}


@pytest.mark.parametrize(("lines", "expected"), [
    ('emerges: "' + "x" * 201 + '"\n',
     "retool-2025.md:18: emerges: is 201 characters long (at most 200) (say in one sentence what emerges, in what kind "
     "of system, from what)"),
    ('emerges: "Cooperation emerges in agents. It also scales."\n',
     "retool-2025.md:18: emerges: holds more than one sentence (keep it to one sentence: what emerges, in what kind "
     "of system, from what)"),
    ("start_here: yes please\n",
     "retool-2025.md:18: start_here: expected true or false, got str 'yes please' (write start_here: true, or leave "
     "the field out)"),
    ("builds_on: [retool-2025]\n", "retool-2025.md:18: builds_on: names this record itself (name other records only)"),
    ("builds_on: [generative-agents-2023, generative-agents-2023]\n",
     "retool-2025.md:18: builds_on: 'generative-agents-2023' is named twice (keep one)"),
    ("challenges: generative-agents-2023\n",
     "retool-2025.md:18: challenges: expected a list of record ids, got str 'generative-agents-2023' (write a list: "
     "challenges: [other-paper-2024])"),
    ("challenges: [generative-agent-2023]\n",
     "retool-2025.md:18: challenges: 'generative-agent-2023' is not a record on the list (did you mean "
     "'generative-agents-2023'?)"),
])
def test_each_mistake_in_a_curator_field_is_one_precise_line(mini: Path, lines: str, expected: str) -> None:
    path = add_fields(mini, "retool-2025.md", lines)
    assert messages(mini) == [expected]
    assert messages(mini, path) == [expected]  # the same when only this record is checked (a pull request)


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda t: t.replace("paper: social-deduction-2025", "paper: social-deduction-2024"),
     "paths/one-to-many.yml:9: steps[3].paper: 'social-deduction-2024' is not a record on the list (did you mean "
     "'social-deduction-2025'?)"),
    (lambda t: t.replace("paper: social-deduction-2025", "paper: retool-2025"),
     "paths/one-to-many.yml:9: steps[3].paper: 'retool-2025' is already step 1 (line 5) (name each paper once)"),
    (lambda t: t.split("  - paper: generative")[0],
     "paths/one-to-many.yml:4: steps: has 1 step(s), expected at least 3 (a path leads a reader through several papers)"),
    (lambda t: t.replace("description:", "descripton:"),
     "paths/one-to-many.yml:2: descripton: unknown field 'descripton' (did you mean 'description'?)"),
    (lambda t: t.replace("    note: Twenty-five agents in a town.\n", ""),
     "paths/one-to-many.yml:7: steps[2].note: the step has no note (add 'note:')"),
])
def test_a_path_is_checked_like_a_record(mini: Path, edit: object, expected: str) -> None:
    (mini / "paths").mkdir()
    (mini / "paths" / "one-to-many.yml").write_text(edit(PATH), encoding="utf-8")  # type: ignore[operator]
    assert expected in messages(mini)
    assert expected in messages(mini, mini / "retool-2025.md")  # paths are always checked in full


def test_a_removed_paper_still_named_by_a_path_fails_check_at_the_path_line(mini: Path) -> None:
    (mini / "paths").mkdir()
    (mini / "paths" / "one-to-many.yml").write_text(PATH, encoding="utf-8")
    (mini / "generative-agents-2023.md").unlink()
    assert messages(mini) == ["paths/one-to-many.yml:7: steps[2].paper: 'generative-agents-2023' is not a record on "
                              "the list (name a record's file, without .md)"]


@pytest.mark.parametrize(("text", "expected"), [
    ("topics/reasoning: topics/reasoning\n",
     "redirects.yml:1: topics/reasoning: 'topics/reasoning' is a page of the site (a redirect would hide it: remove "
     "the redirect, or the term)"),
    ("topics/old: topics/gone\n",
     "redirects.yml:1: topics/old: 'topics/gone' is not a page of the site (point it at a topic or tag that exists)"),
    ("papers/old: topics/reasoning\n",
     "redirects.yml:1: papers/old: 'papers/old' is not a topic or tag page (write topics/old-topic-id: "
     "topics/new-topic-id (or tags/<id>))"),
])
def test_a_redirect_points_from_a_page_that_is_gone_to_one_that_exists(mini: Path, text: str, expected: str) -> None:
    (mini / "redirects.yml").write_text(text, encoding="utf-8")
    assert messages(mini) == [expected]


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda t: t.replace("  facet: method\n", "", 1),
     "tags.yml:5: reinforcement-learning.facet: the tag has no facet (add 'facet:' under 'reinforcement-learning:')"),
    (lambda t: t.replace("facet: method", "facet: technique", 1),
     "tags.yml:7: reinforcement-learning.facet: 'technique' is not a facet (use phenomenon, method and setting: what "
     "emerges, how it is produced or studied, or the environment, task or domain)"),
])
def test_every_tag_has_a_facet(mini: Path, edit: object, expected: str) -> None:
    tags = mini / "tags.yml"
    tags.write_text(edit(tags.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    assert expected in messages(mini)
