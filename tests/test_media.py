"""Pictures: an event's media as a responsive figure, EXIF stripped, bad pictures located, share cards, TimelineJS."""

from __future__ import annotations

import io
import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageDraw, ImageFont

from conftest import REPO_ROOT, tree_digest
from htmlsite import broken_internal_links, parse
from sitefixture import write_event
from test_bad_input import assert_rejected

from generator.formats.share_cards import CARD_FONT
from generator.site.theme import BUILTIN_THEME

BASE_URL = "https://example.org/tl/"
GPS_IFD = 0x8825

HARPA_EVENT = """\
date: 2021-05-20
title: Ministers meet at the Harpa concert hall
summary: The Arctic Council met in Reykjavik.
topics: [diplomacy]
sources:
  - title: Readout
    publisher: State Department
media:
  - file: media/harpa.jpg
    alt: The glass front of a concert hall at dusk
    caption: Harpa, where the ministers met.
    credit: Fixture Photographer
    license: CC BY 4.0
    source_url: https://example.org/harpa
  - file: media/square.png
    alt: A grey square
    credit: Test Studio
  - url: https://example.org/map.png
    alt: A map of the Arctic
    caption: The Arctic Council's members
    credit: Example Agency
"""


def jpeg_with_gps(path: Path, size: tuple[int, int] = (1200, 800)) -> Path:
    """A small photo whose EXIF says where it was taken (what must never reach the site)."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "Fixture Camera"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (64.0, 9.0, 0.0), 3: "W", 4: (21.0, 56.0, 0.0)})
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", exif=exif, quality=90)
    assert Image.open(path).getexif().get_ifd(GPS_IFD), "the fixture photo should carry GPS data"
    return path


@pytest.fixture
def media_site(fixture_site):
    jpeg_with_gps(fixture_site / "content" / "media" / "harpa.jpg")
    Image.new("RGB", (200, 200), (128, 128, 128)).save(fixture_site / "content" / "media" / "square.png")
    write_event(fixture_site, "harpa", HARPA_EVENT)
    return fixture_site


@pytest.fixture
def built_media_site(media_site, run_timeline):
    result = run_timeline(media_site, "build", "--base-url", BASE_URL)
    assert result.exit_code == 0, result.stderr
    return media_site / "site"


def _srcset(value: str) -> list[tuple[str, str]]:
    return [tuple(candidate.split()) for candidate in value.split(", ")]


def test_a_local_picture_becomes_a_responsive_figure_with_its_credit(built_media_site):
    page = built_media_site / "events" / "harpa" / "index.html"
    figures = parse(page).select(".event-media figure")
    assert len(figures) == 3
    first = figures[0]
    webp = first.select_one("picture source[type='image/webp']")
    image = first.select_one("picture img")
    assert [width for _, width in _srcset(webp["srcset"])] == ["320w", "640w", "1024w", "1200w"]
    assert [width for _, width in _srcset(image["srcset"])] == ["320w", "640w", "1024w", "1200w"]
    assert all(url.endswith(".webp") for url, _ in _srcset(webp["srcset"]))
    assert all(url.endswith(".jpg") for url, _ in _srcset(image["srcset"]))
    assert image["src"].endswith("-1200.jpg") and (image["width"], image["height"]) == ("1200", "800")
    assert image["sizes"] == webp["sizes"] == "(min-width: 44rem) 42rem, 100vw"
    assert image["alt"] == "The glass front of a concert hall at dusk"
    assert "loading" not in image.attrs  # the first picture is on the first screen
    for url, _ in _srcset(webp["srcset"]) + _srcset(image["srcset"]):
        assert (page.parent / url).resolve().is_file(), url
    caption = first.figcaption
    assert caption.get_text(" ", strip=True) == "Harpa, where the ministers met. Fixture Photographer (CC BY 4.0)"
    assert caption.select_one(".media-credit a")["href"] == "https://example.org/harpa"

    second = figures[1].select_one("img")
    assert second["loading"] == "lazy" and (second["width"], second["height"]) == ("200", "200")
    assert second["src"].endswith("-200.png")  # a PNG falls back to PNG
    remote = figures[2]
    assert remote.select("img") == []  # a remote picture is never loaded: it is a link
    link = remote.select_one("a.media-link")
    assert (link["href"], link.get_text()) == ("https://example.org/map.png", "The Arctic Council's members")
    assert broken_internal_links(built_media_site) == []


def test_the_first_picture_is_a_lazy_thumbnail_in_the_lists(built_media_site):
    for listing in ("index.html", "topics/diplomacy/index.html", "years/2021/index.html"):
        entry = parse(built_media_site / listing).select_one("#harpa")
        thumbnail = entry.select_one(".event-thumbnail img")
        assert thumbnail["loading"] == "lazy" and thumbnail["alt"] == "The glass front of a concert hall at dusk"
        assert thumbnail["src"].endswith("-320.jpg") and (thumbnail["width"], thumbnail["height"]) == ("320", "213")
        assert (built_media_site / listing).parent.joinpath(thumbnail["src"]).resolve().is_file()
    others = parse(built_media_site / "index.html").select(".event-entry:not(#harpa) .event-thumbnail")
    assert others == []  # events without pictures have no thumbnail


def test_no_output_picture_keeps_exif_or_any_other_metadata(built_media_site):
    pictures = sorted((built_media_site / "media").iterdir()) + sorted((built_media_site / "cards").iterdir())
    assert len([p for p in pictures if p.parent.name == "media"]) == 4 * 2 + 1 * 2  # harpa: 4 widths; square: 1
    for path in pictures:
        with Image.open(path) as image:
            assert dict(image.getexif()) == {}, path
            assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info), (path, image.info.keys())
        assert b"Fixture Camera" not in path.read_bytes()


def test_a_build_from_the_cache_is_byte_for_byte_a_clean_build(media_site, run_timeline, tmp_path):
    clean = run_timeline(media_site, "build", "--base-url", BASE_URL, "--out", str(tmp_path / "clean" / "site"))
    assert clean.exit_code == 0, clean.stderr
    first = run_timeline(media_site, "build", "--base-url", BASE_URL)  # fills .timeline-cache/ beside site/
    assert first.exit_code == 0
    cached = sorted((media_site / ".timeline-cache" / "files").rglob("*"))
    assert len([path for path in cached if path.is_file()]) > 10
    # Damage one entry and make the build redo everything else from the cache.
    next(path for path in cached if path.is_file()).write_bytes(b"not what was stored")
    shutil.rmtree(media_site / "site")  # so that nothing is kept from the live site: all from the cache
    again = run_timeline(media_site, "build", "--base-url", BASE_URL)
    assert again.exit_code == 0, again.stderr
    assert tree_digest(media_site / "site") == tree_digest(tmp_path / "clean" / "site")


def test_the_same_input_gives_the_same_bytes(media_site, run_timeline, tmp_path):
    outputs = []
    for name in ("one", "two"):
        assert run_timeline(media_site, "build", "--base-url", BASE_URL, "--out", str(tmp_path / name / "site")).exit_code == 0
        outputs.append(tree_digest(tmp_path / name / "site"))
    assert outputs[0] == outputs[1]


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels in a few bytes: a decompression bomb's shape."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _truncated_jpeg(tmp_path: Path) -> bytes:
    data = jpeg_with_gps(tmp_path / "whole.jpg").read_bytes()
    return data[: len(data) // 2]


BAD_PICTURES = [
    ("corrupt", "broken.jpg", _truncated_jpeg, r"content/media/broken.jpg is damaged and cannot be read"),
    ("bomb", "bomb.png", lambda _: _png_header_only(30_000, 30_000),
     r"content/media/bomb.png claims more pixels than the limit of 40,000,000 \(a decompression bomb\?\)"),
    ("too-many-pixels", "huge.png", lambda _: _png_header_only(8_000, 8_000),
     r"content/media/huge.png is 8000×8000 pixels, more than the limit of 40,000,000"),
    ("not-an-image", "notes.png", lambda _: b"These are my notes, not a picture.\n",
     r"content/media/notes.png is not a picture \(JPEG, PNG, WebP or GIF\) that can be read"),
    ("another-format", "scan.png", lambda _: _encoded(Image.new("RGB", (8, 8)), "BMP"),
     r"content/media/scan.png is not a picture \(JPEG, PNG, WebP or GIF\) that can be read"),
]


def _encoded(image: Image.Image, encoding: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, encoding)
    return buffer.getvalue()


@pytest.mark.parametrize("name, data", [(case[1], case[2]) for case in BAD_PICTURES], ids=[case[0] for case in BAD_PICTURES])
def test_a_bad_picture_is_a_located_error_and_the_site_is_kept(good_site, run_timeline, tmp_path, name, data):
    pattern = next(case[3] for case in BAD_PICTURES if case[1] == name)
    (good_site / "content" / "media").mkdir()
    (good_site / "content" / "media" / name).write_bytes(data(tmp_path))
    write_event(good_site, "pictured", HARPA_EVENT.replace("media/harpa.jpg", f"media/{name}").split("  - file: media/square.png")[0])
    assert_rejected(run_timeline, good_site, [("content/events/pictured.yaml", 9, 11, pattern)])


MEDIA_CASES = [
    ("missing-file", HARPA_EVENT.replace("media/harpa.jpg", "media/harpo.jpg"), 9, 11,
     r"no such file: content/media/harpo.jpg — did you mean 'harpa.jpg'\?"),
    ("no-alt", HARPA_EVENT.replace("    alt: A grey square\n", ""), 15, 5, r"media 2 is missing the required field 'alt'"),
    ("no-credit", HARPA_EVENT.replace("    credit: Example Agency\n", ""), 18, 5, r"media 3 is missing the required field 'credit'"),
    ("outside-media", HARPA_EVENT.replace("media/harpa.jpg", "../site.yaml"), 9, 11, r"'../site.yaml' is not inside content/media/"),
    ("file-and-url", HARPA_EVENT.replace("    alt: A grey square\n", "    alt: A grey square\n    url: https://example.org/x.png\n"), 17, 10,
     r"give either 'file' .* or 'url', not both"),
    ("neither", HARPA_EVENT.replace("  - file: media/square.png\n", "  - caption: Nothing\n"), 15, 5, r"media 2 needs 'file'"),
    ("not-a-picture-suffix", HARPA_EVENT.replace("media/square.png", "media/clip.mp4"), 15, 11, r"not a picture the generator can resize"),
    ("unknown-key", HARPA_EVENT.replace("    credit: Test Studio\n", "    credit: Test Studio\n    licence: CC0\n"), 18, 5,
     r"unknown field 'licence' in media 2 — did you mean 'license'\?"),
]


@pytest.fixture
def good_site(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0, result.stderr
    return fixture_site


@pytest.mark.parametrize("text, line, column, pattern", [case[1:] for case in MEDIA_CASES], ids=[case[0] for case in MEDIA_CASES])
def test_a_bad_media_entry_is_a_located_error(good_site, run_timeline, text, line, column, pattern):
    jpeg_with_gps(good_site / "content" / "media" / "harpa.jpg")
    Image.new("RGB", (20, 20)).save(good_site / "content" / "media" / "square.png")
    write_event(good_site, "pictured", text)
    assert_rejected(run_timeline, good_site, [("content/events/pictured.yaml", line, column, pattern)])


def test_a_picture_over_the_size_limit_is_reported(good_site, run_timeline, monkeypatch):
    monkeypatch.setattr("generator.content.validate_events.MAX_MEDIA_BYTES", 1_000)
    jpeg_with_gps(good_site / "content" / "media" / "harpa.jpg")
    Image.new("RGB", (20, 20)).save(good_site / "content" / "media" / "square.png")
    write_event(good_site, "pictured", HARPA_EVENT)
    size = (good_site / "content" / "media" / "harpa.jpg").stat().st_size
    assert_rejected(run_timeline, good_site, [("content/events/pictured.yaml", 9, 11,
                                               rf"content/media/harpa.jpg is {size:,} bytes; the limit is 1,000: resize or recompress it")])


def test_check_reports_a_missing_picture_and_a_missing_alt_text(media_site, run_timeline):
    (media_site / "content" / "media" / "harpa.jpg").unlink()
    path = media_site / "content" / "events" / "harpa.yaml"
    path.write_text(path.read_text().replace("    alt: A grey square\n", ""))
    result = run_timeline(media_site, "check")
    assert result.exit_code == 1
    assert "content/events/harpa.yaml:9:11: no such file: content/media/harpa.jpg" in result.stderr
    assert "content/events/harpa.yaml:15:5: media 2 is missing the required field 'alt'" in result.stderr
    assert not (media_site / "site").exists()


def test_a_draft_may_wait_for_alt_text_and_credit(fixture_site, run_timeline):
    write_event(fixture_site, "imported", "date: 2021-05\ntitle: Imported\nsummary: From a slide.\ndraft: true\n"
                "media:\n  - url: https://example.org/photo.jpg\n")
    assert run_timeline(fixture_site, "build", "--drafts").exit_code == 0


def test_every_event_page_of_the_real_site_has_a_share_card(tmp_path, run_timeline):
    out = tmp_path / "real" / "site"
    result = run_timeline(REPO_ROOT, "build", "--out", str(out), "--base-url", BASE_URL)
    assert result.exit_code == 0, result.stderr
    event_pages = sorted((out / "events").glob("*/index.html"))
    assert len(event_pages) >= 50
    for page in event_pages:
        head = parse(page).head
        image = head.select_one("meta[property='og:image']")["content"]
        assert image == f"{BASE_URL}cards/{page.parent.name}.png"
        assert head.select_one("meta[name='twitter:card']")["content"] == "summary_large_image"
        assert head.select_one("meta[name='twitter:image']")["content"] == image
        with Image.open(out / image.removeprefix(BASE_URL)) as card:
            assert (card.format, card.size) == ("PNG", (1200, 630))
    assert sorted(path.stem for path in (out / "cards").iterdir()) == [page.parent.name for page in event_pages]


def test_without_a_base_url_there_are_no_cards_and_no_og_image(built_site):
    assert not (built_site / "cards").exists()
    head = parse(built_site / "events" / "reykjavik-meeting" / "index.html").head
    assert head.select("meta[property='og:image']") == []
    assert head.select_one("meta[name='twitter:card']")["content"] == "summary"


def test_a_card_shows_its_picture_and_the_theme_colours(built_media_site):
    with Image.open(built_media_site / "cards" / "harpa.png") as pictured, \
            Image.open(built_media_site / "cards" / "reykjavik-meeting.png") as plain:
        assert plain.convert("RGB").getpixel((1100, 20)) == (0xfd, 0xfd, 0xfb)  # the theme's --background
        assert plain.convert("RGB").getpixel((5, 300)) == (0xa4, 0x16, 0x1a)  # its --accent
        assert pictured.convert("RGB").getpixel((1100, 20)) != (0xfd, 0xfd, 0xfb)  # the photo shows through


def test_the_card_font_renders_cyrillic_and_its_licence_is_beside_it():
    font = ImageFont.truetype(str(BUILTIN_THEME / CARD_FONT), 40)

    def drawn(text: str) -> bytes:
        image = Image.new("L", (60, 60))
        ImageDraw.Draw(image).text((5, 5), text, font=font, fill=255)
        return image.tobytes()

    missing = drawn("\U000E0FFF")  # an unassigned code point: the font's "no glyph" box
    for letter in "ДжЯщ":
        assert drawn(letter) != missing, letter
    licence = (BUILTIN_THEME / "fonts" / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Permission is hereby granted" in licence


def test_a_cyrillic_title_draws_more_than_the_no_glyph_box(fixture_site, run_timeline, tmp_path):
    from generator.formats.share_cards import card_theme, render_card
    theme = card_theme((BUILTIN_THEME,))
    russian = Image.open(io.BytesIO(render_card("Договор", "2010", "Site", theme)))
    boxes = Image.open(io.BytesIO(render_card("\U000E0FFF" * 7, "2010", "Site", theme)))
    assert russian.tobytes() != boxes.tobytes()


def test_timelinejs_media_imports_and_exports_with_the_event(fixture_site, run_timeline, tmp_path):
    slides = {"events": [{
        "unique_id": "harpa-meeting",
        "start_date": {"year": 2021, "month": 5, "day": 20},
        "text": {"headline": "Ministers meet", "text": "<p>They met.</p>"},
        "media": {"url": "https://example.org/harpa.jpg", "caption": "Harpa <em>at dusk</em>", "credit": "Fixture Photographer",
                  "alt": "A concert hall"},
    }]}
    source = tmp_path / "slides.json"
    source.write_text(json.dumps(slides), encoding="utf-8")
    assert run_timeline(fixture_site, "import", "timelinejs", str(source)).exit_code == 0
    imported = yaml.safe_load((fixture_site / "content" / "events" / "harpa-meeting.yaml").read_text(encoding="utf-8"))
    expected = {"url": "https://example.org/harpa.jpg", "caption": "Harpa at dusk", "credit": "Fixture Photographer", "alt": "A concert hall"}
    assert imported["media"] == [expected]

    assert run_timeline(fixture_site, "build", "--drafts").exit_code == 0
    exported = json.loads((fixture_site / "site" / "data" / "timelinejs.json").read_text(encoding="utf-8"))
    slide = next(event for event in exported["events"] if event["unique_id"] == "harpa-meeting")
    assert slide["media"] == expected
    page = parse(fixture_site / "site" / "events" / "harpa-meeting" / "index.html")
    assert page.select_one("a.media-link")["href"] == "https://example.org/harpa.jpg"


def test_a_local_picture_is_exported_at_its_public_address(built_media_site):
    exported = json.loads((built_media_site / "data" / "timelinejs.json").read_text(encoding="utf-8"))
    slide = next(event for event in exported["events"] if event["unique_id"] == "harpa")
    assert slide["media"]["url"].startswith(BASE_URL + "media/harpa-") and slide["media"]["url"].endswith("-1200.jpg")
    assert (slide["media"]["credit"], slide["media"]["alt"]) == ("Fixture Photographer", "The glass front of a concert hall at dusk")


def test_pages_with_figures_and_thumbnails_are_valid_html(built_media_site):
    from test_html_valid import vnu_errors
    assert vnu_errors(built_media_site) == []


def test_serve_mode_redraws_what_a_replaced_picture_changes(media_site):
    from generator.build.incremental import BuildCache
    from generator.build.pipeline import BuildOptions, render_site
    options = BuildOptions(media_site, media_site / "site", base_url=BASE_URL)
    cache = BuildCache()
    before = render_site(options, cache).files
    jpeg_with_gps(media_site / "content" / "media" / "harpa.jpg", size=(900, 900))  # same name, new picture
    after = render_site(options, cache).files
    assert after == render_site(options).files
    assert after["events/harpa/index.html"] != before["events/harpa/index.html"]
    assert after["cards/harpa.png"] != before["cards/harpa.png"]


def test_open_data_lists_each_picture_and_follows_its_schema(built_media_site):
    import jsonschema
    events = json.loads((built_media_site / "data" / "events.json").read_text(encoding="utf-8"))
    jsonschema.validate(events, json.loads((built_media_site / "data" / "events.schema.json").read_text(encoding="utf-8")))
    media = next(event for event in events["events"] if event["id"] == "harpa")["media"]
    assert [(item["local"], item["credit"]) for item in media] == [(True, "Fixture Photographer"), (True, "Test Studio"), (False, "Example Agency")]
    assert media[0]["url"].startswith(BASE_URL + "media/harpa-") and media[2]["url"] == "https://example.org/map.png"


def test_the_share_card_is_the_events_image_in_its_json_ld(built_media_site):
    page = parse(built_media_site / "events" / "harpa" / "index.html")
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["image"] == BASE_URL + "cards/harpa.png"


def test_the_home_page_loads_no_picture_before_it_is_scrolled_to(built_media_site):
    import gzip
    home = parse(built_media_site / "index.html")
    images = home.select("img")
    assert images and all(image.get("loading") == "lazy" for image in images)
    loaded = ["index.html"] + [element.get("src") or element["href"]
                               for element in home.select("script[src], link[rel=stylesheet], link[rel=icon]")]
    assert sum(len(gzip.compress((built_media_site / path).read_bytes(), 9)) for path in loaded) < 100_000


def test_the_file_cache_ignores_other_versions_and_damaged_entries_and_forgets_old_versions(tmp_path):
    from generator.site.file_cache import FileCache
    old, new = FileCache(tmp_path / "files", "version-1"), FileCache(tmp_path / "files", "version-2")
    old.put("card", b"old bytes")
    assert old.get("card") == b"old bytes" and new.get("card") is None
    new.put("card", b"new bytes")
    entry = next(path for path in (tmp_path / "files").rglob("*") if path.is_file() and path.read_bytes().endswith(b"new bytes"))
    entry.write_bytes(entry.read_bytes()[:-1])  # truncated
    assert new.get("card") is None
    new.forget_other_versions()
    assert old.get("card") is None and len(list((tmp_path / "files").iterdir())) == 1
