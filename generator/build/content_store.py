"""Checked events kept between CLI builds in `.timeline-cache/`, so a rebuild after one edit parses and
checks one event file, not all of them.

Each event is kept by its file's path and a hash of its exact text, with what its reading consulted
besides (validate_events.event_reads: the actor and topic ids, the content folder, its pictures'
sizes and times): it stands only while both are unchanged. Only an event read with no problems of
its own is kept, so a kept event never hides one; the checks between files (duplicate ids, related
events, threads) run over every event, kept or not, at every build.

The store is a pickle (private to this machine, like the rest of the cache) that records the
generator version and the versions of the libraries that parse YAML and convert Markdown; a store of
other versions, or one that cannot be read, is ignored and rewritten.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
from pathlib import Path

from generator.build.build_record import CACHE_DIR_NAME, generator_version, write_cache_file
from generator.content.load import CheckedEvent


def store_path(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.parent / CACHE_DIR_NAME / f"{out_dir.name}.events.pickle"


def _version() -> tuple[str, ...]:
    import markdown
    import nh3
    import yaml

    return generator_version(), markdown.__version__, nh3.__version__, yaml.__version__


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class EventStore:
    """The events the last build checked (file path → (text hash, CheckedEvent)), and those this build keeps."""

    def __init__(self, out_dir: Path) -> None:
        """Read the store beside `out_dir`; one that is missing, unreadable or of other versions holds nothing."""
        self._path = store_path(out_dir)
        self._stored: dict[str, tuple[bytes, CheckedEvent]] = {}
        gc.disable()  # 10,000 events are some 400,000 objects: the collector would walk them again and again as they load
        try:
            with open(self._path, "rb") as file:
                data = pickle.load(file)
            if isinstance(data, dict) and data.get("version") == _version() and isinstance(data.get("events"), dict):
                self._stored = data["events"]
        except Exception:  # noqa: BLE001 - a damaged pickle can fail in many ways; the store only saves time
            pass
        finally:
            gc.enable()
        self._text_keys: dict[str, bytes] = {}
        self._kept: dict[str, tuple[bytes, CheckedEvent]] = {}

    def get(self, path: Path, text: str) -> CheckedEvent | None:
        """The event checked from this very text of the file at `path`, if the last build kept it."""
        name, text_key = str(path), _text_key(text)
        self._text_keys[name] = text_key
        stored = self._stored.get(name)
        return stored[1] if stored and stored[0] == text_key and isinstance(stored[1], CheckedEvent) else None

    def keep(self, path: Path, checked: CheckedEvent) -> None:
        """Keep `checked` for the next build, by the text `get` saw of its file."""
        name = str(path)
        if name in self._text_keys:
            self._kept[name] = (self._text_keys[name], checked)

    def save(self) -> None:
        """Write the events this build kept (and only those), unless they are the ones stored."""
        if self._kept.keys() == self._stored.keys() and all(self._kept[name][1] is self._stored[name][1] for name in self._kept):
            return
        write_cache_file(self._path, pickle.dumps({"version": _version(), "events": self._kept}, pickle.HIGHEST_PROTOCOL))
