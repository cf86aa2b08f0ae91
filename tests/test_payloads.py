"""Hostile text in every field: each output escapes it for its own format, and it survives as data.

The browser half (nothing runs in Chromium, no CSP violation) lives in the browser tests; here
every output is parsed with a real parser.
"""

from __future__ import annotations

import csv
import io
import json

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from htmlsite import html_pages, parse
from sitefixture import write_event

PAYLOADS = {
    "script": '<script>alert("title")</script>',
    "attribute": '"><img src=x onerror=alert(1)>',
    "closing": "</script><script>alert(2)</script>",
    "template": "{{ 7*7 }} {% raw %}",
    "separator": "line\u2028separator\u2029paragraph",
    "formula": '=HYPERLINK("http://evil.example","click")',
    "rtl": "שלום עולם مرحبا",
    "emoji": "Summit 🤝 talks",
}
TITLE = " ".join(PAYLOADS.values())
BASE_URL = "https://example.org/payloads/"


def quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's syntax, with the line separators escaped)."""
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@pytest.fixture
def payload_site(fixture_site, run_timeline):
    write_event(fixture_site, "payload", f"""\
        date: 2021-06-16
        title: {quoted(TITLE)}
        summary: {quoted(PAYLOADS["formula"] + " " + PAYLOADS["closing"])}
        body: |
          Raw HTML: <script>alert("body")</script> <iframe src="https://evil.example"></iframe>
          <img src=x onerror=alert(3)> [click](javascript:alert(4)) ![img](javascript:alert(5))
          {PAYLOADS["template"]} {PAYLOADS["rtl"]} {PAYLOADS["emoji"]}
        topics: [diplomacy]
        actors: [antony-blinken]
        place: {quoted(PAYLOADS["attribute"])}
        quotes:
          - text: {quoted(PAYLOADS["closing"])}
            speaker: antony-blinken
            source: 1
        sources:
          - title: {quoted(PAYLOADS["script"])}
            publisher: {quoted(PAYLOADS["formula"])}
            url: "https://example.org/?q=%22%3E%3Cscript%3E&a=1"
        media:
          - file: media/payload.png
            alt: {quoted(PAYLOADS["attribute"])}
            caption: {quoted(PAYLOADS["script"])}
            credit: {quoted(PAYLOADS["closing"])}
            license: {quoted(PAYLOADS["template"])}
          - url: "https://example.org/map.png?a=%22%3E"
            alt: {quoted(PAYLOADS["attribute"])}
            caption: {quoted(PAYLOADS["rtl"])}
            credit: {quoted(PAYLOADS["formula"])}
    """)
    (fixture_site / "content" / "media").mkdir()
    Image.new("RGB", (40, 30), (200, 100, 0)).save(fixture_site / "content" / "media" / "payload.png")
    result = run_timeline(fixture_site, "build", "--base-url", BASE_URL)
    assert result.exit_code == 0, result.stderr
    return fixture_site / "site"


def test_picture_fields_show_as_text(payload_site):
    figures = parse(payload_site / "events" / "payload" / "index.html").select(".event-media figure")
    assert figures[0].img["alt"] == PAYLOADS["attribute"]
    assert figures[0].figcaption.get_text() == f'{PAYLOADS["script"]} {PAYLOADS["closing"]} ({PAYLOADS["template"]})'
    link = figures[1].select_one("a.media-link")
    assert (link["href"], link.get_text()) == ("https://example.org/map.png?a=%22%3E", PAYLOADS["rtl"])
    assert figures[1].find("img") is None


def test_html_pages_show_payloads_as_text_and_run_nothing(payload_site):
    page = parse(payload_site / "events" / "payload" / "index.html")
    assert page.h1.get_text() == TITLE
    assert page.select_one(".place").get_text() == PAYLOADS["attribute"]
    assert page.select_one("figure.quote blockquote").get_text(strip=True) == PAYLOADS["closing"]
    body = page.select_one(".event-body")
    assert 'alert("body")' not in str(body) and body.find("iframe") is None and body.find("img") is None
    assert all(not a.get("href", "").startswith("javascript:") for a in page.find_all("a"))
    assert "{{ 7*7 }}" in body.get_text() and "49" not in body.get_text()
    for path in html_pages(payload_site):
        soup = parse(path)
        for script in soup.find_all("script"):
            # Only the site's own files and inert JSON-LD data.
            assert script.get("src") or script.get("type") == "application/ld+json", (path, script)
        for element in soup.find_all(True):
            assert not any(name.lower().startswith("on") for name in element.attrs), (path, element)


def test_json_ld_survives_a_closing_script_tag(payload_site):
    page = (payload_site / "events" / "payload" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    assert "</script" not in scripts[0].string
    data = json.loads(scripts[0].string)
    assert data["name"] == TITLE


def test_atom_and_json_feeds_carry_payloads_as_data(payload_site):
    atom = feedparser.parse((payload_site / "feed.xml").read_bytes())
    assert not atom.bozo, atom.bozo_exception
    entry = next(entry for entry in atom.entries if entry.link.endswith("/events/payload/"))
    assert entry.title == TITLE
    feed = json.loads((payload_site / "feed.json").read_text(encoding="utf-8"))
    item = next(item for item in feed["items"] if item["url"].endswith("/events/payload/"))
    assert item["title"] == TITLE
    assert "<script>" not in item.get("content_html", "")


def test_calendar_carries_payloads_as_data(payload_site):
    calendar = icalendar.Calendar.from_ical((payload_site / "calendar.ics").read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert TITLE in summaries
    for line in (payload_site / "calendar.ics").read_bytes().split(b"\r\n"):
        assert len(line) <= 75, line  # folded as RFC 5545 says


def test_open_data_keeps_payloads_and_defuses_spreadsheet_formulas(payload_site):
    events = json.loads((payload_site / "data" / "events.json").read_text(encoding="utf-8"))
    record = next(record for record in (events["events"] if isinstance(events, dict) else events) if record["id"] == "payload")
    assert record["title"] == TITLE
    rows = list(csv.DictReader(io.StringIO((payload_site / "data" / "events.csv").read_text(encoding="utf-8-sig"))))
    row = next(row for row in rows if row["id"] == "payload")
    assert row["summary"].startswith("'=HYPERLINK(")  # a spreadsheet shows it as text, not a formula
    assert row["title"] == TITLE


def test_timelinejs_export_escapes_html_in_its_text(payload_site):
    export = json.loads((payload_site / "data" / "timelinejs.json").read_text(encoding="utf-8"))
    slide = next(slide for slide in export["events"] if slide.get("unique_id") == "payload")
    headline = BeautifulSoup(slide["text"]["headline"], "html.parser")
    assert headline.find("script") is None and headline.find("img") is None
    assert headline.get_text() == TITLE


def test_sitemap_and_feeds_are_well_formed_xml(payload_site):
    from xml.etree import ElementTree
    for name in ("sitemap.xml", "feed.xml", "topics/diplomacy/feed.xml"):
        ElementTree.parse(payload_site / name)
