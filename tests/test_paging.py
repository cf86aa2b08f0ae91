"""Above the list threshold, the home page summarises and term pages split in parts; nothing is lost."""

from __future__ import annotations

import pytest

import generator.site.paging
from htmlsite import broken_internal_links, parse
from test_html_valid import vnu_errors


@pytest.fixture
def split_site(fixture_site, run_timeline, monkeypatch):
    monkeypatch.setattr(generator.site.paging, "LIST_LIMIT", 2)
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0, result.stderr
    return fixture_site / "site"


def _entry_ids(page) -> list[str]:
    return [entry["id"] for entry in parse(page).select("li.event-entry")]


def test_the_short_fixture_keeps_every_event_on_the_home_page(built_site):
    home = parse(built_site / "index.html")
    assert len(home.select("li.event-entry")) == len(list((built_site / "events").iterdir()))
    assert not home.select(".year-index") and not parse(built_site / "topics" / "diplomacy" / "index.html").select("nav.parts")


def test_a_long_timeline_home_page_links_into_every_year_instead(split_site):
    home = parse(split_site / "index.html")
    assert not home.select("li.event-entry")
    years = sorted(path.name for path in (split_site / "years").iterdir() if path.is_dir())
    assert [link.get_text() for link in home.select(".year-index a")] == years
    assert home.select("figure")  # the overview stays


def test_a_long_term_list_is_split_in_parts_holding_each_event_once(split_site):
    topic = split_site / "topics" / "diplomacy"
    first = parse(topic / "index.html")
    parts = [link["href"] for link in first.select_one("nav.parts").select("a")]
    assert len(parts) >= 2, "the fixture's diplomacy topic has more than two events"
    listed = _entry_ids(topic / "index.html")
    for number in range(2, len(parts) + 1):
        page = topic / str(number) / "index.html"
        assert f"part {number} of {len(parts)}" in parse(page).title.get_text()
        listed += _entry_ids(page)
    assert all(len(_entry_ids(path)) <= 2 for path in [topic / "index.html", *topic.glob("*/index.html")])
    count = int(first.select_one("p.count").get_text().split()[0])
    assert len(listed) == len(set(listed)) == count


def test_every_link_of_a_split_site_lands_and_its_pages_are_valid(split_site):
    assert broken_internal_links(split_site) == []
    # The breadcrumb of an event leads to its entry in its year's list.
    event = next((split_site / "events").iterdir()) / "index.html"
    crumb = parse(event).select(".breadcrumb a")[0]["href"]
    assert "years/" in crumb and crumb.endswith("#" + event.parent.name)
    assert vnu_errors(split_site) == []
