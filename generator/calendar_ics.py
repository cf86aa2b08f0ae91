"""/calendar.ics (RFC 5545): every event as an all-day VEVENT spanning its real precision."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import icalendar

from generator.content import Event
from generator.model import Timeline
from generator.urls import absolute_url, event_url

CALENDAR_PATH = "calendar.ics"


def render_calendar(timeline: Timeline) -> bytes:
    """A calendar a reader can subscribe to: one VEVENT per event, all-day DATE values."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//timeline-generator//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", timeline.config.title)
    calendar.add("x-wr-caldesc", timeline.config.description)
    for event in timeline.events:
        calendar.add_component(_vevent(timeline, event))
    return calendar.to_ical()


def _vevent(timeline: Timeline, event: Event) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.id}@{_uid_domain(timeline)}")
    first_day = event.date.start.first_day
    # DTSTAMP is required; taking it from the content keeps the output byte-identical between builds.
    vevent.add("dtstamp", datetime.datetime(first_day.year, first_day.month, first_day.day, tzinfo=datetime.timezone.utc))
    # A month or a year spans all its days; DTEND is exclusive (RFC 5545 §3.6.1): the day after the last.
    vevent.add("dtstart", first_day)
    vevent.add("dtend", event.date.last_day + datetime.timedelta(days=1))
    vevent.add("summary", event.title)
    description = event.summary
    if event.date.start.qualified or (event.date.end and event.date.end.qualified):
        description = f"Date: {event.date.display()}. {description}"
    vevent.add("description", description)
    if event.place:
        vevent.add("location", event.place)
    if timeline.config.base_url:
        vevent.add("url", absolute_url(timeline.config.base_url, event_url(event.id)))
    if event.topics:
        vevent.add("categories", [timeline.topic(topic_id).name for topic_id in event.topics])
    return vevent


def _uid_domain(timeline: Timeline) -> str:
    """The right-hand side of every UID: the site's address when known, so UIDs are globally unique."""
    if timeline.config.base_url:
        parts = urlsplit(timeline.config.base_url)
        return (parts.netloc + parts.path).rstrip("/")
    return "timeline.invalid"
