"""The payload site in a real browser: no payload runs as script, each shows as text, CSP holds.

Every text field of one event holds hostile strings (tests/test_payloads.py); every page of the
built site is opened in Chromium with a dialog listener, a script-marker check, and the CSP and
foreign-request watch of tests/browsing.py.
"""

from __future__ import annotations

from browsing import WAIT_MS, serve
from htmlsite import html_pages
from test_payloads import PAYLOADS, TITLE, payload_site  # noqa: F401 - the fixture

# Payloads call alert(); a page that ran one would open a dialog, or set this marker.
MARK_ALERTS = "window.__ran = []; window.alert = (x) => window.__ran.push(String(x));"


def test_no_payload_runs_on_any_page(payload_site, open_context):  # noqa: F811 - fixture
    context = open_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(MARK_ALERTS)
    dialogs: list[str] = []
    pages = [path.relative_to(payload_site).as_posix() for path in html_pages(payload_site)]
    assert len(pages) > 15
    with serve(payload_site) as address:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for relative in pages:
            page.goto(address + relative)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__ran") == [], relative
        page.goto(address + "events/payload/index.html")
        assert page.locator("h1").inner_text() == TITLE.replace("\u2028", "\n").replace("\u2029", "\n") or \
            page.locator("h1").text_content() == TITLE
        assert page.locator(".place").text_content() == PAYLOADS["attribute"]
        assert page.locator("figure.quote blockquote").text_content().strip() == PAYLOADS["closing"]
        # The body's raw HTML was removed, not run: no frame was created.
        assert len(page.frames) == 1

        # Search results show the payloads as text too.
        page.goto(address + "search/index.html")
        page.fill("#search-input", "HYPERLINK")
        page.locator("#search-results a").first.wait_for(timeout=WAIT_MS)
        results = page.locator("#search-results li")
        assert TITLE.split(" ")[0] in results.first.text_content()
        assert page.locator("#search-results img, #search-results script, #search-results iframe").count() == 0
        assert page.evaluate("window.__ran") == []
    assert dialogs == []
