"""Open data: /data/events.json (described by /data/events.schema.json) and /data/events.csv."""

from __future__ import annotations

import csv
import io
import json

from generator.content.citations import plain_citations
from generator.content.records import Event
from generator.formats.file_parts import FileParts, commas_between
from generator.site.model import Timeline
from generator.site.urls import absolute_url, event_url

EVENTS_JSON_PATH = "data/events.json"
EVENTS_SCHEMA_PATH = "data/events.schema.json"
EVENTS_CSV_PATH = "data/events.csv"
CSV_COLUMNS = ("id", "start", "end", "precision", "title", "summary", "topics", "actors", "place", "url", "source_urls")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The C encoder, on one line (the indenting one is pure Python, about ten times slower: seconds at 10,000 events);
# one for every event (json.dumps with options makes one a call).
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def render_events_json(timeline: Timeline) -> bytes:
    """Every event with every field, in date order."""
    return render_events_json_from(timeline, [event_json(timeline, event) for event in timeline.events]).joined()


def render_events_json_from(timeline: Timeline, events: list[bytes]) -> FileParts:
    """/data/events.json around its events' JSON (`event_json`), in the timeline's order."""
    head = {"$schema": _url(timeline, EVENTS_SCHEMA_PATH), "title": timeline.config.title,
            "description": timeline.config.description}
    threads = [{"id": thread.id, "title": thread.name, "description": thread.description,
                "url": _url(timeline, thread.url), "events": [event.id for event in thread.events]}
               for thread in timeline.threads]
    # The object's text cut where the events go: "{…head…" + ',"events":[…]' + ',"threads":[…]}'.
    return FileParts([(_json_text(head)[:-1] + ',"events":[').encode("utf-8"), *commas_between(events),
                      ("]," + _json_text({"threads": threads})[1:] + "\n").encode("utf-8")])


def event_json(timeline: Timeline, event: Event) -> bytes:
    """One event's object in /data/events.json, as UTF-8 JSON."""
    return _json_text(_event_record(timeline, event)).encode("utf-8")


def render_events_schema(timeline: Timeline) -> bytes:
    """The JSON Schema (2020-12) that /data/events.json follows."""
    text = {"type": "string"}
    nullable_text = {"type": ["string", "null"]}
    partial_date = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _url(timeline, EVENTS_SCHEMA_PATH),
        "title": f"Events of {timeline.config.title}",
        "type": "object",
        "required": ["title", "description", "events", "threads"],
        "additionalProperties": False,
        "properties": {
            "$schema": text, "title": text, "description": text,
            "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
            "threads": {"type": "array", "description": "stories that run through the timeline (content/threads.yaml)",
                        "items": {"type": "object", "additionalProperties": False,
                                  "required": ["id", "title", "description", "url", "events"],
                                  "properties": {"id": text, "title": text, "description": text, "url": text,
                                                 "events": {"type": "array", "items": text,
                                                            "description": "the thread's event ids, in date order"}}}},
        },
        "$defs": {"event": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "url", "date", "start", "end", "precision", "approximate", "uncertain", "title",
                         "summary", "body_html", "topics", "actors", "place", "quotes", "related", "threads", "sources", "draft", "media"],
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                "url": {**text, "description": "the event's page (absolute when the site has a base URL)"},
                "date": {**text, "description": "the date as written, in EDTF: 2021, 2021-05, 2021-05-19, ~ approximate, ? uncertain, START/END"},
                "start": {**partial_date, "description": "first date, at its own precision"},
                "end": {"anyOf": [partial_date, {"type": "null"}], "description": "last date of a range"},
                "precision": {"enum": ["year", "month", "day"]},
                "approximate": {"type": "boolean"},
                "uncertain": {"type": "boolean"},
                "title": text, "summary": text,
                "body_html": {**text, "description": "the body, as sanitized HTML, its citations as plain text [n] naming 'sources' by number (empty when there is none)"},
                "topics": {"type": "array", "items": text}, "actors": {"type": "array", "items": text},
                "place": nullable_text,
                "quotes": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                           "required": ["text", "speaker", "source"],
                           "properties": {"text": text, "speaker": text, "source": {"type": "integer", "minimum": 1}}}},
                "related": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                            "required": ["event", "relation"], "properties": {"event": text, "relation": text}}},
                "threads": {"type": "array", "items": text, "description": "the ids of the threads that hold the event"},
                "sources": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                            "required": ["number", "title", "publisher", "date", "url", "archive_url", "note"],
                            "properties": {"number": {"type": "integer", "minimum": 1}, "title": text, "publisher": text,
                                           "date": nullable_text, "url": nullable_text, "archive_url": nullable_text,
                                           "note": nullable_text}}},
                "draft": {"type": "boolean"},
                "media": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                          "required": ["url", "local", "alt", "caption", "credit", "license", "source_url"],
                          "properties": {"url": {**text, "description": "a local picture's largest rendition, or the remote picture"},
                                         "local": {"type": "boolean"}, "alt": nullable_text, "caption": nullable_text,
                                         "credit": nullable_text, "license": nullable_text, "source_url": nullable_text}}},
            },
        }},
    }
    return _json_bytes(schema)


