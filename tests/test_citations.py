"""Claim-level citations: `[n]` in a body, as a reader, a feed reader, a search and an author see them."""

from __future__ import annotations

import gzip
import json

import feedparser
import yaml
import pytest

from conftest import tree_digest
from generator.content.citations import find_markers, paragraphs, plain_citations
from generator.content.markup import MarkdownRenderer
from htmlsite import parse
from sitefixture import write_event
from test_html_valid import vnu_errors

BASE_URL = "https://example.org/timeline/"

SUMMIT = """\
    date: 2021-06-16
    title: Biden and Putin meet in Geneva
    summary: The two presidents held their only summit.
    body: |
      The summit lasted about three hours.[1] Both sides called it constructive.[1, 2]

      The ambassadors were to return to their posts.[3] No agreement was signed.[1]
    topics: [diplomacy]
    related:
      - event: reykjavik-meeting
        relation: follows
    sources:
      - title: Biden and Putin meet
        publisher: Reuters
        date: 2021-06-16
        url: https://example.org/reuters-summit
      - title: Press conference
        publisher: The White House
        date: 2021-06-16
        url: https://example.org/white-house-press-conference
      - title: Ambassadors to return
        publisher: Associated Press
        date: 2021-06-16
        url: https://example.org/ap-ambassadors
"""


def _event_page(site):
    return parse(site / "events" / "summit" / "index.html")


@pytest.fixture
def cited_site(fixture_site, run_timeline):
    write_event(fixture_site, "summit", SUMMIT)
    result = run_timeline(fixture_site, "build", "--base-url", BASE_URL)
    assert result.exit_code == 0, result.stderr
    return fixture_site / "site"


def test_a_citation_is_a_superscript_link_to_its_source(cited_site):
    page = _event_page(cited_site)
    marks = page.select(".event-body sup.cite")
    assert [mark.get_text() for mark in marks] == ["[1]", "[1][2]", "[3]", "[1]"]
    links = page.select(".event-body sup.cite a")
    assert [(link["href"], link["id"], link["aria-label"]) for link in links] == [
        ("#source-1", "cite-1-1", "source 1"), ("#source-1", "cite-1-2", "source 1"), ("#source-2", "cite-2-1", "source 2"),
        ("#source-3", "cite-3-1", "source 3"), ("#source-1", "cite-1-3", "source 1"),
    ]
    # The superscript follows the sentence it backs, and the reader sees no raw marker.
    first = page.select_one(".event-body p")
    assert first.get_text() == "The summit lasted about three hours.[1] Both sides called it constructive.[1][2]"
    assert "[1, 2]" not in page.select_one(".event-body").get_text()
    for link in links:
        assert page.select_one(link["href"]).name == "li"


def test_each_source_links_back_to_every_place_it_is_cited(cited_site):
    page = _event_page(cited_site)
    first = page.select_one("#source-1 .backlinks")
    assert [(a["href"], a.get_text(), a["aria-label"]) for a in first.select("a")] == [
        ("#cite-1-1", "1", "Back to citation 1 of source 1"), ("#cite-1-2", "2", "Back to citation 2 of source 1"),
        ("#cite-1-3", "3", "Back to citation 3 of source 1"),
    ]
    only = page.select("#source-2 .backlinks a")
    assert [(a["href"], a.get_text(), a["aria-label"]) for a in only] == [("#cite-2-1", "↩", "Back to where source 2 is cited")]
    for backlink in page.select(".sources .backlinks a"):
        target = page.select_one(backlink["href"])
        assert target is not None and target.find_parent("sup", class_="cite") is not None
    assert page.select_one("#source-3 cite").get_text() == "Ambassadors to return"


def test_a_page_with_citations_is_valid_html(cited_site):
    assert vnu_errors(cited_site / "events" / "summit") == []


