"""The texts the files beside the pages are made of (each event's VEVENT, events.json object,
TimelineJS slide and CSV row; each feed), kept between builds in `.timeline-cache/` by a hash of
what each shows: a rebuild after one edit renders that event's texts and joins the others.

Each part's texts (formats/outputs.PARTS: the calendar's, the JSON's…) are kept in a folder of
their own, in sixteen files by the first letter of their key, so an edit rewrites a few of them, not
all 50 MB of 10,000 events, and a build holds one part's texts at a time. Each file starts with a
line naming the generator's version and a checksum of what follows (build_record.write_marshalled,
as the build record is written); a file of another version, or one whose bytes do not match their
checksum or cannot be read as such texts, is ignored and its texts made again.
"""

from __future__ import annotations

import contextlib
import marshal
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping

from generator.build.build_record import read_marshalled, write_marshalled
from generator.formats.file_parts import FileParts
from generator.formats.outputs import KeptTexts, TextStore, render_outputs

if TYPE_CHECKING:
    from generator.build.pipeline import PlannedSite

# Marshal, not JSON: it reads and writes the texts of 10,000 events (50 MB) several times faster.
_MAGIC = b"timeline outputs, marshal %d\n" % marshal.version
SHARDS = "0123456789abcdef"  # the keys' first letters (hexadecimal hashes)


def render_kept_outputs(site: PlannedSite, event_digests: Mapping[str, bytes] | None = None
                        ) -> Iterator[tuple[str, bytes | FileParts]]:
    """The files beside the pages, one at a time, made from the texts the last build kept where they still hold
    (found by each event's digest, where `event_digests` has it: see outputs.render_outputs)."""
    folder = store_folder(site)
    for leftover in _files_in(folder):  # an earlier version kept every part's texts together, here
        with contextlib.suppress(OSError):
            leftover.unlink()
    yield from render_outputs(site.timeline, site.pages, StoredTexts(folder, site.files_kept.version), event_digests)


class StoredTexts(TextStore):
    """Each part's texts in `folder`/<part>/, read when the part is made, written back once it is."""

    def __init__(self, folder: Path, version: str) -> None:
        self._folder, self._version = folder, version
        self._loaded: dict[str, dict[str, dict[str, bytes]]] = {}  # part → shard → key → text

    def kept(self, part: str) -> KeptTexts:
        loaded = self._loaded[part] = {shard: load_texts(self._folder / part / shard, self._version) for shard in SHARDS}
        return KeptTexts(_InShards(loaded))

    def used(self, part: str, texts: KeptTexts) -> None:
        loaded = self._loaded.pop(part)
        used: dict[str, dict[str, bytes]] = {shard: {} for shard in SHARDS}
        for key, text in texts.used.items():
            used[key[0]][key] = text
        for shard in SHARDS:
            if used[shard].keys() != loaded[shard].keys():
                save_texts(self._folder / part / shard, self._version, used[shard])


class _InShards:
    """The texts of all shards, found in the one their key's first letter names: joined into one dict, the four
    parts' 10,000 texts each cost an edit's rebuild 0.15 s."""

    def __init__(self, shards: dict[str, dict[str, bytes]]) -> None:
        self._shards = shards

    def get(self, key: str) -> bytes | None:
        shard = self._shards.get(key[:1])
        return shard.get(key) if shard is not None else None


def store_folder(site: PlannedSite) -> Path:
    """Beside the other files kept between builds (`.timeline-cache/`)."""
    return site.files_kept.folder.parent / "outputs"


def load_texts(path: Path, version: str) -> dict[str, bytes]:
    """The texts kept in one file, or none when there is none or it is not what `save_texts` wrote."""
    texts = read_marshalled(path, _header(version))
    if not isinstance(texts, dict) or not all(isinstance(key, str) and isinstance(text, bytes) for key, text in texts.items()):
        return {}
    return texts


def save_texts(path: Path, version: str, texts: dict[str, bytes]) -> None:
    """Keep these texts in one file, written atomically."""
    write_marshalled(path, _header(version), texts)


def _files_in(folder: Path) -> list[Path]:
    try:
        return [path for path in folder.iterdir() if path.is_file()]
    except OSError:
        return []


def _header(version: str) -> bytes:
    return _MAGIC + version.encode() + b"\n"
