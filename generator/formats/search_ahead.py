"""The search index begun before the whole site is staged, so that Pagefind runs while the rest of it is."""

from __future__ import annotations

import os
from pathlib import Path
from typing import AbstractSet, Mapping

from generator.formats.pagefind_run import RunningPagefind, start_in_place
from generator.formats.search_index import SHARD_EVENTS, default_cache_dir, index_for_search, plan_shards
from generator.formats.search_pages import KnownPages


class IndexingAhead:
    """The search index begun before the whole site is staged, so that Pagefind runs while the rest is.

    The CLI build stages the pages Pagefind reads (the event pages, kept or rendered) before the list pages,
    feeds and share cards, and calls `start` there: the shards are planned from the pages staged so far, and
    Pagefind is started on each shard that has no kept bundle, when there are at most as many as cores (an
    edit's one shard, a small site's few; a large site's clean build indexes after staging, as before, so
    Pagefind's memory never adds to the share cards' workers'). `finish` (write_site's, once everything is
    staged) plans the shards again over every page and takes a run made ahead only for a shard of the same
    key: the same pages, each with the same digest of what Pagefind reads. A page marked for search that is
    staged later (a theme's own list page, say) changes its shard's key; that shard is then indexed after
    staging, as it would have been. `cancel` stops what was started and not taken (a failed build).
    """

    def __init__(self, cache_dir: Path | None = None, shard_events: int = SHARD_EVENTS,
                 stamps: Mapping[str, tuple[int, int] | None] | None = None) -> None:
        """`stamps`: write_site's, filled as the site is staged (search_pages.KnownPages)."""
        self.cache_dir, self.shard_events, self.stamps = cache_dir, shard_events, stamps
        self.known_pages: KnownPages | None = None
        self._running: dict[str, RunningPagefind] = {}

    def start(self, site_dir: Path, staged: AbstractSet[str]) -> None:
        cache_dir = self.cache_dir or default_cache_dir(site_dir)
        cores = os.cpu_count() or 1
        # A shard holds at most shard_events pages and a kept bundle serves one shard, so once more pages than
        # (cores + kept bundles) × shard_events are found, more shards than cores need Pagefind and nothing is
        # started: reading on would only cost time and memory (at 100,000 events, a clean build's whole table of
        # pages, held through the share cards' stage).
        most_pages = (cores + _kept_bundles(cache_dir)) * self.shard_events
        known, pages = KnownPages(cache_dir, self.stamps), []
        for page in known.indexed_pages(site_dir, staged):
            pages.append(page)
            if len(pages) > most_pages:
                return
        to_make = [shard for shard in plan_shards(pages, self.shard_events) if not (cache_dir / shard.key).is_dir()]
        if len(to_make) > cores:
            return  # the end reads the pages again: holding this table to it raised the 100,000-event peak
        self.known_pages = known
        for shard in to_make:
            if (running := start_in_place(shard.pages, site_dir)) is not None:
                self._running[shard.key] = running

    def finish(self, site_dir: Path, site_files: AbstractSet[str]) -> None:
        try:
            index_for_search(site_dir, site_files, self.cache_dir, self.shard_events, ahead=self)
        finally:
            self.cancel()

    def take(self, key: str) -> RunningPagefind | None:
        return self._running.pop(key, None)

    def cancel(self) -> None:
        while self._running:
            self._running.popitem()[1].cancel()


def _kept_bundles(cache_dir: Path) -> int:
    try:
        with os.scandir(cache_dir) as entries:
            return sum(1 for entry in entries if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False))
    except OSError:  # no cache yet
        return 0
