"""The visual overview: every event on one year axis, drawn at build time as an SVG.

Events fall into columns of one, two, three, six or twelve months (the finest that keeps a mark
readable); a column holds up to STACK marks, and a fuller column becomes a single count that links
to the year's page, so the picture stays the same size from 60 events to 10,000.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from html import escape
from typing import Callable, Iterable

from markupsafe import Markup

from generator.content.records import Era, Event
from generator.content.dates import MONTHS
from generator.site.model import Timeline
from generator.site.urls import event_url, term_url

# Colours for topics: each has at least 3:1 contrast against the light and the dark background
# and surface of the theme (WCAG 1.4.11), so one palette serves both schemes.
# Twelve hues of equal luminance, each at least 4:1 against both the light and the dark background
# (WCAG 1.4.11 asks 3:1 for graphics); neighbours in the list differ most, as topics are listed by name.
PALETTE = ("#e33b3b", "#148a8a", "#7f7f0a", "#6c6cea", "#148f14", "#d61fd6",
           "#b7691a", "#1f7ddb", "#4a890b", "#9e55e7", "#148f52", "#e2328a")
WIDTH = 1000
MARGIN = 12
STACK = 6
ROW = 13
BAND_TOP = 24
MARKS_TOP = BAND_TOP + 10
AXIS_Y = MARKS_TOP + STACK * ROW + 8
HEIGHT = AXIS_Y + 22
MIN_COLUMN = 16
MONTHS_PER_COLUMN = (1, 2, 3, 6, 12)


@dataclass(frozen=True)
class Column:
    """The events of one column of the overview: one year's months `first_month`… onwards."""

    year: int
    first_month: int
    last_month: int
    x: float
    width: float
    events: tuple[Event, ...]


def topic_colours(topic_ids: Iterable[str]) -> dict[str, str]:
    """A colour for each topic id, in the given (stable) order, cycling through the palette."""
    return {topic_id: PALETTE[index % len(PALETTE)] for index, topic_id in enumerate(topic_ids)}


def render_overview(events: tuple[Event, ...], eras: tuple[Era, ...], *, years: tuple[int, int],
                    colours: dict[str, str], topic_names: dict[str, str],
                    link: Callable[[str], str], label: str) -> str:
    """SVG markup for `events` on an axis from years[0] to years[1], each mark a link to its event."""
    first_year, last_year = years
    months_per_column = _months_per_column(last_year - first_year + 1)
    columns = _columns(events, first_year, last_year, months_per_column)
    parts = [f'<svg class="overview" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" aria-label="{escape(label)}">']
    parts.extend(_era_bands(eras, first_year, last_year))
    parts.extend(_axis(first_year, last_year))
    for column in columns:
        if len(column.events) > STACK:
            parts.append(_count_mark(column, link))
        else:
            parts.extend(_event_mark(column, slot, event, colours, topic_names, link)
                         for slot, event in enumerate(column.events))
    parts.append("</svg>")
    return "\n".join(parts)


def _x(year: int, month: int, day: int, first_year: int, last_year: int) -> float:
    """The horizontal position of a day, months counted as equal twelfths of a year."""
    months = (year - first_year) * 12 + (month - 1) + (day - 1) / 31
    return MARGIN + months * (WIDTH - 2 * MARGIN) / ((last_year - first_year + 1) * 12)


def _months_per_column(year_count: int) -> int:
    for months in MONTHS_PER_COLUMN:
        if (WIDTH - 2 * MARGIN) / (year_count * 12 / months) >= MIN_COLUMN:
            return months
    return 12


