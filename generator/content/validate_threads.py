"""Checking threads.yaml: each thread's fields, and the events it lists or gathers.

A thread names its events in `events: [id, …]`, or gathers them with `from: <id>` (or a list of
ids): the starting events, and every event that follows from one of them through the relations
named in `follow` (by default `follows` and `response-to`), written on the later event. Both may
be given; the thread is then the union.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable

from generator.content.errors import Problem, did_you_mean
from generator.content.fields import Fields
from generator.content.records import Event, Thread
from generator.content.relations import RELATION_KINDS
from generator.content.validate_registries import _entries as registry_entries  # the registries' shape: id → fields
from generator.content.yamlfile import Document

THREAD_FIELDS = ("title", "description", "events", "from", "follow")
DEFAULT_FOLLOW = ("follows", "response-to")


def validate_threads(document: Document | None, events: Iterable[Event], known_ids: Iterable[str],
                     problems: list[Problem]) -> list[Thread]:
    """Every thread that could be read. `known_ids` also holds events with problems of their own,
    so a thread naming one adds no "unknown event" noise."""
    events = tuple(events)
    known = set(known_ids) | {event.id for event in events}
    followers = _followers(events)
    threads = []
    for thread_id, fields in registry_entries(document, "thread", problems):
        problems_before = len(problems)
        fields.allow_only(THREAD_FIELDS)
        title = fields.text("title", required=True) or thread_id
        description = fields.text("description", required=True) or ""
        listed = _event_ids(fields, thread_id, "events", known)
        starts = _event_ids(fields, thread_id, "from", known)
        follow = _follow(fields, thread_id, bool(fields.mapping.get("from")))
        if fields.ok and "events" not in fields.mapping and "from" not in fields.mapping:
            fields.report((thread_id,), f"thread '{thread_id}' has no events: list them in 'events', or gather them with 'from'")
            continue
        members = set(listed) | _gathered(starts, follow, followers)
        # A thread short of events because an id was misspelt needs one message, not two.
        if len(members) < 2:
            if len(problems) == problems_before:
                fields.report((thread_id,), f"thread '{thread_id}' has {len(members)} event{'' if len(members) == 1 else 's'}: "
                                            "a thread needs at least two (list more in 'events', or follow more relations)")
            continue
        threads.append(Thread(thread_id, title, description, frozenset(members)))
    return threads


def _event_ids(fields: Fields, thread_id: str, key: str, known: set[str]) -> tuple[str, ...]:
    ids = fields.text_list(key)
    found = []
    for index, event_id in enumerate(ids):
        at = (thread_id, key, index) if isinstance(fields.mapping.get(key), list) else (thread_id, key)
        if event_id not in known:
            fields.report(at, f"unknown event '{event_id}' in thread '{thread_id}'{did_you_mean(event_id, known)}")
        elif event_id in found:
            fields.report(at, f"event '{event_id}' is named twice in '{key}' of thread '{thread_id}': keep one")
        else:
            found.append(event_id)
    if key in fields.mapping and not ids and isinstance(fields.mapping.get(key), list):
        fields.report((thread_id, key), f"'{key}' of thread '{thread_id}' is empty: name at least one event")
    return tuple(found)


def _follow(fields: Fields, thread_id: str, has_start: bool) -> tuple[str, ...]:
    if "follow" not in fields.mapping:
        return DEFAULT_FOLLOW
    if not has_start:
        fields.report((thread_id, "follow"), f"'follow' needs 'from' in thread '{thread_id}': name the event to start from")
    kinds = []
    for index, kind in enumerate(fields.text_list("follow", required=True)):
        at = (thread_id, "follow", index) if isinstance(fields.mapping.get("follow"), list) else (thread_id, "follow")
        if kind not in RELATION_KINDS:
            fields.report(at, f"unknown relation '{kind}'{did_you_mean(kind, RELATION_KINDS)}: use one of {', '.join(RELATION_KINDS)}")
        else:
            kinds.append(kind)
    return tuple(kinds)


def _followers(events: tuple[Event, ...]) -> dict[tuple[str, str], list[str]]:
    """(relation kind, earlier event id) → the ids of the events that name it with that relation."""
    followers: dict[tuple[str, str], list[str]] = {}
    for event in events:
        for relation in event.related:
            followers.setdefault((relation.kind, relation.target), []).append(event.id)
    return followers


def _gathered(starts: tuple[str, ...], follow: tuple[str, ...], followers: dict[tuple[str, str], list[str]]) -> set[str]:
    """The starting events and every event reached from them along the `follow` relations."""
    reached, queue = set(starts), deque(starts)
    while queue:
        current = queue.popleft()
        for kind in follow:
            for follower in followers.get((kind, current), ()):
                if follower not in reached:
                    reached.add(follower)
                    queue.append(follower)
    return reached

