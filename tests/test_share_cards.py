"""Share cards: a plain card is a palette image that looks like the full-colour drawing, cards come from the
file cache when they can, and cards drawn in forked workers are the bytes of cards drawn in the build itself."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
import yaml

from PIL import Image, ImageChops

from conftest import tree_digest
from test_media import BASE_URL, media_site  # noqa: F401  (media_site is a fixture: a site with a picture)

import generator.formats.share_cards as share_cards
from generator.build.build_record import record_path
from generator.build.pipeline import BuildOptions, plan_site
from generator.content.dates import parse_span
from generator.formats.share_cards import card_theme, render_card, render_share_cards
from generator.site.theme import BUILTIN_THEME

TITLE = "Presidents sign the New Strategic Arms Reduction Treaty in Prague after a year of talks"


def test_a_plain_card_is_a_small_palette_png_that_looks_like_the_full_colour_drawing():
    theme = card_theme((BUILTIN_THEME,))
    plain = render_card(TITLE, "8 April 2010", "US–Russia relations", theme)
    # Over a picture of the background's own colour, the card is drawn in full colour: what it should look like.
    background = io.BytesIO()
    Image.new("RGB", (1200, 630), theme.colours["background"]).save(background, "PNG")
    full_colour = render_card(TITLE, "8 April 2010", "US–Russia relations", theme, background.getvalue())
    with Image.open(io.BytesIO(plain)) as card, Image.open(io.BytesIO(full_colour)) as expected:
        assert (card.format, card.size, card.mode) == ("PNG", (1200, 630), "P")
        assert expected.mode == "RGB"
        difference = ImageChops.difference(card.convert("RGB"), expected)
        assert difference.getbbox() is not None  # the letters' edges are shades of the palette, not exact blends
        assert max(high for _, high in difference.getextrema()) <= 3  # out of 255: no reader can tell them apart
    assert len(plain) < len(full_colour) / 1.5 and len(plain) < 100_000
    assert render_card(TITLE, "8 April 2010", "US–Russia relations", theme) == plain


def _planned(site_folder):
    return plan_site(BuildOptions(site_folder, site_folder / "site", base_url=BASE_URL))


def test_cards_drawn_in_workers_are_byte_for_byte_those_drawn_in_the_build(media_site):  # noqa: F811
    site = _planned(media_site)
    theme = card_theme(site.folders)
    alone = dict(render_share_cards(site.timeline, site.media, theme, workers=1))
    forked = dict(render_share_cards(site.timeline, site.media, theme, workers=2))
    assert list(forked) == list(alone) and "cards/harpa.png" in alone  # harpa's card is drawn over its picture
    assert forked == alone


def test_cards_keyed_by_each_event_s_digest_are_those_keyed_by_what_they_show(media_site):  # noqa: F811
    """A CLI build keys each card by its event's digest (the page keys'), not by its title and date: same cards,
    other keys, and a key that changes with the title, the date or the picture either way."""
    from generator.site.page_keys import PageKeys

    site = _planned(media_site)
    theme = card_theme(site.folders)
    page_keys = PageKeys(site.timeline, "templates", (), frozenset())
    digests = {event.id: page_keys.event_digest(event) for event in site.timeline.events}
    by_shown, by_digest = {}, {}
    plain = dict(render_share_cards(site.timeline, site.media, theme, workers=1, keys=by_shown))
    assert dict(render_share_cards(site.timeline, site.media, theme, workers=1, keys=by_digest, event_digests=digests)) == plain
    assert by_digest.keys() == by_shown.keys() and all(by_digest[path] != by_shown[path] for path in by_shown)
    assert len(set(by_digest.values())) == len(by_digest)


def drawn_titles(monkeypatch) -> list[str]:
    """The titles of the cards drawn from now on, in the order they are drawn (in this process)."""
    drawn: list[str] = []
    draw = share_cards.render_card

    def counted(title, *rest):
        drawn.append(title)
        return draw(title, *rest)

    monkeypatch.setattr(share_cards, "render_card", counted)
    return drawn


def test_a_second_build_draws_no_card_and_an_edited_event_draws_its_own(media_site, run_timeline, monkeypatch):  # noqa: F811
    assert run_timeline(media_site, "build", "--base-url", BASE_URL).exit_code == 0
    first = tree_digest(media_site / "site")
    drawn = drawn_titles(monkeypatch)
    record_path(media_site / "site").unlink()  # the build record: without it, the build is not a no-op
    again = run_timeline(media_site, "build", "--base-url", BASE_URL)
    assert again.exit_code == 0, again.stderr
    assert drawn == [] and tree_digest(media_site / "site") == first

    other_cards = {path: path.stat().st_ino for path in (media_site / "site" / "cards").glob("*.png") if path.stem != "harpa"}
    event = media_site / "content" / "events" / "harpa.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title: Ministers meet at", "title: Ministers gather at"),
                     encoding="utf-8")
    assert run_timeline(media_site, "build", "--base-url", BASE_URL).exit_code == 0
    assert drawn == ["Ministers gather at the Harpa concert hall"]
    edited = tree_digest(media_site / "site")
    assert edited["cards/harpa.png"] != first["cards/harpa.png"]
    assert {path for path in first if path.startswith("cards/") and edited[path] != first[path]} == {"cards/harpa.png"}
    # The other cards are the live site's own files, linked into the new site: neither read nor drawn.
    assert other_cards and all(path.stat().st_ino == inode for path, inode in other_cards.items())


def _title_pixels_right_of_margin(png: bytes) -> tuple[int, int]:
    """The range of palette indexes right of the text's margin (0 alone: the background)."""
    with Image.open(io.BytesIO(png)) as card:
        return card.crop((share_cards.CARD_SIZE[0] - share_cards.MARGIN + 1, 0, *share_cards.CARD_SIZE)).getextrema()


