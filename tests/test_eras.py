"""Eras in tracks: US administrations and Russian presidencies side by side, nested periods, the day
one administration hands over to the next, and the mistakes an author can make in eras.yaml."""

from __future__ import annotations

import pytest

from conftest import REPO_ROOT
from generator.content.dates import parse_span
from generator.content.load import load_content
from generator.content.records import Era
from generator.content.validate import validate
from generator.site.model import build_timeline
from htmlsite import parse
from sitefixture import write_event
from test_bad_input import assert_rejected

TRACKED_ERAS = """\
obama-administration:
  name: Obama administration
  track: us-president
  start: 2009-01-20
  end: 2017-01-20
reset:
  name: The "reset"
  track: us-president
  start: 2009-02-07
  end: 2012~
trump-administration:
  name: Trump administration
  track: us-president
  start: 2017-01-20
  end: 2021-01-20
biden-administration:
  name: Biden administration
  track: us-president
  start: 2021-01-20
  end: 2025-01-20
medvedev-presidency:
  name: Medvedev presidency
  track: russian-president
  start: 2008~
  end: 2012~
putin-presidency:
  name: Putin presidency
  track: russian-president
  start: 2012~
"""


def _event(date: str, title: str) -> str:
    return f"""\
        date: {date}
        title: {title}
        summary: An event for the era tests.
        topics: [diplomacy]
        sources:
          - title: A report
            publisher: Reuters
    """


@pytest.fixture
def tracked_site(fixture_site, run_timeline):
    (fixture_site / "content" / "eras.yaml").write_text(TRACKED_ERAS, encoding="utf-8")
    with open(fixture_site / "content" / "site.yaml", "a", encoding="utf-8") as site:
        site.write("chronology_track: us-president\n")
    write_event(fixture_site, "inauguration-day", _event("2021-01-20", "On the day Biden took office"))
    write_event(fixture_site, "prague-2010", _event("2010-04-08", "A treaty signed in Prague"))
    write_event(fixture_site, "in-2012", _event("2012-06-01", "Something in 2012"))
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0, result.stderr
    return fixture_site / "site"


def _era_line(site, event_id: str) -> str:
    return parse(site / "events" / event_id / "index.html").select_one("dd.event-eras").get_text()


def test_an_event_page_names_its_era_in_each_track_chronology_track_first(tracked_site):
    assert _era_line(tracked_site, "prague-2010") == 'Obama administration (The "reset") · Medvedev presidency'
    assert _era_line(tracked_site, "reykjavik-meeting") == "Biden administration · Putin presidency"


def test_on_a_handover_day_the_event_belongs_to_the_incoming_administration(tracked_site):
    assert _era_line(tracked_site, "inauguration-day") == "Biden administration · Putin presidency"
    entry = parse(tracked_site / "index.html").select_one("li#inauguration-day")
    assert entry["data-eras"] == "biden-administration putin-presidency"


def test_a_handover_known_only_to_the_year_leaves_that_year_s_events_in_either_era(tracked_site):
    assert _era_line(tracked_site, "in-2012") == 'Obama administration (The "reset") · Medvedev presidency or Putin presidency'


def test_eras_that_touch_are_not_nested_and_a_nested_era_names_the_one_around_it(tracked_site):
    headings = [h.get_text(" ", strip=True) for h in parse(tracked_site / "index.html").select("h2.era-heading")]
    assert headings == [
        "Outside the named eras",
        'The "reset" Obama administration · 7 February 2009 – c. 2012',
        "Biden administration 20 January 2021 – 20 January 2025",
    ]
    year = [h.get_text(" ", strip=True) for h in parse(tracked_site / "years" / "2021" / "index.html").select("h2.era-heading")]
    assert year == ["Biden administration 20 January 2021 – 20 January 2025"]


def test_the_overview_draws_the_russian_track_below_the_axis(tracked_site):
    svg = parse(tracked_site / "index.html").select_one("svg.overview")
    axis_y = float(svg.select_one("line.ov-axis")["y1"])
    below = [band.title.get_text() for band in svg.select("g.ov-era") if float(band.rect["y"]) > axis_y]
    above = [band.title.get_text() for band in svg.select("g.ov-era") if float(band.rect["y"]) < axis_y]
    assert below == ["Medvedev presidency, c. 2008 – c. 2012", "Putin presidency, c. 2012–"]
    assert above == ["Obama administration, 20 January 2009 – 20 January 2017",
                     "Trump administration, 20 January 2017 – 20 January 2021",
                     "Biden administration, 20 January 2021 – 20 January 2025"]


