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

THEME_CSS = Path(__file__).resolve().parent.parent / "templates" / "assets" / "style.css"


def make_event(number: int, date: DateSpan, topic: str = "diplomacy") -> Event:
    return Event(id=f"event-{number}", source_path=Path(f"event-{number}.yaml"), date=date, title=f"Event {number}",
                 summary="A summary.", body_html="", topics=(topic,), actors=(), place=None, quotes=(),
                 related=(), sources=(), draft=False)


def draw(events, eras=(), years=(2009, 2023)) -> BeautifulSoup:
    svg = render_overview(tuple(events), tuple(eras), years=years, colours=topic_colours(["diplomacy", "sanctions"]),
                          topic_names={"diplomacy": "Diplomacy", "sanctions": "Sanctions"},
                          link=lambda url: "../" + url + "index.html", label="Overview")
    return BeautifulSoup(svg, "html.parser")


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
    assert parse(built_site / "years" / "2021" / "index.html").select("svg.overview") == []


def test_eras_are_bands_behind_the_marks_with_their_names():
    era = Era("obama", "Obama administration", parse_span("2009-01-20/2017-01-20"), False, None)
    svg = draw([make_event(1, parse_span("2010-04-08"))], [era])
    band = svg.select_one("g.ov-era")
    assert band.title.get_text() == "Obama administration"
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
