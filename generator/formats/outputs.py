"""The files written beside the pages: feeds, calendar, open data, TimelineJS, sitemap.

Each event's part of them (its VEVENT, its events.json object, its TimelineJS slide, its CSV row)
and each feed is a text keyed by a hash of what it shows; `KeptTexts` hands back the texts of an
earlier build by those keys (build/outputs_store.py keeps them between builds), so a rebuild after
one edit renders that event's texts and joins the others'.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Callable, Iterator

from generator.content.records import Event
from generator.formats import calendar_ics, exports, feeds, sitemap, timelinejs_export
from generator.site.model import Timeline
from generator.site.pages import Page

NEEDS_BASE_URL_NOTE = ("feeds, share cards, sitemap.xml and robots.txt were not written: they need absolute URLs "
                       "(set base_url in content/site.yaml or pass --base-url)")


class KeptTexts:
    """Texts (UTF-8) by key: those an earlier build made (`kept`), and those this one used (`used`, to keep for the next)."""

    def __init__(self, kept: dict[str, tuple[bytes, ...]] | None = None) -> None:
        self.kept = kept or {}
        self.used: dict[str, tuple[bytes, ...]] = {}

    def get(self, key: str, make: Callable[[], tuple[bytes, ...]]) -> tuple[bytes, ...]:
        texts = self.kept.get(key)
        if texts is None:
            texts = make()
        self.used[key] = texts
        return texts


def render_outputs(timeline: Timeline, pages: tuple[Page, ...], kept: KeptTexts | None = None) -> Iterator[tuple[str, bytes]]:
    """Each output file's path and bytes, one at a time; those that need absolute URLs only when the base URL is known.

    A file is made when it is asked for and can be let go once written: at 100,000 events the four
    files of all events (calendar, JSON, CSV, TimelineJS) are about 500 MB, as much again as their texts.
    """
    kept = kept or KeptTexts()
    keys = {event.id: _event_key(timeline, event) for event in timeline.events}
    texts = [kept.get(keys[event.id], lambda event=event: _event_texts(timeline, event)) for event in timeline.events]
    yield calendar_ics.CALENDAR_PATH, calendar_ics.render_calendar_from(timeline, [text[0] for text in texts])
    yield exports.EVENTS_JSON_PATH, exports.render_events_json_from(timeline, [text[1] for text in texts])
    yield exports.EVENTS_SCHEMA_PATH, exports.render_events_schema(timeline)
    yield exports.EVENTS_CSV_PATH, exports.render_events_csv_from([text[3] for text in texts])
    yield timelinejs_export.TIMELINEJS_PATH, timelinejs_export.render_timelinejs_from(timeline, [text[2] for text in texts])
    if timeline.config.base_url:
        site = _site_shown(timeline)
        for feed in feeds.atom_feeds(timeline):
            yield feed.path, _kept_file(kept, ("atom", site, feed.path, feed.title, feed.page_url,
                                               [keys[event.id] for event in feeds.latest(feed.events)]),
                                        lambda feed=feed: feeds.render_atom_feed(timeline, feed))
        yield feeds.JSON_FEED_PATH, _kept_file(kept, ("json feed", site, [keys[event.id] for event in feeds.latest(timeline.events)]),
                                               lambda: feeds.render_json_feed(timeline))
        yield sitemap.SITEMAP_PATH, sitemap.render_sitemap(timeline, pages)
        yield sitemap.ROBOTS_PATH, sitemap.render_robots(timeline)


def output_notes(timeline: Timeline) -> tuple[str, ...]:
    """One line for each output left out of this build, and why."""
    return () if timeline.config.base_url else (NEEDS_BASE_URL_NOTE,)


def _kept_file(kept: KeptTexts, shown: tuple, render: Callable[[], bytes]) -> bytes:
    """A whole file kept as one text, by a hash of what it shows."""
    return kept.get(_key(shown), lambda: (render(),))[0]


def _event_texts(timeline: Timeline, event: Event) -> tuple[bytes, bytes, bytes, bytes]:
    return (calendar_ics.calendar_event(timeline, event), exports.event_json(timeline, event),
            timelinejs_export.slide_json(timeline, event), exports.csv_row(timeline, event))


def _event_key(timeline: Timeline, event: Event) -> str:
    """A hash of all an event's texts show: the event whole, the names of its topics, its threads, its
    pictures' addresses, and the site's address (in UIDs and links)."""
    return _key((timeline.config.base_url, event, [timeline.topic(topic_id).name for topic_id in event.topics],
                 [place.thread.id for place in timeline.threads_of[event.id]],
                 [_image_url(timeline, media.file) for media in event.media if media.file]))


def _image_url(timeline: Timeline, file: str) -> str | None:
    image = timeline.images.get(file)
    return image.fallback[-1].url if image else None


def _site_shown(timeline: Timeline) -> tuple:
    """What every feed shows of the site beyond its events."""
    config = timeline.config
    return config.base_url, config.title, config.description, config.language


def _key(shown: object) -> str:
    # Equal pickles are equal values; a value pickled differently (rarely) only costs a render.
    return hashlib.blake2b(pickle.dumps(shown, protocol=5), digest_size=20).hexdigest()