def render_events_csv(timeline: Timeline) -> bytes:
    """One row per event, for spreadsheets; list cells are joined with '; ', sources with spaces."""
    return render_events_csv_from([csv_row(timeline, event) for event in timeline.events]).joined()


def render_events_csv_from(rows: list[bytes]) -> FileParts:
    """/data/events.csv: its header and its events' rows (`csv_row`), in the timeline's order."""
    # The byte-order mark makes Excel read the file as UTF-8 (names such as Сергей Лавров).
    return FileParts([b"\xef\xbb\xbf", _csv_line(CSV_COLUMNS), *rows])


def csv_row(timeline: Timeline, event: Event) -> bytes:
    """One event's row of /data/events.csv, with its line end, in UTF-8."""
    start, end = event.date.start, event.date.end
    return _csv_line((event.id, start.iso, end.iso if end else "", start.precision.name.lower(), event.title, event.summary,
                      "; ".join(event.topics), "; ".join(event.actors), event.place or "", _url(timeline, event_url(event.id)),
                      " ".join(source.url for source in event.sources if source.url)))


def _csv_line(cells: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_safe_cell(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8")


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading ' stops a formula from running."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _event_record(timeline: Timeline, event: Event) -> dict:
    start, end = event.date.start, event.date.end
    return {
        "id": event.id,
        "url": _url(timeline, event_url(event.id)),
        "date": event.date.edtf,
        "start": start.iso,
        "end": end.iso if end else None,
        "precision": start.precision.name.lower(),
        "approximate": start.approximate or (end is not None and end.approximate),
        "uncertain": start.uncertain or (end is not None and end.uncertain),
        "title": event.title,
        "summary": event.summary,
        "body_html": plain_citations(event.body_html),
        "topics": list(event.topics),
        "actors": list(event.actors),
        "place": event.place,
        "quotes": [{"text": q.text, "speaker": q.speaker, "source": q.source} for q in event.quotes],
        "related": [{"event": r.target, "relation": r.kind} for r in event.related],
        "threads": [place.thread.id for place in timeline.threads_of[event.id]],
        "sources": [{"number": s.number, "title": s.title, "publisher": s.publisher,
                     "date": s.date.edtf if s.date else None, "url": s.url, "archive_url": s.archive_url,
                     "note": s.note}
                    for s in event.sources],
        "draft": event.draft,
        "media": [{"url": _url(timeline, timeline.images[m.file].fallback[-1].url) if m.file else m.url, "local": bool(m.file),
                   "alt": m.alt, "caption": m.caption, "credit": m.credit, "license": m.license, "source_url": m.source_url}
                  for m in event.media],
    }


def _url(timeline: Timeline, url: str) -> str:
    """Absolute when the site's address is known; otherwise relative to the site's root."""
    return absolute_url(timeline.config.base_url, url) if timeline.config.base_url else url


def _json_bytes(data: dict) -> bytes:
    return (_json_text(data) + "\n").encode("utf-8")


def _json_text(data: dict) -> str:
    return _JSON.encode(data)
