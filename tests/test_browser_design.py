"""Every page type in a real browser: zero axe-core WCAG A/AA violations in both colour schemes,
no sideways scrolling from 320 px, a dark scheme, a clean print, and screenshots to look at."""

from __future__ import annotations

import pytest

from browsing import axe_violations, save_screenshot

PAGE_TYPES = {
    "home": "index.html",
    "event": "events/reykjavik-meeting/index.html",
    "topic": "topics/diplomacy/index.html",
    "actor": "actors/sergey-lavrov/index.html",
    "year": "years/2021/index.html",
    "topics": "topics/index.html",
    "about": "about/index.html",
    "search": "search/index.html?q=Reykjavik",
    "missing": "404.html",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_every_page_type_has_no_wcag_violations(open_context, site_url, name, scheme):
    reader = open_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme).new_page()
    reader.goto(site_url + PAGE_TYPES[name])
    if name == "search":
        reader.locator("#search-results a").first.wait_for()
    assert axe_violations(reader) == []


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_page_scrolls_sideways_from_320_px(open_context, site_url, name):
    reader = open_context(viewport={"width": 320, "height": 640}).new_page()
    reader.goto(site_url + PAGE_TYPES[name])
    assert reader.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_dark_scheme_is_dark_and_the_light_one_light(open_context, site_url):
    backgrounds = {}
    for scheme in ("light", "dark"):
        reader = open_context(color_scheme=scheme).new_page()
        reader.goto(site_url + "index.html")
        backgrounds[scheme] = reader.evaluate("getComputedStyle(document.body).backgroundColor")
    assert backgrounds == {"light": "rgb(253, 253, 251)", "dark": "rgb(21, 24, 28)"}


def test_print_shows_the_chronology_with_source_addresses_and_no_controls(page, site_url):
    page.goto(site_url + "index.html")
    page.emulate_media(media="print")
    assert page.locator("#filters").is_hidden()
    assert page.locator(".overview-figure").is_hidden()
    assert page.locator(".site-nav").is_hidden() and page.locator(".site-menu").is_hidden()
    assert page.locator("main .event-entry:visible").count() == 5
    page.goto(site_url + "events/reykjavik-meeting/index.html")
    page.emulate_media(media="print")
    written_out = page.evaluate("getComputedStyle(document.querySelector('.sources a[href^=\"http\"]'), '::after').content")
    assert "https://www.state.gov/example-readout" in written_out
    assert page.locator(".copy-button").is_hidden()


def test_every_page_declares_the_site_icon_so_no_favicon_request_leaves_the_site(page, site_url):
    icons = []
    page.on("request", lambda request: request.url.endswith("favicon.ico") and icons.append(request.url))
    for path in PAGE_TYPES.values():
        page.goto(site_url + path)
        assert page.locator("link[rel=icon]").count() == 1
    assert icons == []


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_the_main_page_types(open_context, site_url, width):
    reader = open_context(viewport={"width": width, "height": 900}).new_page()
    for name in ("home", "event", "topic", "search"):
        reader.goto(site_url + PAGE_TYPES[name])
        if name == "search":
            reader.locator("#search-results a").first.wait_for()
        path = save_screenshot(reader, f"{name}-{width}")
        assert path.stat().st_size > 1000


def test_the_accessibility_check_does_catch_a_problem(page, site_url):
    page.goto(site_url + "index.html")
    page.evaluate("document.querySelector('.lead').style.color = '#f4f4f4'")
    assert any(found.startswith("color-contrast") for found in axe_violations(page))
