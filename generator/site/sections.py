"""The home page's structure: events under era headings, then year, then month."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from generator.content.records import Era, Event
from generator.content.dates import MONTHS
from generator.site.model import Timeline


@dataclass(frozen=True)
class MonthGroup:
    month: int | None  # None for events known only to the year
    label: str
    events: tuple[Event, ...]


@dataclass(frozen=True)
class YearGroup:
    year: int
    months: tuple[MonthGroup, ...]


@dataclass(frozen=True)
class EraSection:
    era: Era | None  # None for events outside every era
    years: tuple[YearGroup, ...]
    within: tuple[Era, ...] = ()  # wider eras holding this one's whole span: the administration around the "reset"


def eras_within(timeline: Timeline) -> dict[Era, tuple[Era, ...]]:
    """Each era's wider eras, worked out once for every page that lists events under era headings."""
    return {era: tuple(other for other in timeline.eras if other.contains(era)) for era in timeline.eras}


def era_sections(timeline: Timeline, events: tuple[Event, ...],
                 within: dict[Era, tuple[Era, ...]]) -> tuple[EraSection, ...]:
    """Consecutive runs of events in the same innermost era, grouped by year and month."""
    return tuple(EraSection(era, _years(tuple(run)), within[era] if era else ())
                 for era, run in groupby(events, key=lambda event: timeline.era_of[event.id]))


def _years(events: tuple[Event, ...]) -> tuple[YearGroup, ...]:
    return tuple(YearGroup(year, _months(tuple(run)))
                 for year, run in groupby(events, key=lambda event: event.date.start.year))


def _months(events: tuple[Event, ...]) -> tuple[MonthGroup, ...]:
    groups = []
    for month, run in groupby(events, key=lambda event: event.date.start.month):
        label = MONTHS[month - 1] if month else "Month not known"
        groups.append(MonthGroup(month, label, tuple(run)))
    return tuple(groups)
