"""What Pagefind reads of a page: the element marked `data-pagefind-body` and the page's language, hashed, with
the year the page is filed under; and that, kept between builds with each page file's size and time, so that a
page the build did not write anew is not read again. search_index.py plans the shards from it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

_PAGES_FORMAT = 2
_BODY_MARK = b"data-pagefind-body"


@dataclass(frozen=True)
class IndexedPage:
    """A page Pagefind will index: where it is, the year it is filed under, and a hash of what Pagefind reads."""

    path: str
    year: str
    digest: str


def indexed_page(path: str, html: bytes) -> IndexedPage | None:
    """What Pagefind will read of a page (None for a page without `data-pagefind-body`)."""
    mark = html.find(_BODY_MARK)
    if mark < 0:
        return None
    indexed = _body_element(html, mark)
    html_tag = html[html.find(b"<html"):html.find(b">", html.find(b"<html")) + 1]
    year = re.search(rb'datetime="(-?\d{4})', indexed)
    digest = hashlib.sha256(b"\0".join((path.encode(), html_tag, indexed))).hexdigest()
    return IndexedPage(path, year.group(1).decode() if year else "", digest)


def _body_element(html: bytes, mark: int) -> bytes:
    """The element that carries the mark, to its end tag; the rest of the page if another like it is nested inside."""
    start = html.rfind(b"<", 0, mark)
    name = re.match(rb"<([A-Za-z][\w-]*)", html[start:mark])
    if name:
        end = html.find(b"</" + name.group(1) + b">", mark)
        if end >= 0 and html.find(b"<" + name.group(1), mark, end) < 0:
            return html[start:end]
    return html[start:]


class KnownPages:
    """What Pagefind reads of each page, kept with the page file's size and modification time.

    A page the build kept or left unchanged is the same file as last time (a hard link), so it is
    not read again; a page written anew has a new time and is read.
    """

    def __init__(self, cache_dir: Path, stamps: Mapping[str, tuple[int, int] | None] | None = None) -> None:
        """`stamps` holds what the build knows of a staged file's size and time (write_site's: a live file
        linked where it was), so that it is not asked of the system again (20,000 `stat`s in a 10,000-event edit)."""
        self._stamps = stamps if stamps is not None else {}
        self._path = cache_dir.with_name(f"{cache_dir.name}-pages.json")  # beside the kept bundles, not among them
        try:
            kept = json.loads(self._path.read_text(encoding="utf-8"))
            self._kept = kept if isinstance(kept, dict) and kept.get("version") == _PAGES_FORMAT else {}
        except (OSError, ValueError):
            self._kept = {}
        self._seen: dict[str, list] = {"version": _PAGES_FORMAT}

    def indexed_page(self, site_dir: Path, path: str) -> IndexedPage | None:
        stamp = self._stamps.get(path)
        if stamp is not None:
            identity = list(stamp)
        else:
            status = os.stat(f"{site_dir}/{path}")
            identity = [status.st_size, status.st_mtime_ns]
        kept = self._seen.get(path) or self._kept.get(path)  # read by this build already, or by the last
        if isinstance(kept, list) and len(kept) == 4 and kept[:2] == identity:
            page = IndexedPage(path, kept[2], kept[3]) if kept[3] else None
        else:
            page = indexed_page(path, (site_dir / path).read_bytes())
        self._seen[path] = [*identity, page.year if page else "", page.digest if page else ""]
        return page

    def indexed_pages(self, site_dir: Path, paths: Iterable[str]) -> Iterator[IndexedPage]:
        """The pages among `paths` that Pagefind indexes, each as `indexed_page` reads it."""
        for path in paths:
            if path.endswith(".html") and (page := self.indexed_page(site_dir, path)) is not None:
                yield page

    def save(self) -> None:
        """Keep what was read for the next build; a cache that cannot be written is skipped."""
        temporary = self._path.with_name(f".{self._path.name}.{os.getpid()}")
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(self._seen), encoding="utf-8")
            os.replace(temporary, self._path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