def test_containment_is_the_whole_span_and_a_handover_is_one_date():
    def era(era_id, span, track="us-president", ongoing=False):
        return Era(era_id, era_id, parse_span(span), ongoing, None, track)

    trump, biden = era("trump", "2017-01-20/2021-01-20"), era("biden", "2021-01-20/2025-01-20")
    obama, reset = era("obama", "2009-01-20/2017-01-20"), era("reset", "2009-02-07/2012~")
    assert not trump.contains(biden) and not biden.contains(trump)
    assert trump.hands_over_to(biden) and not biden.hands_over_to(trump)
    assert obama.contains(reset) and not reset.contains(obama)
    assert not obama.contains(era("medvedev", "2009-02-07/2012~", track="russian-president"))
    assert era("open", "2025-01-20", ongoing=True).contains(era("later", "2026-01-01", ongoing=True))


@pytest.fixture
def good_site(fixture_site, run_timeline):
    assert run_timeline(fixture_site, "build").exit_code == 0
    return fixture_site


def test_eras_overlapping_in_a_track_are_an_error_at_the_later_one_s_start(good_site, run_timeline):
    (good_site / "content" / "eras.yaml").write_text(TRACKED_ERAS.replace("  start: 2021-01-20\n", "  start: 2020-11-03\n"), encoding="utf-8")
    with open(good_site / "content" / "site.yaml", "a", encoding="utf-8") as site:
        site.write("chronology_track: us-president\n")
    assert_rejected(run_timeline, good_site, [
        ("content/eras.yaml", 19, 10, r"era 'biden-administration' overlaps era 'trump-administration' in track 'us-president': "
                                      r"eras in one track follow each other \(one ends on the day the next starts\) or nest"),
    ])


def test_an_era_without_a_track_among_tracked_ones_and_a_misspelt_chronology_track(good_site, run_timeline):
    (good_site / "content" / "eras.yaml").write_text(TRACKED_ERAS.replace("  track: russian-president\n  start: 2012~\n", "  start: 2012~\n"), encoding="utf-8")
    with open(good_site / "content" / "site.yaml", "a", encoding="utf-8") as site:
        site.write("chronology_track: us-presidents\n")
    assert_rejected(run_timeline, good_site, [
        ("content/eras.yaml", 26, 1, r"era 'putin-presidency' has no 'track' while other eras do: add one, e.g. 'track: us-president'"),
        ("content/site.yaml", 4, 19, r"no era is in track 'us-presidents' — did you mean 'us-president'\?"),
    ])


def test_several_tracks_need_a_chronology_track(good_site, run_timeline):
    (good_site / "content" / "eras.yaml").write_text(TRACKED_ERAS, encoding="utf-8")
    assert_rejected(run_timeline, good_site, [
        ("content/site.yaml", 1, 1, r"eras.yaml has several tracks \(russian-president, us-president\): name the one that heads "
                                    r"the timeline's sections, e.g. 'chronology_track: russian-president'"),
    ])


def test_the_timeline_places_every_event_in_a_us_administration_and_a_russian_presidency():
    content = validate(load_content(REPO_ROOT / "content"))
    assert content.config.chronology_track == "us-president"
    timeline = build_timeline(content, include_drafts=False)
    for event in timeline.events:
        tracks = [place.track for place in timeline.eras_of[event.id]]
        assert tracks == ["us-president", "russian-president"], (event.id, tracks)
    us = sorted((era for era in content.eras if era.track == "us-president"), key=lambda era: era.first_day)
    starts = {era.id: era.date.start.iso for era in us}
    assert starts["bush-41-administration"] == "1989-01-20" and starts["trump-second-administration"] == "2025-01-20"
    assert all(start.endswith("-01-20") for era_id, start in starts.items() if era_id != "reset")
    assert [era.id for era in content.eras if era.ongoing] == ["trump-second-administration", "putin-presidency-2012"]


def test_eras_without_a_track_may_overlap_as_timelinejs_eras_do(fixture_site, run_timeline):
    (fixture_site / "content" / "eras.yaml").write_text(
        "spring:\n  name: Spring 2021\n  start: 2021-03\n  end: 2021-05-19\n"
        "summit-season:\n  name: Summit season\n  start: 2021-05\n  end: 2021-07\n", encoding="utf-8")
    assert run_timeline(fixture_site, "build").exit_code == 0
    line = parse(fixture_site / "site" / "events" / "reykjavik-meeting" / "index.html").select_one("dd.event-eras")
    assert line.get_text() == "Spring 2021, Summit season"
