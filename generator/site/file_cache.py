"""Bytes kept between builds in `.timeline-cache/`, keyed by what made them (processed images, share cards).

Each entry is one file, in a folder of the generator's version, named by a hash of its key, holding
a hash of its bytes and the bytes: an entry of another version is never found (and its folder is
removed after a build), and a missing, truncated or altered one is ignored (and made again), never
trusted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
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

    def forget_other_versions(self) -> None:
        """Remove what other versions of the generator stored: this one never reads it."""
        if self.folder.is_dir():
            for other in self.folder.iterdir():
                if other.name == self._version_folder().name:
                    continue
                if other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
                else:
                    other.unlink(missing_ok=True)

    def _version_folder(self) -> Path:
        return self.folder / hashlib.sha256(self.version.encode()).hexdigest()[:16]

    def _path(self, key: str) -> Path:
        name = hashlib.sha256(key.encode()).hexdigest()
        return self._version_folder() / name[:2] / name
