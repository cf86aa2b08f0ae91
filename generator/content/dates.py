"""Dates with their real precision: a subset of EDTF (ISO 8601-2) levels 0 and 1.

Accepted: `2021`, `2021-05`, `2021-05-19`, each optionally followed by `~` (approximate),
`?` (uncertain) or `%` (both), and ranges `START/END` of any of those. A partial date is kept
partial: nothing here ever invents a month or a day.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from enum import IntEnum

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_SINGLE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qualifier>[~?%])?")
# One EDTF date, as a plain pattern other tools can use (the editor schema, schema.py).
SINGLE_DATE_PATTERN = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?[~?%]?"


class Precision(IntEnum):
    """How much of a date is known; coarser sorts first among equal starts."""

    YEAR = 0
    MONTH = 1
    DAY = 2


class DateSyntaxError(ValueError):
    """A date that cannot be read, with a message an author can act on."""


@dataclass(frozen=True)
class PartialDate:
    """A year, a month or a day, approximate and/or uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> datetime.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return datetime.date(self.year, month, day)

    @property
    def iso(self) -> str:
        """The date as a valid HTML `<time datetime>` value, at its own precision."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def edtf(self) -> str:
        qualifier = {(True, True): "%", (True, False): "~", (False, True): "?"}.get((self.approximate, self.uncertain), "")
        return self.iso + qualifier

    @property
    def qualified(self) -> bool:
        return self.approximate or self.uncertain

    def display(self) -> str:
        """'19 May 2021', 'May 2021', '2021', with 'c. ' and '?' for the qualifiers."""
        return self._qualify(_plain(self.year, self.month, self.day))

    def _qualify(self, text: str) -> str:
        return ("c. " if self.approximate else "") + text + ("?" if self.uncertain else "")


@dataclass(frozen=True)
class DatePart:
    """A run of display text, with the `<time datetime>` value it stands for (if any)."""

    text: str
    datetime: str | None = None


@dataclass(frozen=True)
class DateSpan:
    """An event's date: one partial date, or a range between two."""

    start: PartialDate
    end: PartialDate | None = None

    @property
    def edtf(self) -> str:
        return self.start.edtf + (f"/{self.end.edtf}" if self.end else "")

    @property
    def precision(self) -> Precision:
        return self.start.precision

    @property
    def sort_key(self) -> tuple[datetime.date, int]:
        return self.start.first_day, int(self.start.precision)

    @property
    def last_day(self) -> datetime.date:
        return (self.end or self.start).last_day

    @property
    def is_range(self) -> bool:
        return self.end is not None

    @property
    def is_exact_day(self) -> bool:
        return self.end is None and self.start.precision is Precision.DAY and not self.start.qualified

    def display(self) -> str:
        return "".join(part.text for part in self.parts())

    def parts(self) -> tuple[DatePart, ...]:
        """Display text split so each date in it can carry its own `<time datetime>`."""
        start, end = self.start, self.end
        if end is None:
            return (DatePart(start.display(), start.iso),)
        start_text = _range_start_text(start, end)
        separator = " – " if " " in start_text else "–"
        return (DatePart(start_text, start.iso), DatePart(separator), DatePart(end.display(), end.iso))


def _plain(year: int, month: int | None, day: int | None) -> str:
    if day is not None:
        return f"{day} {MONTHS[month - 1]} {year}"
    if month is not None:
        return f"{MONTHS[month - 1]} {year}"
    return str(year)


def _range_start_text(start: PartialDate, end: PartialDate) -> str:
    """The start of a range, leaving out what the end already says ('19–20 May 2021')."""
    if start.qualified or end.qualified or start.precision != end.precision or start.year != end.year:
        return start.display()
    if start.precision is Precision.DAY and start.month == end.month:
        return str(start.day)
    if start.precision is Precision.DAY:
        return f"{start.day} {MONTHS[start.month - 1]}"
    if start.precision is Precision.MONTH:
        return MONTHS[start.month - 1]
    return start.display()


def parse_partial(text: str) -> PartialDate:
    """Read one EDTF date such as `2021`, `2021-05?` or `2021-05-19`."""
    match = _SINGLE.fullmatch(text.strip())
    if not match:
        raise DateSyntaxError(f"cannot read date '{text}': write YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~ or ?")
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if month is not None and not 1 <= month <= 12:
        raise DateSyntaxError(f"'{text}' has no month {month:02d}: months run 01 to 12")
    if day is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise DateSyntaxError(f"'{text}' is not a real day: {MONTHS[month - 1]} {year} has {calendar.monthrange(year, month)[1]} days") from None
    qualifier = match["qualifier"] or ""
    return PartialDate(year, month, day, approximate=qualifier in "~%" and bool(qualifier),
                       uncertain=qualifier in "?%" and bool(qualifier))


def parse_span(text: str) -> DateSpan:
    """Read an event date: one EDTF date, or a range `START/END`."""
    text = text.strip()
    if text.count("/") > 1:
        raise DateSyntaxError(f"cannot read date '{text}': a range is START/END with one '/'")
    if "/" not in text:
        return DateSpan(parse_partial(text))
    start_text, end_text = text.split("/")
    start, end = parse_partial(start_text), parse_partial(end_text)
    if end.last_day < start.first_day:
        raise DateSyntaxError(f"range '{text}' ends before it starts: put the earlier date first")
    return DateSpan(start, end)


def gap_between(earlier: DateSpan, later: DateSpan) -> str:
    """How long after `earlier` began `later` began, in words no finer than both dates know.

    '3 days later' needs two known days; a month-precise date gives at best '2 months later',
    a year-precise one '3 years later'. 'about' marks an approximate or uncertain date.
    """
    first, second = earlier.start, later.start
    about = "about " if first.qualified or second.qualified else ""
    precision = min(first.precision, second.precision)
    if precision is Precision.YEAR:
        years = second.year - first.year
        return "the same year" if years == 0 else f"{about}{_count(years, 'year')} later"
    months = (second.year - first.year) * 12 + (second.month - first.month)
    if precision is Precision.MONTH:
        return "the same month" if months == 0 else f"{about}{_months_text(months)} later"
    days = (second.first_day - first.first_day).days
    if second.day < first.day:
        months -= 1  # 31 January to 2 March is one whole month, not two
    if days == 0:
        return "the same day"
    if days == 1 and not about:
        return "the next day"
    if days < 14:
        return f"{about}{_count(days, 'day')} later"
    if months < 2:
        return f"{about}{_count(days // 7, 'week')} later"
    return f"{about}{_months_text(months)} later"


def _months_text(months: int) -> str:
    """'14 months' up to two years, then '3 years' or '3 years and 2 months'."""
    if months < 24:
        return _count(months, "month")
    years, rest = divmod(months, 12)
    return _count(years, "year") + (f" and {_count(rest, 'month')}" if rest else "")


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"
