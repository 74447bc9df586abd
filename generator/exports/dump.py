"""The JSON dump of every record (``papers.json``) and the JSON Schema of one record.

``papers.json`` is an array of records sorted by id, one per line: every
front-matter field (optional ones ``null`` when unknown, as a record may
write them), plus ``id``, ``abstract``, ``notes`` (``null`` without notes)
and ``url``, the paper's page. ``record.schema.json`` (JSON Schema draft
2020-12) describes one such record; its rules come from the checker's
patterns and the field table, and its topic and tag enums from the list's
vocabulary, so it cannot drift from what ``make check`` accepts.
"""

from __future__ import annotations

import json

from generator.check.record import ARXIV_NEW, ARXIV_OLD, DOI, FIRST_YEAR, LINK_LABEL
from generator.exports.encoding import Framing
from generator.model import VENUE_KINDS, Catalog, Paper
from generator.record.fields import MAX_EMERGES, MAX_STRING, MIN_TAGS_PER_PAPER, REQUIRED_FIELDS, SPECS, VENUE_KEYS
from generator.record.ids import ID_PATTERN, ID_RULE

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
URL_PATTERN = r"^https?://\S+$"
FRAMING = Framing(head="[\n", separator=",\n", tail="\n]\n", empty="[]\n")

JsonObject = dict[str, object]


def record(paper: Paper, site_url: str) -> JsonObject:
    """Every field of ``paper`` as JSON values, with the URL of its page."""
    return {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors) or None,
        "year": paper.year,
        "date": paper.date.isoformat() if paper.date else None,
        "arxiv": paper.arxiv,
        "doi": paper.doi,
        "venue": _venue(paper),
        "links": dict(paper.links) or None,
        "topics": list(paper.topics),
        "tags": list(paper.tags),
        "emerges": paper.emerges,
        "start_here": paper.start_here,
        "builds_on": list(paper.builds_on),
        "challenges": list(paper.challenges),
        "added": paper.added.isoformat(),
        "abstract": paper.abstract,
        "notes": paper.notes or None,
        "url": f"{site_url}papers/{paper.id}/",
    }


def _venue(paper: Paper) -> JsonObject | None:
    """The venue as the record writes it: kind and name, then year, volume, issue, pages where known."""
    if paper.venue is None:
        return None
    return {key: value for key in VENUE_KEYS if (value := getattr(paper.venue, key)) is not None}


_ONE_LINE = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps with options builds one a call


def _json_line(value: object) -> str:
    return _ONE_LINE.encode(value)


def record_line(paper: Paper, site_url: str) -> str:
    """One record of ``papers.json`` as one line of JSON."""
    return _json_line(record(paper, site_url))



def _described(name: str, schema: JsonObject) -> JsonObject:
    return {"description": f"{SPECS[name].help} ({SPECS[name].kind})", **schema}


def _optional(schema: JsonObject) -> JsonObject:
    """``schema`` or null (an optional field left empty means "not known")."""
    return {**schema, "type": [schema["type"], "null"]}


def record_schema(catalog: Catalog, site_url: str) -> JsonObject:
    """The JSON Schema (draft 2020-12) of one record of ``papers.json``."""
    text: JsonObject = {"type": "string", "minLength": 1, "maxLength": MAX_STRING}
    date: JsonObject = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    properties: dict[str, JsonObject] = {
        "id": {"description": f"The record id, its file name without .md: {ID_RULE}",
               "type": "string", "pattern": ID_PATTERN.pattern},
        "title": _described("title", text),
        "authors": _described("authors", _optional({"type": "array", "items": text, "minItems": 1})),
        "year": _described("year", {"type": "integer", "minimum": FIRST_YEAR}),
        "date": _described("date", _optional(date)),
        "arxiv": _described("arxiv", _optional({"type": "string",
                                                "pattern": f"{ARXIV_NEW.pattern}|{ARXIV_OLD.pattern}"})),
        "doi": _described("doi", _optional({"type": "string", "pattern": DOI.pattern})),
        "venue": _described("venue", _optional({
            "type": "object", "required": ["kind", "name"], "additionalProperties": False,
            "properties": {"kind": {"enum": list(VENUE_KINDS)}, "name": text,
                           "year": {"type": "integer", "minimum": FIRST_YEAR},
                           "volume": {"type": "string", "minLength": 1}, "issue": {"type": "string", "minLength": 1},
                           "pages": {"type": "string", "minLength": 1}}})),
        "links": _described("links", _optional({
            "type": "object", "propertyNames": {"pattern": LINK_LABEL.pattern},
            "additionalProperties": {"type": "string", "pattern": URL_PATTERN}})),
        "topics": _described("topics", {"type": "array", "minItems": 1, "uniqueItems": True,
                                        "items": {"enum": sorted(catalog.topics)}}),
        "tags": _described("tags", {"type": "array", "minItems": MIN_TAGS_PER_PAPER, "uniqueItems": True,
                                    "items": {"enum": sorted(catalog.tags)}}),
        "emerges": _described("emerges", _optional({"type": "string", "minLength": 1, "maxLength": MAX_EMERGES})),
        "start_here": _described("start_here", {"type": "boolean"}),
        "builds_on": _described("builds_on", {"type": "array", "uniqueItems": True,
                                              "items": {"type": "string", "pattern": ID_PATTERN.pattern}}),
        "challenges": _described("challenges", {"type": "array", "uniqueItems": True,
                                                "items": {"type": "string", "pattern": ID_PATTERN.pattern}}),
        "added": _described("added", date),
        "abstract": {"description": "The abstract, as published (the record's body; Markdown)",
                     "type": "string", "minLength": 1},
        "notes": {"description": "Curator notes (the record's '## Notes' section; Markdown), or null",
                  **_optional({"type": "string", "minLength": 1})},
        "url": {"description": "The paper's page on the site", "type": "string", "format": "uri",
                "pattern": URL_PATTERN},
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{site_url}export/record.schema.json",
        "title": "A record of the Emergent behaviors reading list",
        "description": ("One paper: the front matter of papers/<id>.md, with its id, abstract, notes and page URL, "
                        "as in export/papers.json. Optional fields are null when unknown."),
        "type": "object",
        "required": sorted({*REQUIRED_FIELDS, "id", "abstract"}),
        "properties": properties,
        "additionalProperties": False,
    }


def schema_json(catalog: Catalog, site_url: str) -> str:
    """``record.schema.json``, indented for reading."""
    return json.dumps(record_schema(catalog, site_url), ensure_ascii=False, indent=2) + "\n"
