"""The rules one record must follow: one small function per field.

Each rule returns the cleaned value (or None) and appends :class:`Problem`s
naming the file, line and field, what was expected and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.characters import code_point
from generator.check.common import MAX_SUGGESTED, control_characters, did_you_mean
from generator.check.text_rules import bidi_problem, identifier_problem, invisible_problem
from generator.check.vocabulary import Vocabulary
from generator.model import VENUE_KINDS, Paper, Term, Venue
from generator.problems import Problem, Severity
from generator.record.fields import (
    AUTHORS_UNKNOWN,
    FIELD_NAMES,
    MAX_EMERGES,
    MAX_LINK_LABEL,
    MAX_STRING,
    MAX_URL,
    MIN_TAGS_PER_PAPER,
    REQUIRED_FIELDS,
    SPECS,
    TAGS_FILE,
    TOPICS_FILE,
    VENUE_KEYS,
)
from generator.record.ids import ID_RULE, is_valid_id, reserved
from generator.record.located import Located
from generator.record.read import RawRecord, as_text, is_yaml_bool
from generator.record.venues import flow_text, parse_venue_text
from generator.text import escaped
from generator.urls import NOT_A_WEB_URL, NOT_A_WEB_URL_FIX, Refusal, web_url

# Identifiers are ASCII: [0-9], not \d (which matches Arabic-Indic and fullwidth digits). Python
# matches each on the whole text (fullmatch: "$" alone matches before a final newline); the anchors
# stay for the JSON schema (exports/dump.py), where a pattern without them would search.
ARXIV_NEW = re.compile(r"^[0-9]{4}\.[0-9]{4,5}$")
ARXIV_OLD = re.compile(r"^[a-z][a-z-]*(\.[A-Z]{2})?/[0-9]{7}$")
ARXIV_VERSION = re.compile(r"^(.+?)v[0-9]+$")
DOI = re.compile(r"^10\.[0-9]{4,9}/[!-~]+$")  # printable ASCII, no space
LINK_LABEL = re.compile(r"^[a-z][a-z0-9-]*$")
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.IGNORECASE)
FIRST_YEAR = 1900
# "... emerges. It also ...", but not "e.g. Minecraft", "et al. Show" or "vs. Humans"
_SECOND_SENTENCE = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bal)(?<!\bvs)(?<!\betc)[.!?] +[A-Z][a-z]")
_TRAILING_YEAR = re.compile(r"[\s,(]+((?:19|20)\d\d)\)?$")
_VOLUME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$", re.ASCII)  # "9", "S1", "32A", "2-3"
_PAGES = re.compile(r"^[A-Za-z]{0,3}\d{1,9}[A-Za-z]?(?:\s*[-\u2013\u2014]+\s*[A-Za-z]{0,3}\d{1,9}[A-Za-z]?)?$", re.ASCII)
MAX_BODY = 5_000  # characters of an abstract or of the notes (arXiv allows 1,920); pages stay near 10 KB


@dataclass
class _Context:
    raw: RawRecord
    vocab: Vocabulary
    today: dt.date
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int, name: str, message: str, hint: str = "",
            severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.raw.shown, line, name, message, hint, severity))


def _expect(ctx: _Context, name: str, located: Located) -> None:
    spec = SPECS[name]
    ctx.add(located.line, name, f"expected {spec.kind}, got {_describe(located)}", _type_hint(name, located))


def _describe(located: Located) -> str:
    if isinstance(located.value, list):
        return "a list"
    if isinstance(located.value, dict):
        return "a mapping"
    if located.value is None:
        return "nothing"
    return f"{type(located.value).__name__} {located.source!r}"


def _type_hint(name: str, located: Located) -> str:
    if name in ("authors", "topics", "tags") and not isinstance(located.value, list):
        return f"write a list: {name}: [a, b]"
    if name in ("date", "added"):
        return "write the date as YYYY-MM-DD, unquoted"
    if name == "year":
        return "write the year as four digits, unquoted: year: 2025"
    return f"write {name}: followed by {SPECS[name].kind}"


def _string(ctx: _Context, name: str, located: Located, label: str | None = None) -> str | None:
    """A single-line string field; YAML booleans and numbers keep the text typed."""
    label = label or name
    text = as_text(located)
    if text is None:
        _expect(ctx, name, located)
        return None
    text = text.strip()
    if not text:
        ctx.add(located.line, label, "is empty", f"write {SPECS[name].kind}, or remove the field")
        return None
    bad = control_characters(text)
    if bad:
        ctx.add(located.line, label, f"contains control characters ({', '.join(bad[:3])})",
                "remove them; they are invisible and break exports")
        return None
    if len(text) > MAX_STRING:
        ctx.add(located.line, label, f"is {len(text):,} characters long (at most {MAX_STRING:,})",
                "this looks like a paste accident; shorten it")
        return None
    found = bidi_problem(text) or (invisible_problem(text, _VISIBLE[name]) if name in _VISIBLE else None)
    if found:
        ctx.add(located.line, label, *found)
        return None
    return " ".join(text.split())


# What to keep when a list is over its limit (record/fields.py holds the limits).
_KEEP = {"authors": "keep the first ones, in the paper's order; the paper itself names the rest",
         "links": "keep the pages a reader needs: code, project, data, video",
         "topics": "keep the topics the paper is mostly about", "tags": "keep the tags a reader would filter by",
         "builds_on": "keep the papers it most directly builds on", "challenges": "keep the claims it most directly challenges"}


def _too_many(ctx: _Context, name: str, located: Located) -> bool:
    """Whether the list (or mapping) ``name`` is over its limit, said once, before any item is looked at."""
    limit = SPECS[name].max_items
    if len(located.value) <= limit:
        return False
    ctx.add(located.line, name, f"has {len(located.value):,} items (at most {limit:,})", _KEEP[name])
    return True


# The fields a reader must see something in (a card links its title), and what to write there.
_VISIBLE = {"title": "the paper's title, as published", "authors": "each author's name, as the paper gives it",
            "emerges": "one sentence a reader can read"}


def check_title(ctx: _Context, located: Located) -> str | None:
    return _string(ctx, "title", located)


def check_authors(ctx: _Context, located: Located) -> tuple[str, ...] | None:
    if located.value == AUTHORS_UNKNOWN:
        return ()  # said explicitly: no source names them
    if not isinstance(located.value, list):
        if isinstance(located.value, str) and "," in located.value:
            ctx.add(located.line, "authors", "expected a list of names, got one string",
                    "write one name per item: authors: [Ada Lovelace, Alan Turing]")
        else:
            _expect(ctx, "authors", located)
        return None
    if not located.value:
        ctx.add(located.line, "authors", "the list is empty",
                f"list every author, in the paper's order, or write authors: {AUTHORS_UNKNOWN}")
        return None
    if _too_many(ctx, "authors", located):
        return None
    names = []
    for item in located.value:
        if isinstance(item.value, (list, dict)):
            ctx.add(item.line, "authors", f"expected a name, got {_describe(item)}",
                    "write each author as 'First Last'")
            continue
        name = _string(ctx, "authors", item)
        if name:
            names.append(name)
    return tuple(names) if len(names) == len(located.value) else None


def check_year(ctx: _Context, located: Located) -> int | None:
    value = located.value
    if isinstance(value, bool) or not isinstance(value, int):
        _expect(ctx, "year", located)
        return None
    latest = ctx.today.year + 1
    if not FIRST_YEAR <= value <= latest:
        ctx.add(located.line, "year", f"{value} is not a plausible year (expected {FIRST_YEAR}-{latest})",
                "use the year of the paper's first public version")
        return None
    return value


def _date(ctx: _Context, name: str, located: Located) -> dt.date | None:
    value = located.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    _expect(ctx, name, located)
    return None


def check_date(ctx: _Context, located: Located) -> dt.date | None:
    return _date(ctx, "date", located)


def check_added(ctx: _Context, located: Located) -> dt.date | None:
    added = _date(ctx, "added", located)
    if added and added > ctx.today + dt.timedelta(days=1):
        ctx.add(located.line, "added", f"{added} is in the future", f"use today's date, {ctx.today}")
        return None
    return added


def check_arxiv(ctx: _Context, located: Located) -> str | None:
    if isinstance(located.value, (int, float)) and not isinstance(located.value, bool) and located.plain:
        ctx.add(located.line, "arxiv", f"{located.source} is read by YAML as a number, which can drop digits",
                f'quote it: arxiv: "{located.source}"')
        return None
    text = as_text(located)
    if text is None:
        _expect(ctx, "arxiv", located)
        return None
    text = text.strip()
    if _identifier_refused(ctx, "arxiv", located.line, text):
        return None
    for prefix in ("arXiv:", "arxiv:", "https://arxiv.org/abs/", "http://arxiv.org/abs/"):
        if text.startswith(prefix):
            ctx.add(located.line, "arxiv", f"'{text}' has a prefix",
                    f'write the bare id: arxiv: "{text[len(prefix):]}"')
            return None
    version = ARXIV_VERSION.fullmatch(text)
    if version and (ARXIV_NEW.fullmatch(version.group(1)) or ARXIV_OLD.fullmatch(version.group(1))):
        ctx.add(located.line, "arxiv", f"'{text}' has a version suffix",
                f'drop the version: arxiv: "{version.group(1)}"')
        return None
    if not (ARXIV_NEW.fullmatch(text) or ARXIV_OLD.fullmatch(text)):
        ctx.add(located.line, "arxiv", f"'{text}' is not an arXiv id",
                "expected 'YYMM.NNNNN' (e.g. \"2504.11536\") or 'archive/YYMMNNN' (e.g. \"hep-th/9901001\")")
        return None
    return text


def check_doi(ctx: _Context, located: Located) -> str | None:
    text = as_text(located)
    if text is None:
        _expect(ctx, "doi", located)
        return None
    text = text.strip()
    if _identifier_refused(ctx, "doi", located.line, text):
        return None
    bare = _DOI_PREFIX.sub("", text)
    if bare != text and DOI.fullmatch(bare):
        ctx.add(located.line, "doi", f"'{text}' is a link, not a DOI", f"write the bare DOI: doi: {bare}")
        return None
    if not DOI.fullmatch(text):
        ctx.add(located.line, "doi", f"'{text}' is not a DOI", "expected '10.<registrant>/<suffix>', e.g. 10.1145/3586183.3606763")
        return None
    return text


def _identifier_refused(ctx: _Context, name: str, line: int, text: str) -> bool:
    """An arXiv id or DOI holding an invisible character, or a character beyond ASCII (a fullwidth or
    Arabic-Indic digit): refused, with the character named (it passes for an ASCII one on screen)."""
    found = identifier_problem(text)
    if found is None and not text.isascii():
        other = next(char for char in text if not char.isascii())
        found = (f"{text!r} holds {code_point(other)}, which is not ASCII",
                 f"type the {'arXiv id' if name == 'arxiv' else 'DOI'} again in plain ASCII letters and digits")
    if found is None:
        return False
    ctx.add(line, name, *found)
    return True



def check_venue(ctx: _Context, located: Located) -> Venue | None:
    """``venue:`` as a mapping of kind, name, year, volume, issue, pages (:data:`VENUE_KEYS`)."""
    if not isinstance(located.value, dict):
        text = as_text(located)
        guess = f"write it as a mapping: venue: {flow_text(parse_venue_text(text))}" if text else (
            "write venue: {kind: conference, name: ICLR, year: 2026}")
        ctx.add(located.line, "venue", f"expected {SPECS['venue'].kind}, got {_describe(located)}", guess)
        return None
    items: dict[str, Located] = located.value
    ok = True
    for key, item in items.items():
        if key not in VENUE_KEYS:
            hint = did_you_mean(key, VENUE_KEYS) or "the keys are: " + ", ".join(VENUE_KEYS)
            ctx.add(item.line, f"venue.{key}", f"unknown venue key '{key}'", hint)
            ok = False
    for key in ("kind", "name"):
        if key not in items or items[key].value is None:
            ctx.add(located.line, f"venue.{key}", f"the venue has no {key}", f"add {key}: {VENUE_KEYS[key]}")
            ok = False
    kind = _venue_kind(ctx, items["kind"]) if "kind" in items and items["kind"].value is not None else None
    name = _venue_name(ctx, items["name"]) if "name" in items and items["name"].value is not None else None
    year = _venue_year(ctx, items["year"]) if "year" in items and items["year"].value is not None else None
    parts = {key: _venue_part(ctx, key, items[key]) for key in ("volume", "issue", "pages")
             if key in items and items[key].value is not None}
    failed = kind is None or name is None or ("year" in items and items["year"].value is not None and year is None)
    if not ok or failed or any(value is None for value in parts.values()):
        return None
    assert kind is not None and name is not None
    return Venue(kind=kind, name=name, year=year, **parts)


def _venue_kind(ctx: _Context, item: Located) -> str | None:
    text = as_text(item)
    if text not in VENUE_KINDS:
        hint = did_you_mean(text or "", VENUE_KINDS) or "write one of " + ", ".join(VENUE_KINDS)
        ctx.add(item.line, "venue.kind", f"{(text or _describe(item))!r} is not a kind of venue", hint)
        return None
    return text


def _venue_name(ctx: _Context, item: Located) -> str | None:
    name = _string(ctx, "venue", item, "venue.name")
    if name is None:
        return None
    if name.casefold().rstrip(".").startswith("arxiv"):
        ctx.add(item.line, "venue.name", f"'{name}' is not a venue: an arXiv id already says it is on arXiv",
                "remove the venue, and give the id as arxiv: \"YYMM.NNNNN\"")
        return None
    trailing = _TRAILING_YEAR.search(name)
    if trailing:
        ctx.add(item.line, "venue.name", f"'{name}' ends with a year",
                f"give the year on its own: name: {name[:trailing.start()]}, year: {trailing.group(1)}")
        return None
    return name


def _venue_year(ctx: _Context, item: Located) -> int | None:
    value = item.value
    latest = ctx.today.year + 1
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= latest:
        ctx.add(item.line, "venue.year", f"{item.source or _describe(item)!r} is not a year ({FIRST_YEAR}-{latest})",
                "write the venue's year as four digits, unquoted: year: 2026")
        return None
    return value


def _venue_part(ctx: _Context, key: str, item: Located) -> str | None:
    text = as_text(item)
    pattern = _PAGES if key == "pages" else _VOLUME
    if text is None or not pattern.match(text.strip()):
        example = "101-118 or e1234" if key == "pages" else "9 or S1"
        ctx.add(item.line, f"venue.{key}", f"{(text if text is not None else _describe(item))!r} is not a {key} value",
                f"write the {key} as printed, e.g. {example}; leave it out when not known")
        return None
    return re.sub(r"\s*[-\u2013\u2014]+\s*", "-", text.strip())


def check_links(ctx: _Context, located: Located) -> tuple[tuple[str, str], ...] | None:
    if not isinstance(located.value, dict):
        ctx.add(located.line, "links", f"expected a mapping of label to URL, got {_describe(located)}",
                "write one link per line under 'links:', e.g. '  code: https://github.com/...'")
        return None
    if _too_many(ctx, "links", located):
        return None
    links = []
    ok = True
    for label, item in located.value.items():
        name = f"links.{label}"
        if len(label) > MAX_LINK_LABEL:
            ctx.add(item.line, f"links.{label[:MAX_LINK_LABEL]}…",
                    f"the label is {len(label):,} characters long (at most {MAX_LINK_LABEL})",
                    "use a lowercase word such as code, project, data, video")
            ok = False
            continue
        if not LINK_LABEL.fullmatch(label):
            ctx.add(item.line, name, f"'{label}' is not a valid link label",
                    "use a lowercase word such as code, project, data, video")
            ok = False
            continue
        url = as_text(item)
        if url is not None and len(url) > MAX_URL:
            ctx.add(item.line, name, f"the address is {len(url):,} characters long (at most {MAX_URL:,})",
                    "link to the page itself, without tracking or session parameters")
            ok = False
            continue
        parsed = web_url(url) if url is not None else Refusal(NOT_A_WEB_URL, NOT_A_WEB_URL_FIX)
        if isinstance(parsed, Refusal):
            shown = url if url is not None else _describe(item)
            ctx.add(item.line, name, f"{shown!r} {parsed.reason}", parsed.fix)
            ok = False
            continue
        url = parsed.href  # the canonical form: what pages link to and exports write
        links.append((label, url))
    return tuple(links) if ok else None


def _terms(ctx: _Context, name: str, located: Located, known: Mapping[str, Term], kind: str,
           vocab_path: str) -> tuple[str, ...] | None:
    if not isinstance(located.value, list):
        if isinstance(located.value, str):
            ctx.add(located.line, name, "expected a list, got one string",
                    f"write {name}: [{located.value}]" if "," not in located.value
                    else f"write {name}: [" + ", ".join(s.strip() for s in located.value.split(",")) + "]")
        else:
            _expect(ctx, name, located)
        return None
    if _too_many(ctx, name, located):
        return None
    values: list[str] = []
    ok = True
    suggested = 0
    for item in located.value:
        text = as_text(item)
        if text is None:
            ctx.add(item.line, name, f"expected a {kind} id, got {_describe(item)}", f"see {vocab_path}")
            ok = False
            continue
        if text not in known and kind not in ctx.vocab.unreadable:
            suggested += 1  # a suggestion compares with every term: only for the first few of a list
            close = did_you_mean(text, known) if suggested <= MAX_SUGGESTED else ""
            hint = close or f"pick one from {vocab_path}, or propose a new {kind} there"
            ctx.add(item.line, name, f"unknown {kind} '{text}'", hint)
            ok = False
            continue
        if text in values:
            ctx.add(item.line, name, f"'{text}' is listed twice", "remove the second one")
            continue
        values.append(known[text].id if text in known else text)  # the vocabulary's own string: one copy per id
    if ok and not values:
        least = "two tags" if kind == "tag" else "one topic"
        ctx.add(located.line, name, "the list is empty", f"add at least {least} from {vocab_path}")
        return None
    return tuple(values) if ok else None


def check_topics(ctx: _Context, located: Located) -> tuple[str, ...] | None:
    return _terms(ctx, "topics", located, ctx.vocab.topics, "topic", ctx.vocab.paths.get("topic", TOPICS_FILE))


def check_tags(ctx: _Context, located: Located) -> tuple[str, ...] | None:
    tags = _terms(ctx, "tags", located, ctx.vocab.tags, "tag", ctx.vocab.paths.get("tag", TAGS_FILE))
    if tags is not None and len(tags) < MIN_TAGS_PER_PAPER:
        ctx.add(located.line, "tags", f"has {len(tags)} tag, expected at least {MIN_TAGS_PER_PAPER}",
                "add the methods, settings or phenomena a reader would filter by")
    return tags


def check_emerges(ctx: _Context, located: Located) -> str | None:
    text = _string(ctx, "emerges", located)
    if text is None:
        return None
    if len(text) > MAX_EMERGES:
        ctx.add(located.line, "emerges", f"is {len(text)} characters long (at most {MAX_EMERGES})",
                "say in one sentence what emerges, in what kind of system, from what")
        return None
    if "\n" in text or _SECOND_SENTENCE.search(text):
        ctx.add(located.line, "emerges", "holds more than one sentence",
                "keep it to one sentence: what emerges, in what kind of system, from what")
        return None
    return " ".join(text.split())


def check_start_here(ctx: _Context, located: Located) -> bool | None:
    if not is_yaml_bool(located):
        ctx.add(located.line, "start_here", f"expected true or false, got {_describe(located)}",
                "write start_here: true, or leave the field out")
        return None
    return bool(located.value)


def _relation(ctx: _Context, name: str, located: Located) -> tuple[str, ...] | None:
    """A list of other records' ids: well formed, not this record, none twice (that each exists is
    :func:`generator.check.across.check_relations`'s rule, which sees every record)."""
    if not isinstance(located.value, list):
        ctx.add(located.line, name, f"expected a list of record ids, got {_describe(located)}",
                f"write a list: {name}: [other-paper-2024]")
        return None
    if _too_many(ctx, name, located):
        return None
    ids: list[str] = []
    for item in located.value:
        text = as_text(item)
        if text is None or not is_valid_id(text):
            ctx.add(item.line, name, f"'{item.source or text}' is not a record id",
                    f"name the other record's file without .md; ids use {ID_RULE}")
        elif text == ctx.raw.stem:
            ctx.add(item.line, name, "names this record itself", "name other records only")
        elif text in ids:
            ctx.add(item.line, name, f"'{text}' is named twice", "keep one")
        else:
            ids.append(text)
            continue
        return None
    return tuple(ids)


