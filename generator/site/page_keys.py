"""What each page of the built-in theme shows, as one digest: a page whose digest did not change
since the last build need not be rendered again (build/page_store.py keeps the digests).

A page's key is a hash of
- what every page shows (`site_digest`): the templates' bytes, the site's configuration, the text
  pages, the registries (topics, actors, eras, threads), the processed pictures, whether the home
  page lists every event or summarises them by year, and the build's options (not the number of
  events: a page that counts them has them all in its context, so adding an event is not a new site);
- the page's own fields (address, template, title, description) and everything in its context
  (its event, term, sections, thread…), walked value by value, each event by what lists show of it
  (`SHOWN_IN_LISTS`), and an event page's own event whole;
- what its template reads from the timeline beyond that (`_READS_BEYOND_CONTEXT`): an event page
  shows its neighbours', related events' and thread neighbours' titles, so their records are in its key.

A key covers more than its page prints (a whole term's overview, a neighbour's summary), so it may redo a page
that would come out the same, never keep one that would not. The knowledge of what each
template reads is written here by hand, for the built-in theme only: a page made with any template
of the site's own (in place of the theme's, or included by one) is always rendered (`theme_only_templates`). tests/test_page_reuse.py fails when a theme template
starts reading a part of the timeline this module does not account for, and the differential test
compares reuse with clean builds byte for byte.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import pickle
from dataclasses import fields, is_dataclass
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any, Callable, Mapping

from generator.content.records import Event
from generator.site.model import Term, Timeline
from generator.site.pages import Page
from generator.site.paging import home_is_summarised
from generator.site.sections import EraSection

# What the theme's templates read from `timeline.`, and where this module covers it.
TIMELINE_READS = {
    "config": "site", "pages": "site", "eras": "site", "topic": "site", "actor": "site", "topics": "site (records)",
    "actors": "site (records)", "images": "site", "threads": "site (names) and context", "events": "context (the home page counts and lists them)",
    "years": "context (the home page lists every event)", "year": "derived from an event's date",
    "eras_of": "derived from an event's date and the eras", "links": "event page", "previous": "event page",
    "next": "event page", "threads_of": "event page",
}
# What any page but an event's own shows of it (in lists, as a neighbour, a related event or a thread step):
# its body, quotes, sources and relations are read by event.html alone (tests/test_page_reuse.py checks).
SHOWN_IN_LISTS = ("id", "date", "title", "summary", "topics", "actors", "place", "draft", "media")
# What a term page shows of the term's events beyond its own part (whose events are in its `sections`, whole):
# their count, and the term's overview, whose marks, legend and counts read each event's id, date, title and
# topics (site/overview.py, overview_pages.py). So a summary edited in one part of a long topic leaves its other
# parts' keys as they were; a title, date or topic does not (tests/test_page_reuse.py checks both).
SHOWN_IN_OVERVIEWS = ("id", "date", "title", "topics")
# Where the event was read from is shown on no page (tests/test_page_reuse.py checks): in a key it only made a build
# with the site's folder named another way render every event page again.
_SHOWN_NOWHERE = ("source_path",)
_SHOWN_ON_ITS_PAGE_ALONE = tuple(field.name for field in fields(Event) if field.name not in SHOWN_IN_LISTS + _SHOWN_NOWHERE)
_LEAF_TYPES = frozenset((str, int, float, bool, type(None), bytes))
_LEAVES_BY_REPR = (str, int, float, bytes, datetime.date, enum.Enum, PurePath)  # subclasses too (Markup, Path…)
_EVENT_PAGE_CONTEXT = frozenset(("event", "listed_at"))  # what pages.plan_pages gives an event page
# An event_digest's parts: b"#" and the digest of what lists show, then `_event_alone`'s, then what overviews show.
_LISTED_DIGEST = 21
_ALONE_END = _LISTED_DIGEST + 20


def theme_only_templates(folders: tuple[Path, ...], builtin: Path) -> frozenset[str]:
    """The page templates whose every part (what they extend, include and import) is the built-in theme's.

    A site's own template (one in its `templates/` that is new, or differs from the theme's) is not known here,
    so no page made with it, through any chain of includes, is ever kept: it is always rendered.
    """
    import jinja2
    import jinja2.meta

    builtin = builtin.resolve()
    own = {name for folder in folders if folder.resolve() != builtin
           for path in folder.rglob("*") if path.is_file() and "assets" not in path.relative_to(folder).parts
           and not _same_as_theme(path, builtin / (name := path.relative_to(folder).as_posix()))}
    parser, parts_of = jinja2.Environment(), {}

    def parts(name: str) -> set[str | None]:
        if name not in parts_of:
            parts_of[name] = {name}
            source = next((folder / name for folder in folders if (folder / name).is_file()), None)
            if source is not None:
                try:
                    found = set(jinja2.meta.find_referenced_templates(parser.parse(source.read_text(encoding="utf-8"))))
                except (jinja2.TemplateSyntaxError, OSError, UnicodeDecodeError):
                    found = {None}  # rendering will report it; nothing here can be known
                parts_of[name] = {name, *(part for referenced in found
                                          for part in (parts(referenced) if referenced else {None}))}
        return parts_of[name]

    return frozenset(template for template in _READS_BEYOND_CONTEXT
                     if not (parts(template) & own) and None not in parts(template))


def _same_as_theme(path: Path, theme_file: Path) -> bool:
    """A site's copy of a theme template, byte for byte, reads what the theme's does."""
    try:
        return theme_file.is_file() and path.read_bytes() == theme_file.read_bytes()
    except OSError:
        return False


class PageKeys:
    """The key of each page of one build; values are hashed once each (the model is immutable)."""

    def __init__(self, timeline: Timeline, templates_key: str, options: tuple, templates: frozenset[str],
                 kept_digests: Callable[[Event], bytes | None] | None = None) -> None:
        """`kept_digests` gives what `event_digest` gave for an event in an earlier build, where it is known
        (build/content_store.EventStore.digest: for the very objects the store holds, so the same values)."""
        self._timeline = timeline
        self._templates = templates  # the page templates whose reads are known (theme_only_templates)
        self._encoded: dict[int, bytes] = {}  # by id: b'#' and the digest of an object met before
        self._fields: dict[type, tuple[str, ...]] = {}
        self._eras_by_value: dict[tuple, bytes] = {}
        self._alone: dict[int, bytes] = {}  # by the event's identity: `_event_alone`, once
        self._terms: dict[int, tuple] = {}  # by the term's identity: `_term_overview`, once
        self._in_overviews: dict[int, bytes] = {}  # by the event's identity: `_overview_shown`, once
        self._kept_digests = kept_digests
        self._kept: list[Any] = []  # the values hashed by id: kept alive so no id is reused in this build
        self.site_digest = self._hash((
            templates_key, [str(option) for option in options], timeline.config, timeline.pages,
            home_is_summarised(timeline), timeline.eras, [term.record for term in timeline.topics],
            [term.record for term in timeline.actors],
            [(thread.id, thread.name, thread.description, thread.url) for thread in timeline.threads],
            dict(timeline.images)))

    def key(self, page: Page) -> str | None:
        """The page's key; None for a template whose reads are not known here (the page is always rendered)."""
        reads_beyond = _READS_BEYOND_CONTEXT.get(page.template)
        if reads_beyond is None or page.template not in self._templates:
            return None
        digest = hashlib.blake2b(self.site_digest, digest_size=20)
        if page.template == "event.html" and page.context.keys() == _EVENT_PAGE_CONTEXT:
            digest.update(self._event_page_shown(page))
            return digest.hexdigest()
        context = dict(page.context)
        if page.template == "term.html" and isinstance(context.get("term"), Term):
            context["term"] = self._term_overview(context["term"])
        digest.update(self._hash((page.url, page.template, page.title, page.description, context)))
        digest.update(self._hash(reads_beyond(self._timeline, page)))
        return digest.hexdigest()

    def _term_overview(self, term: Term) -> tuple:
        """A term as each of its pages shows the whole of it (`SHOWN_IN_OVERVIEWS`), made once for all its parts."""
        known = self._terms.get(id(term))
        if known is None:
            overview_shown = self._overview_shown
            events = hashlib.blake2b(b"".join([overview_shown(event) for event in term.events]), digest_size=20).digest()
            known = self._terms[id(term)] = ("term as its overview shows it", *(
                getattr(term, field.name) for field in fields(term) if field.name != "events"), events)
            self._kept.append(term)
        return known

    def _event_page_shown(self, page: Page) -> bytes:
        """What `_event_page_reads` and the page's context hold, as one pickle of plain values and each event's
        digest: nine tenths of a site's pages are event pages, and walking theirs value by value took most of the time."""
        timeline, event, encode = self._timeline, page.context["event"], self._encode
        event_id = event.id
        return _pickled_digest((
            page.url, page.title, page.description, page.context["listed_at"], encode(event), self._event_alone(event),
            [(link.label, encode(link.event)) for link in timeline.links[event_id]],
            [encode(timeline.previous[event_id]), encode(timeline.next[event_id])],
            encode(_thread_places(timeline, event_id)), self._eras(timeline.eras_of[event_id])))

    def _eras(self, eras: tuple) -> bytes:
        """An event's eras by track: events of the same eras (most of them) share one encoding, found by value."""
        known = self._eras_by_value.get(eras)
        if known is None:
            known = self._eras_by_value[eras] = self._encode(eras)
        return known

    def event_digest(self, event: Event) -> bytes:
        """All of an event (what lists show of it, the rest, and what overviews show), as digests made once a build."""
        return self._encode(event) + self._event_alone(event) + self._overview_shown(event)

    def _event_alone(self, event: Event) -> bytes:
        return self._digest_part(self._alone, event, slice(_LISTED_DIGEST, _ALONE_END), _event_alone)

    def _overview_shown(self, event: Event) -> bytes:
        """What an overview shows of an event (`SHOWN_IN_OVERVIEWS`), as one digest, kept with the event's others."""
        return self._digest_part(self._in_overviews, event, slice(_ALONE_END, None), _overview_shown)

    def _digest_part(self, made: dict[int, bytes], event: Event, part: slice, make: Callable[[Event], bytes]) -> bytes:
        """One part of `event_digest`, made once a build (in `made`, by the event's identity): the kept one's
        `part` for an event the store holds, else `make(event)`."""
        known = made.get(id(event))
        if known is None:
            kept = self._kept_digests(event) if self._kept_digests is not None else None
            known = made[id(event)] = kept[part] if kept is not None else make(event)
            self._kept.append(event)
        return known

    def entry_key(self, event: Event) -> bytes:
        """What an event's list entry shows: the event as lists show it, and what every page shows."""
        return self.site_digest + self._encode(event)

    def _section_shown(self, section: EraSection) -> tuple:
        """A list page's run of events in one era (its years, their months, their events) as plain values and each
        event's encoding, for one pickle: walked value by value, the 50,000 month groups of the list pages of
        10,000 events were hashed one by one. `_SHOWN_AT_ONCE` names every field read here."""
        known, encode = self._encoded, self._encode
        return (encode(section.era), encode(section.within),
                [(year.year, [(month.month, month.label, [known.get(id(event)) or encode(event) for event in month.events])
                              for month in year.months]) for year in section.years])

    def _hash(self, value: Any) -> bytes:
        return hashlib.blake2b(self._encode(value), digest_size=20).digest()

    def _encode(self, value: Any) -> bytes:
        """Bytes that differ whenever the value does (types included); objects hashed once by identity."""
        # First by identity: an object met before (kept alive in `_kept`, so its id is not reused) is its digest.
        known = self._encoded.get(id(value))
        if known is not None:
            return known
        kind = type(value)
        if kind is str:
            return b"str:%b;" % repr(value).encode()
        if kind in _LEAF_TYPES:
            return f"{kind.__name__}:{value!r};".encode()
        if kind is tuple or kind is list:  # most are lists of events met before: found here without a call each
            known_items, encode = self._encoded, self._encode
            return b"(" + b"".join([known_items.get(id(item)) or encode(item) for item in value]) + b")"
        if kind is dict or kind is MappingProxyType:
            encode = self._encode
            return b"{" + b"".join([encode(key) + encode(item) for key, item in value.items()]) + b"}"
        if kind is set or kind is frozenset:
            return b"<" + b"".join(sorted(map(self._encode, value))) + b">"
        if isinstance(value, _LEAVES_BY_REPR):
            return f"{kind.__name__}:{value!r};".encode()
        if kind is EraSection and kind in _SHOWN_AT_ONCE:  # a list page's events under one era: the next hot case
            known = _pickled_digest(self._section_shown(value))
        elif kind is Event:  # the hot case: thousands of events, each hashed once, as lists show them
            kept = self._kept_digests(value) if self._kept_digests is not None else None
            if kept is not None:
                known = self._encoded[id(value)] = kept[:_LISTED_DIGEST]
                self._kept.append(value)
                return known
            known = _pickled_digest(tuple(getattr(value, name) for name in SHOWN_IN_LISTS))
        elif (names := self._fields.get(kind)) is not None or is_dataclass(value):
            if names is None:
                names = self._fields[kind] = tuple(field.name for field in fields(value))
            known = self._hash((kind.__qualname__, *(getattr(value, name) for name in names)))
        elif isinstance(value, Mapping):
            return self._encode(dict(value))
        else:
            raise TypeError(f"no key for a value of type {kind.__qualname__}")
        known = self._encoded[id(value)] = b"#" + known
        self._kept.append(value)
        return known


