"""The record format: its fields, in canonical order, and what each holds.

This table is the single source for the checker, the scaffolder (`new`) and
the contributing guide, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import VENUE_KINDS

MAX_EMERGES = 200  # characters of the `emerges` line
MAX_STRING = 2_000  # characters of a title, an author's name or a venue: longer is a paste accident
MAX_URL = 2_000  # characters of a link's address
MAX_LINK_LABEL = 30  # characters of a link's label
AUTHORS_UNKNOWN = "unknown"  # `authors: unknown`: no source names them (said, never left out)
# The keys of `venue:`, each with what it holds; kind and name are required.
VENUE_KEYS: dict[str, str] = {
    "kind": "one of " + ", ".join(VENUE_KINDS),
    "name": "the conference, workshop, journal or server, without the year (ICLR, Nature Human Behaviour)",
    "year": "the venue's year (of the proceedings or the issue), if known",
    "volume": "the journal volume, if known",
    "issue": "the journal issue (number), if known",
    "pages": "first-last page (101-118) or an article number (e1234), if known",
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool
    kind: str  # human wording of the expected type, used in error messages
    help: str
    max_items: int = 0  # a list or mapping: at most this many items (0: not a list)
    max_chars: int = 0  # a text, or each item of a list or mapping: at most this many characters

    @property
    def limit(self) -> str:
        """The field's limits as the guide's field table says them ('' when it has none)."""
        chars = f"{self.max_chars:,} characters" if self.max_chars else ""
        if not self.max_items:
            return chars
        return f"{self.max_items:,} items" + (f" of {chars} each" if chars else "")


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", True, "a string", "the paper's title, as published", max_chars=MAX_STRING),
    FieldSpec("authors", True, f"a list of names, or {AUTHORS_UNKNOWN}",
              f"every author, in the paper's order; {AUTHORS_UNKNOWN} only when no source names them",
              max_items=5_000, max_chars=MAX_STRING),
    FieldSpec("year", True, "a year such as 2025", "year of the first public version"),
    FieldSpec("date", False, "a date such as 2025-04-15", "day of the first public version"),
    FieldSpec("arxiv", False, 'a quoted arXiv id such as "2504.11536"', "arXiv id, no version suffix"),
    FieldSpec("doi", False, "a DOI such as 10.1145/3586183.3606763", "the DOI, without https://doi.org/"),
    FieldSpec("venue", False, "a mapping such as {kind: conference, name: ICLR, year: 2026}",
              "where it was published, if it was: kind (" + ", ".join(VENUE_KINDS) + "), name, and the venue's "
              "year, volume, issue and pages where known", max_chars=MAX_STRING),
    FieldSpec("links", False, "a mapping of label to http(s) URL", "code, project, video, ... pages",
              max_items=20, max_chars=MAX_URL),
    FieldSpec("topics", True, "a list of topic ids", "one or more ids from papers/topics.yml", max_items=10),
    FieldSpec("tags", True, "a list of tag ids", "two or more ids from papers/tags.yml", max_items=30),
    FieldSpec("emerges", False, f"one sentence of at most {MAX_EMERGES} characters",
              "what behavior emerges, in what kind of system, from what; as the paper itself supports it "
              "(where it reports none: what it contributes instead)", max_chars=MAX_EMERGES),
    FieldSpec("start_here", False, "true or false", "true for an entry point for newcomers to its topics"),
    FieldSpec("builds_on", False, "a list of record ids", "papers on the list this one builds on", max_items=50),
    FieldSpec("challenges", False, "a list of record ids", "papers on the list whose claims this one challenges",
              max_items=50),
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

# What one file may make the tools spend. The field limits above bound each value; these bound a file
# as a whole, before any field is read. Each with the reasoning the contributing guide shows.
MAX_RECORD_BYTES = 262_144  # 256 KiB
MAX_FOLDER_FILE_BYTES = 1_048_576  # 1 MiB: topics.yml, tags.yml, redirects.yml, a reading path
MAX_NESTING = 4  # lists and mappings inside one another in one YAML file
MAX_MESSAGES_PER_FILE = 20  # problems printed for one file; the rest summed up in one line


@dataclass(frozen=True)
class Limit:
    what: str
    limit: str
    why: str


LIMITS: tuple[Limit, ...] = (
    Limit("a record file", f"{MAX_RECORD_BYTES:,} bytes (256 KiB)",
          "the largest of the list's papers is under 3 KB; 5,000 authors of 30 characters, an abstract and notes "
          "fit with room to spare; a larger file is refused before it is read as YAML"),
    Limit("topics.yml, tags.yml, redirects.yml, a reading path", f"{MAX_FOLDER_FILE_BYTES:,} bytes (1 MiB)",
          "tags.yml, the largest, is about 20 KB; a file that is larger, or not a plain file in the records folder "
          "(a link to one outside it, a device such as /dev/zero), is refused unread"),
    Limit("authors", f"{SPECS['authors'].max_items:,} names of {MAX_STRING:,} characters",
          "large collaborations (a detector paper, a frontier model's report) list a few thousand authors; "
          "the longest name on the list has 27 characters"),
    Limit("title, venue", f"{MAX_STRING:,} characters", "the longest title on the list has 149 characters"),
    Limit("links", f"{SPECS['links'].max_items} links; an address of {MAX_URL:,} characters, "
          f"a label of {MAX_LINK_LABEL}", "papers have at most a handful of pages (code, project, data, video); "
          "browsers and sitemaps handle addresses up to about 2,000 characters"),
    Limit("topics, tags, builds_on, challenges", f"{SPECS['topics'].max_items}, {SPECS['tags'].max_items}, "
          f"{SPECS['builds_on'].max_items} and {SPECS['challenges'].max_items} items",
          "the list's papers have at most 2 topics and 8 tags; a longer list is refused before each item is looked up"),
    Limit("YAML", f"no anchors (&), aliases (*) or tags (!); lists and mappings at most {MAX_NESTING} deep",
          "records never need them (a record nests 2 deep, a reading path 3); an alias can make a ten-line "
          "file expand to gigabytes, so they are refused before anything is expanded"),
    Limit("messages", f"{MAX_MESSAGES_PER_FILE} problems per file, then one line saying how many more",
          "fixing the first few usually fixes the rest; a file with thousands of problems prints a screenful, not "
          "thousands of lines"),
)
