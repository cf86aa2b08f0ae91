"""A search on a large timeline downloads only the index chunks it needs, not the whole index."""

from __future__ import annotations

import datetime

import pytest

from browsing import serve
from generator.build.pipeline import BuildOptions, build
from sitefixture import write_fixture_site

EVENT_COUNT = 2000
WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu").split()


@pytest.fixture(scope="module")
def large_site_url(tmp_path_factory):
    events = {}
    for number in range(EVENT_COUNT):
        day = datetime.date(2009, 1, 1) + datetime.timedelta(days=number * 5000 // EVENT_COUNT)
        events[f"event-{number}"] = (f"date: {day.isoformat()}\ntitle: Event {WORDS[number % 26]}{number}\n"
                                     f"summary: About {WORDS[number * 7 % 26]}{number}.\ntopics: [diplomacy]\n"
                                     "sources:\n  - title: A source\n    publisher: A publisher\n")
    root = write_fixture_site(tmp_path_factory.mktemp("large") / "site", events)
    build(BuildOptions(root, root / "site"))
    chunks = len(list((root / "site" / "pagefind").glob("*/index/*")))
    with serve(root / "site") as url:
        yield url, chunks


def test_a_search_among_2000_events_fetches_a_fraction_of_the_index(open_context, large_site_url):
    url, chunk_count = large_site_url
    assert chunk_count > 3
    reader = open_context().new_page()
    fetched = []
    reader.on("request", lambda request: "/pagefind/" in request.url and "/index/" in request.url and fetched.append(request.url))
    reader.goto(url + "search/index.html")
    reader.fill("#search-input", "bravo1")
    reader.locator("#search-results a").first.wait_for()
    assert reader.locator("#search-results a").first.text_content() == "Event bravo1"
    assert 1 <= len(set(fetched)) < chunk_count / 2
