"""The record format: its fields, in canonical order, and what each holds.

This table is the single source for the checker, the scaffolder (`new`) and
the contributing guide, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_EMERGES = 200  # characters of the `emerges` line


@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool
    kind: str  # human wording of the expected type, used in error messages
    help: str


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", True, "a string", "the paper's title, as published"),
    FieldSpec("authors", False, "a list of names", "every author, in the paper's order (leave out only when unknown)"),
    FieldSpec("year", True, "a year such as 2025", "year of the first public version"),
    FieldSpec("date", False, "a date such as 2025-04-15", "day of the first public version"),
    FieldSpec("arxiv", False, 'a quoted arXiv id such as "2504.11536"', "arXiv id, no version suffix"),
    FieldSpec("doi", False, "a DOI such as 10.1145/3586183.3606763", "the DOI, without https://doi.org/"),
    FieldSpec("venue", False, "a string such as ICLR 2026", "where it was published, if it was"),
    FieldSpec("links", False, "a mapping of label to http(s) URL", "code, project, video, ... pages"),
    FieldSpec("topics", True, "a list of topic ids", "one or more ids from papers/topics.yml"),
    FieldSpec("tags", True, "a list of tag ids", "two or more ids from papers/tags.yml"),
    FieldSpec("emerges", False, f"one sentence of at most {MAX_EMERGES} characters",
              "what behavior emerges, in what kind of system, from what; as the paper itself supports it "
              "(where it reports none: what it contributes instead)"),
    FieldSpec("start_here", False, "true or false", "true for an entry point for newcomers to its topics"),
    FieldSpec("builds_on", False, "a list of record ids", "papers on the list this one builds on"),
    FieldSpec("challenges", False, "a list of record ids", "papers on the list whose claims this one challenges"),
    FieldSpec("added", True, "a date such as 2026-11-24", "the day the paper joined the list"),
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
REQUIRED_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.required)
SPECS: dict[str, FieldSpec] = {f.name: f for f in FIELDS}

# The link labels a record may use, with the text a paper page shows for each.
LINK_NAMES: dict[str, str] = {"code": "Code", "project": "Project page", "data": "Data", "video": "Video",
                              "slides": "Slides", "blog": "Blog post", "demo": "Demo"}
LINK_LABELS: tuple[str, ...] = tuple(LINK_NAMES)
NOTES_HEADING = "## Notes"
TOPICS_FILE, TAGS_FILE = "topics.yml", "tags.yml"  # the vocabulary, beside the records
VOCABULARY_FILES = (TOPICS_FILE, TAGS_FILE)
REDIRECTS_FILE = "redirects.yml"  # pages that moved: old path -> new path
PATHS_DIR = "paths"  # reading paths: papers/paths/<id>.yml
WATCH_FILE = "watch.yml"  # what `suggest` looks for on arXiv (generator/suggest/watch.py)
FOLDER_FILES = (*VOCABULARY_FILES, REDIRECTS_FILE, WATCH_FILE)  # the files beside the records that are not records
MIN_TAGS_PER_PAPER = 2
MIN_PAPERS_PER_TAG = 3
