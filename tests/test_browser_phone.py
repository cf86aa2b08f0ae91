"""The header on a phone (390 × 844): one compact line, every site link reachable from a "Menu"
disclosure that opens by keyboard, with script or without, and no accessibility violations."""

from __future__ import annotations

import pytest

from browsing import axe_violations

PHONE = {"width": 390, "height": 844}
PAGES = ("index.html", "events/reykjavik-meeting/index.html", "years/2021/index.html")


def _wide_links(open_context, site_url, path) -> list[str]:
    reader = open_context(viewport={"width": 1280, "height": 900}).new_page()
    reader.goto(site_url + path)
    assert reader.locator(".site-menu").is_hidden()
    return reader.locator(".site-nav a").evaluate_all("links => links.map(a => a.href)")


@pytest.mark.parametrize("path", PAGES)
def test_the_phone_header_is_one_short_line_and_the_menu_opens_by_keyboard(open_context, site_url, path):
    expected = _wide_links(open_context, site_url, path)
    assert len(expected) >= 6  # Timeline, Years, Topics, People & organisations, Search, About…
    reader = open_context(viewport=PHONE).new_page()
    reader.goto(site_url + path)
    header = reader.locator(".site-header").bounding_box()
    assert header["height"] <= 0.2 * PHONE["height"], header
    assert header["height"] <= 80  # in practice one line: the title and the Menu button
    assert reader.locator(".site-nav").is_hidden()
    assert all(not link.is_visible() for link in reader.locator(".site-menu a").all())
    # A keyboard reader: Tab to the Menu button, open it with Enter, then Tab through every link.
    focused = []
    for _ in range(4):
        reader.keyboard.press("Tab")
        if reader.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert reader.evaluate("document.activeElement.textContent.trim()") == "Menu"
    reader.keyboard.press("Enter")
    for _ in expected:
        reader.keyboard.press("Tab")
        focused.append(reader.evaluate("document.activeElement.href"))
        assert reader.locator(".site-menu a:focus").is_visible()
    assert focused == expected
    assert reader.evaluate("document.activeElement.closest('.site-menu') !== null")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_phone_header_has_no_wcag_violations_closed_or_open(open_context, site_url, scheme):
    reader = open_context(viewport=PHONE, color_scheme=scheme).new_page()
    reader.goto(site_url + "index.html")
    assert axe_violations(reader) == []
    reader.locator(".site-menu summary").click()
    assert reader.locator(".site-menu a").first.is_visible()
    assert axe_violations(reader) == []


def test_the_phone_menu_works_without_script(open_context, site_url):
    reader = open_context(viewport=PHONE, java_script_enabled=False).new_page()
    reader.goto(site_url + "topics/index.html")
    reader.locator(".site-menu summary").focus()
    reader.keyboard.press("Enter")
    links = reader.locator(".site-menu a")
    assert links.count() == reader.locator(".site-nav a").count() >= 6
    assert all(link.is_visible() for link in links.all())
    links.filter(has_text="Years").click()
    assert reader.url.endswith("years/index.html")
