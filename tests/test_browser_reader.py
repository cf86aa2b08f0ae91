"""What a reader does in a real browser: filter, go Back, search, follow a result, use the keyboard."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from browsing import WAIT_MS

VISIBLE_TITLES = "main .event-entry:visible .event-title"


def test_filtering_by_topic_shows_its_events_puts_it_in_the_url_and_back_undoes_it(page, site_url):
    page.goto(site_url + "index.html")
    assert page.locator("#filter-status").text_content() == "Showing all 5 events."
    page.select_option("#filter-topic", "sanctions")
    assert page.locator(VISIBLE_TITLES).all_text_contents() == ["Expulsions known only to the month"]
    assert page.url.endswith("index.html?topic=sanctions")
    assert page.locator("#filter-status").text_content() == "Showing 1 of 5 events."
    assert page.locator("#era-1").is_hidden()  # the 2009 era section holds no sanctions event
    page.go_back()
    assert page.url.endswith("index.html")
    assert page.locator(VISIBLE_TITLES).count() == 5
    assert page.locator("#filter-topic").input_value() == ""


def test_a_shared_filtered_address_opens_the_filtered_view(page, site_url):
    page.goto(site_url + "index.html?topic=diplomacy&from=2021&q=reykjavik")
    assert page.locator(VISIBLE_TITLES).all_text_contents() == [
        "Blinken and Lavrov meet in Reykjavik", "Arctic Council ministerial meets in Reykjavik"]
    assert page.locator("#filter-from").input_value() == "2021"
    assert page.locator("#filter-q").input_value() == "reykjavik"


def test_text_filter_matches_native_names_and_era_filter_narrows(page, site_url):
    page.goto(site_url + "index.html")
    page.fill("#filter-q", "Лавров")
    assert page.locator(VISIBLE_TITLES).all_text_contents() == ["Blinken and Lavrov meet in Reykjavik"]
    assert "q=%D0%9B" in page.url
    page.fill("#filter-q", "")
    page.select_option("#filter-era", "biden-administration")
    assert page.locator(VISIBLE_TITLES).count() == 4
    page.click("#filter-reset")
    assert page.locator(VISIBLE_TITLES).count() == 5


def test_without_script_every_event_shows_and_no_controls_do(open_context, site_url):
    reader = open_context(java_script_enabled=False).new_page()
    reader.goto(site_url + "index.html?topic=sanctions")
    assert reader.locator("#filters").is_hidden()
    assert reader.locator(VISIBLE_TITLES).count() == 5
    reader.goto(site_url + "search/index.html")
    assert reader.locator("#search-form").is_hidden()
    assert reader.locator("#search-fallback").is_visible()
    reader.goto(site_url + "events/reykjavik-meeting/index.html")
    assert reader.locator(".copy-button").is_hidden()
    assert "Blinken and Lavrov meet in Reykjavik" in reader.locator("#citation").text_content()


def test_searching_a_cyrillic_name_finds_the_event_and_the_result_opens_it(page, site_url):
    page.goto(site_url + "search/index.html")
    page.fill("#search-input", "Лавров")
    result = page.locator("#search-results a")
    result.first.wait_for(timeout=WAIT_MS)
    assert result.all_text_contents() == ["Blinken and Lavrov meet in Reykjavik"]
    assert page.locator("#search-status").text_content() == "1 event match “Лавров”."
    assert "q=" in page.url
    result.first.click()
    page.wait_for_url(re.compile(r"/events/reykjavik-meeting/"))
    assert page.locator("h1").text_content() == "Blinken and Lavrov meet in Reykjavik"


def test_search_finds_words_in_bodies_and_places_and_says_when_nothing_matches(page, site_url):
    page.goto(site_url + "search/index.html?q=hours")
    page.locator("#search-results a").first.wait_for(timeout=WAIT_MS)
    assert page.locator("#search-results a").all_text_contents() == ["Blinken and Lavrov meet in Reykjavik"]
    page.fill("#search-input", "Iceland")
    expect(page.locator("#search-status")).to_contain_text("Iceland")
    assert "Blinken and Lavrov meet in Reykjavik" in page.locator("#search-results a").all_text_contents()
    page.fill("#search-input", "zzzqqq")
    expect(page.locator("#search-status")).to_have_text("No events match “zzzqqq”.")
    assert page.locator("#search-results li").count() == 0


def test_the_keyboard_reaches_the_skip_link_first_and_filters_by_keys_alone(page, site_url):
    page.goto(site_url + "index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.focus("#filter-topic")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("ArrowDown")  # on a focused closed <select>, the arrow keys choose
    assert page.locator("#filter-topic").input_value() != ""
    assert page.locator("#filter-status").text_content().startswith("Showing ")
    assert "topic=" in page.url


def test_tabbing_through_the_home_page_visits_every_control_with_a_visible_focus(page, site_url):
    page.goto(site_url + "index.html")
    focusable = page.locator("a[href]:visible, select:visible, input:visible, button:visible, summary:visible").count()
    seen = set()
    for _ in range(focusable + 5):
        page.keyboard.press("Tab")
        name, focus_shown = page.evaluate("""() => {
            const e = document.activeElement;
            const name = e.tagName + '|' + (e.id || e.getAttribute('href') || '');
            // An overview mark (an SVG <a>) shows focus by outlining its shape instead.
            const shown = e.closest('svg') ? getComputedStyle(e.querySelector('circle, rect')).strokeWidth === '3px'
                                           : getComputedStyle(e).outlineStyle !== 'none';
            return [name, shown]; }""")
        seen.add(name)
        assert focus_shown or name.startswith("BODY"), name
    assert {"SELECT|filter-topic", "SELECT|filter-actor", "INPUT|filter-q", "BUTTON|filter-reset"} <= seen
    assert any(name.startswith("a|") for name in seen)  # the overview's marks (SVG <a>, lower-case tag)


def test_the_citation_can_be_copied(open_context, site_url):
    context = open_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    reader = context.new_page()
    reader.goto(site_url + "events/reykjavik-meeting/index.html")
    reader.click(".copy-button")
    expect(reader.locator(".copy-status")).to_have_text("Copied.")
    copied = reader.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("“Blinken and Lavrov meet in Reykjavik.” Fixture Timeline, 19 May 2021.")
