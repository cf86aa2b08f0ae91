"""/calendar.ics (RFC 5545): every event as an all-day VEVENT spanning its real precision."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from generator.content.records import Event
from generator.formats.file_parts import FileParts
from generator.site.model import Timeline
from generator.site.urls import absolute_url, event_url

CALENDAR_PATH = "calendar.ics"


def render_calendar(timeline: Timeline) -> bytes:
    """A calendar a reader can subscribe to: one VEVENT per event, all-day DATE values.

    Written line by line: building icalendar's objects took most of the outputs' time at
    10,000 events. The bytes are exactly those icalendar writes (`render_calendar_with_icalendar`,
    kept as the reference: tests compare the two and parse the result with icalendar).
    """
    return render_calendar_from(timeline, [calendar_event(timeline, event) for event in timeline.events]).joined()


def render_calendar_from(timeline: Timeline, vevents: list[bytes]) -> FileParts:
    """The calendar around its events' VEVENTs (`calendar_event`), in the timeline's order."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//timeline-generator//EN", "CALSCALE:GREGORIAN",
            # icalendar writes X- properties as they are; only a line break would break the line.
            f"X-WR-CALDESC:{_one_line(timeline.config.description)}", f"X-WR-CALNAME:{_one_line(timeline.config.title)}"]
    return FileParts(["".join(_fold(line) + "\r\n" for line in head).encode("utf-8"), *vevents, b"END:VCALENDAR\r\n"])


def calendar_event(timeline: Timeline, event: Event) -> bytes:
    """One event's VEVENT, its lines folded and ended with CRLF, in UTF-8."""
    first_day = event.date.start.first_day
    start = _date(first_day)
    lines = ["BEGIN:VEVENT", f"SUMMARY:{_text(event.title)}", f"DTSTART;VALUE=DATE:{start}",
             f"DTEND;VALUE=DATE:{_date(event.date.last_day + _ONE_DAY)}",
             f"DTSTAMP:{start}T000000Z", f"UID:{_text(event.id)}@{_text(_uid_domain(timeline))}"]
    if event.topics:
        lines.append("CATEGORIES:" + ",".join(_text(timeline.topic(topic_id).name) for topic_id in event.topics))
    lines.append(f"DESCRIPTION:{_text(_description(event))}")
    if event.place:
        lines.append(f"LOCATION:{_text(event.place)}")
    if timeline.config.base_url:
        lines.append(f"URL:{absolute_url(timeline.config.base_url, event_url(event.id))}")
    lines.append("END:VEVENT\r\n")
    return "\r\n".join(map(_fold, lines)).encode("utf-8")


_ONE_DAY = datetime.timedelta(days=1)


def _date(day: datetime.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _one_line(value: str) -> str:
    return value.replace("\r\n", r"\n").replace("\n", r"\n").replace("\r", r"\n")


def _text(value: str) -> str:
    """RFC 5545 TEXT escaping, as icalendar does it."""
    return (value.replace(r"\N", "\n").replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,")
            .replace("\r\n", r"\n").replace("\n", r"\n").replace("\r", r"\n"))


def _fold(line: str, limit: int = 75) -> str:
    """Lines folded under 75 octets, as icalendar folds them (never splitting a backslash escape)."""
    if line.isascii():  # one octet a letter: cut by slicing (most lines; the loop below was most of the calendar's time)
        if len(line) < limit:
            return line
        folded, start = [], 0
        while len(line) - start >= limit:
            end = start + limit - 1
            if line[end - 1] in "\\^" and end - 1 > start:
                end -= 1
            folded.append(line[start:end])
            start = end
        folded.append(line[start:])
        return "\r\n ".join(folded)
    folded, current, count = [], [], 0
    for char in line:
        size = len(char.encode("utf-8"))
        if current and count + size >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                kept = current.pop()
                folded.append("".join(current))
                current, count = [kept], len(kept.encode("utf-8"))
            else:
                folded.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    folded.append("".join(current))
    return "\r\n ".join(folded)


def _description(event: Event) -> str:
    if event.date.start.qualified or (event.date.end and event.date.end.qualified):
        return f"Date: {event.date.display()}. {event.summary}"
    return event.summary


def render_calendar_with_icalendar(timeline: Timeline) -> bytes:
    """The same calendar through icalendar's objects: the reference the fast writer is tested against."""
    import icalendar  # only here: importing it costs more than writing a calendar of 1,000 events

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//timeline-generator//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", timeline.config.title)
    calendar.add("x-wr-caldesc", timeline.config.description)
    for event in timeline.events:
        calendar.add_component(_vevent(timeline, event))
    return calendar.to_ical()


def _vevent(timeline: Timeline, event: Event):
    import icalendar

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