def _columns(events, first_year: int, last_year: int, months_per_column: int) -> list[Column]:
    by_key: dict[tuple[int, int], list[Event]] = {}
    for event in events:
        start = event.date.start
        month = start.month or 1
        if first_year <= start.year <= last_year:
            key = (start.year, (month - 1) // months_per_column * months_per_column + 1)
            by_key.setdefault(key, []).append(event)
    columns = []
    for (year, first_month), members in sorted(by_key.items()):
        x = _x(year, first_month, 1, first_year, last_year)
        width = _x(year, first_month + months_per_column - 1, 31, first_year, last_year) - x
        columns.append(Column(year, first_month, first_month + months_per_column - 1, x, width, tuple(members)))
    return columns


def _era_bands(eras: tuple[Era, ...], first_year: int, last_year: int) -> list[str]:
    bands = []
    top_level = [era for era in eras if not any(other is not era and _contains(other, era) for other in eras)]
    for index, era in enumerate(top_level):
        start = max(era.date.start.first_day, _first(first_year))
        end = _last(last_year) if era.ongoing else min(era.date.last_day, _last(last_year))
        if end < start:
            continue
        x1 = _x(start.year, start.month, start.day, first_year, last_year)
        x2 = _x(end.year, end.month, end.day, first_year, last_year)
        name = escape(era.name)
        bands.append(f'<g class="ov-era ov-era-{index % 2}"><title>{name}</title>'
                     f'<rect x="{x1:.1f}" y="{BAND_TOP - 18}" width="{x2 - x1:.1f}" height="{AXIS_Y - BAND_TOP + 18}"/>'
                     f'<text x="{x1 + 4:.1f}" y="{BAND_TOP - 5}" class="ov-era-name">{_fit(era.name, x2 - x1)}</text></g>')
    return bands


def _contains(outer: Era, inner: Era) -> bool:
    """True when `inner` lies within `outer` and starts later (the "reset" inside an administration)."""
    outer_end = datetime.date.max if outer.ongoing else outer.date.last_day
    inner_end = datetime.date.max if inner.ongoing else inner.date.last_day
    return outer.date.start.first_day < inner.date.start.first_day and inner_end <= outer_end


def _axis(first_year: int, last_year: int) -> list[str]:
    year_count = last_year - first_year + 1
    step = 1 if year_count <= 16 else 2 if year_count <= 32 else 5
    parts = [f'<line class="ov-axis" x1="{MARGIN}" y1="{AXIS_Y}" x2="{WIDTH - MARGIN}" y2="{AXIS_Y}"/>']
    for year in range(first_year, last_year + 1):
        x = _x(year, 1, 1, first_year, last_year)
        parts.append(f'<line class="ov-tick" x1="{x:.1f}" y1="{AXIS_Y}" x2="{x:.1f}" y2="{AXIS_Y + 5}"/>')
        if (year - first_year) % step == 0:
            parts.append(f'<text class="ov-year" x="{x + 2:.1f}" y="{AXIS_Y + 18}">{year}</text>')
    return parts


def _event_mark(column: Column, slot: int, event: Event, colours, topic_names, link) -> str:
    # A draft may have no topic yet: it is drawn in the text colour.
    topic = event.topics[0] if event.topics else None
    colour = colours[topic] if topic else "currentColor"
    y = AXIS_Y - 8 - slot * ROW
    x = column.x + column.width / 2
    date = event.date
    if date.is_range:
        shape = f'<rect class="ov-range" x="{x - 7:.1f}" y="{y - 4}" width="14" height="8" rx="4" fill="{colour}"/>'
        kind = "range"
    elif date.is_exact_day:
        shape = f'<circle class="ov-day" cx="{x:.1f}" cy="{y}" r="5" fill="{colour}"/>'
        kind = "day"
    else:
        shape = f'<circle class="ov-inexact" cx="{x:.1f}" cy="{y}" r="4" stroke="{colour}"/>'
        kind = "inexact"
    name = escape(f"{date.display()}: {event.title} ({topic_names[topic] if topic else 'no topic yet'})")
    return (f'<a href="{escape(link(event_url(event.id)))}" aria-label="{name}" class="ov-mark ov-{kind}">'
            f'<title>{name}</title>{shape}</a>')


def _count_mark(column: Column, link) -> str:
    count = len(column.events)
    x = column.x + column.width / 2
    y = AXIS_Y - 8 - (STACK - 1) * ROW / 2
    label = escape(f"{count} events in {_column_name(column)}: see {column.year}")
    height = (STACK - 1) * ROW + 12
    return (f'<a href="{escape(link(term_url("year", str(column.year))))}" aria-label="{label}" class="ov-mark ov-count">'
            f'<title>{label}</title>'
            f'<rect x="{column.x + 1:.1f}" y="{y - height / 2:.1f}" width="{max(column.width - 2, 4):.1f}" height="{height:.1f}" rx="3"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">{_short_count(count)}</text></a>')


def _column_name(column: Column) -> str:
    if column.first_month == column.last_month:
        return f"{MONTHS[column.first_month - 1]} {column.year}"
    if column.first_month == 1 and column.last_month == 12:
        return str(column.year)
    return f"{MONTHS[column.first_month - 1]}–{MONTHS[column.last_month - 1]} {column.year}"


def _short_count(count: int) -> str:
    return str(count) if count < 1000 else f"{count // 1000}k"


def _fit(text: str, width: float) -> str:
    """The era's name, cut to what fits in its band (about 7 units a character)."""
    room = int(width // 7)
    if room < 4:
        return ""
    return escape(text if len(text) <= room else text[: room - 1] + "…")


def _first(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def _last(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


@dataclass(frozen=True)
class TimelineOverview:
    """What templates call: `overview(events, label)` draws, `overview.colour(topic_id)` keys."""

    timeline: Timeline
    link: Callable[[str], str]

    def __call__(self, events: tuple[Event, ...], label: str) -> Markup:
        """The overview of some of the timeline's events, on the whole timeline's axis."""
        if not events:
            return Markup("")
        years = (self.timeline.years[0].events[0].date.start.year, self.timeline.years[-1].events[0].date.start.year)
        return Markup(render_overview(events, self.timeline.eras, years=years, colours=self._colours(),
                                      topic_names={topic.id: topic.name for topic in self.timeline.topics},
                                      link=self.link, label=label))

    def colour(self, topic_id: str) -> str:
        return self._colours()[topic_id]

    def _colours(self) -> dict[str, str]:
        palette = topic_colours(topic.id for topic in self.timeline.topics)
        return {topic.id: topic.record.colour or palette[topic.id] for topic in self.timeline.topics}
