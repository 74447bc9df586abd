"""The rules across records: duplicates (arXiv id, DOI, title) and how many records use each topic and tag."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from generator.check.common import did_you_mean
from generator.check.vocabulary import Vocabulary
from generator.identity import arxiv_key, doi_key, title_key
from generator.model import Paper
from generator.problems import Problem, Severity
from generator.record.fields import MIN_PAPERS_PER_TAG
from generator.record.located import Located
from generator.record.read import RawRecord, as_text


def check_duplicates(papers: Iterable[Paper], lines: Mapping[tuple[str, str], int]) -> list[Problem]:
    """Same arXiv id (any version), DOI (any case) or title key in two records: both named, on both.

    The keys are :mod:`generator.identity`'s: a title copied with a zero-width space, a soft
    hyphen or a Cyrillic letter in it has the key of the original.

    Reported on both files, so `check` of either one (a pull request's new record, whatever
    its name sorts like) shows the problem on that file.
    """
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Paper] = {}
    for paper in sorted(papers, key=lambda p: p.source):
        keys = [("arxiv", arxiv_key(paper.arxiv) if paper.arxiv else None),
                ("doi", doi_key(paper.doi) if paper.doi else None), ("title", title_key(paper.title))]
        for name, key in keys:
            if not key:
                continue
            first = seen.get((name, key))
            if first is None:
                seen[(name, key)] = paper
                continue
            what = {"arxiv": f"arXiv id {paper.arxiv}", "doi": f"DOI {paper.doi}", "title": "title"}[name]
            problems.append(Problem(paper.source, lines.get((paper.source, name), 1), name,
                                    f"the same {what} is already in {first.source}",
                                    "this paper is on the list already; edit that record instead"))
            problems.append(Problem(first.source, lines.get((first.source, name), 1), name,
                                    f"the same {what} is also in {paper.source}",
                                    "one paper, one record: keep one of the two"))
    return problems


def term_usage(raw: RawRecord) -> list[tuple[str, str]]:
    """(kind, id) of every topic and tag a record names, read even from a record with errors."""
    return terms_in(raw.fields)


def terms_in(fields: Mapping[str, Located]) -> list[tuple[str, str]]:
    """:func:`term_usage` of a record's located fields."""
    used: list[tuple[str, str]] = []
    for name, kind in (("topics", "topic"), ("tags", "tag")):
        located = fields.get(name)
        if located is not None and isinstance(located.value, list):
            used.extend((kind, text) for item in located.value if (text := as_text(item)))
    return used


def check_vocabulary_use(usage: Mapping[tuple[str, str], int], vocab: Vocabulary) -> list[Problem]:
    """Tags used by fewer than three papers (a warning), unused tags or topics (an error)."""
    problems = []
    for kind, terms in (("topic", vocab.topics), ("tag", vocab.tags)):
        if kind in vocab.unreadable:
            continue
        for term_id in terms:
            used = usage.get((kind, term_id), 0)
            line = vocab.lines.get((kind, term_id), 1)
            path = vocab.paths[kind]
            if used == 0:
                problems.append(Problem(path, line, term_id, f"the {kind} '{term_id}' is not used by any paper",
                                        "remove it, or add it to the papers it describes"))
            elif kind == "tag" and used < MIN_PAPERS_PER_TAG:
                problems.append(Problem(path, line, term_id,
                                        f"the tag '{term_id}' is used by {used} paper(s), fewer than {MIN_PAPERS_PER_TAG}",
                                        "a tag earns its place when several papers share it; "
                                        "tag more papers with it or merge it into a broader tag",
                                        Severity.WARNING))
    return problems


RELATIONS = ("builds_on", "challenges")


def check_relations(papers: Iterable[Paper], known: Collection[str],
                    lines: Mapping[tuple[str, str], int]) -> list[Problem]:
    """Every id a paper names in ``builds_on`` or ``challenges`` is a record on the list (``known``)."""
    problems: list[Problem] = []
    for paper in papers:
        for name in RELATIONS:
            for target in getattr(paper, name):
                if target not in known:
                    hint = did_you_mean(target, known) or "name another record's file, without .md"
                    problems.append(Problem(paper.source, lines.get((paper.source, name), 1), name,
                                            f"'{target}' is not a record on the list", hint))
    return problems
