"""The overview's time axis: whole years between two x positions, at year or month scale, in columns.

`overview.py` draws on it; this module only measures. Three years or more are divided into columns of one
to twelve months, one or two years into thirds of a month, halves or whole months: the finest division
that keeps a column MIN_COLUMN wide.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from dataclasses import dataclass

from generator.content.records import Event

WIDTH = 1000
MARGIN = 12
STACK = 6  # marks in one stack
CELL = 13  # between two stacks side by side
MIN_COLUMN = 16
MONTHS_PER_COLUMN = (1, 2, 3, 6, 12)
PARTS_PER_MONTH = (3, 2, 1)  # at month scale: thirds (1–10, 11–20, 21–end), halves, whole months
MONTH_SCALE_YEARS = 2  # spans of up to two years are drawn month by month


@dataclass(frozen=True)
class Column:
    """The events of one column of the overview: the days `first`…`last`."""

    first: datetime.date
    last: datetime.date
    x: float
    width: float
    events: tuple[Event, ...]

    @property
    def capacity(self) -> int:
        return max(1, int(self.width // CELL)) * STACK


@dataclass(frozen=True)
class Scale:
    """The axis of one row: whole years first_year…last_year between two x positions."""

    first_year: int
    last_year: int
    left: float = MARGIN
    right: float = WIDTH - MARGIN

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1

    @property
    def by_month(self) -> bool:
        return self.years <= MONTH_SCALE_YEARS

    def x(self, day: datetime.date) -> float:
        """The horizontal position of the start of a day."""
        first_ordinal, total = _ordinals(self.first_year, self.last_year)
        return self.left + (day.toordinal() - first_ordinal) * (self.right - self.left) / total

    def x_after(self, day: datetime.date) -> float:
        """The horizontal position of the end of a day."""
        return self.x(day) + (self.right - self.left) / (self.years * 365.25)

    def column_spans(self) -> tuple[tuple[datetime.date, datetime.date], ...]:
        """The columns' first and last days: the finest division that keeps a column MIN_COLUMN wide."""
        return _column_spans(self)


@functools.lru_cache(maxsize=256)
def _ordinals(first_year: int, last_year: int) -> tuple[int, int]:
    """The ordinal of the axis's first day and the number of days it spans."""
    first = datetime.date(first_year, 1, 1).toordinal()
    return first, datetime.date(last_year + 1, 1, 1).toordinal() - first


# Every overview of a build asks again for the spans of the same few axes (most terms span the same
# years); a scale is a small value, so its spans are kept, as are _ordinals'.
@functools.lru_cache(maxsize=256)
def _column_spans(scale: Scale) -> tuple[tuple[datetime.date, datetime.date], ...]:
    room = scale.right - scale.left
    if scale.by_month:
        parts = next((parts for parts in PARTS_PER_MONTH if room / (scale.years * 12 * parts) >= MIN_COLUMN), 1)
        return tuple(span for year in range(scale.first_year, scale.last_year + 1) for month in range(1, 13)
                     for span in _month_parts(year, month, parts))
    months = next((months for months in MONTHS_PER_COLUMN if room / (scale.years * 12 / months) >= MIN_COLUMN), 12)
    return tuple((datetime.date(year, month, 1), month_end(year, month + months - 1))
                 for year in range(scale.first_year, scale.last_year + 1) for month in range(1, 13, months))


def _month_parts(year: int, month: int, parts: int) -> list[tuple[datetime.date, datetime.date]]:
    end = calendar.monthrange(year, month)[1]
    cuts = {3: (1, 11, 21), 2: (1, 16), 1: (1,)}[parts]
    return [(datetime.date(year, month, day), datetime.date(year, month, (cuts[index + 1] - 1) if index + 1 < len(cuts) else end))
            for index, day in enumerate(cuts)]


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])