def test_a_title_fills_each_line_of_the_card_and_never_runs_past_its_margin():
    theme = card_theme((BUILTIN_THEME,))
    width = share_cards.CARD_SIZE[0] - 2 * share_cards.MARGIN
    titles = [TITLE,
              "Россия приостанавливает участие в Договоре о стратегических наступательных вооружениях, "
              "заявляет президент в послании Федеральному собранию",
              "W" * 30 + " is a word wider than the card, and these short words follow it to fill the lines",
              " ".join(f"T{n}" for n in range(10_000, 10_060))]  # more than the card holds at its smallest size
    for title in titles:
        size, lines = share_cards._fit_title(title, theme, width)
        font = share_cards._font(theme.font, size)
        assert all(font.getlength(line) <= width for line in lines), title
        assert 1 <= len(lines) <= share_cards.TITLE_LINES
        words = title.split()
        shown = " ".join(lines).removesuffix("…").split()
        if lines[-1].endswith("…"):  # cut short at the smallest size: what is shown is the title's start
            assert size == share_cards.TITLE_SIZES[-1] and " ".join(words).startswith(" ".join(shown)[:-1])
        else:
            assert "".join(shown) == "".join(words)
            for line, following in zip(lines, lines[1:]):  # each line holds every word that fits on it
                assert font.getlength(f"{line} {following.split()[0]}") > width, (line, following)
        assert _title_pixels_right_of_margin(render_card(title, "8 April 2010", "US–Russia relations", theme)) == (0, 0)


def test_a_card_drawn_with_texts_kept_from_other_cards_is_the_card_drawn_afresh():
    theme = card_theme((BUILTIN_THEME,))
    cards = [(TITLE, "8 April 2010", "US–Russia relations"),
             ("Another event of the same day", "8 April 2010", "US–Russia relations"),
             ("8 April 2010", "US–Russia relations", "8 April 2010")]  # the same texts in each other's places
    afresh = []
    for card in cards:
        share_cards._shaded_word.cache_clear()
        afresh.append(render_card(*card, theme))
    share_cards._shaded_word.cache_clear()
    assert [render_card(*card, theme) for card in cards] == afresh
    # The site's name's two words and the date's three, drawn once for the first two cards; the title's "of", "the".
    assert share_cards._shaded_word.cache_info().hits >= 7


