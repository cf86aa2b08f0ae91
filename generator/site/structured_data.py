"""schema.org `Event` JSON-LD for event pages, safe to place inside a <script> element."""

from __future__ import annotations

import json

from generator.content.records import Event
from generator.site.model import Timeline
from generator.site.urls import absolute_url, card_url, event_url

# Inside <script>, only "</script" or "<!--" could end the data early: escaping every <, > and &
# as a JSON \u escape makes that impossible and leaves the JSON meaning the same.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def event_json_ld(timeline: Timeline, event: Event) -> str:
    """The event as a schema.org Event, serialized for a `<script type="application/ld+json">`."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "startDate": event.date.start.iso,
        "endDate": (event.date.end or event.date.start).iso,
        "about": [timeline.topic(topic_id).name for topic_id in event.topics],
    }
    if event.place:
        data["location"] = {"@type": "Place", "name": event.place}
    if timeline.config.base_url:
        data["url"] = absolute_url(timeline.config.base_url, event_url(event.id))
        data["image"] = absolute_url(timeline.config.base_url, card_url(event.id))
    sources = [source.url for source in event.sources if source.url]
    if sources:
        data["subjectOf"] = [{"@type": "CreativeWork", "url": url} for url in sources]
    return json.dumps(data, ensure_ascii=False, indent=2).translate(_SCRIPT_SAFE)

