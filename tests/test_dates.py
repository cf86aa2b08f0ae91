"""Dates keep exactly the precision they were written with, and read naturally."""

from __future__ import annotations

import datetime

import pytest

from generator.content.dates import DateSyntaxError, Precision, parse_span

DISPLAY = [
    ("2021", "2021", ("2021",), Precision.YEAR),
    ("2021-05", "May 2021", ("2021-05",), Precision.MONTH),
    ("2021-05-19", "19 May 2021", ("2021-05-19",), Precision.DAY),
    ("2021-05-19/2021-05-20", "19–20 May 2021", ("2021-05-19", "2021-05-20"), Precision.DAY),
    ("2021-01-26/2021-02-03", "26 January – 3 February 2021", ("2021-01-26", "2021-02-03"), Precision.DAY),
    ("2020-11-22/2021-12-18", "22 November 2020 – 18 December 2021", ("2020-11-22", "2021-12-18"), Precision.DAY),
    ("2021-05/2021-06", "May–June 2021", ("2021-05", "2021-06"), Precision.MONTH),
    ("2020/2021", "2020–2021", ("2020", "2021"), Precision.YEAR),
    ("2021-05/2021-06-03", "May 2021 – 3 June 2021", ("2021-05", "2021-06-03"), Precision.MONTH),
    ("2009~", "c. 2009", ("2009",), Precision.YEAR),
    ("2021-05?", "May 2021?", ("2021-05",), Precision.MONTH),
    ("2021-05%", "c. May 2021?", ("2021-05",), Precision.MONTH),
    ("2009~/2010", "c. 2009 – 2010", ("2009", "2010"), Precision.YEAR),
]


@pytest.mark.parametrize("written, shown, datetimes, precision", DISPLAY)
def test_display_and_time_values(written, shown, datetimes, precision):
    span = parse_span(written)
    assert span.display() == shown
    assert tuple(part.datetime for part in span.parts() if part.datetime) == datetimes
    assert span.precision is precision
    assert span.edtf == written


@pytest.mark.parametrize("written, message", [
    ("2021-02-30", "not a real day: February 2021 has 28 days"),
    ("2020-02-30", "February 2020 has 29 days"),
    ("2021-13", "no month 13"),
    ("2021-00", "no month 00"),
    ("21", "cannot read date"),
    ("May 2021", "cannot read date"),
    ("19/05/2021", "cannot read date"),
    ("2021-05-20/2021-05-19", "ends before it starts"),
    ("2021/2020", "ends before it starts"),
    ("2021/2022/2023", "one '/'"),
    ("2021-5-19", "cannot read date"),
])
def test_unreadable_dates_say_what_is_wrong(written, message):
    with pytest.raises(DateSyntaxError, match=message):
        parse_span(written)


def test_partial_dates_never_become_a_day():
    # dateutil would fill a missing day from today; we must keep the whole month.
    month = parse_span("1991-12")
    assert month.start.day is None
    assert month.start.first_day == datetime.date(1991, 12, 1)
    assert month.last_day == datetime.date(1991, 12, 31)
    assert parse_span("2020-02").last_day == datetime.date(2020, 2, 29)
    assert parse_span("2021").last_day == datetime.date(2021, 12, 31)


def test_a_range_that_ends_inside_its_start_month_is_allowed():
    assert parse_span("2021-05/2021-05-19").last_day == datetime.date(2021, 5, 19)


def test_order_is_start_then_coarser_precision_first():
    written = ["2021-05-19", "2021-05", "2021", "2021-01-01", "2020-12-31", "2021-05-01"]
    ordered = sorted(written, key=lambda text: parse_span(text).sort_key)
    assert ordered == ["2020-12-31", "2021", "2021-01-01", "2021-05", "2021-05-01", "2021-05-19"]
