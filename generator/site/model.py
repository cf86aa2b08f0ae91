"""Stage 3: the site model, built once from the content and never changed afterwards."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from generator.content.dates import Precision
from generator.content.records import Actor, Era, Event, SiteConfig, TextPage, Topic
from generator.content.relations import RELATION_KINDS
from generator.site.threads import ThreadPlace, ThreadTerm, build_threads, thread_places
from generator.site.media import ResponsiveImage
from generator.site.urls import term_url
from generator.content.validate import Content


@dataclass(frozen=True)
class Term:
    """A topic, an actor or a year: something that gathers events and has a page of its own."""

    kind: str
    id: str
    name: str
    url: str
    events: tuple[Event, ...]
    record: Actor | Topic | None = None


@dataclass(frozen=True)
class Link:
    """One entry in an event's 'Related events' list, read from that event's side."""

    label: str
    event: Event


@dataclass(frozen=True)
class TrackEras:
    """An event's place in one era track: the era(s) holding it, and the periods nested inside them.

    In a named track, two eras appear in `eras` only when they meet at a boundary known just to the month
    or year and the event falls in it (`uncertain`: "Putin presidency or Medvedev presidency"); on a
    boundary day the incoming era holds it. Eras without a track may simply overlap.
    """

    track: str
    eras: tuple[Era, ...]
    nested: tuple[Era, ...] = ()
    uncertain: bool = False  # the eras are two sides of a handover the event may fall on either side of

    @property
    def era_ids(self) -> str:
        """The ids of every era here, space-separated (what the home page's era filter matches)."""
        return " ".join(era.id for era in (*self.eras, *self.nested))


@dataclass(frozen=True, eq=False)
class Timeline:
    """Everything the renderers need, sorted and indexed."""

    config: SiteConfig
    events: tuple[Event, ...]
    eras: tuple[Era, ...]
    pages: tuple[TextPage, ...]
    topics: tuple[Term, ...]
    actors: tuple[Term, ...]
    years: tuple[Term, ...]
    threads: tuple[ThreadTerm, ...]
    threads_of: Mapping[str, tuple[ThreadPlace, ...]]  # event id → its place in each thread that holds it
    links: Mapping[str, tuple[Link, ...]]
    previous: Mapping[str, Event | None]
    next: Mapping[str, Event | None]
    era_of: Mapping[str, Era | None]  # the innermost era of the chronology track: the home page's sections
    eras_of: Mapping[str, tuple[TrackEras, ...]]  # every track's eras, the chronology track first
    drafts_left_out: int
    terms_by_key: Mapping[tuple[str, str], Term]
    images: Mapping[str, ResponsiveImage] = field(default_factory=lambda: MappingProxyType({}))  # by content file, once media.py has made them

    def topic(self, topic_id: str) -> Term:
        return self.terms_by_key[("topic", topic_id)]

    def actor(self, actor_id: str) -> Term:
        return self.terms_by_key[("actor", actor_id)]

    def year(self, year: int) -> Term:
        return self.terms_by_key[("year", str(year))]

    def thread(self, thread_id: str) -> ThreadTerm:
        return next(thread for thread in self.threads if thread.id == thread_id)


def build_timeline(content: Content, *, include_drafts: bool) -> Timeline:
    """Sort the events and build every index the pages need."""
    events = tuple(sorted((e for e in content.events if include_drafts or not e.draft), key=lambda e: e.sort_key))
    by_id = {event.id: event for event in events}
    topics = _terms("topic", content.topics.values(), events, lambda e: e.topics)
    actors = _terms("actor", content.actors.values(), events, lambda e: e.actors)
    years = _year_terms(events)
    threads = build_threads(content.threads, events)
    return Timeline(
        config=content.config,
        events=events,
        eras=tuple(sorted(content.eras, key=lambda era: (era.date.sort_key, era.id))),
        pages=tuple(sorted(content.pages, key=lambda page: page.slug)),
        topics=topics,
        actors=actors,
        years=years,
        threads=threads,
        threads_of=MappingProxyType(thread_places(threads, events)),
        links=MappingProxyType(_links(events, by_id)),
        previous=MappingProxyType({e.id: (events[i - 1] if i else None) for i, e in enumerate(events)}),
        next=MappingProxyType({e.id: (events[i + 1] if i + 1 < len(events) else None) for i, e in enumerate(events)}),
        era_of=MappingProxyType({e.id: _innermost_era(e, content.eras, content.config.chronology_track) for e in events}),
        eras_of=MappingProxyType({e.id: _eras_by_track(e, content.eras, content.config.chronology_track) for e in events}),
        drafts_left_out=len(content.events) - len(events),
        terms_by_key=MappingProxyType({(term.kind, term.id): term for term in (*topics, *actors, *years)}),
    )


def _terms(kind: str, records, events: tuple[Event, ...], ids_of) -> tuple[Term, ...]:
    tagged: dict[str, list[Event]] = {}  # one pass over the events, not one per term: 10,000 events × 330 terms
    for event in events:
        for term_id in dict.fromkeys(ids_of(event)):
            tagged.setdefault(term_id, []).append(event)
    return tuple(Term(kind, record.id, record.name, term_url(kind, record.id), tuple(tagged.get(record.id, ())), record)
                 for record in sorted(records, key=lambda r: (r.name.casefold(), r.id)))


def _year_terms(events: tuple[Event, ...]) -> tuple[Term, ...]:
    by_year: dict[int, list[Event]] = {}
    for event in events:  # in one pass: once over every event for each year was 0.7 s at 10,000 events
        by_year.setdefault(event.date.start.year, []).append(event)
    return tuple(Term("year", str(year), str(year), term_url("year", str(year)), tuple(by_year[year]))
                 for year in sorted(by_year))


def _links(events: tuple[Event, ...], by_id: dict[str, Event]) -> dict[str, tuple[Link, ...]]:
    links: dict[str, list[Link]] = {event.id: [] for event in events}
    for event in events:
        for relation in event.related:
            target = by_id.get(relation.target)
            if target is None:  # a draft left out of this build
                continue
            kind = RELATION_KINDS[relation.kind]
            links[event.id].append(Link(kind.label, target))
            links[target.id].append(Link(kind.inverse_label, event))
    return {event_id: tuple(sorted(found, key=lambda link: (link.event.sort_key, link.label)))
            for event_id, found in links.items()}


def eras_holding(event: Event, eras: tuple[Era, ...]) -> tuple[Era, ...]:
    """The eras an event falls in: on a day one era hands over to the next, only the incoming one."""
    holding = [era for era in eras if era.holds(event.date)]
    return tuple(era for era in holding
                 if not any(era.hands_over_to(other) and era.date.end.precision is Precision.DAY for other in holding))


def _innermost_era(event: Event, eras: tuple[Era, ...], track: str) -> Era | None:
    in_track = [era for era in eras_holding(event, eras) if era.track == track]
    return max(in_track, key=lambda era: (era.first_day, -era.last_day.toordinal(), era.id), default=None)


def _eras_by_track(event: Event, eras: tuple[Era, ...], chronology_track: str) -> tuple[TrackEras, ...]:
    holding = eras_holding(event, eras)
    tracks = sorted({era.track for era in holding}, key=lambda track: (track != chronology_track, track))
    placed = []
    for track in tracks:
        in_track = sorted((era for era in holding if era.track == track), key=lambda era: (era.first_day, era.id))
        outer = tuple(era for era in in_track if not any(other.contains(era) for other in in_track))
        uncertain = any(era.hands_over_to(other) for era in outer for other in outer)
        placed.append(TrackEras(track, outer, tuple(era for era in in_track if era not in outer), uncertain))
    return tuple(placed)