def test_an_uncited_source_has_no_backlink(fixture_site, run_timeline):
    write_event(fixture_site, "summit", SUMMIT.replace("The ambassadors were to return to their posts.[3]", "Later.[2]"))
    assert run_timeline(fixture_site, "build").exit_code == 0
    page = _event_page(fixture_site / "site")
    assert page.select_one("#source-3") is not None and page.select_one("#source-3 .backlinks") is None
    assert [a["href"] for a in page.select("#source-2 .backlinks a")] == ["#cite-2-1", "#cite-2-2"]


def test_feeds_and_open_data_show_citations_as_plain_text(cited_site):
    feed = feedparser.parse((cited_site / "feed.xml").read_bytes())
    summit = next(entry for entry in feed.entries if entry.link.endswith("/summit/"))
    assert "about three hours.[1] Both sides called it constructive.[1, 2]" in summit.content[0].value
    assert "<sup" not in summit.content[0].value and "cite-1-1" not in summit.content[0].value
    assert summit.summary == "The two presidents held their only summit."
    items = json.loads((cited_site / "feed.json").read_text())["items"]
    item = next(item for item in items if item["url"].endswith("/summit/"))
    assert "their posts.[3] No agreement was signed.[1]" in item["content_html"] and "<sup" not in item["content_html"]
    records = json.loads((cited_site / "data" / "events.json").read_text())
    record = next(record for record in (records["events"] if isinstance(records, dict) else records) if record["id"] == "summit")
    assert "constructive.[1, 2]" in record["body_html"] and "<sup" not in record["body_html"]


def test_search_excerpts_and_lists_carry_no_markers(cited_site):
    fragments = [gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd").decode()
                 for path in (cited_site / "pagefind").glob("**/fragment/*")]  # every shard's fragments
    summit = json.loads(next(text for text in fragments if "/events/summit/" in text))
    assert "The summit lasted about three hours. Both sides called it constructive." in summit["content"]
    assert "[1]" not in summit["content"] and "[3]" not in summit["content"] and "↩" not in summit["content"]
    home = parse(cited_site / "index.html")
    entry = next(item for item in home.select(".event-summary") if "only summit" in item.get_text())
    assert entry.get_text() == "The two presidents held their only summit."
    page = _event_page(cited_site)
    assert page.select_one('meta[name="description"]')["content"] == "The two presidents held their only summit."


def test_a_citation_of_a_missing_source_is_an_error_at_the_marker(fixture_site, built_site, run_timeline):
    before = tree_digest(built_site)
    path = write_event(fixture_site, "summit", SUMMIT.replace("signed.[1]", "signed.[5]").replace("constructive.[1, 2]", "constructive.[1, 4]"))
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "content/events/summit.yaml:5:77: '[1, 4]' cites source 4 but the event has 3 source(s): give the number of one of its 'sources' (1 is the first)" in lines
    assert "content/events/summit.yaml:7:77: '[5]' cites source 5 but the event has 3 source(s): give the number of one of its 'sources' (1 is the first)" in lines
    assert path.read_text().splitlines()[6][76:79] == "[5]"
    assert tree_digest(built_site) == before


def test_a_marker_in_a_folded_body_is_located_too(fixture_site, run_timeline):
    folded = SUMMIT.replace("body: |", "body: >").replace("three hours.[1]", "three hours.[0]")
    write_event(fixture_site, "summit", folded)
    result = run_timeline(fixture_site, "check")
    assert result.exit_code == 1
    assert "content/events/summit.yaml:5:39: '[0]' cites source 0 but the event has 3 source(s)" in result.stderr


def test_a_summary_may_not_cite(fixture_site, run_timeline):
    write_event(fixture_site, "summit", SUMMIT.replace("their only summit.", "their only summit.[1]"))
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert ("content/events/summit.yaml:3:52: the summary cites '[1]': a summary stands alone in lists, feeds and search "
            "results, so cite sources in the body instead") in result.stderr.splitlines()
    assert not (fixture_site / "site").exists()


