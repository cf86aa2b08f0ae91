"""The texts the files beside the pages are made of (each event's VEVENT, events.json object,
TimelineJS slide and CSV row; each feed), kept between builds in `.timeline-cache/` by a hash of
what each shows: a rebuild after one edit renders that event's texts and joins the others.

The texts this build used, and only those, are kept in sixteen files by the first letter of their
key, so an edit rewrites one or two of them, not all 50 MB of 10,000 events. Each file starts with
a line naming the generator's version and a checksum of what follows (build_record.write_marshalled,
as the build record is written); a file of another version, or one whose bytes do not match their
checksum or cannot be read as such texts, is ignored and its texts made again.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from generator.build.build_record import read_marshalled, write_marshalled
from generator.formats.outputs import KeptTexts, render_outputs

if TYPE_CHECKING:
    from generator.build.pipeline import PlannedSite

# Marshal, not JSON: it reads and writes the texts of 10,000 events (50 MB) several times faster.
_MAGIC = b"timeline outputs, marshal %d\n" % marshal.version
SHARDS = "0123456789abcdef"  # the keys' first letters (hexadecimal hashes)


def render_kept_outputs(site: PlannedSite) -> Iterator[tuple[str, bytes]]:
    """The files beside the pages, one at a time, made from the texts the last build kept where they still hold;
    the texts this build used are kept once the last file is made."""
    folder, version = store_folder(site), site.files_kept.version
    loaded = {shard: load_texts(folder / shard, version) for shard in SHARDS}
    kept = KeptTexts({key: texts for shard in loaded.values() for key, texts in shard.items()})
    yield from render_outputs(site.timeline, site.pages, kept)
    used: dict[str, dict[str, tuple[bytes, ...]]] = {shard: {} for shard in SHARDS}
    for key, texts in kept.used.items():
        used[key[0]][key] = texts
    for shard in SHARDS:
        if used[shard].keys() != loaded[shard].keys():
            save_texts(folder / shard, version, used[shard])


def store_folder(site: PlannedSite) -> Path:
    """Beside the other files kept between builds (`.timeline-cache/`)."""
    return site.files_kept.folder.parent / "outputs"


def load_texts(path: Path, version: str) -> dict[str, tuple[bytes, ...]]:
    """The texts kept in one file, or none when there is none or it is not what `save_texts` wrote."""
    texts = read_marshalled(path, _header(version))
    if not isinstance(texts, dict) or not all(
            isinstance(key, str) and isinstance(value, tuple) and all(isinstance(text, bytes) for text in value)
            for key, value in texts.items()):
        return {}
    return texts


def save_texts(path: Path, version: str, texts: dict[str, tuple[bytes, ...]]) -> None:
    """Keep these texts in one file, written atomically."""
    write_marshalled(path, _header(version), texts)


def _header(version: str) -> bytes:
    return _MAGIC + version.encode() + b"\n"