def test_texts_drawn_over_each_other_and_over_the_stripe_keep_the_lighter_shade(monkeypatch):
    """A text drawn where the card already holds ink (another text, the accent stripe, the rule) shows the
    lighter index of the two, as if every text were composed over the card; where it is clear, its own."""
    theme = card_theme((BUILTIN_THEME,))
    big, small = share_cards._font(theme.font, 68), share_cards._font(theme.font, 34)
    texts = [share_cards._Text("text", (90, 100), "Overlapping words", big),
             share_cards._Text("accent", (120, 125), "drawn over them", big),
             share_cards._Text("muted", (5, 300), "Over the stripe", small),
             share_cards._Text("muted", (300, share_cards.RULE[1] - 20), "Across the rule", small),
             share_cards._Text("text", (720, 560), "Clear of all", small)]
    # Full blocks (ink to the very edges of their boxes) that share one column or one row of pixels with what
    # was drawn before them, in inks each lower in the palette than the last: the stripe's last column, the
    # rule's last row and column, the block on their left or right, above or below.
    (left, top), block = share_cards._shaded("█", small, "muted")
    bar_right, rule_bottom, rule_right = share_cards.BAR[2], share_cards.RULE[3] + 1, share_cards.RULE[2]
    texts += [share_cards._Text("accent", (bar_right - left, 560), "█", small),
              share_cards._Text("accent", (700, rule_bottom - top), "█", small),
              share_cards._Text("accent", (rule_right - left, rule_bottom - 20), "█", small)]
    for n, ink in enumerate(("muted", "text", "accent")):
        for step in (1, -1):
            texts.append(share_cards._Text(ink, (850 + step * n * (block.width - 1), 130 + 60 * step), "█", small))
            texts.append(share_cards._Text(ink, (1000 + 100 * step, 330 + step * n * (block.height - 1)), "█", small))
    scattered = random.Random(12)  # and words strewn about the left of the card, meeting at every depth
    texts += [share_cards._Text(scattered.choice(share_cards.INKS), (100 + scattered.randrange(450),
                                scattered.randrange(460)), scattered.choice(("gyp", "ÅÉ", "Wj", "treaty", "—")), small)
              for _ in range(150)]
    drawn = share_cards._in_palette(texts).tobytes()
    monkeypatch.setattr(share_cards, "_on_background", lambda box, inked: False)
    assert share_cards._in_palette(texts).tobytes() == drawn
    monkeypatch.setattr(share_cards, "_on_background", lambda box, inked: True)  # the check shown to matter
    assert share_cards._in_palette(texts).tobytes() != drawn


# A theme may bring its own card font: Liberation Serif (installed with Chromium here and on CI) kerns a space
# and the letter after it ("A", "T", "Y"), which the built-in DejaVu Sans does not.
SPACE_KERNING_FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf")


@pytest.mark.parametrize("font", [None, SPACE_KERNING_FONT], ids=["theme font", "a font that kerns spaces"])
def test_a_title_drawn_from_kept_words_is_the_title_drawn_whole(monkeypatch, font):
    """Every title and date of this repository's events, and a few harder ones, on a card drawn word by word
    (each word's mask kept and placed) and on one whose lines FreeType draws whole: the same pixels, so the same
    bytes."""
    theme = card_theme((BUILTIN_THEME,))
    if font is not None:
        if not font.is_file():
            pytest.skip(f"{font} is not installed")
        theme = share_cards.CardTheme(font.read_bytes(), theme.colours)
    events = [yaml.safe_load(path.read_text(encoding="utf-8"))
              for path in sorted((Path(__file__).parent.parent / "content" / "events").glob("*.yaml"))]
    cards = [(event["title"], parse_span(str(event["date"])).display()) for event in events]
    assert len(cards) > 100 and len({date for _, date in cards}) > 100
    cards += [(title, "8 April 2010") for title in ["Россия приостанавливает участие в Договоре СНВ-III",
              "Two  spaces, a  ‘quote’, “Lavrov–Blinken” talks & 50% of 1,550 warheads",
              "AVATAR WAVY Type",  # kerned pairs: the words after them start between two pixels
              "A Treaty at Yalta: Talks Over Arms",
              "W" * 30 + " is a word wider than the card"]]
    cards += [("Dates of each kind", date)
              for date in ("c. 1991", "December 1991?", "1 July 1968 – 1 July 2027", "June 2025")]
    share_cards._shaded_word.cache_clear()
    by_words = [render_card(title, date, "US–Russia relations", theme) for title, date in cards]
    assert share_cards._shaded_word.cache_info().hits > 400  # "the", "of", "Russia"… drawn once, placed again

    monkeypatch.setattr(share_cards, "_pieces", lambda text: [(0, share_cards._shaded(text.text, text.font, text.ink))])
    whole = [render_card(title, date, "US–Russia relations", theme) for title, date in cards]
    assert [card for card, mine, theirs in zip(cards, by_words, whole) if mine != theirs] == []
