"""The files written beside the pages: feeds, calendar, open data, TimelineJS, sitemap.

Each event's part of them (its VEVENT, its events.json object, its TimelineJS slide, its CSV row)
and each feed is a text keyed by a hash of what it shows; a `TextStore` hands back the texts of an
earlier build by those keys (build/outputs_store.py keeps them between builds), so a rebuild after
one edit renders that event's texts and joins the others'. The texts are asked for, used and let go
one file at a time: at 100,000 events each file of all events is 20 to 200 MB, and so are its texts.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Callable, Iterator, Mapping, Protocol

from generator.content.records import Event
from generator.formats import calendar_ics, exports, feeds, sitemap, timelinejs_export
from generator.formats.file_parts import FileParts
from generator.site.model import Timeline
from generator.site.pages import Page

NEEDS_BASE_URL_NOTE = ("feeds, share cards, sitemap.xml and robots.txt were not written: they need absolute URLs "
                       "(set base_url in content/site.yaml or pass --base-url)")

# The files made of one text an event, in the timeline's order: the name their texts are kept under,
# the file's path, one event's text, and the file around the texts.
EVENT_FILES: tuple[tuple[str, str, Callable[[Timeline, Event], bytes], Callable[[Timeline, list[bytes]], FileParts]], ...] = (
    ("calendar", calendar_ics.CALENDAR_PATH, calendar_ics.calendar_event, calendar_ics.render_calendar_from),
    ("json", exports.EVENTS_JSON_PATH, exports.event_json, exports.render_events_json_from),
    ("csv", exports.EVENTS_CSV_PATH, exports.csv_row, lambda timeline, rows: exports.render_events_csv_from(rows)),
    ("timelinejs", timelinejs_export.TIMELINEJS_PATH, timelinejs_export.slide_json, timelinejs_export.render_timelinejs_from),
)
FEEDS = "feeds"  # the name the feeds are kept under, each whole
PARTS = (*(part for part, *_ in EVENT_FILES), FEEDS)


class TextsByKey(Protocol):
    def get(self, key: str) -> bytes | None: ...


class KeptTexts:
    """One part's texts (UTF-8) by key: those an earlier build made (`kept`), and those this one used (`used`, to keep for the next)."""

    def __init__(self, kept: dict[str, bytes] | TextsByKey | None = None) -> None:
        self.kept = kept if kept is not None else {}
        self.used: dict[str, bytes] = {}

    def get(self, key: str, make: Callable[[], bytes]) -> bytes:
        text = self.kept.get(key)
        if text is None:
            text = make()
        self.used[key] = text
        return text


class TextStore:
    """Where each part's texts (`PARTS`) wait between builds: this one keeps none."""

    def kept(self, part: str) -> KeptTexts:
        """The texts an earlier build made for `part`."""
        return KeptTexts()

    def used(self, part: str, texts: KeptTexts) -> None:
        """Told, once the part's file is made, which of its texts this build used (`texts.used`)."""


def render_outputs(timeline: Timeline, pages: tuple[Page, ...], store: TextStore | None = None,
                   event_digests: Mapping[str, bytes] | None = None) -> Iterator[tuple[str, bytes | FileParts]]:
    """Each output file's path and bytes, one at a time; those that need absolute URLs only when the base URL is known.

    A file is made when it is asked for, from its part's texts alone, which go back to `store` before the
    file is handed on: no more than one part's texts are held at a time. The files of all events come as
    their texts (`FileParts`), never joined in memory. Each event's texts are found by a key of all they show:
    with `event_digests` (all of each event, hashed: site/page_keys.PageKeys.event_digest), by that digest,
    which the build has already made, rather than by the event pickled whole again (0.3 s at 10,000 events).
    """
    store = store or TextStore()
    digests = event_digests or {}
    keys = {event.id: _event_key(timeline, event, digests.get(event.id)) for event in timeline.events}
    for part, path, text_of, render in EVENT_FILES:
        kept = store.kept(part)
        texts = [kept.get(keys[event.id], lambda event=event: text_of(timeline, event)) for event in timeline.events]
        file = render(timeline, texts)
        store.used(part, kept)
        del kept, texts
        yield path, file
    yield exports.EVENTS_SCHEMA_PATH, exports.render_events_schema(timeline)
    if timeline.config.base_url:
        kept = store.kept(FEEDS)
        site = _site_shown(timeline)
        files = {}
        for feed in feeds.atom_feeds(timeline):
            files[feed.path] = _kept_file(kept, ("atom", site, feed.path, feed.title, feed.page_url,
                                                 [keys[event.id] for event in feeds.latest(feed.events)]),
                                          lambda feed=feed: feeds.render_atom_feed(timeline, feed))
        files[feeds.JSON_FEED_PATH] = _kept_file(kept, ("json feed", site, [keys[event.id] for event in feeds.latest(timeline.events)]),
                                                 lambda: feeds.render_json_feed(timeline))
        store.used(FEEDS, kept)
        yield from files.items()
        yield sitemap.SITEMAP_PATH, sitemap.render_sitemap(timeline, pages)
        yield sitemap.ROBOTS_PATH, sitemap.render_robots(timeline)


def output_notes(timeline: Timeline) -> tuple[str, ...]:
    """One line for each output left out of this build, and why."""
    return () if timeline.config.base_url else (NEEDS_BASE_URL_NOTE,)


def _kept_file(kept: KeptTexts, shown: tuple, render: Callable[[], bytes]) -> bytes:
    """A whole file kept as one text, by a hash of what it shows."""
    return kept.get(_key(shown), render)


def _event_key(timeline: Timeline, event: Event, digest: bytes | None = None) -> str:
    """A hash of all an event's texts show: the event whole (or its `digest`), the names of its topics, its
    threads, its pictures' addresses, and the site's address (in UIDs and links)."""
    return _key((timeline.config.base_url, event if digest is None else digest,
                 [timeline.topic(topic_id).name for topic_id in event.topics],
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