def check_builds_on(ctx: _Context, located: Located) -> tuple[str, ...] | None:
    return _relation(ctx, "builds_on", located)


def check_challenges(ctx: _Context, located: Located) -> tuple[str, ...] | None:
    return _relation(ctx, "challenges", located)


FIELD_RULES: dict[str, Callable[[_Context, Located], Any]] = {
    "title": check_title,
    "authors": check_authors,
    "year": check_year,
    "date": check_date,
    "arxiv": check_arxiv,
    "doi": check_doi,
    "venue": check_venue,
    "links": check_links,
    "topics": check_topics,
    "tags": check_tags,
    "emerges": check_emerges,
    "start_here": check_start_here,
    "builds_on": check_builds_on,
    "challenges": check_challenges,
    "added": check_added,
}
assert tuple(FIELD_RULES) == FIELD_NAMES


def check_id(ctx: _Context) -> str | None:
    stem = ctx.raw.stem
    if not is_valid_id(stem):
        ctx.add(1, "id", f"the file name '{escaped(ctx.raw.path.name)}' is not a valid record id",
                f"rename it: the id (file name without .md) uses {ID_RULE}")
        return None
    why = reserved(stem)
    if why:
        ctx.add(1, "id", why, "rename the file: choose another id, e.g. '<short-title>-<year>'")
        return None
    return stem


