"""Atom (RFC 4287) and JSON Feed 1.1: the latest events, with absolute links and stable ids."""

from __future__ import annotations

import datetime
import json
from typing import NamedTuple
from xml.etree import ElementTree

from generator.content.records import Event
from generator.site.model import Timeline
from generator.formats.publishing import event_content_html, require_base_url
from generator.site.urls import absolute_url, event_url

ATOM_PATH = "feed.xml"
JSON_FEED_PATH = "feed.json"
LATEST = 50  # a feed carries the most recent events, not the whole history
ATOM = "http://www.w3.org/2005/Atom"


def topic_feed_path(topic_id: str) -> str:
    return f"topics/{topic_id}/feed.xml"


def thread_feed_path(thread_id: str) -> str:
    return f"threads/{thread_id}/feed.xml"


class AtomFeed(NamedTuple):
    path: str
    title: str
    page_url: str  # the page the feed follows
    events: tuple[Event, ...]  # in date order: the feed carries the last of them


def atom_feeds(timeline: Timeline) -> list[AtomFeed]:
    """Every Atom feed: the site's, each topic's and each thread's (a reader following a story hears of its next event)."""
    title = timeline.config.title
    return [AtomFeed(ATOM_PATH, title, "", timeline.events),
            *(AtomFeed(topic_feed_path(topic.id), f"{topic.name} · {title}", topic.url, topic.events) for topic in timeline.topics),
            *(AtomFeed(thread_feed_path(thread.id), f"{thread.name} · {title}", thread.url, thread.events)
              for thread in timeline.threads)]


def render_atom(timeline: Timeline) -> bytes:
    """The site's Atom feed at /feed.xml."""
    return render_atom_feed(timeline, atom_feeds(timeline)[0])


def render_atom_feed(timeline: Timeline, feed: AtomFeed) -> bytes:
    """One Atom feed of `atom_feeds`."""
    return _atom(timeline, feed.title, feed.page_url, feed.path, feed.events)


def render_json_feed(timeline: Timeline) -> bytes:
    """The site's JSON Feed 1.1 at /feed.json."""
    base_url = require_base_url(timeline)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": timeline.config.title,
        "home_page_url": base_url,
        "feed_url": absolute_url(base_url, JSON_FEED_PATH),
        "description": timeline.config.description,
        "language": timeline.config.language,
        "items": [_json_item(timeline, base_url, event) for event in latest(timeline.events)],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(timeline: Timeline, base_url: str, event: Event) -> dict:
    link = absolute_url(base_url, event_url(event.id))
    item = {
        "id": link,
        "url": link,
        "title": event.title,
        "summary": event.summary,
        "content_html": event_content_html(event),
        "date_published": _timestamp(event),
        "tags": [timeline.topic(topic_id).name for topic_id in event.topics],
    }
    item["external_url"] = next((source.url for source in event.sources if source.url), None)
    return {key: value for key, value in item.items() if value is not None}


def _atom(timeline: Timeline, title: str, page_url: str, feed_path: str, events: tuple[Event, ...]) -> bytes:
    base_url = require_base_url(timeline)
    newest = latest(events)
    feed = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": timeline.config.language})
    _text(feed, "id", absolute_url(base_url, feed_path))
    _text(feed, "title", title)
    _text(feed, "subtitle", timeline.config.description)
    # Deterministic: the feed changes when its newest event does, never because it was rebuilt.
    _text(feed, "updated", _timestamp(newest[0]) if newest else "1970-01-01T00:00:00Z")
    ElementTree.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": absolute_url(base_url, feed_path)})
    ElementTree.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": absolute_url(base_url, page_url)})
    author = ElementTree.SubElement(feed, "author")
    _text(author, "name", timeline.config.title)
    for event in newest:
        entry = ElementTree.SubElement(feed, "entry")
        link = absolute_url(base_url, event_url(event.id))
        _text(entry, "id", link)
        _text(entry, "title", event.title)
        _text(entry, "updated", _timestamp(event))
        _text(entry, "published", _timestamp(event))
        ElementTree.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": link})
        for topic_id in event.topics:
            ElementTree.SubElement(entry, "category", {"term": topic_id, "label": timeline.topic(topic_id).name})
        _text(entry, "summary", event.summary)
        _text(entry, "content", event_content_html(event), type="html")
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def latest(events: tuple[Event, ...]) -> tuple[Event, ...]:
    """The most recent events, newest first: the last of events that come, as every list of the model does, in date order."""
    return events[:-LATEST - 1:-1]


def _timestamp(event: Event) -> str:
    """An RFC 3339 time for an event: midnight UTC of its first day (a feed needs one)."""
    day = event.date.start.first_day
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def _text(parent: ElementTree.Element, tag: str, text: str, **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, attributes)
    element.text = text
    return element