# The dataclasses `PageKeys` reads at once, without walking them, and the fields it reads of each of them and of
# what they hold (tests/test_page_reuse.py checks these are all their fields).
_SHOWN_AT_ONCE = {EraSection: {"EraSection": ("era", "years", "within"), "YearGroup": ("year", "months"),
                               "MonthGroup": ("month", "label", "events")}}


def _pickled_digest(value: tuple) -> bytes:
    """A digest of plain values (no sets: their order varies between runs), written by pickle in C,
    several times faster than walking them here; the same values, made the same way, give the same
    bytes in every build, and different values never do."""
    return hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=20).digest()


def _overview_shown(event: Event) -> bytes:
    return _pickled_digest(tuple(getattr(event, name) for name in SHOWN_IN_OVERVIEWS))


def _event_alone(event: Event) -> bytes:
    """What only the event's own page shows of it (body, quotes, sources, relations), as one digest."""
    return _pickled_digest(tuple(getattr(event, name) for name in _SHOWN_ON_ITS_PAGE_ALONE))


def _thread_places(timeline: Timeline, event_id: str) -> tuple:
    return tuple((place.thread.id, place.thread.name, place.thread.url, len(place.thread.events), place.number,
                  place.previous, place.next) for place in timeline.threads_of[event_id])