def check_year_matches(ctx: _Context, values: dict[str, Any]) -> None:
    year, date = values.get("year"), values.get("date")
    if year and date and date.year != year:
        ctx.add(ctx.raw.fields["date"].line, "date", f"{date} is not in the year {year}",
                "the date and the year must both be the first public version's")
    venue = values.get("venue")
    if year and venue and venue.year and venue.year < year:
        ctx.add(ctx.raw.fields["venue"].value["year"].line, "venue.year", f"{venue.year} is before the paper's first public year {year}",
                "the venue's year is when it was published there; check both")
    record_id = values.get("id")
    if record_id and year and not re.search(rf"-{year}(-[a-z])?$", record_id):
        ctx.add(1, "id", f"the id '{record_id}' does not end with the year {year}",
                "ids are '<short-title>-<year>'; keep a published id stable rather than renaming it",
                Severity.WARNING)


def check_body(ctx: _Context) -> tuple[str, str] | None:
    raw = ctx.raw
    if not raw.abstract:
        ctx.add(raw.body_line, "abstract", "the record has no abstract",
                "paste the abstract below the closing '---', as published")
        return None
    abstract_line = raw.body_line + raw.body[:len(raw.body) - len(raw.body.lstrip())].count("\n")
    # (field, text, its first line, how many body lines come before it)
    for name, text, line, skip in (("abstract", raw.abstract, abstract_line, 0),
                                   ("notes", raw.notes, raw.notes_line, raw.notes_line - raw.body_line)):
        if len(text) > MAX_BODY:
            ctx.add(line, name, f"is {len(text):,} characters long (at most {MAX_BODY:,})",
                    "paste only the abstract, as published" if name == "abstract" else "keep the notes to a few sentences")
            return None
        bad = control_characters(text, allow_newlines=True)
        if bad:
            ctx.add(_control_line(raw.body, raw.body_line, skip), name,
                    f"contains control characters ({', '.join(bad[:3])})", "remove them")
            return None
        found = bidi_problem(text)
        if found:
            ctx.add(_first_line(raw.body, raw.body_line, skip, bidi_problem), name, *found)
            return None
    return raw.abstract, raw.notes


