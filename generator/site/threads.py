"""Threads in the site model: each thread's events in date order, how each one connects to those
before it, and each event's place in the threads that hold it."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.dates import gap_between
from generator.content.records import Event, Thread
from generator.content.relations import RELATION_KINDS
from generator.site.urls import thread_url


@dataclass(frozen=True)
class ThreadStep:
    """One event of a thread, with how it connects to what came before it in the thread."""

    event: Event
    gap: str | None  # since the previous event of the thread: "14 months later"; None for the first
    relation: str | None  # "In response to", "Follows", … read from this event's side
    related_to: Event | None  # the earlier event of the thread it relates to (the previous one when it can)


@dataclass(frozen=True)
class ThreadTerm:
    """A thread as the pages show it: a name, a page, and its events in order."""

    id: str
    name: str
    description: str
    url: str
    events: tuple[Event, ...]
    steps: tuple[ThreadStep, ...]


@dataclass(frozen=True)
class ThreadPlace:
    """Where an event stands in one thread: '3 of 7', and its neighbours there."""

    thread: ThreadTerm
    number: int
    previous: Event | None
    next: Event | None


def build_threads(records: tuple[Thread, ...], events: tuple[Event, ...]) -> tuple[ThreadTerm, ...]:
    """The threads with their events in the timeline's order (drafts left out of the build, left out here)."""
    threads = []
    for record in sorted(records, key=lambda thread: (thread.title.casefold(), thread.id)):
        members = tuple(event for event in events if event.id in record.event_ids)
        if members:
            threads.append(ThreadTerm(record.id, record.title, record.description, thread_url(record.id),
                                      members, _steps(members)))
    return tuple(threads)


def thread_places(threads: tuple[ThreadTerm, ...], events: tuple[Event, ...]) -> dict[str, tuple[ThreadPlace, ...]]:
    """Each event id → its place in every thread that holds it, threads in name order."""
    places: dict[str, list[ThreadPlace]] = {event.id: [] for event in events}
    for thread in threads:
        for index, event in enumerate(thread.events):
            places[event.id].append(ThreadPlace(
                thread, index + 1, thread.events[index - 1] if index else None,
                thread.events[index + 1] if index + 1 < len(thread.events) else None))
    return {event_id: tuple(found) for event_id, found in places.items()}


def _steps(events: tuple[Event, ...]) -> tuple[ThreadStep, ...]:
    steps = []
    for index, event in enumerate(events):
        if index == 0:
            steps.append(ThreadStep(event, None, None, None))
            continue
        relation, related_to = _connection(event, events[:index])
        steps.append(ThreadStep(event, gap_between(events[index - 1].date, event.date), relation, related_to))
    return tuple(steps)


def _connection(event: Event, earlier: tuple[Event, ...]) -> tuple[str | None, Event | None]:
    """The relation between `event` and the latest earlier event of the thread it is related to.

    Written on `event` ('follows X') it reads as written; written on the earlier event, it reads
    from `event`'s side with the inverse label ('Prompted'…). 'See also' says nothing of order: skipped.
    """
    for candidate in reversed(earlier):
        for relation in event.related:
            if relation.target == candidate.id and relation.kind != "see-also":
                return RELATION_KINDS[relation.kind].label, candidate
        for relation in candidate.related:
            if relation.target == event.id and relation.kind != "see-also":
                return RELATION_KINDS[relation.kind].inverse_label, candidate
    return None, None
