"""The contributing guide says what the checker enforces, and lists the real vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.record.fields import FIELDS, MIN_PAPERS_PER_TAG, MIN_TAGS_PER_PAPER

from .support import ROOT

GUIDE = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")

# Each rule the checker enforces (generator/checks.py), and the words the guide uses for it.
RULES = {
    "arxiv id quoted (YAML would read a number)": 'arxiv: "2504.10110"',
    "arxiv id without a version suffix": "without a version suffix",
    "lists are lists (authors, topics, tags)": "Lists are lists",
    "links are absolute http(s) URLs": "Links are http(s) only",
    "the DOI is bare, not a link": "the DOI is written bare",
    "no invented identifiers or authors": "Never invent",
    "a field given twice is an error": "A field given twice is an error",
    "duplicates across records by arXiv id, DOI or title": "The same arXiv id, DOI or title in two records",
    "UTF-8 files": "UTF-8",
    "year and date agree": "falls in that year",
    "id rule: lowercase ASCII letters, digits and hyphens": "lowercase ASCII letters, digits and hyphens",
    "topics and tags from the vocabulary": "all from the\nvocabulary",
    "at least one topic": "at least one topic",
    f"at least {MIN_TAGS_PER_PAPER} tags": "at least two tags",
    f"a tag used by at least {MIN_PAPERS_PER_TAG} papers, an unused tag refused": "at least three papers",
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_guide_mentions_each_rule_the_checker_enforces(rule: str) -> None:
    assert RULES[rule] in GUIDE


def test_the_field_table_is_generated_from_the_record_format(tmp_path: Path) -> None:
    from generator.load import load
    from generator.render.site import contributing_fragments
    catalog = load(ROOT / "tests" / "fixtures" / "mini").catalog
    assert catalog is not None
    fragments = contributing_fragments(catalog, "../")
    assert "<!-- reading-list:fields -->" in GUIDE and "<!-- reading-list:vocabulary -->" in GUIDE
    for spec in FIELDS:
        assert f"<code>{spec.name}</code>" in fragments["fields"]
    for tag in catalog.tags:
        assert f'href="../tags/{tag}/"' in fragments["vocabulary"]
