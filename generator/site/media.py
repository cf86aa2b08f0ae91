"""Responsive images: each local picture an event shows, resized to a few widths in WebP and its own format.

It sits with the rendering (not in formats/) because the pages need what it makes: the event page's
figure and the list entries' thumbnails read each image's renditions, widths and heights. Output is
deterministic (fixed encoder options, no metadata) and carries no EXIF: location data never leaks.
A file that is not a picture, is corrupt, or would decompress to too many pixels is a located
author error, never a crash.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from PIL import Image, ImageOps

from generator.content.errors import ContentErrors, Problem
from generator.content.records import Event, Media
from generator.site.file_cache import FileCache

MEDIA_URL_FOLDER = "media/"
WIDTHS = (320, 640, 1024, 1600)  # the largest is wide enough for a full-width figure on a 2x screen
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; a "decompression bomb" claims far more
READABLE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "PNG", "GIF": "PNG"}  # source format → fallback format
_SUFFIX = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_ENCODER_OPTIONS = {"JPEG": {"quality": 82, "optimize": True, "progressive": False},
                    "PNG": {"compress_level": 9, "optimize": False},
                    "WEBP": {"quality": 80, "method": 2, "lossless": False}}  # method 2: half the time of 4, 1% larger


@dataclass(frozen=True)
class Rendition:
    url: str  # site-relative: 'media/harpa-1a2b3c4d5e-640.webp'
    width: int
    height: int


@dataclass(frozen=True)
class ResponsiveImage:
    """One picture as the pages show it: the same renditions in WebP and in the fallback format."""

    width: int  # of the largest rendition: the img element's width and height, so nothing shifts
    height: int
    webp: tuple[Rendition, ...]
    fallback: tuple[Rendition, ...]
    fallback_type: str  # 'image/jpeg' or 'image/png'

    @property
    def thumbnail(self) -> Rendition:
        return self.fallback[0]


@dataclass(frozen=True)
class ProcessedMedia:
    images: Mapping[str, ResponsiveImage]  # by the file named in the content, 'media/harpa.jpg'
    files: dict[str, bytes]  # output path → bytes

    def largest(self, file: str) -> bytes:
        """The largest fallback rendition of a picture (already without metadata), e.g. for a share card."""
        return self.files[self.images[file].fallback[-1].url]


class ImageProblem(Exception):
    """A picture that cannot be used, and why."""


def process_media(events: tuple[Event, ...], content_dir: Path, cache: FileCache | None = None) -> ProcessedMedia:
    """Every local picture the events show, processed (or taken from the cache); ContentErrors for any that cannot be."""
    first_use: dict[str, Media] = {}
    for event in events:
        for media in event.media:
            if media.file and media.file not in first_use:
                first_use[media.file] = media
    images, files, problems = {}, {}, []
    for file in sorted(first_use):
        media = first_use[file]
        try:
            data = (content_dir / file).read_bytes()
            image, renditions = _processed(file, data, cache)
        except OSError as error:
            problems.append(_problem(media, f"cannot read content/{file}: {error.strerror or error}"))
            continue
        except ImageProblem as error:
            problems.append(_problem(media, f"content/{file} {error}"))
            continue
        images[file] = image
        files.update(renditions)
    if problems:
        raise ContentErrors(problems)
    return ProcessedMedia(MappingProxyType(images), files)


def open_picture(data: bytes) -> tuple[Image.Image, str]:
    """The picture in `data` (decoded, upright, without metadata) and its format; ImageProblem if we cannot use it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only these decoders are tried: no file reaches Pillow's other plugins (EPS would run Ghostscript).
            image = Image.open(io.BytesIO(data), formats=tuple(READABLE_FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise ImageProblem(f"is {image.width}×{image.height} pixels, more than the limit of {MAX_PIXELS:,}: "
                                   "resize it (a picture this large is often a decompression bomb)")
            if image.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when that still gives the largest width: far less work.
                image.draft("RGB", (WIDTHS[-1], round(image.height * WIDTHS[-1] / image.width)))
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(f"claims more pixels than the limit of {MAX_PIXELS:,} (a decompression bomb?): "
                           "resize it or replace it") from None
    except Image.UnidentifiedImageError:
        raise ImageProblem("is not a picture (JPEG, PNG, WebP or GIF) that can be read: replace it") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageProblem(f"is damaged and cannot be read ({error}): export it again") from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info)
    mode = "RGBA" if has_alpha else "RGB"
    clean = upright if upright.mode == mode and upright is not image else upright.convert(mode)
    clean.info = {}  # EXIF, XMP, ICC, comments: nothing of the original file's metadata goes on
    return clean, image.format


def _processed(file: str, data: bytes, cache: FileCache | None) -> tuple[ResponsiveImage, dict[str, bytes]]:
    digest = hashlib.sha256(data).hexdigest()
    key = f"media\0{file}\0{digest}"
    if cache is not None and (kept := _from_cache(cache, key)) is not None:
        return kept
    image, renditions = _render(file, digest, data)
    if cache is not None:
        for url, rendition in renditions.items():
            cache.put(f"media-file\0{hashlib.sha256(rendition).hexdigest()}", rendition)
        manifest = {"image": _image_json(image), "files": {url: hashlib.sha256(b).hexdigest() for url, b in renditions.items()}}
        cache.put(key, json.dumps(manifest, sort_keys=True).encode())
    return image, renditions


def _render(file: str, digest: str, data: bytes) -> tuple[ResponsiveImage, dict[str, bytes]]:
    picture, source_format = open_picture(data)
    fallback_format = READABLE_FORMATS[source_format]
    if fallback_format == "JPEG" and picture.mode == "RGBA":
        fallback_format = "PNG"
    stem = "-".join(re.findall(r"[a-z0-9]+", Path(file).stem.lower()))[:40] or "image"
    widths = sorted({width for width in WIDTHS if width < picture.width} | {min(picture.width, WIDTHS[-1])})
    files: dict[str, bytes] = {}
    webp, fallback = [], []
    resized = picture
    for width in reversed(widths):  # each from the next larger: resizing 1600 → 1024 costs less than 4000 → 1024
        height = max(1, round(picture.height * width / picture.width))
        if resized.width != width:
            resized = resized.resize((width, height), Image.Resampling.LANCZOS)
        for encoding, renditions in (("WEBP", webp), (fallback_format, fallback)):
            url = f"{MEDIA_URL_FOLDER}{stem}-{digest[:10]}-{width}.{_SUFFIX[encoding]}"
            files[url] = _encode(resized, encoding)
            renditions.insert(0, Rendition(url, width, height))
    mime = "image/jpeg" if fallback_format == "JPEG" else "image/png"
    largest = fallback[-1]
    return ResponsiveImage(largest.width, largest.height, tuple(webp), tuple(fallback), mime), files


def _encode(picture: Image.Image, encoding: str) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, encoding, exif=b"", **_ENCODER_OPTIONS[encoding])
    return buffer.getvalue()


def _from_cache(cache: FileCache, key: str) -> tuple[ResponsiveImage, dict[str, bytes]] | None:
    try:
        manifest = json.loads(cache.get(key) or b"null")
        image = _image_from_json(manifest["image"])
        files = {}
        for url, digest in manifest["files"].items():
            data = cache.get(f"media-file\0{digest}")
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                return None
            files[url] = data
        return image, files
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _image_json(image: ResponsiveImage) -> dict:
    return {"width": image.width, "height": image.height, "fallback_type": image.fallback_type,
            "webp": [[r.url, r.width, r.height] for r in image.webp],
            "fallback": [[r.url, r.width, r.height] for r in image.fallback]}


def _image_from_json(data: dict) -> ResponsiveImage:
    return ResponsiveImage(int(data["width"]), int(data["height"]),
                           tuple(Rendition(str(u), int(w), int(h)) for u, w, h in data["webp"]),
                           tuple(Rendition(str(u), int(w), int(h)) for u, w, h in data["fallback"]),
                           str(data["fallback_type"]))


def _problem(media: Media, message: str) -> Problem:
    return Problem(media.source_path, media.line, media.column, message)
