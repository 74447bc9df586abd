"""The reference sites of the benchmark, made from a corpus (not timed).

- ``prepare_mkdocs``: plain MkDocs + Material, what a user of the design card
  would write first: one Markdown page per record (kept out of the nav with
  ``not_in_nav``, like tag pages), a page per topic and per tag listing its
  papers, the search plugin on, ``font: false``.
- ``prepare_hugo``: Hugo with the records copied verbatim into
  ``content/papers/`` (Hugo reads their YAML front matter), topics and tags as
  taxonomies, and the minimal layout in ``benchmarks/hugo/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from generator.synth import read_stamp

HERE = Path(__file__).resolve().parent
HUGO_TEMPLATE = HERE / "hugo"
REFERENCE_VERSION = 1
PREPARED = ".prepared.json"


def _prepared_stamp(corpus: Path, kind: str) -> dict[str, Any]:
    digest = hashlib.sha256()
    if kind == "hugo":
        for path in sorted(HUGO_TEMPLATE.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(HUGO_TEMPLATE).as_posix().encode() + path.read_bytes())
    return {"kind": kind, "version": REFERENCE_VERSION, "corpus": str(corpus.resolve()),
            "corpus_stamp": read_stamp(corpus), "templates": digest.hexdigest()[:16]}


def _up_to_date(dest: Path, stamp: dict[str, Any]) -> bool:
    try:
        return bool(json.loads((dest / PREPARED).read_text(encoding="utf-8")) == stamp)
    except (OSError, ValueError):
        return False


def _records(corpus: Path) -> list[tuple[str, dict[str, Any], str]]:
    """(id, front matter, body) of every record, parsed with libyaml."""
    records = []
    for entry in sorted(os.scandir(corpus), key=lambda e: e.name):
        if entry.name.startswith(".") or not entry.name.endswith(".md"):
            continue
        with open(entry.path, encoding="utf-8") as handle:
            _, front, body = handle.read().split("---\n", 2)
        records.append((entry.name[:-3], yaml.load(front, Loader=yaml.CSafeLoader), body.strip()))
    return records


def _vocabulary(corpus: Path, name: str) -> dict[str, dict[str, str]]:
    data = yaml.load((corpus / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data if isinstance(data, dict) else {}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _paper_markdown(fields: dict[str, Any], body: str, topics: dict[str, dict[str, str]]) -> str:
    abstract, _, notes = body.partition("\n## Notes\n")
    title = str(fields["title"])
    lines = ["---", f"title: {json.dumps(title)}", "---", "", f"# {title}", ""]
    lines.append("**Authors:** " + ", ".join(str(a) for a in fields.get("authors") or ()) + "  ")
    facts = [str(fields["year"])]
    if fields.get("venue"):
        facts.append(str(fields["venue"]))
    if fields.get("arxiv"):
        facts.append(f"[arXiv:{fields['arxiv']}](https://arxiv.org/abs/{fields['arxiv']})")
    for label, url in (fields.get("links") or {}).items():
        facts.append(f"[{label}]({url})")
    lines += [" · ".join(facts), ""]
    lines.append("**Topics:** " + ", ".join(f"[{topics.get(t, {}).get('title', t)}](../topics/{t}.md)"
                                            for t in fields["topics"]) + "  ")
    lines.append("**Tags:** " + ", ".join(f"[{t}](../tags/{t}.md)" for t in fields["tags"]))
    lines += ["", "## Abstract", "", abstract.strip(), ""]
    if notes.strip():
        lines += ["## Notes", "", notes.strip(), ""]
    return "\n".join(lines)


def _listing(title: str, description: str, papers: list[tuple[str, dict[str, Any]]]) -> str:
    lines = [f"# {title}", "", description.strip(), "", f"{len(papers)} papers, newest first.", ""]
    for record_id, fields in sorted(papers, key=lambda p: (str(p[1].get("added")), p[0]), reverse=True):
        lines.append(f"- [{fields['title']}](../papers/{record_id}.md) ({fields['year']})")
    return "\n".join(lines) + "\n"


MKDOCS_YML = """\
site_name: Emergent Behaviors (MkDocs reference)
site_url: https://example.org/
theme:
  name: material
  font: false
  features:
    - navigation.indexes
plugins:
  - search
nav:
  - Home: index.md
  - Topics:
{topics}
  - Tags: tags/index.md
not_in_nav: |
  /papers/*.md
  /tags/*.md
"""


def prepare_mkdocs(corpus: Path, dest: Path) -> Path:
    """The MkDocs reference project for ``corpus`` in ``dest``: its mkdocs.yml."""
    stamp = _prepared_stamp(corpus, "mkdocs")
    config = dest / "mkdocs.yml"
    if _up_to_date(dest, stamp):
        return config
    shutil.rmtree(dest, ignore_errors=True)
    docs = dest / "docs"
    topics = _vocabulary(corpus, "topics.yml")
    tags = _vocabulary(corpus, "tags.yml")
    by_topic: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    by_tag: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for record_id, fields, body in _records(corpus):
        _write(docs / "papers" / f"{record_id}.md", _paper_markdown(fields, body, topics))
        for topic in fields["topics"]:
            by_topic[topic].append((record_id, fields))
        for tag in fields["tags"]:
            by_tag[tag].append((record_id, fields))
    total = sum(len(v) for v in by_topic.values())
    _write(docs / "index.md", f"# Emergent Behaviors\n\nA reading list ({total} topic entries). "
                              "Browse the [topics](topics/index.md) or the [tags](tags/index.md).\n")
    _write(docs / "topics" / "index.md", "# Topics\n\n" + "".join(
        f"- [{t['title']}]({tid}.md) ({len(by_topic[tid])})\n" for tid, t in topics.items()))
    for tid, topic in topics.items():
        _write(docs / "topics" / f"{tid}.md", _listing(topic["title"], topic["description"], by_topic[tid]))
    _write(docs / "tags" / "index.md", "# Tags\n\n" + "".join(
        f"- [{t['title']}]({tid}.md) ({len(by_tag[tid])})\n" for tid, t in tags.items()))
    for tid, tag in tags.items():
        _write(docs / "tags" / f"{tid}.md", _listing(tag["title"], tag["description"], by_tag[tid]))
    nav_topics = "\n".join(["      - topics/index.md"] + [
        f"      - {json.dumps(t['title'])}: topics/{tid}.md" for tid, t in topics.items()])
    _write(config, MKDOCS_YML.format(topics=nav_topics))
    (dest / PREPARED).write_text(json.dumps(stamp), encoding="utf-8")
    return config


def prepare_hugo(corpus: Path, dest: Path) -> Path:
    """The Hugo reference project for ``corpus`` in ``dest`` (its source folder)."""
    stamp = _prepared_stamp(corpus, "hugo")
    if _up_to_date(dest, stamp):
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(HUGO_TEMPLATE, dest)
    content = dest / "content" / "papers"
    content.mkdir(parents=True)
    for entry in os.scandir(corpus):
        if entry.name.endswith(".md") and not entry.name.startswith("."):
            shutil.copyfile(entry.path, content / entry.name)
    (dest / PREPARED).write_text(json.dumps(stamp), encoding="utf-8")
    return dest
