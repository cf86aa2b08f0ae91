"""The visual overview: some events on a time axis scaled to their own span, drawn at build time as an SVG.

The axis runs over the whole years the events fall in. Three years or more are drawn at year scale, in
columns of one to twelve months (the finest that keeps a mark readable); one or two years at month scale,
in columns of a third of a month, half a month or a month. A column stacks up to STACK marks, in more than
one stack where it is wide enough. A year whose events do not fit its columns is drawn again under the
axis, at month scale ("2021 in detail"), so that every event keeps its own mark and link; only where even
that strip would overflow (thousands of events) does a column become a count that links to the year's
page, which keeps the picture a bounded size from 60 events to 10,000.

Eras are bands: the chronology track's behind the marks, each other track's in a row of its own below.
"""

from __future__ import annotations

import datetime
import functools
import math
from dataclasses import dataclass
from html import escape
from typing import Callable, Iterable

from markupsafe import Markup

from generator.content.dates import MONTHS
from generator.content.records import Era, Event
from generator.site.overview_scale import CELL, MARGIN, MONTH_SCALE_YEARS, STACK, WIDTH, Column, Scale, month_end
from generator.site.urls import event_url, term_url

# Colours for topics: each has at least 3:1 contrast against the light and the dark background
# and surface of the theme (WCAG 1.4.11), so one palette serves both schemes.
# Twelve hues of equal luminance, each at least 4:1 against both the light and the dark background
# (WCAG 1.4.11 asks 3:1 for graphics); neighbours in the list differ most, as topics are listed by name.
PALETTE = ("#e33b3b", "#148a8a", "#7f7f0a", "#6c6cea", "#148f14", "#d61fd6",
           "#b7691a", "#1f7ddb", "#4a890b", "#9e55e7", "#148f52", "#e2328a")
ROW = 13  # between two marks of a stack
MAX_DETAIL_STRIPS = 2
LABEL_ROW = 24  # the chronology track's era names, above the marks
MARKS_HEIGHT = 10 + STACK * ROW + 8
TRACK_ROW = 22
GAP = 26  # between the main row and a detail strip


def topic_colours(topic_ids: Iterable[str]) -> dict[str, str]:
    """A colour for each topic id, in the given (stable) order, cycling through the palette."""
    return {topic_id: PALETTE[index % len(PALETTE)] for index, topic_id in enumerate(topic_ids)}


def overview_years(events: Iterable[Event]) -> tuple[int, int]:
    """The whole years some events fall in (by their start): the span their overview is drawn over."""
    years = [event.date.start.year for event in events]
    return min(years), max(years)


def render_overview(events: tuple[Event, ...], eras: tuple[Era, ...], *, years: tuple[int, int] | None = None,
                    colours: dict[str, str], topic_names: dict[str, str], link: Callable[[str], str], label: str,
                    chronology_track: str = "", marks: dict[str, tuple[str, str, str]] | None = None) -> str:
    """SVG markup for `events` on an axis over `years` (by default the years the events fall in), each mark a
    link to its event; eras of `chronology_track` are drawn behind the marks, other tracks' below the axis.

    `marks` keeps each event's mark (its link, name and colour) for the next drawing with the same colours,
    names and `link`."""
    first_year, last_year = years or overview_years(events)
    scale = Scale(first_year, last_year)
    shown = _in_date_order(events, first_year, last_year)
    draw = _Drawing(colours, topic_names, link, _tracks(eras, chronology_track), {} if marks is None else marks)
    columns = _columns(shown, scale)
    strips, height = [], _row_height(scale, draw)
    for detail, detail_columns in _detail_strips(columns, scale, shown):
        strips.append((detail, detail_columns, height + GAP))
        height += GAP + _row_height(detail, draw)
    parts = [f'<svg class="overview" viewBox="0 0 {WIDTH} {height:.0f}" role="group" aria-label="{escape(label)}">']
    parts.extend(_row_background(scale, 0, draw.tracks))
    # A strip is written where its years fall among the main row's columns, so keyboard and screen
    # reader meet the events in date order even though the strip is drawn lower down.
    written = set()
    for column in columns:
        strip = next((strip for strip in strips if strip[0].first_year <= column.first.year <= strip[0].last_year), None)
        if strip is None:
            parts.extend(draw.column(column, LABEL_ROW))
        elif strip[0] not in written:
            written.add(strip[0])
            parts.extend(_zoomed_years(*strip, scale, draw))
    parts.append("</svg>")
    return "\n".join(parts)


# An event as the overview places it: the year, month and day its first day falls on (month and day 1 where
# not known), its precision and id (what orders events of one day), and the event.
_Dated = tuple[int, int, int, int, str, Event]