def _event_page_reads(timeline: Timeline, page: Page) -> tuple:
    """An event page shows all of its event (body, quotes, sources, relations: the context's key has
    what lists show), its neighbours, its related events and its places in threads.

    (`PageKeys` reads the same through `_event_page_shown`, faster; this is what it stands for, and the
    way for an event page whose context holds more than `_EVENT_PAGE_CONTEXT`.)"""
    event = page.context["event"]
    event_id = event.id
    return (_event_alone(event), timeline.links[event_id], timeline.previous[event_id], timeline.next[event_id],
            _thread_places(timeline, event_id), timeline.eras_of[event_id])


def _nothing_beyond_context(timeline: Timeline, page: Page) -> tuple:
    return ()


def _every_event(timeline: Timeline, page: Page) -> tuple:
    """The home page lists or counts every event (and its filters offer every topic and actor in use)."""
    return timeline.events


# By template: what a page reads from the timeline that its context does not hold.
_READS_BEYOND_CONTEXT = {
    "event.html": _event_page_reads,
    "timeline.html": _every_event,
    "term.html": _nothing_beyond_context,
    "terms.html": _nothing_beyond_context,
    "thread.html": _nothing_beyond_context,
    "threads.html": _nothing_beyond_context,
    "embed.html": _nothing_beyond_context,
    "page.html": _nothing_beyond_context,
    "search.html": _nothing_beyond_context,
    "404.html": _nothing_beyond_context,
}
