"""The overview's axis: columns found by arithmetic tile every axis, and the kept drawings follow the eras."""

from __future__ import annotations

import datetime

import pytest

from generator.content.dates import parse_span
from generator.content.records import Era
from generator.site.overview_scale import Scale
from test_overview import draw, make_event


@pytest.mark.parametrize("years", [(2021, 2021), (2020, 2021), (2016, 2018), (2000, 2023), (1917, 2023)])
def test_columns_tile_the_axis_day_after_day(years):
    """Every day of the axis lies in exactly one column, columns follow each other with no gap, and each is
    as described for its scale (a third, half or whole month at month scale; whole months at year scale)."""
    scale = Scale(*years)
    day, last_day = datetime.date(years[0], 1, 1), datetime.date(years[1], 12, 31)
    expected_index, first_of_column = 0, day
    while day <= last_day:
        index = scale.column_index(day)
        if index != expected_index:
            assert index == expected_index + 1, day
            assert scale.column_days(expected_index) == (first_of_column, day - datetime.timedelta(days=1))
            expected_index, first_of_column = index, day
        day += datetime.timedelta(days=1)
    assert scale.column_days(expected_index) == (first_of_column, last_day)
    first, last = scale.column_days(0)
    if scale.by_month:
        assert first.day == 1 and last.day in {10, 15, 28, 29, 30, 31}
    else:
        assert first.day == 1 and last.month - first.month + 1 == scale.division
    if scale.division != (1 if scale.by_month else 12):  # finer than the coarsest only where a column stays MIN_COLUMN wide
        assert scale.x_after(last) - scale.x(first) >= 15


def test_a_changed_era_is_drawn_anew_not_taken_from_an_earlier_drawing():
    """The era bands are kept between drawings (serve mode draws again after an edit): an era renamed or
    moved under the same id must show its new name and span."""
    event = make_event(1, parse_span("2010-04-08"))
    before = Era("obama", "Obama administration", parse_span("2009-01-20/2017-01-20"), False, None)
    after = Era("obama", "Obama years", parse_span("2009-01-20/2013-01-20"), False, None)
    assert draw([event], [before]).select_one("g.ov-era").title.get_text() == "Obama administration, 20 January 2009 – 20 January 2017"
    assert draw([event], [after]).select_one("g.ov-era").title.get_text() == "Obama years, 20 January 2009 – 20 January 2013"
    assert draw([event], [before]).select_one("g.ov-era text").get_text() == "Obama administration"
