"""`timeline serve` in a real browser: a save reloads the open page, mistakes show over it, and the
page keeps to its Content-Security-Policy while the preview adds its script and its error overlay."""

from __future__ import annotations

import pytest

from test_serve import WAIT_SECONDS, Server

WAIT_MS = WAIT_SECONDS * 1000
OLD_TITLE = "Expulsions known only to the month"
NEW_TITLE = "Ten diplomats expelled"


@pytest.fixture
def preview(fixture_site):
    """The fixture site served by `timeline serve` under /repo/ (its base_url's path), and its event file."""
    site_yaml = fixture_site / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "base_url: https://example.org/repo/\n")
    server = Server(fixture_site)
    yield server, fixture_site / "content" / "events" / "expulsions.yaml"
    assert server.stop() == 0


def _open_event_page(page, server: Server):
    """Open the event's page and wait until it listens for reloads."""
    with page.expect_request(lambda request: "/__timeline__/events" in request.url):
        page.goto(server.url + "events/expulsions/")
    assert page.locator("h1").inner_text() == OLD_TITLE


def _wait_for_heading(page, title: str) -> None:
    """Wait until the page, reloaded by its own script, shows `title` as its heading."""
    page.locator("h1", has_text=title).wait_for(timeout=WAIT_MS)
    assert page.locator("h1").inner_text() == title


def test_a_saved_title_shows_in_the_open_page_without_reloading_it_by_hand(preview, page):
    server, event = preview
    _open_event_page(page, server)
    event.write_text(event.read_text().replace(OLD_TITLE, NEW_TITLE))
    _wait_for_heading(page, NEW_TITLE)
    assert page.title() == f"{NEW_TITLE} · Fixture Timeline"


def test_a_mistake_shows_over_the_page_until_it_is_fixed(preview, page):
    server, event = preview
    good = event.read_text()
    _open_event_page(page, server)
    event.write_text(good.replace("title: Expulsions known", "title: Expulsions: known"))  # a colon YAML reads as a key
    overlay = page.get_by_role("alert")
    overlay.wait_for(timeout=WAIT_MS)
    page.wait_for_load_state("load")
    assert overlay.locator("strong").inner_text() == "1 problem(s) in the content; this is the last good build."
    assert overlay.locator("pre").inner_text() == \
        "content/events/expulsions.yaml:2:18: YAML syntax error: mapping values are not allowed in this context"
    # Over the top of the page, where it is seen without scrolling, not at the foot of the page.
    box = overlay.bounding_box()
    assert box["y"] == 0 and box["x"] == 0 and box["width"] == page.viewport_size["width"]
    assert page.evaluate("getComputedStyle(document.querySelector('[role=alert]')).position") == "fixed"
    assert page.locator("h1").inner_text() == OLD_TITLE  # the last good build, under the overlay

    event.write_text(good.replace(OLD_TITLE, NEW_TITLE))
    _wait_for_heading(page, NEW_TITLE)
    assert overlay.count() == 0


def test_the_preview_breaks_no_rule_of_the_pages_security_policy(preview, page):
    server, event = preview
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    _open_event_page(page, server)
    assert page.evaluate("window.__cspViolations") == []
    event.write_text(event.read_text().replace("date: 2021-04", "date: 2021-13", 1))
    page.get_by_role("alert").wait_for(timeout=WAIT_MS)
    page.wait_for_load_state("load")  # the overlay's stylesheet too
    assert page.evaluate("window.__cspViolations") == []
    assert [line for line in console if "Content Security Policy" in line or "Content-Security-Policy" in line] == []
