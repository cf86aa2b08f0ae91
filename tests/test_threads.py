"""Threads and embeds as a reader and an author meet them: threads.yaml's errors, the thread pages,
the event page's thread block, /threads/, the embeds, and the outputs that list threads."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest

from conftest import REPO_ROOT, tree_digest
from generator.build.linkcheck import broken_links, orphan_pages, read_site
from generator.content.dates import gap_between, parse_span
from htmlsite import parse
from sitefixture import THREADS, write_fixture_site

BASE_URL = "https://example.org/repo/"


def threads_file(site):
    return site / "content" / "threads.yaml"


@pytest.fixture
def fixture_site(tmp_path):
    """The fixture site with its two threads (sitefixture.THREADS)."""
    return write_fixture_site(tmp_path / "fixture", threads=THREADS)


# (case id, threads.yaml text, expected 'line:col: message' patterns, all reported by one build)
BAD_THREADS = [
    ("unknown-field", THREADS.replace("  title: From the treaty", "  titel: From the treaty"),
     [r"threads.yaml:2:3: unknown field 'titel' in thread 'talks' — did you mean 'title'\?",
      r"threads.yaml:2:3: thread 'talks' is missing the required field 'title'"]),
    ("unknown-event", THREADS.replace("new-start-extension, expulsions]", "new-start-extension, expulsion]"),
     [r"threads.yaml:4:52: unknown event 'expulsion' in thread 'talks' — did you mean 'expulsions'\?"]),
    ("unknown-start", THREADS.replace("from: new-start-extension", "from: new-start-extensions"),
     [r"threads.yaml:8:9: unknown event 'new-start-extensions' in thread 'treaty' — did you mean 'new-start-extension'\?"]),
    ("unknown-relation", THREADS.replace("follow: [follows]", "follow: [folows]"),
     [r"threads.yaml:9:12: unknown relation 'folows' — did you mean 'follows'\?: use one of response-to, follows"]),
    ("follow-without-from", THREADS.replace("  from: new-start-extension\n", "  events: [expulsions, reset-era]\n"),
     [r"threads.yaml:9:11: 'follow' needs 'from' in thread 'treaty'"]),
    ("no-events", THREADS.replace("  events: [reykjavik-meeting, new-start-extension, expulsions]\n", ""),
     [r"threads.yaml:2:3: thread 'talks' has no events: list them in 'events', or gather them with 'from'"]),
    ("empty-list", THREADS.replace("[reykjavik-meeting, new-start-extension, expulsions]", "[]"),
     [r"threads.yaml:4:11: 'events' of thread 'talks' is empty: name at least one event"]),
    ("one-event", THREADS.replace("[reykjavik-meeting, new-start-extension, expulsions]", "[expulsions]"),
     [r"threads.yaml:2:3: thread 'talks' has 1 event: a thread needs at least two"]),
    ("listed-twice", THREADS.replace("new-start-extension, expulsions]", "expulsions, expulsions]"),
     [r"threads.yaml:4:43: event 'expulsions' is named twice in 'events' of thread 'talks': keep one"]),
    ("bad-id", THREADS.replace("treaty:", "The Treaty:"),
     [r"threads.yaml:5:1: 'The Treaty' is not a valid id"]),
]


@pytest.mark.parametrize("text, expected", [case[1:] for case in BAD_THREADS], ids=[case[0] for case in BAD_THREADS])
def test_each_mistake_in_threads_yaml_is_located_and_the_old_site_kept(fixture_site, run_timeline, text, expected):
    assert run_timeline(fixture_site, "build").exit_code == 0
    before = tree_digest(fixture_site / "site")
    threads_file(fixture_site).write_text(text, encoding="utf-8")
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    for pattern in expected:
        assert re.search(r"content/" + pattern, result.stderr), result.stderr
    assert tree_digest(fixture_site / "site") == before


def test_every_thread_problem_is_reported_in_one_run(fixture_site, run_timeline):
    text = THREADS.replace("expulsions]", "expulsion]").replace("follow: [follows]", "follow: [folows]")
    threads_file(fixture_site).write_text(text + "empty:\n  title: Nothing\n  description: No events.\n", encoding="utf-8")
    result = run_timeline(fixture_site, "check")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "threads.yaml:" in line]
    assert [line.split("threads.yaml:")[1].split(":")[0] for line in lines] == ["4", "9", "11"], result.stderr
    assert "3 error(s) in the content." in result.stderr


@pytest.mark.parametrize("earlier, later, words", [
    ("2021-01-26", "2021-01-26", "the same day"),
    ("2021-01-26", "2021-01-27", "the next day"),
    ("2021-01-26", "2021-01-29", "3 days later"),
    ("2021-01-26", "2021-02-20", "3 weeks later"),
    ("2010-04-08", "2011-06-08", "14 months later"),
    ("2011-02-05", "2021-02-03", "9 years and 11 months later"),
    ("2021-04", "2021-04-03", "the same month"),  # a month-precise date never yields days
    ("2021-04-30", "2021-05", "1 month later"),
    ("2009", "2021-05-19", "12 years later"),
    ("2021-05-19", "2021", "the same year"),
    ("2021-05-19~", "2021-05-22", "about 3 days later"),
    ("2021-01-26/2021-01-29", "2021-02-03", "8 days later"),  # from start to start, the order of the thread
])
def test_the_gap_between_two_dates_says_no_more_than_both_dates_know(earlier, later, words):
    assert gap_between(parse_span(earlier), parse_span(later)) == words


def test_the_thread_page_shows_its_overview_then_its_events_in_order_with_relations_and_gaps(built_site):
    page = parse(built_site / "threads" / "talks" / "index.html")
    assert page.h1.get_text() == "From the treaty to the talks"
    assert page.select_one("p.lead").get_text().startswith("The extension of New START")
    assert page.select_one("p.count").get_text(" ", strip=True).startswith(
        "3 events, 26 January – 3 February 2021 to 19 May 2021")
    overview = page.select_one("figure.overview-figure svg.overview")
    assert overview is not None
    assert {a["href"] for a in overview.select("a")} == {
        "../../events/new-start-extension/index.html", "../../events/expulsions/index.html",
        "../../events/reykjavik-meeting/index.html"}
    steps = page.select("ol.thread-steps > li")
    assert [step["id"] for step in steps] == ["new-start-extension", "expulsions", "reykjavik-meeting"]
    assert [step.select_one("h2 a")["href"] for step in steps] == [
        "../../events/new-start-extension/index.html", "../../events/expulsions/index.html",
        "../../events/reykjavik-meeting/index.html"]
    assert steps[0].select_one(".thread-link") is None
    # A month-precise date against a day: months, never days.
    assert steps[1].select_one(".thread-link").get_text(" ", strip=True) == (
        "3 months later · Follows New START is extended for five years")
    assert steps[1].select_one(".thread-link a")["href"] == "#new-start-extension"
    assert steps[2].select_one(".thread-link").get_text(" ", strip=True) == "1 month later"  # 'see also' says nothing of order
    assert [step.select_one(".event-date").get_text(" ", strip=True).split(" · ")[0] for step in steps] == [
        "1 of 3", "2 of 3", "3 of 3"]


def test_a_relation_written_on_the_earlier_event_reads_from_the_later_one(fixture_site, run_timeline):
    threads_file(fixture_site).write_text(
        "meeting:\n  title: The meeting\n  description: Both meetings.\n  from: arctic-ministerial\n  follow: [part-of]\n",
        encoding="utf-8")
    assert run_timeline(fixture_site, "build").exit_code == 0
    steps = parse(fixture_site / "site" / "threads" / "meeting" / "index.html").select("ol.thread-steps > li")
    assert [step["id"] for step in steps] == ["reykjavik-meeting", "arctic-ministerial"]
    assert steps[1].select_one(".thread-link").get_text(" ", strip=True) == (
        "The next day · Includes Blinken and Lavrov meet in Reykjavik")


def test_the_event_page_shows_each_thread_its_place_and_its_neighbours_there(built_site):
    block = parse(built_site / "events" / "expulsions" / "index.html").select_one("section.event-threads")
    assert block.h2.get_text() == "Threads"
    places = block.select("ul.thread-places > li")
    assert [place.select_one(".thread-place").get_text(" ", strip=True) for place in places] == [
        "From the treaty to the talks 2 of 3", "The treaty and what followed 2 of 2"]
    assert places[0].select_one(".thread-place a")["href"] == "../../threads/talks/index.html"
    neighbours = [(li.select_one(".relation").get_text(), li.a["href"]) for li in places[0].select(".thread-neighbours li")]
    assert neighbours == [("Previous", "../../events/new-start-extension/index.html"),
                          ("Next", "../../events/reykjavik-meeting/index.html")]
    assert [li.select_one(".relation").get_text() for li in places[1].select(".thread-neighbours li")] == ["Previous"]
    assert parse(built_site / "events" / "arctic-ministerial" / "index.html").select_one("section.event-threads") is None


def test_threads_are_listed_with_their_spans_and_reached_from_the_nav(built_site):
    page = parse(built_site / "threads" / "index.html")
    entries = page.select("ul.thread-list > li")
    assert [(li.a.get_text(), li.a["href"]) for li in entries] == [
        ("From the treaty to the talks", "../threads/talks/index.html"),
        ("The treaty and what followed", "../threads/treaty/index.html")]
    assert entries[1].select_one(".count").get_text(" ", strip=True) == (
        "2 events, 26 January – 3 February 2021 to April 2021")
    nav = parse(built_site / "index.html").select_one("header nav")
    assert nav.find("a", string="Threads")["href"] == "threads/index.html"
    assert page.select_one('header nav a[aria-current="page"]').get_text() == "Threads"


def test_without_threads_there_is_no_threads_page_nor_nav_link(fixture_site, run_timeline):
    threads_file(fixture_site).unlink()
    assert run_timeline(fixture_site, "build").exit_code == 0
    assert not (fixture_site / "site" / "threads").exists()
    assert parse(fixture_site / "site" / "index.html").select_one("header nav").find("a", string="Threads") is None


def test_a_thread_leaves_out_drafts_unless_they_are_built(fixture_site, run_timeline):
    path = fixture_site / "content" / "events" / "expulsions.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "draft: true\n", encoding="utf-8")
    assert run_timeline(fixture_site, "build").exit_code == 0
    steps = parse(fixture_site / "site" / "threads" / "talks" / "index.html").select("ol.thread-steps > li")
    assert [step["id"] for step in steps] == ["new-start-extension", "reykjavik-meeting"]
    assert run_timeline(fixture_site, "build", "--drafts").exit_code == 0
    assert len(parse(fixture_site / "site" / "threads" / "talks" / "index.html").select("ol.thread-steps > li")) == 3


@pytest.mark.parametrize("embed, full_page, events", [
    ("embed/threads/talks/index.html", "../../../threads/talks/index.html", 3),
    ("embed/topics/diplomacy/index.html", "../../../topics/diplomacy/index.html", 4),
])
def test_an_embed_is_compact_links_out_to_the_full_site_and_credits_it(built_site, embed, full_page, events):
    page = parse(built_site / embed)
    assert page.select("header, nav, .site-header, .skip-link") == []
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select("[data-pagefind-body]") == []
    assert page.select_one("base")["target"] == "_blank"
    assert page.select_one("h1 a")["href"] == full_page
    marks = page.select("figure.overview-figure svg.overview a")
    assert marks and all(mark["target"] == "_blank" and mark["rel"] == ["noopener"] for mark in marks)
    items = page.select("ol.embed-events > li")
    assert len(items) == events
    links = page.select("main a[href], footer a[href]")
    for link in links:
        assert link.get("target", "_blank") == "_blank", link  # <base target="_blank"> covers the rest
        if link.name == "a" and link.has_attr("rel"):
            assert "noopener" in link["rel"]
        assert (built_site / embed).parent.joinpath(link["href"].split("#")[0]).resolve().is_file(), link["href"]
    assert all(item.a["href"].startswith("../../../events/") for item in items)
    credit = page.select_one("footer.embed-credit")
    assert credit.get_text(" ", strip=True).startswith("From Fixture Timeline")
    assert credit.a["href"] == "../../../index.html"
    assert page.select('script[src]') == []


def test_thread_and_topic_pages_offer_the_iframe_code_with_a_note_when_the_address_is_unknown(built_site):
    for path, src in (("threads/talks/index.html", "/embed/threads/talks/"), ("topics/diplomacy/index.html", "/embed/topics/diplomacy/")):
        section = parse(built_site / path).select_one("section.embed-this")
        assert section.h2.get_text() == "Embed this"
        code = section.select_one("pre#embed-code").get_text()
        assert code.startswith(f'<iframe src="{src}" title=')
        assert code.endswith("></iframe>")
        assert section.select_one(".embed-note") is not None
        assert section.select_one(".copy-row").has_attr("hidden")  # the button is script's to show
        assert section.select_one("button.copy-button")["data-copy-target"] == "embed-code"
        assert section.find("a", string="See the embed on its own")["href"] == "../.." + src + "index.html"
    assert parse(built_site / "actors" / "antony-blinken" / "index.html").select_one("section.embed-this") is None


@pytest.fixture
def published_site(fixture_site, run_timeline):
    assert run_timeline(fixture_site, "build", "--base-url", BASE_URL).exit_code == 0
    return fixture_site / "site"


def test_with_a_base_url_the_iframe_code_names_the_embed_by_its_address(published_site):
    section = parse(published_site / "threads" / "talks" / "index.html").select_one("section.embed-this")
    assert section.select_one("pre").get_text() == (
        f'<iframe src="{BASE_URL}embed/threads/talks/" title="From the treaty to the talks · Fixture Timeline" '
        'width="100%" height="560" style="border:0" loading="lazy"></iframe>')
    assert section.select_one(".embed-note") is None


def test_threads_are_in_the_sitemap_and_feeds_and_embeds_are_not_in_the_sitemap(published_site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in ElementTree.parse(published_site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)}
    assert {f"{BASE_URL}threads/", f"{BASE_URL}threads/talks/", f"{BASE_URL}threads/treaty/"} <= listed
    assert not [url for url in listed if "/embed/" in url]
    feed = ElementTree.parse(published_site / "threads" / "talks" / "feed.xml").getroot()
    atom = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:title", atom).text == "From the treaty to the talks · Fixture Timeline"
    assert [entry.find("a:id", atom).text for entry in feed.findall("a:entry", atom)] == [
        f"{BASE_URL}events/reykjavik-meeting/", f"{BASE_URL}events/expulsions/", f"{BASE_URL}events/new-start-extension/"]
    head = parse(published_site / "threads" / "talks" / "index.html").select_one(
        'link[rel="alternate"][title="From the treaty to the talks (Atom feed)"]')
    assert head["href"] == "../../threads/talks/feed.xml"


def test_events_json_gives_each_event_its_threads_and_lists_the_threads(published_site):
    data = json.loads((published_site / "data" / "events.json").read_text(encoding="utf-8"))
    by_id = {event["id"]: event for event in data["events"]}
    assert by_id["expulsions"]["threads"] == ["talks", "treaty"]
    assert by_id["arctic-ministerial"]["threads"] == []
    assert data["threads"][0] == {"id": "talks", "title": "From the treaty to the talks",
                                  "description": "The extension of New START, the expulsions that followed, and the ministers' meeting.",
                                  "url": f"{BASE_URL}threads/talks/",
                                  "events": ["new-start-extension", "expulsions", "reykjavik-meeting"]}
    schema = json.loads((published_site / "data" / "events.schema.json").read_text(encoding="utf-8"))
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, schema)


def test_the_repository_content_builds_its_threads_with_no_broken_link_and_no_orphan(run_timeline, tmp_path):
    out = tmp_path / "site"
    result = run_timeline(REPO_ROOT, "build", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    listing = parse(out / "threads" / "index.html").select("ul.thread-list > li > a")
    ids = {link["href"].split("/")[-2] for link in listing}
    assert {"new-start", "expulsions", "detained-americans", "nord-stream-2", "ransomware-and-cyber", "ukraine-war"} <= ids
    for thread_id in ids:
        page = parse(out / "threads" / thread_id / "index.html")
        assert len(page.select("ol.thread-steps > li")) >= 4, thread_id
        assert (out / "embed" / "threads" / thread_id / "index.html").is_file()
    new_start = [li["id"] for li in parse(out / "threads" / "new-start" / "index.html").select("ol.thread-steps > li")]
    assert new_start[0] in {"obama-medvedev-moscow-summit-2009", "new-start-signed-prague-2010"}
    assert new_start.index("new-start-signed-prague-2010") < new_start.index("russia-suspends-new-start-2023-02-21")
    files = read_site(out)
    assert broken_links(files, "/") == []
    assert orphan_pages(files, "/") == []


def test_thread_pages_and_embeds_are_valid_html(fixture_site, run_timeline):
    from test_html_valid import vnu_errors

    assert run_timeline(fixture_site, "build", "--base-url", BASE_URL).exit_code == 0
    assert vnu_errors(fixture_site / "site") == []


def test_serve_mode_rebuilds_after_a_thread_changes_equal_clean_builds(fixture_site):
    from generator.build.incremental import BuildCache
    from generator.build.pipeline import BuildOptions, render_site

    options = BuildOptions(fixture_site, fixture_site / "site")
    cache = BuildCache()

    def rebuild_matches_clean() -> None:
        assert render_site(options, cache).files == render_site(options).files

    rebuild_matches_clean()
    threads_file(fixture_site).write_text(THREADS.replace("From the treaty to the talks", "Treaty and talks")
                                          .replace(", new-start-extension, expulsions]", ", expulsions]")
                                          .replace("follow: [follows]", "follow: [follows, response-to]"), encoding="utf-8")
    rebuild_matches_clean()
    events = fixture_site / "content" / "events"
    (events / "expulsions.yaml").write_text((events / "expulsions.yaml").read_text(encoding="utf-8")
                                            .replace("relation: follows", "relation: response-to"), encoding="utf-8")
    rebuild_matches_clean()
    threads_file(fixture_site).unlink()
    rebuild_matches_clean()
