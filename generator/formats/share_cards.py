"""cards/<event-id>.png: the picture a chat or social network shows for a shared event link (og:image).

1200×630 PNG, drawn at build time: the event's date, title and the site's name in the theme's colours
(read from its style.css) and its font (fonts/ in the theme), over the event's first picture when it
has one. A card without a picture is a palette image: the theme's colours and a few dozen shades
between each text colour and the background for the letters' edges, less than half the bytes of a
full-colour one and about a quarter of the time to draw, and written by palette_png (ISA-L's deflate:
Pillow's zlib took half of a card's time). Written only with a base URL, since og:image must be
absolute; each card is kept in the file cache under a hash of everything drawn on it, and those
missing from it are drawn in forked workers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
import io
import json
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps

from generator.content.records import Event
from generator.site.file_cache import FileCache
from generator.site.stored_file import StoredFile
from generator.site.media import ProcessedMedia
from generator.site.model import Timeline
from generator.content.parallel import map_in_order, worker_count
from generator.formats.palette_png import palette_png
from generator.site.urls import card_url

CARD_SIZE = (1200, 630)
CARD_FONT = "fonts/DejaVuSans-Bold.ttf"  # Bitstream Vera licence; the text beside it in the theme
DEFAULT_COLOURS = {"background": "#fdfdfb", "text": "#1b1f24", "muted": "#555d66", "accent": "#a4161a", "line": "#d6d3c9"}
PICTURE_SHOWS = 0.22  # how much of the picture shows through the theme's background: the text stays readable
MARGIN = 80
TITLE_SIZES = (68, 60, 52, 44)
TITLE_LINES = 4
INKS = ("accent", "text", "muted")  # the colours text is drawn in, each with its shades in the palette
SHADES = 64  # of each ink over the background: no pixel is more than 3 in 255 from the exact blend
BAR = (0, 0, 23, CARD_SIZE[1])  # the accent stripe down the left edge
RULE = (MARGIN, CARD_SIZE[1] - MARGIN - 56, CARD_SIZE[0] - MARGIN, CARD_SIZE[1] - MARGIN - 56)  # above the site's name
CARD_COST_IN_PAGES = 4  # drawing and compressing a plain card takes about as long as rendering four pages


@dataclass(frozen=True)
class _Text:
    ink: str
    position: tuple[int, int]
    text: str
    font: ImageFont.FreeTypeFont


@dataclass(frozen=True)
class _CardInput:
    """What one card shows (its event's title and date) and its key in the file cache."""
    url: str
    event: Event
    site_name: str
    picture: bytes | None
    key: str


@dataclass(frozen=True)
class CardTheme:
    font: bytes
    colours: dict[str, str]

    @cached_property
    def key(self) -> str:
        """What of the theme a card depends on, for the cache key."""
        return json.dumps([hashlib.sha256(self.font).hexdigest(), sorted(self.colours.items())])

    @cached_property
    def palette(self) -> bytes:
        """The plain card's colours, three bytes each as a PNG's palette holds them: the background (index 0),
        SHADES of each ink over it, the line (last)."""
        background = _rgb(self.colours["background"])
        palette = [*background]
        for ink in INKS:
            colour = _rgb(self.colours[ink])
            for shade in range(1, SHADES + 1):
                palette += [(back * (SHADES - shade) + fore * shade + SHADES // 2) // SHADES
                            for back, fore in zip(background, colour)]
        return bytes(palette + [*_rgb(self.colours["line"])])


def card_theme(folders: tuple[Path, ...]) -> CardTheme:
    """The font and colours of the first theme folder that has them (the site's own before the built-in)."""
    font = next(folder / CARD_FONT for folder in folders if (folder / CARD_FONT).is_file())
    colours = dict(DEFAULT_COLOURS)
    for folder in reversed(folders):
        stylesheet = folder / "assets" / "style.css"
        if stylesheet.is_file():
            colours.update(_root_colours(stylesheet.read_text(encoding="utf-8")))
    return CardTheme(font.read_bytes(), colours)


def render_share_cards(timeline: Timeline, media: ProcessedMedia, theme: CardTheme,
                       cache: FileCache | None = None, workers: int | None = None,
                       live: Callable[[str, str], object | None] | None = None,
                       keys: dict[str, str] | None = None,
                       event_digests: Mapping[str, bytes] | None = None,
                       as_files: bool = False) -> Iterator[tuple[str, bytes | object]]:
    """Each event's card as (output path, PNG bytes), as they are made; nothing without a base URL
    (og:image must be absolute).

    `live(path, key)` gives what stands for the live site's card at `path` when it is the card of that key
    (the CLI build's `output.Kept`), else None: such a card comes as (path, that) and is neither read nor drawn. Cards found in the cache are read; the others are
    drawn, in forked workers when there are enough of them to be worth a fork, and kept. Each card's
    key (a hash of everything drawn on it) is put in `keys`, when given, by its path. With `event_digests`
    (all of each event, hashed: site/page_keys.PageKeys.event_digest), a card's key holds its event's digest
    in place of its title and date: the build has it already, and writing the dates took 0.2 s at 10,000 events.
    With `as_files` (the CLI build), a card kept or drawn comes as the cache's file (`StoredFile`), which the
    site links, not as bytes read or written a second time; a card the cache could not take comes as bytes.
    """
    if not timeline.config.base_url:
        return
    digests = event_digests or {}
    inputs = [_card_input(timeline, event, media, theme, digests.get(event.id)) for event in timeline.events]
    if keys is not None:
        keys.update((card.url, card.key) for card in inputs)
    missing = []
    for card in inputs:
        if live is not None and (held := live(card.url, card.key)) is not None:
            yield card.url, held
        elif (stored := _kept(cache, card.key, as_files)) is not None:
            yield card.url, stored
        else:
            missing.append(card)
    workers = worker_count(len(missing) * CARD_COST_IN_PAGES) if workers is None else workers

    def draw(index: int) -> bytes:
        card = missing[index]
        return render_card(card.event.title, card.event.date.display(), card.site_name, theme, card.picture)

    drawn = map_in_order(draw, len(missing), workers) if workers > 1 else ((i, draw(i)) for i in range(len(missing)))
    for index, png in drawn:
        yield missing[index].url, _keep(cache, missing[index].key, png, as_files)


def _kept(cache: FileCache | None, key: str, as_file: bool) -> bytes | StoredFile | None:
    """The card the cache holds under `key` (its file with `as_file`, else its bytes), or None."""
    if cache is None:
        return None
    return cache.file(key) if as_file else cache.get(key)


def _keep(cache: FileCache | None, key: str, png: bytes, as_file: bool) -> bytes | StoredFile:
    """The card as the caller takes it, kept in the cache (as a file of its own with `as_file`)."""
    if cache is None:
        return png
    if as_file:
        return cache.put_file(key, png) or png
    cache.put(key, png)
    return png


def render_card(title: str, date: str, site_name: str, theme: CardTheme, picture: bytes | None = None) -> bytes:
    """One card's PNG bytes."""
    size, lines = _fit_title(title, theme, CARD_SIZE[0] - 2 * MARGIN)
    small, title_font = _font(theme.font, 34), _font(theme.font, size)
    texts = [_Text("accent", (MARGIN, MARGIN), date, small),
             *(_Text("text", (MARGIN, MARGIN + 80 + n * round(size * 1.2)), line, title_font) for n, line in enumerate(lines)),
             _Text("muted", (MARGIN, CARD_SIZE[1] - MARGIN - 34), site_name, small)]
    if picture is None:
        return palette_png(_in_palette(texts), theme.palette)
    buffer = io.BytesIO()
    _over_picture(texts, theme, picture).save(buffer, "PNG", compress_level=3, optimize=False)  # 20–40% larger than level 9, 5–15 times faster
    return buffer.getvalue()


def _over_picture(texts: list[_Text], theme: CardTheme, picture: bytes) -> Image.Image:
    """A full-colour card: the text over the picture, faded into the background."""
    with Image.open(io.BytesIO(picture)) as source:
        photo = ImageOps.fit(source.convert("RGB"), CARD_SIZE, Image.Resampling.LANCZOS)
    card = Image.blend(Image.new("RGB", CARD_SIZE, _rgb(theme.colours["background"])), photo, PICTURE_SHOWS)
    draw = ImageDraw.Draw(card)
    draw.rectangle(BAR, fill=_rgb(theme.colours["accent"]))
    draw.line(RULE, fill=_rgb(theme.colours["line"]), width=2)
    for text in texts:
        draw.text(text.position, text.text, font=text.font, fill=_rgb(theme.colours[text.ink]))
    return card


def _in_palette(texts: list[_Text]) -> Image.Image:
    """A card of the theme's colours alone, as palette indexes (CardTheme.palette): each text's antialiased
    mask becomes shades of its ink."""
    card = Image.new("L", CARD_SIZE, 0)  # palette indexes, written with the palette by palette_png
    draw = ImageDraw.Draw(card)
    draw.rectangle(BAR, fill=SHADES_OF["accent"][255])
    draw.line(RULE, fill=len(INKS) * SHADES + 1, width=2)
    inked = list(_INKED_FIRST)  # boxes that may hold other indexes than the background's (0)
    for text in texts:
        for offset, shaded in _pieces(text):
            if shaded is None:
                continue
            (left, top), shades = shaded
            corner = (text.position[0] + offset + left, text.position[1] + top)
            box = (*corner, corner[0] + shades.width, corner[1] + shades.height)
            if _on_background(box, inked):  # the lighter of 0 and a shade is the shade (a crop and a compare the less)
                card.paste(shades, corner)
            else:
                card.paste(ImageChops.lighter(card.crop(box), shades), corner)
            inked.append(box)
    return card


# The stripe and the rule as boxes (left, top, right, bottom; the right and bottom excluded): the rectangle holds
# both its corners, and the rule's box is wider than its two pixels, whichever way they are drawn.
_INKED_FIRST = ((BAR[0], BAR[1], BAR[2] + 1, BAR[3] + 1), (RULE[0] - 2, RULE[1] - 2, RULE[2] + 3, RULE[3] + 3))


def _on_background(box: tuple[int, int, int, int], inked: list[tuple[int, int, int, int]]) -> bool:
    """Whether `box` meets none of the boxes `inked`, so that all it covers of the card is still background."""
    left, top, right, bottom = box
    return not any(left < other[2] and other[0] < right and top < other[3] and other[1] < bottom for other in inked)


def _pieces(text: _Text) -> list[tuple[int, tuple[tuple[int, int], Image.Image] | None]]:
    """The text's shaded masks (`_shaded`), each with how far right of the text's origin it starts, word by
    word, each word's mask kept for the cards that follow: a title line, a date, the site's name.

    Titles share most of their words (the, of, Russia, sanctions…): drawing a line's words from kept masks took
    a card's CPU in a clean build of the bench corpus from 3.6–4.3 to 2.4–3.2 ms (PERFORMANCE.md, "What made
    it faster"); this repository's 171 titles, none kept beforehand, lose nothing by it. Dates are made of a few
    dozen words (days, months, years), where whole they were each drawn afresh: few events share a day; the
    site's name, on every card, is drawn once per process (it took 0.38 ms of a 4.6 ms card).
    FreeType's basic layout puts each letter at the whole pixel nearest the sum of the advances (and kerning)
    before it, counted from where the text starts, which may be a fraction of a pixel: so a word drawn from
    where the line has it has its letters where the line has them. Where it starts is the length of the line
    up to its first letter, less that letter's advance (a font that kerns a space and a letter places the word
    as the whole line does); after a kerned pair ("AV", some 15 % of lines) it is between two pixels, and the
    word's mask is drawn from that fraction (once per word and fraction: a 64th of a pixel at most).
    tests/test_share_cards.py compares cards of real titles and dates with their lines drawn whole."""
    font, pieces, start = text.font, [], 0
    for word in text.text.split(" "):
        if word:
            offset = font.getlength(text.text[:start + 1]) - font.getlength(word[0]) if start else 0.0
            pieces.append((math.floor(offset), _shaded_word(word, font, text.ink, offset % 1)))
        start += len(word) + 1
    return pieces


def _shaded(text: str, font: ImageFont.FreeTypeFont, ink: str,
            fraction: float = 0.0) -> tuple[tuple[int, int], Image.Image] | None:
    """The text's antialiased mask as the palette indexes of its ink's shades, and where its box starts from
    the text's origin; None for a text that draws nothing. With `fraction`, the text starts that much of a
    pixel right of its origin: its box is a pixel wider, and starts at the origin or left of it, so that it is
    drawn from a point right of the mask's edge, as a word is in its line (Pillow splits a point into a whole
    pixel and a fraction by truncating it, the other way round left of the edge)."""
    left, top, right, bottom = font.getbbox(text)
    if right <= left or bottom <= top:
        return None
    if fraction:
        left, right = min(left, 0), right + 1
    mask = Image.new("L", (right - left, bottom - top))
    ImageDraw.Draw(mask).text((fraction - left, -top), text, font=font, fill=255)
    return (left, top), mask.point(SHADES_OF[ink])


# A word's mask is some 15 kB: at most 30 MB in each process that draws cards. The images are only read (pasted,
# compared). The site's name's words, met on every card, are the last the cache would let go.
_shaded_word = lru_cache(maxsize=2048)(_shaded)


def _shades(ink: str) -> tuple[int, ...]:
    """The palette index for each coverage 0–255 of a pixel by text in `ink`: the nearest of its shades."""
    first = INKS.index(ink) * SHADES + 1
    return (0, *(first + max(1, (coverage * SHADES + 127) // 255) - 1 for coverage in range(1, 256)))


SHADES_OF = {ink: _shades(ink) for ink in INKS}


def _card_input(timeline: Timeline, event: Event, media: ProcessedMedia, theme: CardTheme,
                digest: bytes | None = None) -> _CardInput:
    picture = media.largest(event.image.file) if event.image else None
    site_name = timeline.config.title
    shown = [event.title, event.date.display()] if digest is None else [digest.hex()]
    drawn = json.dumps([*shown, site_name, theme.key, hashlib.sha256(picture).hexdigest() if picture else None])
    # Hashed: written out, a key was some 330 characters, held for every card to the end of a build and kept
    # in the page store (30 MB at 100,000 events, twice in a rebuild); hashed, 45.
    return _CardInput(card_url(event.id), event, site_name, picture, "card " + hashlib.blake2b(drawn.encode(), digest_size=20).hexdigest())


def _fit_title(title: str, theme: CardTheme, width: int) -> tuple[int, list[str]]:
    """The largest size at which the title fits in a few lines; at the smallest, the rest is cut with '…'."""
    for size in TITLE_SIZES:
        font = _font(theme.font, size)
        lines = _wrap(title, font, width)
        if len(lines) <= TITLE_LINES:
            return size, lines
    lines = lines[:TITLE_LINES]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1].rstrip()
    return TITLE_SIZES[-1], [*lines[:-1], last + "…"]


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:  # a word wider than the card: break it
            cut = len(word)
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


@lru_cache(maxsize=16)  # each size of a theme's font is read once per process, not once per card
def _font(font: bytes, size: int) -> ImageFont.FreeTypeFont:
    # The basic layout engine, not Raqm: the same bytes on every machine, whatever libraries it has.
    return ImageFont.truetype(io.BytesIO(font), size, layout_engine=ImageFont.Layout.BASIC)


def _root_colours(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{([^}]*)\}", css)
    if not root:
        return {}
    found = dict(re.findall(r"--([a-z-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b", root.group(1)))
    return {name: value for name, value in found.items() if name in DEFAULT_COLOURS}


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
