"""The exported /data/timelinejs.json, loaded into TimelineJS3 (npm, pinned) in Debian's Chromium.

Everything is served from 127.0.0.1; any other request is refused, so the test runs offline.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, in_ci
from browsing import serve
from sitefixture import ERAS as FIXTURE_ERAS

TIMELINEJS_DIST = REPO_ROOT / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS embed</title>
<link rel="stylesheet" href="timelinejs/css/timeline.css">
<script src="timelinejs/js/timeline.js"></script></head>
<body><div id="timeline-embed" style="width: 1000px; height: 600px"></div>
<script>
  // TimelineJS reads its data address with new URL(), which needs it absolute.
  const here = (path) => new URL(path, location.href).href;
  window.timeline = new TL.Timeline("timeline-embed", here("timelinejs.json"), {script_path: here("timelinejs/js/")});
  window.timeline.on("loaded", () => { window.timelineLoaded = true; });
</script></body></html>
"""


@pytest.fixture
def served(tmp_path, chromium):
    """TimelineJS3 and a folder to put an export in, served locally; yields (folder, address).

    `chromium` is the session's one browser (tests/browsing.py): Playwright's sync API runs once.
    """
    if not TIMELINEJS_DIST.is_dir():
        message = "node_modules/@knight-lab/timelinejs is missing (make test runs npm ci)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path / "served"
    root.mkdir()
    with serve(root) as address:
        yield root, address


def test_every_exported_event_becomes_a_timelinejs_slide(fixture_site, run_timeline, chromium, served):
    assert run_timeline(fixture_site, "build", "--base-url", "https://example.org/timeline/").exit_code == 0
    page, events = _load_export(chromium, served, fixture_site / "site" / "data" / "timelinejs.json")
    assert len(events) == 5
    assert page.locator(".tl-timeera").count() == len(yaml.safe_load(FIXTURE_ERAS))  # one band per era


def test_the_repositorys_own_timeline_renders_in_timelinejs(run_timeline, chromium, served, tmp_path):
    if not any((REPO_ROOT / "content" / "events").glob("*.yaml")):
        pytest.skip("the repository's content/events/ has no events yet")
    out = tmp_path / "site"
    assert run_timeline(REPO_ROOT, "build", "--out", str(out)).exit_code == 0
    _load_export(chromium, served, out / "data" / "timelinejs.json")


def _load_export(chromium, served, exported: Path):
    """Open the export in TimelineJS3; check it loads with no error and shows each event as a slide."""
    events = json.loads(exported.read_text(encoding="utf-8"))["events"]
    root, address = served
    shutil.copytree(TIMELINEJS_DIST, root / "timelinejs")
    shutil.copy(exported, root / "timelinejs.json")
    (root / "index.html").write_text(PAGE, encoding="utf-8")

    page = chromium.new_page()
    errors: list[str] = []
    refused: list[str] = []  # web fonts and the like from other hosts: refused to keep the test offline
    failed: list[str] = []

    def only_local(route):
        if route.request.url.startswith(address):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.route("**/*", only_local)
    page.goto(address + "index.html")
    page.wait_for_function("window.timelineLoaded === true", timeout=30_000)

    assert errors == []
    assert set(failed) <= set(refused)  # every local file loaded
    assert page.locator(".tl-message-full").count() == 0  # TimelineJS shows its errors there
    assert page.locator(".tl-slide-titleslide").count() == 1
    headlines = page.eval_on_selector_all(".tl-slide:not(.tl-slide-titleslide) .tl-headline",
                                          "nodes => nodes.map(node => node.textContent.trim())")
    assert headlines == [_text(event["text"]["headline"]) for event in events]
    slide_ids = page.eval_on_selector_all(".tl-slide:not(.tl-slide-titleslide)", "nodes => nodes.map(node => node.id)")
    assert slide_ids == [event["unique_id"] for event in events]
    assert page.evaluate("window.timeline.config.events.length") == len(events)
    return page, events


def _text(headline_html: str) -> str:
    return html.unescape(headline_html)
