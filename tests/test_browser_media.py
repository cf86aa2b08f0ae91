"""An event page with pictures, in a real browser: no layout shift, nothing from another origin, zero axe violations."""

from __future__ import annotations

import pytest

from browsing import axe_violations, serve
from generator.build.pipeline import BuildOptions, build
from sitefixture import write_event, write_fixture_site
from test_media import HARPA_EVENT, jpeg_with_gps


@pytest.fixture(scope="module")
def media_url(tmp_path_factory):
    root = write_fixture_site(tmp_path_factory.mktemp("browser-media") / "fixture")
    jpeg_with_gps(root / "content" / "media" / "harpa.jpg")
    jpeg_with_gps(root / "content" / "media" / "square.jpg", size=(200, 200))
    write_event(root, "harpa", HARPA_EVENT.replace("media/square.png", "media/square.jpg"))
    build(BuildOptions(root, root / "site"))
    with serve(root / "site") as url:
        yield url


def test_an_event_page_with_figures_has_no_axe_violations_and_loads_its_pictures(page, media_url):
    page.goto(media_url + "events/harpa/index.html")
    first = page.locator(".event-media img").first
    assert first.evaluate("img => img.complete && img.naturalWidth > 0")
    assert first.evaluate("img => img.currentSrc").endswith(".webp")  # Chromium takes the WebP source
    box = first.bounding_box()
    assert box["width"] > 0 and abs(box["height"] / box["width"] - 800 / 1200) < 0.01  # sized before it loads
    assert axe_violations(page) == []


def test_the_home_page_with_a_thumbnail_has_no_axe_violations(page, media_url):
    page.goto(media_url + "index.html")
    assert page.locator("#harpa .event-thumbnail img").get_attribute("loading") == "lazy"
    assert axe_violations(page) == []


def test_a_plain_share_card_shows_in_chromium_in_the_theme_s_colours(page, tmp_path):
    root = write_fixture_site(tmp_path / "fixture")
    build(BuildOptions(root, root / "site", base_url="https://example.org/tl/"))
    cards = sorted((root / "site" / "cards").glob("*.png"))
    assert cards
    with serve(root / "site") as url:
        page.goto(f"{url}cards/{cards[0].name}")  # the image opened as a reader's link preview fetcher would
        image = page.locator("img")
        image.evaluate("img => img.decode()")  # rejects if Chromium cannot decode the file
        colour_at = """([img, x, y]) => {
            const canvas = document.createElement('canvas');
            canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
            const context = canvas.getContext('2d');
            context.drawImage(img, 0, 0);
            return Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
        }"""
        assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1200, 630]
        assert page.evaluate(colour_at, [image.element_handle(), 10, 300]) == [0xa4, 0x16, 0x1a]  # the accent stripe
        assert page.evaluate(colour_at, [image.element_handle(), 1190, 20]) == [0xfd, 0xfd, 0xfb]  # the background
