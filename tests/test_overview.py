"""The SVG overview: on the home, topic and actor pages, each mark a link, readable at any size."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from bs4 import BeautifulSoup

from generator.content.records import Era, Event
from generator.content.dates import DateSpan, PartialDate, parse_span
from generator.site.overview import PALETTE, STACK, render_overview, topic_colours
from htmlsite import broken_internal_links, parse
from sitefixture import write_crowded_year, write_event

THEME_CSS = Path(__file__).resolve().parent.parent / "templates" / "assets" / "style.css"


def make_event(number: int, date: DateSpan, topic: str = "diplomacy") -> Event:
    return Event(id=f"event-{number}", source_path=Path(f"event-{number}.yaml"), date=date, title=f"Event {number}",
                 summary="A summary.", body_html="", topics=(topic,), actors=(), place=None, quotes=(),
                 related=(), sources=(), draft=False)


def draw(events, eras=(), years=(2009, 2023), chronology_track="") -> BeautifulSoup:
    svg = render_overview(tuple(events), tuple(eras), years=years, colours=topic_colours(["diplomacy", "sanctions"]),
                          topic_names={"diplomacy": "Diplomacy", "sanctions": "Sanctions"},
                          link=lambda url: "../" + url + "index.html", label="Overview", chronology_track=chronology_track)
    return BeautifulSoup(svg, "html.parser")


def axis_labels(svg) -> tuple[list[str], list[str]]:
    """The year labels and the month labels under an overview's first axis, as a reader sees them."""
    first_row = svg if svg.name == "svg" else svg.select_one("svg.overview")
    detail = first_row.select("g.ov-detail")
    inside = {id(text) for group in detail for text in group.find_all("text")}
    texts = [text for text in first_row.find_all("text") if id(text) not in inside]
    return ([t.get_text() for t in texts if "ov-year" in t.get("class", [])],
            [t.get_text() for t in texts if "ov-month-name" in t.get("class", [])])


def mark_positions(svg) -> list[tuple[float, float]]:
    positions = []
    for mark in svg.select("a.ov-mark:not(.ov-count)"):
        shape = mark.find(["circle", "rect"])
        if shape.name == "circle":
            positions.append((float(shape["cx"]), float(shape["cy"])))
        else:
            positions.append((float(shape["x"]) + float(shape["width"]) / 2, float(shape["y"]) + float(shape["height"]) / 2))
    return positions


def test_home_page_overview_links_every_event_with_a_name_and_a_tooltip(built_site):
    home = parse(built_site / "index.html")
    marks = home.select("main svg.overview a")
    assert sorted(mark["href"] for mark in marks) == sorted(
        f"events/{name}/index.html" for name in ("reykjavik-meeting", "arctic-ministerial", "new-start-extension",
                                                 "reset-era", "expulsions"))
    for mark in marks:
        assert mark["aria-label"] == mark.title.get_text()
    reykjavik = home.select_one('svg.overview a[href="events/reykjavik-meeting/index.html"]')
    assert reykjavik["aria-label"] == "19 May 2021: Blinken and Lavrov meet in Reykjavik (Diplomacy)"
    assert broken_internal_links(built_site) == []


def test_a_known_day_a_range_and_an_inexact_date_look_different(built_site):
    home = parse(built_site / "index.html")
    kind = {mark["href"].split("/")[1]: mark["class"][1] for mark in home.select("svg.overview a")}
    assert kind == {"reykjavik-meeting": "ov-day", "arctic-ministerial": "ov-day", "new-start-extension": "ov-range",
                    "reset-era": "ov-inexact", "expulsions": "ov-inexact"}
    assert home.select_one('svg.overview a[href*="new-start"] rect')  # a range is a bar, a day a dot
    assert home.select_one('svg.overview a[href*="reykjavik"] circle')


def test_the_overview_has_a_text_alternative_and_a_key(built_site):
    home = parse(built_site / "index.html")
    figure = home.select_one("main figure.overview-figure")
    assert figure.select_one("svg")["aria-label"] == "Overview of the timeline"
    assert figure.figcaption.get_text().startswith("Overview of the timeline: 5 events, 2009–2021.")
    as_text = [li.get_text(" ", strip=True) for li in figure.select("details li")]
    assert as_text == ["2009 : 1 event", "2021 : 4 events"]
    key = [li.get_text(strip=True) for li in figure.select(".overview-legend li")]
    assert key[:2] == ["Arms control", "Diplomacy"]


def test_topic_and_actor_pages_draw_only_their_own_events(built_site):
    sanctions = parse(built_site / "topics" / "sanctions" / "index.html")
    assert [a["href"] for a in sanctions.select("svg.overview a")] == ["../../events/expulsions/index.html"]
    lavrov = parse(built_site / "actors" / "sergey-lavrov" / "index.html")
    assert [a["href"] for a in lavrov.select("svg.overview a")] == ["../../events/reykjavik-meeting/index.html"]


