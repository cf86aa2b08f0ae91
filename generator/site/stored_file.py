"""A file of the file cache (file_cache.py) that a site links as one of its own: a share card. Apart from the cache,
so that writing a site (build/output.py), which a build with nothing to do imports, loads no more than this."""

from __future__ import annotations

from typing import NamedTuple


class StoredFile(NamedTuple):
    """An entry of the cache that a site may link as its own file: its path and identity. It is never
    changed in place (a new entry replaces it), so the site's link to it stays what it was."""

    path: str
    inode: int
    size: int
    mtime_ns: int
