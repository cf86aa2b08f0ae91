"""Each event's list entry, rendered once and reused on every list page, at any depth.

The home, year, topic and actor pages list the same events with the same markup; only the
relative links differ, and they differ by the page's depth alone: a link from a page `depth`
folders down is `"../" * depth` followed by the link from the root (urls.relative_url). So an
entry is rendered once with a marker where that prefix goes, and each page puts in its own.

The theme's `event_entry` macro (templates/_macros.html) cost about a quarter of a millisecond an entry, the
largest cost of a list page at 10,000 events; while the site does not override the templates it is
drawn with, `entry_html` writes the same bytes in Python (tests/test_entries.py compares the two on
every kind of event). A site with its own `_macros.html` or `_filter_data.html` gets its own macro's
output, and so does an event with a thumbnail (the picture is the theme's `_media.html` macro).
"""

from __future__ import annotations

from typing import Any, Callable

import jinja2
from markupsafe import Markup, escape

from generator.content.dates import DateSpan
from generator.content.records import Event
from generator.site.model import Timeline
from generator.site.overview_pages import SharedOverviews
from generator.site.theme import BUILTIN_THEME
from generator.site.urls import event_url, relative_url

# Where an entry's links climb to the site's root. A NUL cannot come from YAML content, and
# escaping leaves it as it is.
_ROOT = "\0"

# The templates the theme's event_entry is made of, besides _media.html (only for a thumbnail).
ENTRY_TEMPLATES = ("_macros.html", "_filter_data.html")


def _marked_url(to_url: str) -> str:
    return _ROOT + relative_url("", to_url)


class EntryCache:
    """Rendered entries for one build; `for_page` gives a page's `cached_entry(event)`.

    It also holds what the build's overviews share between pages (`overviews`: drawings, counts and
    marks; see overview.TimelineOverview), which the same pages share in the same way.
    """

    def __init__(self, environment: jinja2.Environment, kept: dict | None = None,
                 key_of: Callable[[Event], Any] | None = None) -> None:
        """`kept` and `key_of` (serve mode): entries kept from earlier builds, found by a key that covers
        everything an entry shows (site/page_keys.py `entry_key`) instead of the event's id."""
        self._environment = environment
        self._html: dict[Any, str] = {} if kept is None else kept
        self._key_of = key_of or (lambda event: event.id)
        self._theme_entries = draws_theme_entries(environment)
        self._tags: dict[tuple[str, str], str] = {}
        self.overviews = SharedOverviews()

    def for_page(self, context: dict[str, Any]) -> Callable[[Event], Markup]:
        prefix = "../" * context["page"].url.count("/")
        macros: list[Any] = []  # the macro module, made on the first entry this page renders with it

        def cached_entry(event: Event) -> Markup:
            key = self._key_of(event)
            html = self._html.get(key)
            if html is None:
                if self._theme_entries and not event.image:
                    html = entry_html(event, context["timeline"], self._tags)
                else:
                    if not macros:
                        module_context = {**context, "url": _marked_url}
                        macros.append(self._environment.get_template("_macros.html").make_module(module_context))
                    html = str(macros[0].event_entry(event))
                self._html[key] = html
            return Markup(html.replace(_ROOT, prefix))

        return cached_entry


def draws_theme_entries(environment: jinja2.Environment) -> bool:
    """Whether the environment's templates for an entry are the built-in theme's own, byte for byte."""
    for name in ENTRY_TEMPLATES:
        try:
            source = environment.loader.get_source(environment, name)[0] if environment.loader else None
        except jinja2.TemplateNotFound:
            return False
        theme_file = BUILTIN_THEME / name
        if source is None or not theme_file.is_file() or source != theme_file.read_text(encoding="utf-8"):
            return False
    return True


def entry_html(event: Event, timeline: Timeline, tags: dict[tuple[str, str], str] | None = None) -> str:
    """What the theme's `event_entry(event)` macro writes for an event without a thumbnail, links marked;
    `tags` keeps each topic's and actor's tag for the next entry."""
    tags = {} if tags is None else tags
    event_id = escape(event.id)
    parts = [f'<li class="event-entry" id="{event_id}"', _filter_data(event, timeline), '>\n',
             f'  <article aria-labelledby="title-{event_id}">\n',
             f'    <p class="event-date">{date_html(event.date)}',
             ' <span class="draft">Draft</span>' if event.draft else '', '</p>\n',
             f'    <h5 class="event-title" id="title-{event_id}"><a href="{escape(_marked_url(event_url(event.id)))}">'
             f'{escape(event.title)}</a></h5>\n',
             f'    <p class="event-summary">{escape(event.summary)}</p>\n']
    if event.topics or event.actors:
        parts.append('    <ul class="tags" aria-label="Topics and actors">')
        for kind, ids in (("topic", event.topics), ("actor", event.actors)):
            for term_id in ids:
                tag = tags.get((kind, term_id))
                if tag is None:
                    term = timeline.topic(term_id) if kind == "topic" else timeline.actor(term_id)
                    tag = tags[kind, term_id] = (f'<li><a class="tag tag-{kind}" href="{escape(_marked_url(term.url))}">'
                                                 f'{escape(term.name)}</a></li>')
                parts.append(tag)
        parts.append('</ul>\n')
    parts.append('  </article>\n</li>\n')
    return "".join(parts)


def date_html(span: DateSpan) -> str:
    """What the theme's `date(span)` macro writes."""
    parts = [f'<span class="date{"" if span.is_exact_day else " date-inexact"}">']
    for part in span.parts():
        text = escape(part.text)
        parts.append(f'<time datetime="{escape(part.datetime)}">{text}</time>' if part.datetime else text)
    parts.append("</span>")
    return "".join(parts)


def _filter_data(event: Event, timeline: Timeline) -> str:
    """What _filter_data.html writes: the attributes the home page's filters read."""
    # Escaping works character by character: a joined text is escaped once, not each of its pieces.
    eras = escape(" ".join(place.era_ids for place in timeline.eras_of[event.id]))
    html = (f' data-topics="{escape(" ".join(event.topics))}" data-actors="{escape(" ".join(event.actors))}"'
            f' data-eras="{eras}" data-year="{event.date.start.year}"')
    if event.actors:
        names = "".join(f"{timeline.actor(actor_id).record.native_name or ''} " for actor_id in event.actors)
        html += f' data-words="{escape(names + (event.place or ""))}"'
    return html