def test_eras_are_bands_behind_the_marks_with_their_names():
    era = Era("obama", "Obama administration", parse_span("2009-01-20/2017-01-20"), False, None)
    svg = draw([make_event(1, parse_span("2010-04-08"))], [era])
    band = svg.select_one("g.ov-era")
    assert band.title.get_text() == "Obama administration, 20 January 2009 – 20 January 2017"
    assert band.find("text").get_text() == "Obama administration"
    assert str(svg).index("ov-era") < str(svg).index("ov-mark")


def test_ten_thousand_events_aggregate_into_counts_and_the_svg_stays_small():
    start = datetime.date(2009, 1, 1)
    events = [make_event(n, DateSpan(PartialDate(*_ymd(start + datetime.timedelta(days=n * 5478 // 10_000)))),
                         "sanctions" if n % 3 else "diplomacy") for n in range(10_000)]
    svg = draw(events)
    counts = svg.select("a.ov-count")
    singles = svg.select("a.ov-mark:not(.ov-count)")
    assert sum(int(c.find("text").get_text()) for c in counts) + len(singles) == 10_000
    assert len(counts) + len(singles) <= 15 * 12 * STACK
    assert len(str(svg).encode()) < 50_000  # about 20 KB: 60 quarterly counts
    assert re.fullmatch(r"\d+ events in \w+–\w+ \d{4}: see \d{4}", counts[0]["aria-label"])
    assert counts[0]["href"] == "../years/2009/index.html"


def test_sixty_events_are_each_drawn_as_their_own_mark():
    events = [make_event(n, parse_span(f"{2009 + n // 4}-{1 + (n % 4) * 3:02d}-15")) for n in range(60)]
    svg = draw(events)
    assert len(svg.select("a.ov-day")) == 60
    assert svg.select("a.ov-count") == []


def test_topic_colours_contrast_with_both_theme_backgrounds():
    css = THEME_CSS.read_text(encoding="utf-8")
    backgrounds = re.findall(r"--(?:background|surface|band): (#[0-9a-f]{6})", css)
    assert len(backgrounds) >= 6  # light and dark: background, surface, band
    for colour in PALETTE:
        for background in backgrounds:
            assert _contrast(colour, background) >= 3, (colour, background)


def _ymd(day: datetime.date) -> tuple[int, int, int]:
    return day.year, day.month, day.day


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_up_to_twelve_topics_each_get_their_own_colour():
    topics = [f"topic-{number}" for number in range(12)]
    assert len(set(topic_colours(topics).values())) == 12


def test_a_topic_may_choose_its_colour(fixture_site, run_timeline):
    topics = fixture_site / "content" / "topics.yaml"
    topics.write_text(topics.read_text().replace("  name: Diplomacy\n", '  name: Diplomacy\n  colour: "#123456"\n'))
    assert run_timeline(fixture_site, "build").exit_code == 0
    svg = (fixture_site / "site" / "index.html").read_text(encoding="utf-8")
    assert 'fill="#123456"' in svg or 'stroke="#123456"' in svg


def test_a_topic_colour_must_be_hex(fixture_site, run_timeline):
    topics = fixture_site / "content" / "topics.yaml"
    topics.write_text(topics.read_text().replace("  name: Sanctions\n", "  name: Sanctions\n  colour: red\n"))
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert "content/topics.yaml:6:11: colour must be written #rrggbb (e.g. #1f7ddb), not 'red'" in result.stderr


SANCTIONS_2022 = """\
    date: 2022-03-08
    title: Energy imports banned
    summary: A sanctions event in 2022.
    topics: [sanctions]
    sources:
      - title: A report
        publisher: Reuters
        date: 2022-03-08
"""


def test_a_topic_overview_is_drawn_over_the_years_of_its_own_events(fixture_site, run_timeline):
    write_event(fixture_site, "energy-ban", SANCTIONS_2022)
    assert run_timeline(fixture_site, "build").exit_code == 0
    sanctions = parse(fixture_site / "site" / "topics" / "sanctions" / "index.html").select_one("svg.overview")
    years, months = axis_labels(sanctions)
    assert years == ["2021", "2022"]  # not the home page's 2009–2022
    assert months == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] * 2
    axis = sanctions.select_one("line.ov-axis")
    first_tick = sanctions.select_one("line.ov-month")
    assert float(first_tick["x1"]) == float(axis["x1"])  # the axis starts on 1 January 2021
    home_years, _ = axis_labels(parse(fixture_site / "site" / "index.html").select_one("svg.overview"))
    assert home_years[0] == "2009" and home_years[-1] <= "2022"


def test_the_axis_of_a_drawing_is_the_span_of_its_events():
    events = [make_event(1, parse_span("2021-04-15")), make_event(2, parse_span("2022-11-03"), "sanctions")]
    svg = draw(events, years=None)
    assert axis_labels(svg) == (["2021", "2022"], ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                                   "Oct", "Nov", "Dec"] * 2)
    (april_x, _), (november_x, _) = mark_positions(svg)
    assert 0.1 < april_x / 1000 < 0.2 and 0.85 < november_x / 1000 < 0.95  # mid-April 2021, early November 2022
    wide = draw(events + [make_event(3, parse_span("2009-06-01"))], years=None)
    years, months = axis_labels(wide)
    assert years[0] == "2009" and months == []  # thirteen years: a year axis


def test_a_year_page_has_an_overview_month_by_month(built_site):
    year = parse(built_site / "years" / "2021" / "index.html")
    svg = year.select_one("main svg.overview")
    assert len(svg.select("line.ov-month")) == 12
    assert axis_labels(svg) == (["2021"], ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    by_href = {mark["href"].split("/")[-2]: position for mark, position in zip(svg.select("a.ov-mark"), mark_positions(svg))}
    assert set(by_href) == {"new-start-extension", "expulsions", "reykjavik-meeting", "arctic-ministerial"}
    assert by_href["new-start-extension"][0] < by_href["expulsions"][0] < by_href["reykjavik-meeting"][0]
    assert year.select_one("figure.overview-figure figcaption").get_text().startswith("Overview of 2021: 4 events, 2021, month by month.")
    assert [li.get_text(" ", strip=True) for li in year.select("details.overview-text li")] == [
        "January 2021: 1 event", "April 2021: 1 event", "May 2021: 2 events"]


def test_thirty_events_in_one_year_each_keep_a_named_link_on_the_home_overview(fixture_site, run_timeline):
    write_crowded_year(fixture_site, days_apart=12)
    assert run_timeline(fixture_site, "build").exit_code == 0
    home = parse(fixture_site / "site" / "index.html")
    assert home.select_one("figure.overview-figure figcaption").get_text() == (
        "Overview of the timeline: 35 events, 2009–2021. Each mark links to its event; "
        "the most crowded years are drawn again below, month by month.")
    svg = home.select_one("main svg.overview")
    marks = svg.select("a.ov-mark")
    assert svg.select("a.ov-count") == []
    hrefs = [mark["href"] for mark in marks]
    assert len(hrefs) == len(set(hrefs)) == 35
    assert {f"events/busy-{number:02d}/index.html" for number in range(30)} <= set(hrefs)
    for mark in marks:
        assert mark["aria-label"].strip() and mark["aria-label"] == mark.title.get_text()
    positions = mark_positions(svg)
    for index, (x, y) in enumerate(positions):  # each mark its own target: none covers another
        for other_x, other_y in positions[index + 1:]:
            assert abs(x - other_x) >= 10 or abs(y - other_y) >= 10
    detail = svg.select_one("g.ov-detail")
    assert detail["role"] == "group" and detail["aria-label"] == "2021 in detail: 34 events"
    assert broken_internal_links(fixture_site / "site") == []


def test_a_timeline_of_171_events_over_35_years_draws_every_event_as_a_mark():
    counts = {year: 3 for year in range(1991, 2026)}
    counts.update({1991: 1, 2014: 8, 2018: 7, 2021: 40, 2022: 25})
    events, number = [], 0
    for year, count in counts.items():
        for index in range(count):
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=index * 360 // count)
            events.append(make_event(number, DateSpan(PartialDate(*_ymd(day))), "diplomacy" if number % 2 else "sanctions"))
            number += 1
    assert len(events) == 171
    svg = draw(events, years=None)
    marks = svg.select("a.ov-mark:not(.ov-count)")
    assert svg.select("a.ov-count") == [] and len({mark["href"] for mark in marks}) == 171
    width, height = map(float, svg.select_one("svg")["viewbox"].split()[2:])
    assert width == 1000 and height < 600
    assert len(str(svg).encode()) < 100_000


def test_us_administrations_are_drawn_above_the_axis_and_russian_presidencies_below():
    eras = [Era("clinton", "Clinton administration", parse_span("1993-01-20/2001-01-20"), False, None, "us-president"),
            Era("yeltsin", "Yeltsin presidency", parse_span("1991-12-25/1999~"), False, None, "russian-president"),
            Era("putin", "Putin presidency", parse_span("2000~"), True, None, "russian-president")]
    svg = draw([make_event(1, parse_span("1995-05-10")), make_event(2, parse_span("2000-06-04"))], eras,
               years=None, chronology_track="us-president")
    axis_y = float(svg.select_one("line.ov-axis")["y1"])
    bands = {band.title.get_text(): float(band.rect["y"]) for band in svg.select("g.ov-era")}
    assert set(bands) == {"Clinton administration, 20 January 1993 – 20 January 2001",
                          "Yeltsin presidency, 25 December 1991 – c. 1999", "Putin presidency, c. 2000–"}
    assert bands["Clinton administration, 20 January 1993 – 20 January 2001"] < axis_y
    assert bands["Yeltsin presidency, 25 December 1991 – c. 1999"] > axis_y
    assert bands["Putin presidency, c. 2000–"] > axis_y
