"""The files written beside the pages: feeds, calendar, open data, TimelineJS, sitemap."""

from __future__ import annotations

from generator.formats import calendar_ics, exports, feeds, sitemap, timelinejs_export
from generator.site.model import Timeline
from generator.site.pages import Page

NEEDS_BASE_URL_NOTE = ("feeds, share cards, sitemap.xml and robots.txt were not written: they need absolute URLs "
                       "(set base_url in content/site.yaml or pass --base-url)")


def render_outputs(timeline: Timeline, pages: tuple[Page, ...]) -> dict[str, bytes]:
    """Each output file's path and bytes; those that need absolute URLs only when the base URL is known."""
    files = {
        calendar_ics.CALENDAR_PATH: calendar_ics.render_calendar(timeline),
        exports.EVENTS_JSON_PATH: exports.render_events_json(timeline),
        exports.EVENTS_SCHEMA_PATH: exports.render_events_schema(timeline),
        exports.EVENTS_CSV_PATH: exports.render_events_csv(timeline),
        timelinejs_export.TIMELINEJS_PATH: timelinejs_export.render_timelinejs(timeline),
    }
    if timeline.config.base_url:
        files[feeds.ATOM_PATH] = feeds.render_atom(timeline)
        files[feeds.JSON_FEED_PATH] = feeds.render_json_feed(timeline)
        for topic in timeline.topics:
            files[feeds.topic_feed_path(topic.id)] = feeds.render_topic_atom(timeline, topic.id)
        for thread in timeline.threads:
            files[feeds.thread_feed_path(thread.id)] = feeds.render_thread_atom(timeline, thread.id)
        files[sitemap.SITEMAP_PATH] = sitemap.render_sitemap(timeline, pages)
        files[sitemap.ROBOTS_PATH] = sitemap.render_robots(timeline)
    return files


def output_notes(timeline: Timeline) -> tuple[str, ...]:
    """One line for each output left out of this build, and why."""
    return () if timeline.config.base_url else (NEEDS_BASE_URL_NOTE,)
