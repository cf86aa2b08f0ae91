"""Bytes kept between builds in `.timeline-cache/`, keyed by what made them (processed images, share cards).

Each entry is one file named by a hash of its key and the generator's version, holding a hash of
its bytes and the bytes: an entry of another version is never found, and a missing, truncated or
altered one is ignored (and made again), never trusted.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileCache:
    folder: Path
    version: str  # the generator's version: a change to the code that makes the bytes invalidates them

    def get(self, key: str) -> bytes | None:
        """The bytes stored under `key`, or None when there are none or they do not check out."""
        try:
            stored = self._path(key).read_bytes()
        except OSError:
            return None
        digest, _, data = stored.partition(b"\n")
        return data if digest == hashlib.sha256(data).hexdigest().encode() else None

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key`, atomically (a half-written entry is never read)."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".tmp-{os.getpid()}")
            temporary.write_bytes(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def _path(self, key: str) -> Path:
        name = hashlib.sha256(f"{self.version}\0{key}".encode()).hexdigest()
        return self.folder / name[:2] / name
