"""palette_png: the share cards' PNG writer (ISA-L's deflate inside the format's chunks) makes files any PNG
reader takes whole, with every index and colour as given."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from generator.formats.palette_png import palette_png


def test_a_palette_png_reads_back_with_every_pixel_and_colour_and_checks_its_crcs():
    rng = random.Random(7)
    size = (301, 157)
    palette = bytes(rng.randrange(256) for _ in range(3 * 200))
    # Runs and noise: what compresses well and what does not, in one image.
    pixels = bytes(rng.randrange(200) if (x // 17 + y // 11) % 3 == 0 else (y // 20) for y in range(size[1]) for x in range(size[0]))
    png = palette_png(Image.frombytes("L", size, pixels), palette)
    with Image.open(io.BytesIO(png)) as image:
        image.verify()  # each chunk's CRC, and the chunks in order
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "P", size)
        assert image.tobytes() == pixels
        assert bytes(image.getpalette()[:len(palette)]) == palette
    assert len(png) < len(pixels) / 2
    assert palette_png(Image.frombytes("L", size, pixels), palette) == png  # the same bytes every time


def test_a_damaged_palette_png_is_refused_by_its_crc():
    png = bytearray(palette_png(Image.new("L", (10, 10)), bytes(6)))
    png[png.index(b"IDAT") + 6] ^= 0xFF  # a byte of the compressed rows changed after the CRC was taken
    with pytest.raises(SyntaxError, match="checksum"), Image.open(io.BytesIO(bytes(png))) as image:
        image.verify()


@pytest.mark.parametrize("mode, palette", [("L", bytes(3 * 257)), ("L", b""), ("L", bytes(4)), ("RGB", bytes(6)), ("P", bytes(6))])
def test_indexes_not_of_one_byte_a_pixel_or_a_palette_of_no_whole_colours_are_refused(mode, palette):
    with pytest.raises(ValueError, match="palette image"):
        palette_png(Image.new(mode, (10, 10)), palette)
