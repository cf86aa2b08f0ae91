"""Feeds, calendar, open data, sitemap and sharing tags, as feed readers, calendars and crawlers read them."""

from __future__ import annotations

import csv
import datetime
import io
import json
from xml.etree import ElementTree

import feedparser
import icalendar
import jsonschema
import pytest

from htmlsite import broken_internal_links, html_pages, parse
from sitefixture import write_event

BASE_URL = "https://example.org/timeline/"
EVENT_IDS = {"reset-era", "new-start-extension", "expulsions", "reykjavik-meeting", "arctic-ministerial"}


@pytest.fixture
def published_site(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "build", "--base-url", BASE_URL)
    assert result.exit_code == 0, result.stderr
    assert "Note:" not in result.stdout
    return fixture_site / "site"


def test_atom_feed_parses_cleanly_with_absolute_links(published_site):
    feed = feedparser.parse((published_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Fixture Timeline"
    assert feed.feed.links[0].href == BASE_URL + "feed.xml"
    links = [entry.link for entry in feed.entries]
    assert links[0] == BASE_URL + "events/arctic-ministerial/"  # newest first
    assert {link.removeprefix(BASE_URL + "events/").rstrip("/") for link in links} == EVENT_IDS
    assert all(entry.id == entry.link for entry in feed.entries)
    meeting = next(entry for entry in feed.entries if entry.link.endswith("/reykjavik-meeting/"))
    assert meeting.summary == "The two ministers held their first face-to-face talks."
    assert "<strong>nearly two hours</strong>" in meeting.content[0].value
    assert '<a href="https://www.state.gov/example-readout">' in meeting.content[0].value
    assert meeting.published_parsed[:3] == (2021, 5, 19)


def test_feed_ids_and_bytes_are_stable_between_builds(published_site, fixture_site, run_timeline):
    first = (published_site / "feed.xml").read_bytes()
    run_timeline(fixture_site, "build", "--base-url", BASE_URL)
    assert (published_site / "feed.xml").read_bytes() == first


def test_topic_feed_holds_only_that_topics_events(published_site):
    feed = feedparser.parse((published_site / "topics" / "sanctions" / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Expulsions known only to the month"]
    assert feed.feed.link == BASE_URL + "topics/sanctions/"


def test_json_feed_has_the_version_1_1_fields(published_site):
    feed = json.loads((published_site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Fixture Timeline"
    assert feed["home_page_url"] == BASE_URL
    assert feed["feed_url"] == BASE_URL + "feed.json"
    assert feed["language"] == "en"
    assert len(feed["items"]) == 5
    for item in feed["items"]:
        assert item["id"] == item["url"] and item["url"].startswith(BASE_URL + "events/")
        assert item["title"] and item["summary"] and item["content_html"]
        datetime.datetime.fromisoformat(item["date_published"])
    meeting = next(item for item in feed["items"] if item["url"].endswith("/reykjavik-meeting/"))
    assert meeting["external_url"] == "https://www.state.gov/example-readout"
    assert meeting["tags"] == ["Diplomacy"]


def _calendar_events(site) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    return {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize(("event_id", "start", "end"), [
    ("reykjavik-meeting", datetime.date(2021, 5, 19), datetime.date(2021, 5, 20)),    # a day
    ("new-start-extension", datetime.date(2021, 1, 26), datetime.date(2021, 2, 4)),   # a range, end exclusive
    ("expulsions", datetime.date(2021, 4, 1), datetime.date(2021, 5, 1)),             # a month
    ("reset-era", datetime.date(2009, 1, 1), datetime.date(2010, 1, 1)),              # a year
])
def test_calendar_events_are_all_day_and_span_their_precision(published_site, event_id, start, end):
    event = _calendar_events(published_site)[event_id]
    assert event.decoded("dtstart") == start and not isinstance(event.decoded("dtstart"), datetime.datetime)
    assert event.decoded("dtend") == end
    assert event["dtstart"].params["VALUE"] == "DATE"


def test_calendar_round_trips_with_stable_uids_urls_and_summaries(published_site):
    raw = (published_site / "calendar.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar.to_ical() == raw
    events = _calendar_events(published_site)
    assert set(events) == EVENT_IDS
    meeting = events["reykjavik-meeting"]
    assert str(meeting["uid"]) == "reykjavik-meeting@example.org/timeline"
    assert str(meeting["summary"]) == "Blinken and Lavrov meet in Reykjavik"
    assert str(meeting["url"]) == BASE_URL + "events/reykjavik-meeting/"
    assert str(meeting["location"]) == "Reykjavik, Iceland"
    assert str(events["reset-era"]["description"]).startswith("Date: c. 2009.")


def test_events_json_follows_its_published_schema(published_site):
    data = json.loads((published_site / "data" / "events.json").read_text(encoding="utf-8"))
    schema = json.loads((published_site / "data" / "events.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["$schema"] == BASE_URL + "data/events.schema.json"
    events = {event["id"]: event for event in data["events"]}
    assert set(events) == EVENT_IDS
    meeting = events["reykjavik-meeting"]
    assert meeting["quotes"] == [{"text": "We seek a predictable, stable relationship with Russia.",
                                  "speaker": "antony-blinken", "source": 1}]
    assert meeting["related"] == [{"event": "arctic-ministerial", "relation": "part-of"}]
    assert meeting["sources"][1]["url"] == "https://www.state.gov/example-readout"
    assert events["reset-era"]["approximate"] is True and events["reset-era"]["precision"] == "year"
    assert (events["new-start-extension"]["start"], events["new-start-extension"]["end"]) == ("2021-01-26", "2021-02-03")
    broken = dict(data, events=[dict(meeting, precision="week")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


def _csv_rows(site) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((site / "data" / "events.csv").read_text(encoding="utf-8-sig"))))


def test_events_csv_has_one_row_per_event(published_site):
    rows = _csv_rows(published_site)
    assert list(rows[0]) == ["id", "start", "end", "precision", "title", "summary", "topics", "actors", "place",
                             "url", "source_urls"]
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == EVENT_IDS
    meeting = by_id["reykjavik-meeting"]
    assert meeting["actors"] == "antony-blinken; sergey-lavrov"
    assert meeting["place"] == "Reykjavik, Iceland"
    assert meeting["source_urls"] == "https://www.state.gov/example-readout"
    assert meeting["url"] == BASE_URL + "events/reykjavik-meeting/"
    assert (by_id["expulsions"]["start"], by_id["expulsions"]["precision"]) == ("2021-04", "month")


def test_csv_cells_cannot_run_as_spreadsheet_formulas(fixture_site, run_timeline):
    write_event(fixture_site, "formula", """\
        date: 2021-06-01
        title: =HYPERLINK("http://evil.example/","click")
        summary: "+1 and -1 and @SUM(A1)"
        topics: [diplomacy]
        sources:
          - title: A source
            publisher: Reuters
    """)
    assert run_timeline(fixture_site, "build").exit_code == 0
    row = next(row for row in _csv_rows(fixture_site / "site") if row["id"] == "formula")
    assert row["title"] == "'=HYPERLINK(\"http://evil.example/\",\"click\")"
    assert row["summary"] == "'+1 and -1 and @SUM(A1)"


def test_sitemap_lists_every_page_and_robots_names_it(published_site):
    root = ElementTree.parse(published_site / "sitemap.xml").getroot()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in root.findall("s:url/s:loc", namespace)}
    pages = {BASE_URL + path.relative_to(published_site).as_posix().removesuffix("index.html")
             for path in html_pages(published_site) if path.name != "404.html" and "embed" not in path.parts}
    assert listed == pages and len(pages) == 18  # 17 pages of the fixture, and the search page
    assert (published_site / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {BASE_URL}sitemap.xml"


def test_every_page_announces_the_feeds_and_sharing_tags(published_site):
    for path in html_pages(published_site):
        if "embed" in path.relative_to(published_site).parts:
            continue  # made for an <iframe> in another site's article: nothing to announce there
        head = parse(path).head
        feeds = {link["type"]: link["href"] for link in head.select('link[rel="alternate"]')}
        assert "application/atom+xml" in feeds and "application/feed+json" in feeds, path
        card = "summary_large_image" if path.parent.parent.name == "events" else "summary"  # event pages have a share card
        assert head.select_one('meta[name="twitter:card"]')["content"] == card, path
    event = parse(published_site / "events" / "reykjavik-meeting" / "index.html").head
    assert event.select_one('meta[property="og:title"]')["content"] == "Blinken and Lavrov meet in Reykjavik"
    assert event.select_one('meta[property="og:type"]')["content"] == "article"
    assert event.select_one('meta[property="og:url"]')["content"] == BASE_URL + "events/reykjavik-meeting/"
    assert event.select_one('link[rel="canonical"]')["href"] == BASE_URL + "events/reykjavik-meeting/"
    topic = parse(published_site / "topics" / "sanctions" / "index.html").head
    assert "../../topics/sanctions/feed.xml" in [link["href"] for link in topic.select('link[rel="alternate"]')]
    assert broken_internal_links(published_site) == []


def test_event_json_ld_survives_a_closing_script_tag_in_any_field(fixture_site, run_timeline):
    hostile = "</script><script>alert(1)</script> & <!--"
    write_event(fixture_site, "hostile", f"""\
        date: 2021-06-01
        title: "{hostile}"
        summary: "Summary {hostile}"
        place: "{hostile}"
        topics: [diplomacy]
        sources:
          - title: A source
            publisher: Reuters
    """)
    assert run_timeline(fixture_site, "build", "--base-url", BASE_URL).exit_code == 0
    page = parse(fixture_site / "site" / "events" / "hostile" / "index.html")
    scripts = page.select('script[type="application/ld+json"]')
    assert len(scripts) == 1 and not page.select("script:not([type]):not([src])")
    data = json.loads(scripts[0].string)
    assert data["@type"] == "Event"
    assert data["name"] == hostile and data["location"]["name"] == hostile
    assert data["startDate"] == "2021-06-01"
    assert data["url"] == BASE_URL + "events/hostile/"


def test_without_a_base_url_feeds_and_sitemap_are_left_out_with_a_note(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0
    assert "; feeds, share cards, sitemap.xml and robots.txt were not written" in result.stdout
    site = fixture_site / "site"
    assert not (site / "feed.xml").exists() and not (site / "sitemap.xml").exists()
    assert (site / "calendar.ics").is_file() and (site / "data" / "events.csv").is_file()
    assert not parse(site / "index.html").head.select('link[rel="alternate"]')
    assert _csv_rows(site)[0]["url"] == "events/reset-era/"


def test_about_page_links_to_the_data(built_site):
    about = parse(built_site / "about" / "index.html")
    hrefs = [a["href"] for a in about.select(".data-links a")]
    assert "../data/events.csv" in hrefs and "../calendar.ics" in hrefs and "../data/events.json" in hrefs
    assert broken_internal_links(built_site) == []
