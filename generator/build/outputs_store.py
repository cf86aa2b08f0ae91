"""The texts the files beside the pages are made of (each event's VEVENT, events.json object,
TimelineJS slide and CSV row; each feed), kept between builds in `.timeline-cache/` by a hash of
what each shows: a rebuild after one edit renders that event's texts and joins the others.

The file holds the texts this build used, and only those, after a line naming the generator's
version and the hash of what follows; a file of another version, or one whose bytes do not match
their hash or cannot be read as such texts, is ignored and every text made again.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.build_record import write_cache_file
from generator.formats.outputs import KeptTexts, render_outputs

if TYPE_CHECKING:
    from generator.build.pipeline import PlannedSite

# Marshal, not JSON: it reads and writes the texts of 10,000 events (50 MB) several times faster.
_MAGIC = b"timeline outputs, marshal %d\n" % marshal.version


def render_kept_outputs(site: PlannedSite) -> dict[str, bytes]:
    """The files beside the pages, made from the texts the last build kept where they still hold."""
    path = store_path(site)
    kept = load_texts(path, site.files_kept.version)
    files = render_outputs(site.timeline, site.pages, kept)
    if kept.used.keys() != kept.kept.keys():
        save_texts(path, site.files_kept.version, kept)
    return files


def store_path(site: PlannedSite) -> Path:
    """Beside the other files kept between builds (`.timeline-cache/`)."""
    return site.files_kept.folder.parent / "outputs.marshal"


def load_texts(path: Path, version: str) -> KeptTexts:
    """The texts the last build kept, or none when there are none or they are not what `save_texts` wrote."""
    try:
        data = path.read_bytes()
    except OSError:
        return KeptTexts()
    header = _header(version)
    payload = memoryview(data)[len(header) + 65:]
    if not data.startswith(header) or data[len(header):len(header) + 65] != hashlib.sha256(payload).hexdigest().encode() + b"\n":
        return KeptTexts()
    try:
        texts = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return KeptTexts()
    if not isinstance(texts, dict) or not all(
            isinstance(key, str) and isinstance(value, tuple) and all(isinstance(text, bytes) for text in value)
            for key, value in texts.items()):
        return KeptTexts()
    return KeptTexts(texts)


def save_texts(path: Path, version: str, texts: KeptTexts) -> None:
    """Keep the texts this build used, written atomically."""
    payload = marshal.dumps(texts.used)
    write_cache_file(path, _header(version) + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


def _header(version: str) -> bytes:
    return _MAGIC + version.encode() + b"\n"
