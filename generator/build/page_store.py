"""Pages kept from the last CLI build: each page's key (site/page_keys.py) and the file it was written to.

A rebuild renders a page only when its key changed, or when the live site's file is no longer the
one the last build left (its size or modification time, to the nanosecond, differ: the file was
edited, replaced or removed by hand). A kept page's file is hard-linked into the new site
(output.Kept, carrying the inode just read), never read. The inode is not compared with the last
build's: a site/ restored from CI's cache (tar keeps the times) keeps its pages too.

The store is `.timeline-cache/<out>.pages`, written after the new site is swapped in (`marshal` behind a
checksum, as the build record is: at 100,000 events JSON's encoder held some 100 MB more while writing it). It names
files by size and time, so it stays true even if a later build is killed between its swap and its
own store: a file that build rewrote has a new time, and one it linked is still the same file.
A store that is missing, unreadable or from another generator version is ignored: every page is rendered.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.build.build_record import CACHE_DIR_NAME, generator_version, read_marshalled, write_marshalled
from generator.build.output import Kept

_MAGIC = b"timeline page store 2\n"


def store_path(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.parent / CACHE_DIR_NAME / f"{out_dir.name}.pages"


class KeptPages:
    """The pages the last build wrote, as the store remembers them: output path → (key, size, mtime_ns)."""

    def __init__(self, out_dir: Path) -> None:
        """Read the store beside `out_dir`; one that is missing, unreadable or of another version holds nothing."""
        self._out_dir = str(out_dir.absolute())  # joined as text: a Path for each of 20,000 files costs a second
        pages = read_marshalled(store_path(out_dir), _header())
        self._pages: dict = pages if isinstance(pages, dict) else {}

    def live_file(self, path: str, key: str | None) -> Kept | None:
        """The live site's file at `path` (as `Kept`, with its inode, size and time) when it is, untouched, the
        one the last build wrote there for this same key; else None."""
        kept = self._pages.get(path)
        if key is None or not isinstance(kept, tuple) or len(kept) != 3 or kept[0] != key:
            return None
        try:
            status = os.lstat(os.path.join(self._out_dir, path))  # a file swapped for a link is not the file that was written
        except (OSError, TypeError, ValueError):
            return None
        return Kept(status.st_ino, status.st_size, status.st_mtime_ns) if (status.st_size, status.st_mtime_ns) == kept[1:] else None


def save_kept_pages(out_dir: Path, listing: list | None, *keys: dict[str, str | None]) -> None:
    """Remember each page's key (from any of `keys`; a page without one is not kept) with the identity of the file now
    live at its path: its size and mtime_ns from `listing` (build_record.staged_listing of the new site, taken once for
    this and the build record; read in place, not made a mapping: 300,000 paths at 100,000 events), else as the
    file says."""
    out_dir = out_dir.absolute()
    folder = str(out_dir)
    pages = {}
    if listing is not None:
        paths, stamps = listing
        for at, path in enumerate(paths):
            key = next((key for some in keys if (key := some.get(path))), None)
            if key is not None:
                pages[path] = (key, stamps[2 * at], stamps[2 * at + 1])
    for path, key in ((path, key) for some in keys for path, key in some.items() if key and path not in pages):
        try:
            status = os.stat(os.path.join(folder, path))
        except OSError:
            continue
        pages[path] = (key, status.st_size, status.st_mtime_ns)
    write_marshalled(store_path(out_dir), _header(), pages)


def _header() -> bytes:
    return _MAGIC + generator_version().encode() + b"\n"
