"""Search over the sharded index: the same results as one index, and working search in `timeline serve`."""

from __future__ import annotations

import datetime
import json
import shutil

import pytest
from playwright.sync_api import expect

from browsing import WAIT_MS, axe_violations, serve
from generator.build.pipeline import BuildOptions, build
from generator.formats.search_index import index_for_search
from sitefixture import write_fixture_site
from test_serve import Server

EVENT_COUNT = 300
WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu").split()
# Some match a few events, some many (more than the 20 shown), one matches nothing; across every shard.
QUERIES = ("summit", "kilo", "geneva talks", "summit geneva", "moscow", "skripal", "skripal moscow", "zzzqqq")
# A word of letters and digits that only some shards hold: a shard without it splits it ("bravo", "27")
# and finds events with both parts (here "27" from a date), which one index, holding the word, never does.
# Same for a word found only inside such words ("alpha" of "alpha26"), in a shard that has none of them.
SPLIT_WORDS = ("bravo27", "alpha")


def event_yaml(number: int) -> str:
    day = datetime.date(1991, 1, 1) + datetime.timedelta(days=number * 30 * 365 // EVENT_COUNT)
    body = "The summit opened in Geneva." if number % 15 == 0 else "Talks in Moscow." if number % 4 == 0 else "A meeting."
    if number == 151:
        body = "The Skripal case."  # a plain word only one shard holds
    return (f"date: {day.isoformat()}\ntitle: Event {WORDS[number % 26]}{number}\n"
            f"summary: About {WORDS[number * 7 % 26]}{number}.\nbody: {body}\ntopics: [diplomacy]\n"
            "sources:\n  - title: A source\n    publisher: A publisher\n")


@pytest.fixture(scope="module")
def one_and_sharded(tmp_path_factory):
    """The same site twice: with its index in one shard (the build's), and in seven shards of at most 50 events."""
    root = write_fixture_site(tmp_path_factory.mktemp("shards") / "site",
                              {f"event-{number}": event_yaml(number) for number in range(EVENT_COUNT)})
    build(BuildOptions(root, root / "one"))
    assert json.loads((root / "one" / "pagefind" / "shards.json").read_text()) == ["1991-2020/"]
    shutil.copytree(root / "one", root / "sharded", ignore=shutil.ignore_patterns("pagefind"))
    index_for_search(root / "sharded", cache_dir=root / "cache", shard_events=50)
    assert len(json.loads((root / "sharded" / "pagefind" / "shards.json").read_text())) == 7
    with serve(root / "one") as one, serve(root / "sharded") as sharded:
        yield one, sharded


# Every result of the index the page loaded (the page lists 20): the module at the same address is
# the instance search.js set up, with its shards merged; a page must match each word found anywhere.
ALL_RESULTS = """async (query) => {
  const shards = await (await fetch("../pagefind/shards.json")).json();
  const pagefind = await import(`../pagefind/${shards[0]}pagefind.js`);
  const ids = async (words) => new Set((await pagefind.search(words)).results.map((hit) => hit.id));
  const perWord = (await Promise.all(query.split(" ").map(ids))).filter((found) => found.size);
  const results = (await pagefind.search(query)).results.filter((hit) => perWord.every((found) => found.has(hit.id)));
  return Promise.all(results.map(async (hit) => (await hit.data()).url));
}"""


def search(reader, url: str, query: str) -> tuple[str, set[str]]:
    """What a reader sees after typing `query`: the status line and the events listed."""
    reader.goto(url + "search/index.html")
    reader.fill("#search-input", query)
    expect(reader.locator("#search-status")).to_contain_text(query, timeout=WAIT_MS)
    links = reader.locator("#search-results a").evaluate_all("links => links.map(a => a.href)")
    return reader.locator("#search-status").text_content(), {link.split("/")[-2] for link in links}


def every_result(reader, query: str) -> set[str]:
    return {url.split("/")[-2] for url in reader.evaluate(ALL_RESULTS, query)}


@pytest.mark.parametrize("query", [*QUERIES, *(pytest.param(word, marks=pytest.mark.xfail(
    strict=True, reason="Pagefind splits a word of letters and digits in the shards that do not hold it"))
    for word in SPLIT_WORDS)])
def test_the_sharded_index_finds_what_one_index_finds(open_context, one_and_sharded, query):
    one, sharded = one_and_sharded
    reader = open_context().new_page()
    status, shown = search(reader, sharded, query)
    found = every_result(reader, query)
    assert shown <= found and (len(found) > 20 or shown == found)
    assert search(reader, one, query)[0] == status
    assert every_result(reader, query) == found
    expected = {"summit": ("20 events match “summit”.", {f"event-{n}" for n in range(0, EVENT_COUNT, 15)}),
                "moscow": (f"{EVENT_COUNT // 4 - EVENT_COUNT // 60} events match “moscow”; the first 20 are shown.",
                           {f"event-{n}" for n in range(EVENT_COUNT) if n % 15 and n % 4 == 0}),
                "zzzqqq": ("No events match “zzzqqq”.", set())}
    if query in expected:
        assert (status, found) == expected[query]
    if query == "geneva talks":
        assert axe_violations(reader) == []


@pytest.mark.parametrize("query", ["foxtrot5", "oscar14", "zulu25"])
def test_the_event_that_holds_the_word_typed_comes_first_as_in_one_index(open_context, one_and_sharded, query):
    """*foxtrot5* is also the start of *foxtrot57* in another shard, which scores its pages by its own
    statistics and, left to Pagefind, ranks it first: the page that holds the very word must come first, as
    one index puts it."""
    reader = open_context().new_page()
    for site in one_and_sharded:
        search(reader, site, query)
        assert reader.locator("#search-results a").first.text_content() == f"Event {query}"


def test_search_works_in_serve_and_follows_an_edit(chromium, fixture_site):
    server = Server(fixture_site)
    # Not open_context: serve's own additions (the inline reload script) are refused by the pages'
    # Content-Security-Policy, which that fixture counts as a failure of the page.
    context = chromium.new_context()
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        reader = context.new_page()
        status, events = search(reader, server.url, "Lavrov Reykjavik")
        assert status == "1 event match “Lavrov Reykjavik”." and events == {"reykjavik-meeting"}
        assert reader.locator("#search-results a").first.text_content() == "Blinken and Lavrov meet in Reykjavik"

        event = fixture_site / "content" / "events" / "reykjavik-meeting.yaml"
        event.write_text(event.read_text().replace("title: Blinken and Lavrov meet in Reykjavik",
                                                   "title: Blinken and Lavrov confer in Reykjavik"))
        server.wait_for_line("Search index: 1 shard(s) indexed")
        status, events = search(reader, server.url, "confer")
        assert status == "1 event match “confer”." and events == {"reykjavik-meeting"}
        assert reader.locator("#search-results a").first.text_content() == "Blinken and Lavrov confer in Reykjavik"
        assert [url for url in requests if not url.startswith(server.url)] == []
    finally:
        context.close()
        assert server.stop() == 0
