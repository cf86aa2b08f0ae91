"""Bytes kept between builds in `.timeline-cache/`, keyed by what made them (processed images, share cards).

Each entry is one file, in a folder of the generator's version, named by a hash of its key, holding
a hash of its bytes and the bytes: an entry of another version is never found (and its folder is
removed after a build), and a missing, truncated or altered one is ignored (and made again), never
trusted. An entry the site links as one of its own files (a share card: `put_file`, `file`) holds its
bytes alone, the hash of them in its name, so that the site and the cache share one file: at 10,000
events the cards are 235 MB, which the cache held a second time and a clean build wrote twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.site.stored_file import StoredFile


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
        _write_atomically(str(self._path(key)), hashlib.sha256(data).hexdigest().encode() + b"\n" + data)

    def put_file(self, key: str, data: bytes) -> StoredFile | None:
        """Store `data` under `key` as a file of its own bytes, atomically; that file, or None where it could not be
        written. It is named by the key's hash and its bytes' (`file` checks the second)."""
        name = _hash(key)
        path = f"{self._version_folder()}/{name[:2]}/{name}.{_hash(data)[:_NAMED_DIGEST]}"
        if not _write_atomically(path, data):
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        return StoredFile(path, status.st_ino, status.st_size, status.st_mtime_ns)

    def file(self, key: str) -> StoredFile | None:
        """The file `put_file` stored under `key`, when its bytes still hash to its name; else None (one that
        does not is removed)."""
        name = _hash(key)
        folder = f"{self._version_folder()}/{name[:2]}"
        try:
            entries = [entry for entry in os.listdir(folder) if entry.startswith(name + ".") and ".tmp-" not in entry]
        except OSError:
            return None
        for entry in entries:
            path = f"{folder}/{entry}"
            try:
                with open(path, "rb") as file:
                    data, status = file.read(), os.fstat(file.fileno())
            except OSError:
                continue
            if _hash(data)[:_NAMED_DIGEST] == entry[len(name) + 1:]:
                return StoredFile(path, status.st_ino, status.st_size, status.st_mtime_ns)
            with contextlib.suppress(OSError):
                os.unlink(path)
        return None

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
        name = _hash(key)
        return self._version_folder() / name[:2] / name


_NAMED_DIGEST = 32  # hexadecimal digits of a stored file's sha256 in its name


def _write_atomically(path: str, data: bytes) -> bool:
    """Write `data` at `path` through a temporary file beside it (a half-written entry is never read); whether it
    was written. A cache that cannot be written only makes the next build slower: no error."""
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


def _hash(value: str | bytes) -> str:
    return hashlib.sha256(value.encode() if isinstance(value, str) else value).hexdigest()