def _in_date_order(events: Iterable[Event], first_year: int, last_year: int) -> list[_Dated]:
    """The events that fall in the years, by first day, the coarser first among equals, then by id."""
    dated = []
    for event in events:
        start = event.date.start
        if first_year <= start.year <= last_year:
            precision = 2 if start.day is not None else 1 if start.month is not None else 0
            dated.append((start.year, start.month or 1, start.day or 1, precision, event.id, event))
    dated.sort()  # ids are unique: two events are never compared
    return dated


@dataclass(frozen=True)
class _Drawing:
    """What every row of one overview draws with: colours, names, links and era tracks."""

    colours: dict[str, str]
    topic_names: dict[str, str]
    link: Callable[[str], str]
    tracks: tuple[tuple[_Band, ...], ...]  # each track's top-level eras, the chronology track first
    marks: dict[str, tuple[str, str, str]]  # by event id: its mark's opening, its kind and colour

    def column(self, column: Column, top: float) -> list[str]:
        if len(column.events) > column.capacity:
            return [self.count(column, top)]
        stacks = math.ceil(len(column.events) / STACK)
        centre = column.x + column.width / 2
        marks = []
        for index, event in enumerate(column.events):
            stack, slot = divmod(index, STACK)
            x = centre + (stack - (stacks - 1) / 2) * CELL
            marks.append(self.mark(event, x, top + MARKS_HEIGHT - 8 - slot * ROW))
        return marks

    def mark(self, event: Event, x: float, y: float) -> str:
        found = self.marks.get(event.id)
        if found is None:
            found = self.marks[event.id] = self._mark_parts(event)
        opening, kind, colour = found
        if kind == "range":
            shape = f'<rect class="ov-range" x="{x - 6:.1f}" y="{y - 4:.1f}" width="12" height="8" rx="4" fill="{colour}"/>'
        elif kind == "day":
            shape = f'<circle class="ov-day" cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>'
        else:
            shape = f'<circle class="ov-inexact" cx="{x:.1f}" cy="{y:.1f}" r="4" stroke="{colour}"/>'
        return f"{opening}{shape}</a>"

    def _mark_parts(self, event: Event) -> tuple[str, str, str]:
        """What an event's mark is wherever it is drawn: its link and name, its kind, its colour."""
        # A draft may have no topic yet: it is drawn in the text colour.
        topic = event.topics[0] if event.topics else None
        colour = self.colours[topic] if topic else "currentColor"
        date = event.date
        kind = "range" if date.is_range else "day" if date.is_exact_day else "inexact"
        name = escape(f"{date.display()}: {event.title} ({self.topic_names[topic] if topic else 'no topic yet'})")
        return (f'<a href="{escape(self.link(event_url(event.id)))}" aria-label="{name}" class="ov-mark ov-{kind}">'
                f'<title>{name}</title>', kind, colour)

    def count(self, column: Column, top: float) -> str:
        count = len(column.events)
        x = column.x + column.width / 2
        y = top + MARKS_HEIGHT - 8 - (STACK - 1) * ROW / 2
        label = escape(f"{count} events in {_column_name(column)}: see {column.first.year}")
        height = (STACK - 1) * ROW + 12
        return (f'<a href="{escape(self.link(term_url("year", str(column.first.year))))}" aria-label="{label}" class="ov-mark ov-count">'
                f'<title>{label}</title>'
                f'<rect x="{column.x + 1:.1f}" y="{y - height / 2:.1f}" width="{max(column.width - 2, 4):.1f}" height="{height:.1f}" rx="3"/>'
                f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">{_short_count(count)}</text></a>')


@dataclass(frozen=True)
class _Band:
    """A top-level era as its track draws it: its days, where a handover is known only to the month or
    year met by its neighbour's in the middle of that period, and its title."""

    era: Era
    first: datetime.date
    last: datetime.date
    title: str  # escaped


# The cached functions below are pure functions of small values (the eras, a scale): every overview of
# a build asks them the same questions, and the answers are the same strings.
@functools.lru_cache(maxsize=16)
def _tracks(eras: tuple[Era, ...], chronology_track: str) -> tuple[tuple[_Band, ...], ...]:
    """The top-level eras of each track, the chronology track first (even when it has none)."""
    names = sorted({era.track for era in eras} - {chronology_track})
    tracks = (tuple(era for era in eras if era.track == track and not any(other.contains(era) for other in eras))
              for track in (chronology_track, *names))
    return tuple(tuple(_band(era, track) for era in track) for track in tracks)


def _band(era: Era, track: tuple[Era, ...]) -> _Band:
    first, last = era.first_day, era.last_day
    for other in track:
        if other.hands_over_to(era):
            first = _middle(era.first_day, other.last_day)
        if era.hands_over_to(other):
            last = _middle(other.first_day, era.last_day)
    return _Band(era, first, last, escape(f"{era.name}, {era.date.display()}{'–' if era.ongoing else ''}"))


def _columns(events: list[_Dated], scale: Scale) -> list[Column]:
    members: dict[int, list[Event]] = {}
    column_of = scale.column_of
    for year, month, day, _, _, event in events:
        index = column_of(year, month, day)
        found = members.get(index)
        if found is None:
            members[index] = [event]
        else:
            found.append(event)
    return [_column(scale, index, tuple(found)) for index, found in sorted(members.items())]


def _column(scale: Scale, index: int, events: tuple[Event, ...]) -> Column:
    first, last = scale.column_days(index)
    x = scale.x(first)
    return Column(first, last, x, scale.x_after(last) - x, events)


def _fits(events: list[_Dated], scale: Scale) -> bool:
    """Whether every column of `scale` has room for its events (what _columns would find, without making them)."""
    counts: dict[int, int] = {}
    column_of = scale.column_of
    for year, month, day, _, _, _ in events:
        index = column_of(year, month, day)
        counts[index] = counts.get(index, 0) + 1
    # Every column holds at least one stack: only a fuller one needs its width.
    return all(count <= STACK or count <= _column(scale, index, ()).capacity for index, count in counts.items())


def _detail_strips(columns: list[Column], scale: Scale, events: list[_Dated]) -> list[tuple[Scale, list[Column]]]:
    """The runs of crowded years to draw again at month scale, where that gives every event a mark of its own,
    each with its columns."""
    if scale.by_month:
        return []
    crowded = sorted({column.first.year for column in columns if len(column.events) > column.capacity})
    runs: list[list[int]] = []
    for year in crowded:
        if runs and runs[-1][-1] == year - 1 and len(runs[-1]) < MONTH_SCALE_YEARS:
            runs[-1].append(year)
        else:
            runs.append([year])
    by_year: dict[int, list[_Dated]] = {}
    for dated in events:
        by_year.setdefault(dated[0], []).append(dated)
    strips = []
    for run in runs:
        detail, in_run = Scale(run[0], run[-1]), [dated for year in run for dated in by_year[year]]
        if _fits(in_run, detail):
            strips.append((len(in_run), detail, in_run))
    chosen = sorted(strips, key=lambda found: -found[0])[:MAX_DETAIL_STRIPS]
    return [(detail, _columns(in_run, detail)) for _, detail, in_run in sorted(chosen, key=lambda found: found[1].first_year)]


def _zoomed_years(detail: Scale, columns: list[Column], top: float, main: Scale, draw: _Drawing) -> list[str]:
    """Crowded years drawn again at month scale under the main row, in a labelled group, joined by two
    lines to the place they hold on the main axis."""
    count = sum(len(column.events) for column in columns)
    years = _years_text(detail.first_year, detail.last_year)
    x1, x2 = main.x(datetime.date(detail.first_year, 1, 1)), main.x(datetime.date(detail.last_year + 1, 1, 1))
    zoom_top, zoom_bottom = LABEL_ROW + 4, _row_height(main, draw) - 2
    parts = [f'<g class="ov-zoom" aria-hidden="true">'
             f'<rect x="{x1:.1f}" y="{zoom_top}" width="{x2 - x1:.1f}" height="{zoom_bottom - zoom_top:.1f}" rx="3"/>'
             f'<text x="{(x1 + x2) / 2:.1f}" y="{zoom_top + 14}" text-anchor="middle">{_short_count(count)}</text>'
             f'<line x1="{x1:.1f}" y1="{zoom_bottom:.1f}" x2="{MARGIN}" y2="{top + 6:.1f}"/>'
             f'<line x1="{x2:.1f}" y1="{zoom_bottom:.1f}" x2="{WIDTH - MARGIN}" y2="{top + 6:.1f}"/>'
             f'<text class="ov-detail-name" x="{WIDTH / 2}" y="{top - 4:.1f}" text-anchor="middle">{escape(years)} in detail</text></g>',
             f'<g class="ov-detail" role="group" aria-label="{escape(years)} in detail: {count} events">']
    parts.extend(_row_background(detail, top, draw.tracks))
    for column in columns:
        parts.extend(draw.column(column, top + LABEL_ROW))
    parts.append("</g>")
    return parts


def _row_height(scale: Scale, draw: _Drawing) -> float:
    return LABEL_ROW + MARKS_HEIGHT + _axis_height(scale) + TRACK_ROW * (len(draw.tracks) - 1)


def _axis_height(scale: Scale) -> float:
    return 38 if scale.by_month else 24


@functools.lru_cache(maxsize=256, typed=True)  # typed: a top of 0 and of 0.0 are written differently
def _row_background(scale: Scale, top: float, tracks: tuple[tuple[_Band, ...], ...]) -> tuple[str, ...]:
    """One row's era bands and axis: the chronology track behind the marks, the other tracks below the axis."""
    axis_y = top + LABEL_ROW + MARKS_HEIGHT
    parts = []
    for index, band in enumerate(_visible(tracks[0], scale)):
        era_x1, era_x2 = _band_extent(band, scale)
        parts.append(f'<g class="ov-era ov-era-{index % 2}"><title>{band.title}</title>'
                     f'<rect x="{era_x1:.1f}" y="{top + 6}" width="{era_x2 - era_x1:.1f}" height="{axis_y - top - 6}"/>'
                     f'<text x="{era_x1 + 4:.1f}" y="{top + 19}" class="ov-era-name">{_fit(band.era.name, era_x2 - era_x1)}</text></g>')
    parts.extend(_axis(scale, axis_y))
    row_y = axis_y + _axis_height(scale)
    for track in tracks[1:]:
        for index, band in enumerate(_visible(track, scale)):
            era_x1, era_x2 = _band_extent(band, scale)
            parts.append(f'<g class="ov-era ov-era-{index % 2} ov-track"><title>{band.title}</title>'
                         f'<rect x="{era_x1:.1f}" y="{row_y:.1f}" width="{era_x2 - era_x1:.1f}" height="{TRACK_ROW - 4}"/>'
                         f'<text x="{era_x1 + 4:.1f}" y="{row_y + 13:.1f}" class="ov-era-name ov-track-name">{_fit(band.era.name, era_x2 - era_x1, 7)}</text></g>')
        row_y += TRACK_ROW
    return tuple(parts)


def _visible(track: tuple[_Band, ...], scale: Scale) -> list[_Band]:
    first, last = datetime.date(scale.first_year, 1, 1), datetime.date(scale.last_year, 12, 31)
    return [band for band in track if band.era.first_day <= last and band.era.last_day >= first]


def _band_extent(band: _Band, scale: Scale) -> tuple[float, float]:
    """An era's band, clipped to the axis."""
    first = max(band.first, datetime.date(scale.first_year, 1, 1))
    last = min(band.last, datetime.date(scale.last_year, 12, 31))
    return scale.x(first), scale.x_after(last)


def _middle(first: datetime.date, last: datetime.date) -> datetime.date:
    return first + (last - first) / 2


def _axis(scale: Scale, axis_y: float) -> list[str]:
    parts = [f'<line class="ov-axis" x1="{scale.left}" y1="{axis_y}" x2="{scale.right}" y2="{axis_y}"/>']
    if scale.by_month:
        for year in range(scale.first_year, scale.last_year + 1):
            for month in range(1, 13):
                x = scale.x(datetime.date(year, month, 1))
                parts.append(f'<line class="ov-tick ov-month" x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + (7 if month == 1 else 4)}"/>')
                parts.append(f'<text class="ov-month-name" x="{x + 2:.1f}" y="{axis_y + 16}">{MONTHS[month - 1][:3]}</text>')
            parts.append(f'<text class="ov-year" x="{scale.x(datetime.date(year, 1, 1)) + 2:.1f}" y="{axis_y + 33}">{year}</text>')
        return parts
    step = 1 if scale.years <= 16 else 2 if scale.years <= 32 else 5
    tick_end, label_y = f'" y2="{axis_y + 5}"/>', f'" y="{axis_y + 18}">'
    for year in range(scale.first_year, scale.last_year + 1):
        x = scale.x(datetime.date(year, 1, 1))
        text = f"{x:.1f}"
        parts.append(f'<line class="ov-tick" x1="{text}" y1="{axis_y}" x2="{text}{tick_end}')
        if (year - scale.first_year) % step == 0:
            parts.append(f'<text class="ov-year" x="{x + 2:.1f}{label_y}{year}</text>')
    return parts


def _column_name(column: Column) -> str:
    first, last = column.first, column.last
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year)
    if first.month != last.month:
        return f"{MONTHS[first.month - 1]}–{MONTHS[last.month - 1]} {first.year}"
    if first.day == 1 and last == month_end(last.year, last.month):
        return f"{MONTHS[first.month - 1]} {first.year}"
    return f"{first.day}–{last.day} {MONTHS[first.month - 1]} {first.year}"


def _years_text(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _short_count(count: int) -> str:
    return str(count) if count < 1000 else f"{count // 1000}k"


def _fit(text: str, width: float, per_character: float = 8) -> str:
    """The era's name, cut to what fits in its band (about 8 units a character at 15px)."""
    room = int((width - 10) // per_character)
    if room < 4:
        return ""
    return escape(text if len(text) <= room else text[: room - 1] + "…")
