"""Serve mode's builds: each save rebuilds with a cache kept between builds and publishes the result
to the live site in steps (the pages open in a browser first, then every page, then feeds, data and
cards); a save that comes in mid-build leaves that build unfinished. The search index follows in a
thread of its own. The watcher only signals saves (`watch`).
"""

from __future__ import annotations

import threading
import time
import traceback
from pathlib import Path
from typing import Callable, Iterator

import watchfiles

from generator.build.incremental import BuildCache, Superseded
from generator.build.pipeline import BuildOptions, PlannedSite, plan_site, site_files
from generator.content.errors import ContentErrors
from generator.formats.pagefind_run import SearchIndexError
from generator.formats.search_index import SearchIndex
from generator.preview.server import LiveSite, file_names

_SEARCH_QUIET_SECONDS = 1.0  # after the last rebuild, before the search index is brought up to date


class Rebuilder:
    """Builds with a cache kept between builds, and publishes each result to the live site."""

    def __init__(self, options: BuildOptions, live: LiveSite, log: Callable[[str], None]):
        self.options, self.live, self.log = options, live, log
        self._saved = threading.Event()  # a save came in since the build in progress began
        self.cache = BuildCache(superseded=self._saved.is_set)
        self._later_files: dict[str, bytes] | None = None  # the last build's files made after its pages
        self.search = SearchIndex()
        self._search_wanted: dict[str, bytes] | None = None
        self._search_wake = threading.Condition()
        threading.Thread(target=self._index_search_forever, name="search-index", daemon=True).start()
        threading.Thread(target=self._rebuild_forever, name="rebuild", daemon=True).start()

    def close(self) -> None:
        """Serve is stopping: its threads are daemons, frozen where they are at exit, so what they run
        outside Python (the Pagefind indexing a shard) is stopped here."""
        self.search.close()

    def saved(self) -> None:
        """Something was saved: rebuild, leaving unfinished a build in progress (its open pages served, if they were)."""
        self._saved.set()

    def _rebuild_forever(self) -> None:
        while True:
            self._saved.wait()
            self._saved.clear()
            self.rebuild()

    def rebuild(self) -> None:
        """Build and serve the result: the pages open in a browser, then every page, then the rest; or the problems."""
        started = time.perf_counter()
        try:
            made = self._build_in_steps(started)
        except ContentErrors as errors:
            lines = tuple(problem.format(relative_to=Path.cwd()) for problem in errors.problems)
            self.live.publish(None, lines)
            self.log("\n".join(lines) + f"\n{len(lines)} problem(s); still serving the last good build.")
            return
        except Exception:  # noqa: BLE001 - a bug in a build must not stop the preview
            self.log(traceback.format_exc())
            self.live.publish(None, ("the build failed with an internal error (see the terminal): please report it",))
            return
        if made is None:
            return  # a newer save came in: its build follows at once
        built, steps = made
        stats = self.cache.stats
        self.log(f"Built in {time.perf_counter() - started:.2f} s ({stats.pages_rendered} page(s) rendered, "
                 f"{stats.pages_reused} unchanged){steps}.")
        if self.live.search_files:
            with self._search_wake:  # in the background: the next save need not wait for Pagefind
                self._search_wanted = built
                self._search_wake.notify()
        else:
            self.index_search(built)  # the first index, before the server says it is serving

    def _build_in_steps(self, started: float) -> tuple[dict[str, bytes], str] | None:
        """Publish each step of a build as soon as it is made; None if a newer save left the build unfinished."""
        first_build = self._later_files is None  # served whole: there is nothing yet to serve beside its parts
        site = plan_site(self.options, self.cache)
        if not first_build:
            self._serve_open_pages_first(site)  # even if a newer save came in: they are newer than those served
        open_served = time.perf_counter() - started
        files = site_files(site, self.cache)
        try:
            pages = _through_the_pages(files, {page.output_path for page in site.pages})
        except Superseded:
            return None
        if not first_build:
            # Served at once, with the last build's feeds, data and cards until this build's are made.
            self.live.publish({**self._later_files, **pages}, ())
        served = time.perf_counter() - started
        later = {}
        for path, data in files:
            if self._saved.is_set():  # never during the first build: saves are only watched once it is served
                return None
            later[path] = data
        built, self._later_files = {**pages, **later}, later
        if first_build:
            self.live.publish(built, ())
            return built, ""
        self.live.publish_rest(built)
        return built, f"; open pages served after {open_served:.2f} s, all pages after {served:.2f} s"

    def _serve_open_pages_first(self, site: PlannedSite) -> None:
        """Serve the new build of the pages open in a browser, beside the last build's other files, before the rest."""
        wanted = {name for page in self.live.open_pages() for name in file_names(page)}
        pages = tuple(page for page in site.pages if page.output_path in wanted)
        last = self.live.snapshot.files
        if pages and last is not None:
            first = self.cache.render_first(pages, site.timeline, site.folders)
            self.live.publish({**last, **first}, (), all_pages=False)

    def _index_search_forever(self) -> None:
        """Index the latest build that wants it; a build superseded while Pagefind ran is never indexed."""
        while True:
            with self._search_wake:
                self._search_wake.wait_for(lambda: self._search_wanted is not None)
                # A quiet moment first: saves in quick succession do not share the CPU with Pagefind.
                while self._search_wake.wait(timeout=_SEARCH_QUIET_SECONDS):
                    pass
                files, self._search_wanted = self._search_wanted, None
            self.index_search(files)

    def index_search(self, files: dict[str, bytes]) -> None:
        """Bring the served search index in line with `files`, re-indexing only the shards that changed."""
        started, indexed_before = time.perf_counter(), self.search.shards_indexed
        try:
            self.live.publish_search(self.search.files_for(files))
        except SearchIndexError as error:
            if not self.search.closed:  # a Pagefind stopped as serve stops says nothing worth reading
                self.log(f"search: {error}; the search page keeps the last index.")
            return
        if indexed := self.search.shards_indexed - indexed_before:
            self.log(f"Search index: {indexed} shard(s) indexed in {time.perf_counter() - started:.2f} s.")


def _through_the_pages(files: Iterator[tuple[str, bytes]], page_paths: set[str]) -> dict[str, bytes]:
    """The build's files up to its last page (`files` goes on with the rest: feeds, data, cards)."""
    head: dict[str, bytes] = {}
    left = set(page_paths)
    for path, data in files:
        head[path] = data
        left.discard(path)
        if not left:
            break
    return head


def watch(paths: list[Path], rebuilder: Rebuilder, stop: threading.Event, ready: threading.Event) -> None:
    """Rebuild after each batch of changes under `paths`, until `stop` is set; `ready` once watching."""
    # yield_on_timeout: the first (empty) batch says the watcher is in place.
    for changes in watchfiles.watch(*paths, stop_event=stop, step=10, debounce=400, rust_timeout=100,
                                    yield_on_timeout=True, raise_interrupt=False):
        if not ready.is_set():
            rebuilder.rebuild()  # whatever was saved while the watcher was starting
            ready.set()
        elif changes:
            rebuilder.saved()
