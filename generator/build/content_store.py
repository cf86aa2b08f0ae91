"""Checked events kept between CLI builds in `.timeline-cache/`, so a rebuild after one edit reads,
parses and checks one event file, not all of them.

Each event is kept by its file's path and the sha256 of its bytes, with what its reading consulted
besides (validate_events.event_reads: the actor and topic ids, the content folder, its pictures'
sizes and times): it stands only while both are unchanged. A build looks each file up by the hash the
input scan took of it (build_record: read only when the file's status moved), so an unchanged event
file is not read at all; a file the scan did not hash (planning without a scan) is read, then looked up.
Only an event read with no problems of its own is kept, so a kept event never hides one; the checks
between files (duplicate ids, related events, threads) run over every event, kept or not, at every build.

A file saved between the scan and its reading: an event found by the scan's hash is the one the
record will name, so the site and the record agree. An event read from the file is kept by the hash
of the bytes read, never the scan's, so the store never holds an event under another text's hash;
and since the site then shows bytes the record would not name, such a file goes to `read_since_scan`
and the build records inputs no scan matches: the next build builds again, even if the file went
back to the bytes scanned (which the record would otherwise take for nothing changed).

The store is sixteen pickles (private to this machine, like the rest of the cache), each event in
the one its path's hash picks, so an edit rewrites one sixteenth of it and no single pickle holds
every event (pickled whole, 10,000 events took a peak of 42 MB to pickle, as sixteen parts 4.3 MB).
Each starts with a line naming the generator version and the versions of the libraries that parse
YAML and convert Markdown, then a checksum of the pickle; a part of other versions, or damaged, is
ignored and rewritten.

Each kept event also keeps, once a build has made them, the digests its page keys are made of
(site/page_keys.PageKeys.event_digest: what lists show of it, the rest, and what overviews show): an event the next build
takes from the store is that very object, unpickled, so its digests stand, and hashing 10,000 events
again took 0.3-0.4 s of every rebuild. They are found by the event object itself (`digest`), so an
event read again, or any other object, never gets them.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import zlib
from pathlib import Path
from typing import Callable

from generator.build.build_record import CACHE_DIR_NAME, generator_version, read_checksummed, write_checksummed
from generator.content.load import CheckedEvent
from generator.content.records import Event

PARTS = 16
_MAGIC = b"timeline checked events, pickle %d\n" % pickle.HIGHEST_PROTOCOL


def store_folder(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.parent / CACHE_DIR_NAME / f"{out_dir.name}.events"


def _header() -> bytes:
    import markdown
    import nh3
    import yaml

    return _MAGIC + repr((generator_version(), markdown.__version__, nh3.__version__, yaml.__version__)).encode() + b"\n"


def _part(name: str) -> int:
    return zlib.crc32(os.fsencode(name)) % PARTS


class EventStore:
    """The events the last build checked (file path → (sha256 of its bytes, CheckedEvent)), and those this build keeps."""

    def __init__(self, out_dir: Path, scanned: dict[str, str] | None = None) -> None:
        """Read the store beside `out_dir`; a part that is missing, damaged or of other versions holds nothing.

        `scanned` is the input scan's sha256 of each event file, by the path `load_content` lists it at.
        """
        self._folder = store_folder(out_dir)
        self._header = _header()
        self._scanned = scanned or {}
        gc.disable()  # 10,000 events are some 400,000 objects: the collector would walk them again and again as they load
        try:
            self._stored = [self._load(part) for part in range(PARTS)]
        finally:
            gc.enable()
        self._digests: dict[str, str] = {}
        self.read_since_scan: set[str] = set()  # the files whose bytes read are not those the scan hashed
        self._kept: list[dict[str, tuple]] = [{} for _ in range(PARTS)]
        self._on_disk = list(self._stored)  # what each part's file holds (`_stored` keeps the loaded events alive)
        # The stored events' page-key digests, by the identity of each event (alive in `_stored`).
        self._event_digests = {id(stored[1].event): stored[2] for part in self._stored for stored in part.values()
                               if len(stored) == 3 and isinstance(stored[2], bytes) and isinstance(stored[1], CheckedEvent)}

    def _load(self, part: int) -> dict[str, tuple]:
        """(sha256, CheckedEvent) by file, or (sha256, CheckedEvent, its events' digests)."""
        payload = read_checksummed(self._folder / f"{part:x}", self._header)
        try:
            events = pickle.loads(payload) if payload is not None else {}
        except Exception:  # noqa: BLE001 - a pickle can fail in many ways; the store only saves time
            return {}
        return events if isinstance(events, dict) else {}

    def get(self, name: str, digest: str | None = None) -> CheckedEvent | None:
        """The event checked from the bytes of the file at `name` whose sha256 is `digest` (by default the
        scan's), if the last build kept it; this build keeps that file's event by that digest."""
        scanned = self._scanned.get(name)
        if digest is None:
            if scanned is None:
                return None
            digest = scanned
        elif scanned is not None and digest != scanned:
            self.read_since_scan.add(name)
        self._digests[name] = digest
        stored = self._stored[_part(name)].get(name)
        return stored[1] if stored and len(stored) in (2, 3) and stored[0] == digest and isinstance(stored[1], CheckedEvent) else None

    def keep(self, path: Path, checked: CheckedEvent) -> None:
        """Keep `checked` for the next build, by the digest `get` last had for its file."""
        name = str(path)
        if name in self._digests:
            digests = self._event_digests.get(id(checked.event))
            self._kept[_part(name)][name] = (self._digests[name], checked) if digests is None else (self._digests[name], checked, digests)

    def digest(self, event: Event) -> bytes | None:
        """The page-key digests a build made of `event`, if it is an event this store holds."""
        return self._event_digests.get(id(event))

    def keep_digests(self, digest_of: Callable[[Event], bytes]) -> None:
        """Keep with each event kept by this build the digests `digest_of` makes of it (those it has stand)."""
        for kept in self._kept:
            for name, (sha, checked, *digests) in kept.items():
                if not digests:
                    kept[name] = (sha, checked, digest_of(checked.event))

    def save(self) -> None:
        """Write each part whose events kept by this build (and only those) are not the ones it holds."""
        for part, (kept, on_disk) in enumerate(zip(self._kept, self._on_disk)):
            if kept.keys() != on_disk.keys() or any(kept[name][1] is not on_disk[name][1] or len(kept[name]) != len(on_disk[name])
                                                    for name in kept):
                write_checksummed(self._folder / f"{part:x}", self._header, pickle.dumps(kept, pickle.HIGHEST_PROTOCOL))
                self._on_disk[part] = dict(kept)  # a later save writes it again only if it changes
        with contextlib.suppress(OSError):  # the single pickle of earlier versions
            (self._folder.parent / f"{self._folder.name}.pickle").unlink(missing_ok=True)
