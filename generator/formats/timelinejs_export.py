"""/data/timelinejs.json: the timeline in TimelineJS3's JSON format, to hand to a TimelineJS embed."""

from __future__ import annotations

import datetime
import json
from html import escape

from generator.content.records import Era, Event, Media
from generator.content.dates import PartialDate
from generator.site.model import Timeline
from generator.formats.file_parts import FileParts, commas_between
from generator.formats.publishing import event_content_html
from generator.site.urls import absolute_url, event_url

TIMELINEJS_PATH = "data/timelinejs.json"
# One encoder for every event (json.dumps with options makes one a call); the C one, on one line.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def render_timelinejs(timeline: Timeline) -> bytes:
    """A title slide, one slide per event (dates at their real precision) and the eras."""
    return render_timelinejs_from(timeline, [slide_json(timeline, event) for event in timeline.events]).joined()


def render_timelinejs_from(timeline: Timeline, slides: list[bytes]) -> FileParts:
    """The TimelineJS file around its events' slides as JSON (`slide_json`), in the timeline's order."""
    title = {"title": {"text": {"headline": escape(timeline.config.title), "text": f"<p>{escape(timeline.config.description)}</p>"}}}
    eras = {"eras": [_era(timeline, era) for era in timeline.eras]}
    # The object's text cut where the slides go: '{"title":…' + ',"events":[…]' + ',"eras":[…]}'.
    return FileParts([(_json_text(title)[:-1] + ',"events":[').encode("utf-8"), *commas_between(slides),
                      ("]," + _json_text(eras)[1:] + "\n").encode("utf-8")])


def slide_json(timeline: Timeline, event: Event) -> bytes:
    """One event's slide, as UTF-8 JSON."""
    return _json_text(_slide(timeline, event)).encode("utf-8")


def _json_text(data: dict) -> str:
    return _JSON.encode(data)


def timelinejs_date(date: PartialDate) -> dict:
    """TimelineJS date parts: only the parts that are known (a month-precision date has no day)."""
    parts = {"year": date.year}
    if date.month is not None:
        parts["month"] = date.month
    if date.day is not None:
        parts["day"] = date.day
    return parts


def _slide(timeline: Timeline, event: Event) -> dict:
    text = event_content_html(event)
    if timeline.config.base_url:
        text += f'\n<p><a href="{escape(absolute_url(timeline.config.base_url, event_url(event.id)))}">Read more on the timeline</a></p>'
    slide = {
        "unique_id": event.id,
        "start_date": timelinejs_date(event.date.start),
        "text": {"headline": escape(event.title), "text": text},
        "group": timeline.topic(event.topics[0]).name if event.topics else None,
    }
    if event.media:
        slide["media"] = _media(timeline, event.media[0])
    if event.date.end:
        slide["end_date"] = timelinejs_date(event.date.end)
    if event.date.start.qualified or (event.date.end and event.date.end.qualified):
        # TimelineJS has no approximate dates: say it in words ("c. 2009", "May 2021?").
        slide["display_date"] = event.date.display()
    return {key: value for key, value in slide.items() if value is not None}


def _media(timeline: Timeline, media: Media) -> dict | None:
    """A slide's media: a remote picture's address, or a local one's largest rendition at its public address."""
    if media.file:
        if not timeline.config.base_url or media.file not in timeline.images:
            return None  # a TimelineJS embed loads media from its own page: only an absolute address works
        url = absolute_url(timeline.config.base_url, timeline.images[media.file].fallback[-1].url)
    else:
        url = media.url
    parts = {"url": url, "caption": media.caption and escape(media.caption), "credit": media.credit and escape(media.credit),
             "alt": media.alt}
    return {key: value for key, value in parts.items() if value}


def _era(timeline: Timeline, era: Era) -> dict:
    # TimelineJS needs an end for every era; an ongoing one ends with the last event shown.
    end = era.date.end or era.date.start
    if era.ongoing:
        last_day = max((event.date.last_day for event in timeline.events), default=era.date.start.first_day)
        end_day = max(last_day, era.date.start.first_day)
        return {"start_date": timelinejs_date(era.date.start), "end_date": _day_parts(end_day),
                "text": {"headline": escape(era.name)}}
    return {"start_date": timelinejs_date(era.date.start), "end_date": timelinejs_date(end),
            "text": {"headline": escape(era.name)}}


def _day_parts(day: datetime.date) -> dict:
    return {"year": day.year, "month": day.month, "day": day.day}
