"""Reader features as built HTML: the security policy, the filters' data, the citation, the search index."""

from __future__ import annotations

import gzip
import json

import pytest

from conftest import REPO_ROOT, tree_digest
from generator.build.output import write_site
from htmlsite import html_pages, parse

POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'; form-action 'self'"


def test_every_page_declares_the_policy_and_loads_nothing_inline_or_from_elsewhere(built_site):
    for path in html_pages(built_site):
        page = parse(path)
        policy = page.select_one('meta[http-equiv="Content-Security-Policy"]')
        assert policy is not None and policy["content"] == POLICY, path
        # No inline script runs: scripts are files, and JSON-LD is an inert data block.
        assert all((script.get("src") and not script.string) or script.get("type") == "application/ld+json"
                   for script in page.select("script")), path
        assert page.select("style, [style]") == [], path
        for element in page.select("script[src], link[href], img[src]"):
            reference = element.get("src") or element["href"]
            assert not reference.startswith(("http:", "https:", "//")), (path, reference)


def test_filter_controls_are_hidden_until_script_shows_them_and_entries_carry_their_facets(built_site):
    home = parse(built_site / "index.html")
    form = home.select_one("form#filters")
    assert form.has_attr("hidden")
    assert [option["value"] for option in form.select("#filter-topic option")] == ["", "arms-control", "diplomacy", "sanctions"]
    assert [option.get_text() for option in form.select("#filter-from option")] == ["First", "2009", "2021"]
    assert form.select_one("[role=status][aria-live=polite]")
    entry = home.select_one("li#reykjavik-meeting")
    assert (entry["data-topics"], entry["data-actors"], entry["data-eras"], entry["data-year"]) == (
        "diplomacy", "antony-blinken sergey-lavrov", "biden-administration spring-2021", "2021")
    assert "Сергей Лавров" in entry["data-words"] and "Reykjavik, Iceland" in entry["data-words"]
    assert home.select_one('script[src="assets/filters.js"]')
    assert parse(built_site / "topics" / "diplomacy" / "index.html").select("form#filters") == []


def test_event_page_offers_a_citation_with_its_relative_address_without_a_base_url(built_site):
    event = parse(built_site / "events" / "reykjavik-meeting" / "index.html")
    cite = event.select_one("section.cite")
    assert cite.h2.get_text() == "Cite this event"
    assert cite.select_one("#citation").get_text(" ", strip=True).startswith(
        "“Blinken and Lavrov meet in Reykjavik.” Fixture Timeline , 19 May 2021.")
    assert cite.select_one("#citation a")["href"] == "../../events/reykjavik-meeting/index.html"
    assert cite.select_one(".copy-row").has_attr("hidden")


def test_event_citation_carries_the_permanent_absolute_address_with_a_base_url(fixture_site, run_timeline):
    assert run_timeline(fixture_site, "build", "--base-url", "https://example.org/repo/").exit_code == 0
    event = parse(fixture_site / "site" / "events" / "new-start-extension" / "index.html")
    assert event.select_one("#citation").get_text(" ", strip=True) == (
        "“New START is extended for five years.” Fixture Timeline , 26 January – 3 February 2021. "
        "https://example.org/repo/events/new-start-extension/. Accessed [date you read it] .")


def test_event_page_shows_the_actors_names_in_their_own_script(built_site):
    event = parse(built_site / "events" / "reykjavik-meeting" / "index.html")
    assert event.select_one(".native-names").get_text() == "Сергей Лавров"


def test_the_search_index_is_built_for_the_event_pages_only(built_site):
    shards = json.loads((built_site / "pagefind" / "shards.json").read_text())
    assert shards == ["2009-2021/"]  # five events: one shard, named by its span of years
    bundle = built_site / "pagefind" / shards[0]
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert len(list((bundle / "fragment").iterdir())) == 5  # one fragment per event page
    assert not (bundle / "pagefind-ui.js").exists()
    search = parse(built_site / "search" / "index.html")
    assert search.select_one('script[type=module][src="../assets/search.js"]')
    assert search.select_one("form#search-form[role=search]").has_attr("hidden")
    assert search.select_one("#search-fallback a")["href"] == "../topics/index.html"


def test_a_failing_search_index_leaves_the_previous_site_untouched(built_site):
    before = tree_digest(built_site)

    def failing_indexer(staging, site_files):
        raise RuntimeError("indexer failed")

    with pytest.raises(RuntimeError, match="indexer failed"):
        write_site({"index.html": b"new"}, built_site, finish=failing_indexer)
    assert tree_digest(built_site) == before
    assert list(built_site.parent.glob(".site.new-*")) == []


def test_the_repository_home_page_transfers_under_100_kb_compressed(run_timeline, tmp_path):
    out = tmp_path / "site"
    assert run_timeline(REPO_ROOT, "build", "--out", str(out)).exit_code == 0
    home = parse(out / "index.html")
    loaded = ["index.html"] + [element.get("src") or element["href"]
                               for element in home.select("script[src], link[rel=stylesheet], link[rel=icon]")]
    assert {"assets/style.css", "assets/enhance.js", "assets/filters.js"} <= set(loaded)
    compressed = sum(len(gzip.compress((out / path).read_bytes(), 9)) for path in loaded)
    assert compressed < 100_000
