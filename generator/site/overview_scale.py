"""The overview's time axis: whole years between two x positions, at year or month scale, in columns.

`overview.py` draws on it; this module only measures. Three years or more are divided into columns of one
to twelve months, one or two years into thirds of a month, halves or whole months: the finest division
that keeps a column MIN_COLUMN wide.
"""

from __future__ import annotations

import bisect
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
MONTH_CUTS = {3: (1, 11, 21), 2: (1, 16), 1: (1,)}  # the first day of each part
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

    @functools.cached_property  # asked for every mark
    def years(self) -> int:
        return self.last_year - self.first_year + 1

    @functools.cached_property
    def by_month(self) -> bool:
        return self.years <= MONTH_SCALE_YEARS

    def x(self, day: datetime.date) -> float:
        """The horizontal position of the start of a day."""
        first_ordinal, total = _ordinals(self.first_year, self.last_year)
        return self.left + (day.toordinal() - first_ordinal) * (self.right - self.left) / total

    def x_after(self, day: datetime.date) -> float:
        """The horizontal position of the end of a day."""
        return self.x(day) + (self.right - self.left) / (self.years * 365.25)

    @functools.cached_property
    def division(self) -> int:
        """Months in a column at year scale, or columns in a month at month scale: the finest division
        that keeps a column MIN_COLUMN wide."""
        room = self.right - self.left
        if self.by_month:
            return next((parts for parts in PARTS_PER_MONTH if room / (self.years * 12 * parts) >= MIN_COLUMN), 1)
        return next((months for months in MONTHS_PER_COLUMN if room / (self.years * 12 / months) >= MIN_COLUMN), 12)

    def column_index(self, day: datetime.date) -> int:
        """The number of the column that holds `day`, counted from the first column of the axis."""
        return self.column_of(day.year, day.month, day.day)

    def column_of(self, year: int, month: int, day: int) -> int:
        """column_index of a day given by its parts (the overview asks it for every mark)."""
        months = (year - self.first_year) * 12 + month - 1
        if self.by_month:
            return months * self.division + bisect.bisect_right(MONTH_CUTS[self.division], day) - 1
        return months // self.division

    def column_days(self, index: int) -> tuple[datetime.date, datetime.date]:
        """The first and last days of a column."""
        if self.by_month:
            months, part = divmod(index, self.division)
            year, month = self.first_year + months // 12, months % 12 + 1
            cuts = MONTH_CUTS[self.division]
            last = datetime.date(year, month, cuts[part + 1] - 1) if part + 1 < len(cuts) else month_end(year, month)
            return datetime.date(year, month, cuts[part]), last
        first_month = index * self.division
        year, month = self.first_year + first_month // 12, first_month % 12 + 1
        return datetime.date(year, month, 1), month_end(year, month + self.division - 1)


@functools.lru_cache(maxsize=256)
def _ordinals(first_year: int, last_year: int) -> tuple[int, int]:
    """The ordinal of the axis's first day and the number of days it spans (asked for every mark)."""
    first = datetime.date(first_year, 1, 1).toordinal()
    return first, datetime.date(last_year + 1, 1, 1).toordinal() - first


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
