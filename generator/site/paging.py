"""Long lists in parts: the one threshold above which list pages summarise or split.

Below `LIST_LIMIT` events every list page shows all its events (the usual case: a timeline of a
few hundred events). Above it, the home page shows the overview and links into the years, and a
topic, actor or year page is split into parts of `LIST_LIMIT` events, in date order, at stable
addresses: the first part at the term's own URL, then `<term URL>2/`, `3/`, … So no page grows
with the size of the whole timeline (at 10,000 events the largest stays well under 500 KB).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.records import Event
from generator.site.model import Timeline

LIST_LIMIT = 250


@dataclass(frozen=True)
class Part:
    """One part of a split list: its number (from 1) and the URLs of all the parts."""

    number: int
    urls: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.urls)


def list_parts(events: tuple[Event, ...], first_url: str) -> list[tuple[Part, tuple[Event, ...]]]:
    """The parts of a list of events and the events of each; one part when the list is short."""
    chunks = [events[start:start + LIST_LIMIT] for start in range(0, len(events), LIST_LIMIT)] or [events]
    urls = tuple(first_url if number == 1 else f"{first_url}{number}/" for number in range(1, len(chunks) + 1))
    return [(Part(number, urls), chunk) for number, chunk in enumerate(chunks, start=1)]


def home_is_summarised(timeline: Timeline) -> bool:
    return len(timeline.events) > LIST_LIMIT


def listing_urls(timeline: Timeline) -> dict[str, str]:
    """Where each event is listed in the timeline: its entry on the home page, or in its year."""
    if not home_is_summarised(timeline):
        return {event.id: f"#{event.id}" for event in timeline.events}
    listed = {}
    for year in timeline.years:
        for part, events in list_parts(year.events, year.url):
            listed.update({event.id: f"{part.urls[part.number - 1]}#{event.id}" for event in events})
    return listed
