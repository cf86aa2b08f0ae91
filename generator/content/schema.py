"""The JSON Schema of an event file, made from the validator's own field lists.

Editors (VS Code with the YAML extension, JetBrains, Neovim) read it to complete field names and
flag mistakes as the author types. It checks the shape of a file; the validator also checks its
meaning (that a topic id exists, that 30 February is not a day), which no schema can know.
`schema/event.schema.json` in the repository is this function's output (a test keeps them equal;
`python -m generator.content.schema > schema/event.schema.json` regenerates it).
"""

from __future__ import annotations

import json

from generator.content.dates import SINGLE_DATE_PATTERN
from generator.content.fields import SLUG
from generator.content.relations import RELATION_KINDS
from generator.content.validate_events import EVENT_FIELDS, MEDIA_FIELDS, QUOTE_FIELDS, RELATED_FIELDS, SOURCE_FIELDS

SCHEMA_URL_PATH = "schema/event.schema.json"
REQUIRED_EVENT_FIELDS = ("date", "title", "summary", "topics", "sources")
REQUIRED_SOURCE_FIELDS = ("title", "publisher")

_TEXT = {"type": "string", "pattern": r"\S"}
_ID = {"type": "string", "pattern": rf"^\s*{SLUG.pattern}\s*$"}
# Editors read YAML 1.2, where `date: 2021` is a number: the validator reads it as the year.
_DATE = {"anyOf": [{"type": "string", "pattern": rf"^\s*{SINGLE_DATE_PATTERN}(?:/{SINGLE_DATE_PATTERN})?\s*$"},
                   {"type": "integer", "minimum": 1000, "maximum": 9999}],
         "description": "YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~ (approximate), ? (uncertain) or % (both); a range is START/END"}
_URL = {"type": "string", "pattern": r"^\s*[hH][tT][tT][pP][sS]?://[^\s/$.?#]\S*\s*$", "format": "uri"}

_DESCRIPTIONS = {
    "id": "Optional; defaults to the file name without .yaml. Lowercase letters, digits and hyphens.",
    "date": "The date at exactly the precision that is known: YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~ (approximate), ? (uncertain) or % (both); a range is START/END.",
    "title": "A headline for the event.",
    "summary": "One or two sentences, in your own words.",
    "body": "Optional Markdown; raw HTML is sanitized. End each sentence with the numbers of the sources that back it: '.[1]' or '.[1, 2]'.",
    "topics": "Ids from content/topics.yaml, at least one.",
    "actors": "Ids from content/actors.yaml.",
    "place": "Free text, e.g. 'Geneva, Switzerland'.",
    "quotes": "Quotes, each from one of this event's sources.",
    "related": "Typed links to other events; the inverse is shown on the other event by itself.",
    "sources": "At least one source.",
    "draft": "true keeps the event out of the site unless the build is given --drafts.",
    "media": "Pictures: each a 'file' under content/media/ or a remote 'url', with 'alt' text and a 'credit'.",
}


def _id_list(min_items: int) -> dict:
    return {"anyOf": [_ID, {"type": "array", "items": _ID, "minItems": min_items, "uniqueItems": True}]}


def _entry(fields: tuple[str, ...], properties: dict, required: tuple[str, ...]) -> dict:
    return {"type": "object", "additionalProperties": False,
            "properties": {name: properties[name] for name in fields}, "required": list(required)}


def event_schema() -> dict:
    """The schema as a JSON-ready dict, field by field in the validator's order."""
    source = _entry(SOURCE_FIELDS, {"title": _TEXT, "publisher": _TEXT, "date": _DATE, "url": _URL, "archive_url": _URL, "note": _TEXT},
                    REQUIRED_SOURCE_FIELDS)
    quote = _entry(QUOTE_FIELDS, {"text": _TEXT, "speaker": {**_ID, "description": "An actor id."},
                                  "source": {"type": "integer", "minimum": 1, "description": "The number of one of this event's sources (1 = first)."}},
                   QUOTE_FIELDS)
    related = _entry(RELATED_FIELDS, {"event": {**_ID, "description": "Another event's id."},
                                      "relation": {"enum": list(RELATION_KINDS)}}, RELATED_FIELDS)
    media = _entry(MEDIA_FIELDS, {"file": {**_TEXT, "description": "A picture under content/media/, e.g. media/photo.jpg."},
                                  "url": _URL, "alt": {**_TEXT, "description": "What the picture shows, for readers who cannot see it."},
                                  "caption": _TEXT, "credit": {**_TEXT, "description": "Who made the picture."},
                                  "license": _TEXT, "source_url": _URL}, ("alt", "credit"))
    media["oneOf"] = [{"required": ["file"]}, {"required": ["url"]}]
    properties = {
        "id": _ID, "date": _DATE, "title": _TEXT, "summary": _TEXT, "body": {"type": "string"},
        "topics": _id_list(1), "actors": _id_list(0), "place": {"type": "string"},
        "quotes": {"type": "array", "items": quote},
        "related": {"type": "array", "items": related},
        "sources": {"type": "array", "items": source, "minItems": 1},
        "draft": {"type": "boolean"},
        "media": {"type": "array", "items": media},
    }
    event = _entry(EVENT_FIELDS, properties, REQUIRED_EVENT_FIELDS)
    for name, description in _DESCRIPTIONS.items():
        event["properties"][name] = {**event["properties"][name], "description": description}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Timeline event", **event}


def event_schema_bytes() -> bytes:
    """The schema file's exact bytes (stable key order, one trailing newline)."""
    return (json.dumps(event_schema(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


if __name__ == "__main__":
    import sys

    sys.stdout.buffer.write(event_schema_bytes())
