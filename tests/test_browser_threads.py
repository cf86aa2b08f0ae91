"""Threads and embeds in a real browser: an embed inside an <iframe> on another origin (another
site's article), its links opening the full site, narrow widths, the copy button, and axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browsing import axe_violations, serve
from generator.build.pipeline import BuildOptions, build
from sitefixture import THREADS, write_fixture_site

EMBED = "embed/threads/talks/index.html"
ARTICLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A newsroom's article</title></head>
<body><main><h1>An article about the treaty</h1><p>Some reporting.</p>
<iframe src="{src}" title="From the treaty to the talks" width="100%" height="560"></iframe>
<p>More reporting.</p></main></body></html>
"""


@pytest.fixture(scope="module")
def threads_site_url(tmp_path_factory):
    """The fixture site with its threads, built and served on 127.0.0.1."""
    root = write_fixture_site(tmp_path_factory.mktemp("threads") / "fixture", threads=THREADS)
    build(BuildOptions(root, root / "site"))
    with serve(root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def article_url(tmp_path_factory, threads_site_url):
    """Another origin (another port): an article that embeds the thread in an <iframe>."""
    folder = tmp_path_factory.mktemp("newsroom")
    (folder / "index.html").write_text(ARTICLE.format(src=threads_site_url + EMBED), encoding="utf-8")
    with serve(folder) as url:
        yield url + "index.html"


def test_an_embed_in_another_origins_iframe_renders_and_its_links_open_the_full_site(open_context, threads_site_url, article_url):
    context = open_context(viewport={"width": 1000, "height": 900})
    article = context.new_page()
    article.goto(article_url)
    frame = article.frame_locator("iframe")
    expect(frame.locator("h1")).to_have_text("From the treaty to the talks")
    expect(frame.locator("svg.overview .ov-mark")).to_have_count(3)
    expect(frame.locator("ol.embed-events > li")).to_have_count(3)
    expect(frame.locator("footer.embed-credit a")).to_have_text("Fixture Timeline")
    embedded = next(f for f in article.frames if f.url.endswith(EMBED))
    assert embedded.evaluate("location.origin") != article.evaluate("location.origin")

    with context.expect_page() as opened:
        frame.get_by_role("link", name="Expulsions known only to the month", exact=True).click()
    event_page = opened.value
    event_page.wait_for_load_state()
    assert event_page.url == threads_site_url + "events/expulsions/index.html"
    expect(event_page.locator("h1")).to_have_text("Expulsions known only to the month")
    expect(event_page.get_by_role("navigation", name="Site")).to_be_visible()  # the full site, with its navigation
    assert article.url == article_url  # the reader keeps their place in the article

    with context.expect_page() as opened:
        frame.locator("svg.overview a.ov-mark").first.click()
    mark_page = opened.value
    mark_page.wait_for_load_state()
    assert mark_page.url == threads_site_url + "events/new-start-extension/index.html"
    assert embedded.url == threads_site_url + EMBED  # the frame itself never navigated


@pytest.mark.parametrize("width", [300, 390])
def test_an_embed_reads_without_sideways_scrolling_down_to_300_px(open_context, threads_site_url, width):
    reader = open_context(viewport={"width": width, "height": 600}).new_page()
    reader.goto(threads_site_url + EMBED)
    assert reader.evaluate("document.documentElement.scrollWidth") <= width
    assert reader.locator("ol.embed-events a").first.is_visible()


def test_the_embed_code_can_be_copied_and_reads_fully_without_script(open_context, threads_site_url):
    context = open_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=threads_site_url.rstrip("/"))
    reader = context.new_page()
    reader.goto(threads_site_url + "threads/talks/index.html")
    reader.click("section.embed-this .copy-button")
    expect(reader.locator("section.embed-this .copy-status")).to_have_text("Copied.")
    assert reader.evaluate("navigator.clipboard.readText()").startswith('<iframe src="/embed/threads/talks/" title=')
    no_script = open_context(java_script_enabled=False).new_page()
    no_script.goto(threads_site_url + "threads/talks/index.html")
    expect(no_script.locator("pre#embed-code")).to_be_visible()
    expect(no_script.locator("section.embed-this .copy-button")).to_be_hidden()
    expect(no_script.locator("ol.thread-steps > li")).to_have_count(3)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["threads/index.html", "threads/talks/index.html", EMBED,
                                  "embed/topics/diplomacy/index.html", "events/expulsions/index.html"])
def test_thread_pages_and_embeds_have_no_wcag_violations(open_context, threads_site_url, path, scheme):
    reader = open_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme).new_page()
    reader.goto(threads_site_url + path)
    assert axe_violations(reader) == []
