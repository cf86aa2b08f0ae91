"""cards/<event-id>.png: the picture a chat or social network shows for a shared event link (og:image).

1200×630 PNG, drawn at build time: the event's date, title and the site's name in the theme's colours
(read from its style.css) and its font (fonts/ in the theme), over the event's first picture when it
has one. Written only with a base URL, since og:image must be absolute; each card is kept in the
file cache under a hash of everything drawn on it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from generator.content.records import Event
from generator.site.file_cache import FileCache
from generator.site.media import ProcessedMedia
from generator.site.model import Timeline
from generator.content.parallel import map_in_order, worker_count
from generator.site.urls import card_url

CARD_SIZE = (1200, 630)
CARD_FONT = "fonts/DejaVuSans-Bold.ttf"  # Bitstream Vera licence; the text beside it in the theme
DEFAULT_COLOURS = {"background": "#fdfdfb", "text": "#1b1f24", "muted": "#555d66", "accent": "#a4161a", "line": "#d6d3c9"}
PICTURE_SHOWS = 0.22  # how much of the picture shows through the theme's background: the text stays readable
MARGIN = 80
TITLE_SIZES = (68, 60, 52, 44)
TITLE_LINES = 4
CARD_COST_IN_PAGES = 8  # drawing and compressing a card takes about as long as rendering eight pages


@dataclass(frozen=True)
class CardTheme:
    font: bytes
    colours: dict[str, str]

    @property
    def key(self) -> str:
        """What of the theme a card depends on, for the cache key."""
        return json.dumps([hashlib.sha256(self.font).hexdigest(), sorted(self.colours.items())])


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
                       cache: FileCache | None = None) -> dict[str, bytes]:
    """Each event's card by its output path; nothing without a base URL (og:image must be absolute)."""
    if not timeline.config.base_url:
        return {}
    events, theme_key = timeline.events, theme.key

    def card_of(index: int) -> bytes:
        return _card(timeline, events[index], media, theme, theme_key, cache)

    workers = worker_count(len(events) * CARD_COST_IN_PAGES)
    cards = map_in_order(card_of, len(events), workers) if workers > 1 else ((i, card_of(i)) for i in range(len(events)))
    return {card_url(events[index].id): card for index, card in cards}


def render_card(title: str, date: str, site_name: str, theme: CardTheme, picture: bytes | None = None) -> bytes:
    """One card's PNG bytes."""
    background = _rgb(theme.colours["background"])
    card = Image.new("RGB", CARD_SIZE, background)
    if picture is not None:
        with Image.open(io.BytesIO(picture)) as source:
            photo = ImageOps.fit(source.convert("RGB"), CARD_SIZE, Image.Resampling.LANCZOS)
        card = Image.blend(card, photo, PICTURE_SHOWS)
    draw = ImageDraw.Draw(card)
    width, height = CARD_SIZE
    draw.rectangle((0, 0, 23, height), fill=_rgb(theme.colours["accent"]))
    small = _font(theme, 34)
    draw.text((MARGIN, MARGIN), date, font=small, fill=_rgb(theme.colours["accent"]))
    size, lines = _fit_title(title, theme, width - 2 * MARGIN)
    title_font = _font(theme, size)
    top = MARGIN + 80
    for line in lines:
        draw.text((MARGIN, top), line, font=title_font, fill=_rgb(theme.colours["text"]))
        top += round(size * 1.2)
    draw.line((MARGIN, height - MARGIN - 56, width - MARGIN, height - MARGIN - 56), fill=_rgb(theme.colours["line"]), width=2)
    draw.text((MARGIN, height - MARGIN - 34), site_name, font=small, fill=_rgb(theme.colours["muted"]))
    buffer = io.BytesIO()
    card.save(buffer, "PNG", compress_level=3, optimize=False)  # a fifth larger than level 9, five times faster
    return buffer.getvalue()


def _card(timeline: Timeline, event: Event, media: ProcessedMedia, theme: CardTheme, theme_key: str,
          cache: FileCache | None) -> bytes:
    picture = media.largest(event.image.file) if event.image else None
    title, date, site_name = event.title, event.date.display(), timeline.config.title
    key = "card\0" + json.dumps([title, date, site_name, theme_key, hashlib.sha256(picture).hexdigest() if picture else None])
    if cache is not None and (kept := cache.get(key)) is not None:
        return kept
    card = render_card(title, date, site_name, theme, picture)
    if cache is not None:
        cache.put(key, card)
    return card


def _fit_title(title: str, theme: CardTheme, width: int) -> tuple[int, list[str]]:
    """The largest size at which the title fits in a few lines; at the smallest, the rest is cut with '…'."""
    for size in TITLE_SIZES:
        lines = _wrap(title, _font(theme, size), width)
        if len(lines) <= TITLE_LINES:
            return size, lines
    font = _font(theme, TITLE_SIZES[-1])
    lines = _wrap(title, font, width)[:TITLE_LINES]
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


def _font(theme: CardTheme, size: int) -> ImageFont.FreeTypeFont:
    # The basic layout engine, not Raqm: the same bytes on every machine, whatever libraries it has.
    return ImageFont.truetype(io.BytesIO(theme.font), size, layout_engine=ImageFont.Layout.BASIC)


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