def test_check_strict_warns_about_a_paragraph_that_cites_nothing(fixture_site, run_timeline):
    write_event(fixture_site, "summit", SUMMIT.replace(" No agreement was signed.[1]", "\n\n      No agreement was signed."))
    message = ("content/events/summit.yaml:9:3: this body paragraph cites no source: end its sentences with the "
               "numbers of the sources that back them, e.g. '.[1]'")
    relaxed = run_timeline(fixture_site, "check")
    assert relaxed.exit_code == 0, relaxed.stderr
    assert f"warning: {message}" in relaxed.stderr.splitlines()
    strict = run_timeline(fixture_site, "check", "--strict")
    assert strict.exit_code == 1
    assert f"error: {message}" in strict.stderr.splitlines()
    cited = [line for line in strict.stderr.splitlines() if "summit.yaml" in line]
    assert cited == [f"error: {message}"]


def test_markers_in_code_links_and_escapes_are_not_citations():
    text = ("Cited.[2] In code `[3]` and\n\n```\n[4]\n```\n\n    [5] indented\n\n"
            "A [link](https://example.org/) [text][6] [7](https://example.org/) \\[8] [see [9]](https://example.org/).")
    assert [(marker.numbers, marker.text) for marker in find_markers(text)] == [((2,), "[2]")]
    assert [offset for offset, _ in paragraphs(text)] == [0, text.index("A [link]")]


def test_the_sanitizer_keeps_the_citation_markup_and_nothing_an_author_forges():
    html = MarkdownRenderer().body_to_html(
        'Forged <sup class="cite" data-pagefind-ignore><a id="cite-1-1" href="#source-1" aria-label="x">x</a></sup>.'
        ' [a link](https://example.org/ "title [2]") Real.[2]')
    page = parse_fragment(html)
    marks = page.select("sup.cite")
    assert len(marks) == 1 and marks[0].a["id"] == "cite-2-1" and marks[0].has_attr("data-pagefind-ignore")
    forged = page.select("sup")[0]
    assert forged.attrs == {} and not forged.a.has_attr("id") and not forged.a.has_attr("aria-label")
    assert page.select_one('a[href="https://example.org/"]')["title"] == "title [2]"
    assert plain_citations(html).endswith("Real.[2]</p>")


def parse_fragment(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_an_imported_bracketed_number_stays_text(fixture_site, run_timeline, tmp_path):
    timeline_file = tmp_path / "old.json"
    timeline_file.write_text(json.dumps({"events": [{
        "start_date": {"year": "2021", "month": "6", "day": "16"}, "unique_id": "old-summit",
        "text": {"headline": "An old summit", "text": "<p>They met.[1] See note [2, 3].</p>"}}]}), encoding="utf-8")
    assert run_timeline(fixture_site, "import", "timelinejs", str(timeline_file)).exit_code == 0
    result = run_timeline(fixture_site, "build", "--drafts")
    assert result.exit_code == 0, result.stderr
    body = parse(fixture_site / "site" / "events" / "old-summit" / "index.html").select_one(".event-body")
    assert body.get_text().strip() == "They met.[1] See note [2, 3]." and body.select("sup") == []
    summary = yaml.safe_load((fixture_site / "content" / "events" / "old-summit.yaml").read_text(encoding="utf-8"))["summary"]
    assert summary == "They met. See note."


def test_a_run_of_markers_or_a_repeated_number_is_an_error_with_the_fix(fixture_site, run_timeline):
    write_event(fixture_site, "summit", SUMMIT.replace("constructive.[1, 2]", "constructive.[1][2]").replace("signed.[1]", "signed.[1, 1]"))
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/events/summit.yaml:5:77: write '[1, 2]', not '[1][2]': one pair of brackets lists every source",
        "content/events/summit.yaml:7:77: '[1, 1]' names the same source twice: name it once",
        "2 problem(s) found; the site was not changed.",
    ]