def _control_line(body: str, body_line: int, skip: int) -> int:
    """The file line of the first control character in ``body`` after its first ``skip`` lines."""
    return _first_line(body, body_line, skip, lambda line: control_characters(line, allow_newlines=True))


def _first_line(body: str, body_line: int, skip: int, found: Callable[[str], object]) -> int:
    """The file line of the first line of ``body`` (after its first ``skip``) where ``found`` is truthy."""
    for number, line in enumerate(body.split("\n")[skip:], body_line + skip):
        if found(line):
            return number
    return body_line + skip


def check_record(raw: RawRecord, vocab: Vocabulary, today: dt.date | None = None) -> tuple[Paper | None, list[Problem]]:
    """Every rule on one record: (the Paper if it has no error, every problem found)."""
    ctx = _Context(raw, vocab, today or dt.date.today(), list(raw.problems))
    if not raw.readable:
        return None, ctx.problems
    values: dict[str, Any] = {"id": check_id(ctx)}
    for name, located in raw.fields.items():
        rule = FIELD_RULES.get(name)
        if rule is None:
            hint = did_you_mean(name, FIELD_NAMES) or "the fields are: " + ", ".join(FIELD_NAMES)
            ctx.add(located.line, name, f"unknown field '{name}'", hint)
            continue
        if located.value is None and not SPECS[name].required:
            continue  # an optional field left empty (doi: null) means "not known"
        if is_yaml_bool(located) and name in ("year", "date", "added", "links", "topics", "tags"):
            _expect(ctx, name, located)
            continue
        values[name] = rule(ctx, located)
    if "authors" not in raw.fields:
        ctx.add(raw.end_line, "authors", "no authors are recorded",
                f"add 'authors:' with every author in the paper's order, or 'authors: {AUTHORS_UNKNOWN}' "
                "when no source names them")
    for name in REQUIRED_FIELDS:
        if name not in raw.fields and name != "authors":
            ctx.add(raw.end_line, name, f"the required field '{name}' is missing",
                    f"add '{name}:' with {SPECS[name].kind}")
    check_year_matches(ctx, values)
    body = check_body(ctx)
    if any(p.is_error for p in ctx.problems) or body is None:
        return None, ctx.problems
    paper = Paper(
        id=values["id"], title=values["title"], authors=values.get("authors") or (), year=values["year"],
        topics=values["topics"], tags=values["tags"], added=values["added"], abstract=body[0],
        notes=body[1], date=values.get("date"), arxiv=values.get("arxiv"), doi=values.get("doi"),
        venue=values.get("venue"), links=values.get("links") or (), source=raw.shown,
        emerges=values.get("emerges"), start_here=bool(values.get("start_here")),
        builds_on=values.get("builds_on") or (), challenges=values.get("challenges") or (),
    )
    return paper, ctx.problems


# --- across records ------------------------------------------------------------------------
