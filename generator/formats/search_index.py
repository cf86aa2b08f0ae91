"""The search index: Pagefind reads the finished pages and writes a chunked index beside them, in shards.

Only pages that carry `data-pagefind-body` are indexed (the event pages). They are grouped into
shards by span of years, each at most `SHARD_EVENTS` pages, and each shard is its own Pagefind
bundle under `pagefind/<first year>-<last year>/` (or `pagefind/<year>.<n>/` for part of a crowded year); `pagefind/shards.json` lists them and the search
page merges them (Pagefind's `mergeIndex`). Pagefind's memory is then bounded by a shard, not by the
site, and an edit re-indexes only the shard that holds the page: each shard's bundle is kept in
`.timeline-cache/search/`, keyed by the hash of what Pagefind reads of its pages, and reused when
nothing in it changed. A search downloads the index chunks for the words typed, never a whole index.

`index_for_search` runs on the staging folder of a build, before the atomic swap, so the live site
never has pages without their index; `SearchIndex` does the same in memory for `timeline serve`.
The staging folder is the site before last (see build/output.py): a bundle of it that is still its
shard's kept one (the same files as the cache's, by inode) stays where it is, so an edit touches one
bundle, not the ≈11,000 files of all of them at 10,000 events. Pagefind's Python API sends one page
per message and reads one reply every 0.1 s (measured: 2.1 s for 20 pages), so each shard is indexed
by the Pagefind command, given the shard's pages by a glob.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, AbstractSet, Iterable, Iterator

from generator.formats.pagefind_run import (PAGEFIND_OPTIONS, RunningPagefind, index_folder, index_pages_in_place,
                                            link_or_copy, on_every_core, pagefind_version)
from generator.formats.search_pages import IndexedPage, KnownPages, indexed_page

if TYPE_CHECKING:
    from generator.formats.search_ahead import IndexingAhead

# An edit re-indexes its shard: Pagefind's time is about its pages' (≈1.7 ms of CPU a page here), so a
# smaller shard is a cheaper edit; a larger one is fewer bundles for the search page to merge.
SHARD_EVENTS = 1000
BUNDLE_DIR = "pagefind"
SHARDS_FILE = f"{BUNDLE_DIR}/shards.json"
CACHE_SUBDIR = "search"


@dataclass(frozen=True)
class Shard:
    """One Pagefind bundle: its folder name under pagefind/, the key of its content, and its pages."""

    name: str
    key: str
    pages: tuple[str, ...]


def named_by_content(folder: str) -> bool:
    """Whether `folder` (relative to the site) is one of a bundle's folders whose files Pagefind names by a
    hash of their content (`fragment/`, `index/`): such a file is never rewritten under the same name."""
    parts = folder.split("/")
    return len(parts) == 3 and parts[0] == BUNDLE_DIR and parts[2] in ("fragment", "index")


def plan_shards(pages: Iterable[IndexedPage], shard_events: int = SHARD_EVENTS) -> list[Shard]:
    """Pages grouped by year into shards of at most `shard_events`, years kept whole where they fit."""
    groups: list[list[IndexedPage]] = []
    for _, in_year in groupby(sorted(pages, key=lambda page: (page.year, page.path)), key=lambda page: page.year):
        year_pages = list(in_year)
        for start in range(0, len(year_pages), shard_events):
            part = year_pages[start:start + shard_events]
            if groups and len(groups[-1]) + len(part) <= shard_events:
                groups[-1].extend(part)
            else:
                groups.append(part)
    shards, names, pagefind = [], set(), (pagefind_version() + repr(PAGEFIND_OPTIONS)).encode()
    for group in groups:
        first, last = group[0].year or "undated", group[-1].year or "undated"
        name = first if first == last else f"{first}-{last}"
        name = next(candidate for number in range(1, len(groups) + 2)
                    if (candidate := name if number == 1 else f"{name}.{number}") not in names)
        names.add(name)
        key = hashlib.sha256("\n".join(f"{page.path} {page.digest}" for page in group).encode() + pagefind).hexdigest()
        shards.append(Shard(name, key, tuple(page.path for page in group)))
    return shards


def index_for_search(site_dir: Path, site_files: AbstractSet[str] | None = None, cache_dir: Path | None = None,
                     shard_events: int = SHARD_EVENTS, ahead: "IndexingAhead | None" = None) -> None:
    """Write the search index into `site_dir/pagefind/`: one bundle per shard, unchanged shards kept or copied from the cache.

    `site_files`, the paths of the site's files when the caller knows them (write_site does), spares a walk
    of the folder. What `pagefind/` already holds (the site before last's index, when a build stages
    in it) is the index's but for those files: a bundle still right is kept where it is, the rest removed.
    `cache_dir` defaults to `.timeline-cache/search/` beside `site_dir` (the staging folder sits beside site/).
    A shard that `ahead` started Pagefind on, for the same key, takes that run's bundle.
    """
    cache_dir = cache_dir or default_cache_dir(site_dir)
    if site_files is None:
        site_files = set(_files_outside_the_index(site_dir))
    known = ahead.known_pages if ahead and ahead.known_pages else KnownPages(cache_dir, ahead.stamps if ahead else None)
    shards = plan_shards(known.indexed_pages(site_dir, site_files), shard_events)
    known.save()
    bundle = site_dir / BUNDLE_DIR
    in_place, stale = _clear_the_old_index(bundle, shards, cache_dir, site_files)

    def index(shard: Shard) -> None:
        started = ahead.take(shard.key) if ahead else None
        if started is not None:
            started.finish(bundle / shard.name)
        else:
            index_pages_in_place(shard.pages, site_dir, bundle / shard.name)
        _keep(bundle / shard.name, cache_dir, shard.key)

    with _removed_meanwhile(stale, site_dir):
        to_index = [shard for shard in shards
                    if shard.name not in in_place and not _copy_cached(cache_dir / shard.key, bundle / shard.name)]
        on_every_core(index, to_index)
    bundle.mkdir(parents=True, exist_ok=True)
    (site_dir / SHARDS_FILE).write_bytes(_shards_json(shards))
    _prune(cache_dir, {shard.key for shard in shards})


def default_cache_dir(site_dir: Path) -> Path:
    return site_dir.parent / ".timeline-cache" / CACHE_SUBDIR  # the staging folder sits beside site/


def _files_outside_the_index(site_dir: Path) -> Iterator[str]:
    """Every file's path from the site's root but those in pagefind/ (plan_shards orders them: the walk's order does not matter)."""
    for folder, folders, names in os.walk(site_dir):
        prefix = os.path.relpath(folder, site_dir).replace(os.sep, "/") + "/"
        if prefix == "./":
            prefix = ""
            folders[:] = [name for name in folders if name != BUNDLE_DIR]
        yield from (prefix + name for name in names)


def _clear_the_old_index(bundle: Path, shards: list[Shard], cache_dir: Path,
                         site_files: AbstractSet[str]) -> tuple[set[str], list[str]]:
    """Sort what `bundle` holds: the names of the shards' bundles that are still right, and the folders to remove.

    A bundle is right when it is the kept one of its shard's key: the same files (the same inodes) as its
    folder in the cache, nothing more or less. The site's own files stay; any other file is removed here.
    """
    keys = {shard.name: shard.key for shard in shards}
    prefix = f"{BUNDLE_DIR}/"
    the_sites = {path[len(prefix):].partition("/")[0] for path in site_files if path.startswith(prefix)}
    in_place: set[str] = set()
    stale: list[str] = []
    try:
        entries = list(os.scandir(bundle))
    except OSError:  # none yet (or a file there, which the site's own would have replaced)
        return in_place, stale
    for entry in entries:
        if entry.name in keys and _is_kept_bundle(entry, cache_dir / keys[entry.name]):
            in_place.add(entry.name)
        elif entry.name in keys or entry.name not in the_sites or f"{prefix}{entry.name}" == SHARDS_FILE:
            if entry.is_dir(follow_symlinks=False):
                stale.append(entry.path)
            else:
                os.unlink(entry.path)
    return in_place, stale


@contextlib.contextmanager
def _removed_meanwhile(folders: list[str], site_dir: Path) -> Iterator[None]:
    """Move `folders` aside at once and remove them while the body runs, all gone when it ends.

    Freeing a stale bundle's thousand files waits on the disk (seconds on a busy machine), Pagefind
    on the processors: the two overlap.
    """
    if not folders:
        yield
        return
    aside = tempfile.mkdtemp(prefix=f"{site_dir.name}.stale-", dir=site_dir.parent)  # not where Pagefind reads
    for number, folder in enumerate(folders):
        os.rename(folder, f"{aside}/{number}")
    remover = threading.Thread(target=shutil.rmtree, args=(aside,), kwargs={"ignore_errors": True})
    remover.start()
    try:
        yield
    finally:
        remover.join()
        if os.path.lexists(aside):  # what the thread could not remove is an error here
            shutil.rmtree(aside)


def _is_kept_bundle(entry: os.DirEntry, cached: Path) -> bool:
    try:
        return (entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_dev == cached.stat().st_dev
                and _listing(entry.path) == _listing(str(cached)))
    except OSError:
        return False


def _listing(folder: str) -> dict[str, int | None]:
    """Every file (its inode) and folder (None) under `folder`, by relative path."""
    found: dict[str, int | None] = {}
    pending = [""]
    while pending:
        prefix = pending.pop()
        with os.scandir(f"{folder}/{prefix}") as entries:
            for entry in entries:
                path = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    found[path] = None
                    pending.append(path + "/")
                else:
                    found[path] = entry.inode()
    return found


class SearchIndex:
    """The search index of an in-memory site (`timeline serve`), re-indexing only the shards whose pages changed."""

    def __init__(self, shard_events: int = SHARD_EVENTS) -> None:
        self.shard_events = shard_events
        self._bundles: dict[str, dict[str, bytes]] = {}
        self.shards_indexed = 0
        self.closed = False
        self._running: RunningPagefind | None = None  # the Pagefind indexing a shard now, if any
        self._lock = threading.Lock()

    def close(self) -> None:
        """Index no more, and kill the Pagefind indexing now: serve stops while its indexing thread, a daemon,
        is frozen mid-wait, so that Pagefind would outlive it (one was found hung 12 minutes after a test)."""
        with self._lock:
            self.closed = True
            if self._running is not None:
                self._running.stop()

    def files_for(self, site_files: dict[str, bytes]) -> dict[str, bytes]:
        """The pagefind/ files for `site_files` (relative path → bytes)."""
        pages = (indexed_page(path, body) for path, body in sorted(site_files.items()) if path.endswith(".html"))
        shards = plan_shards((page for page in pages if page), self.shard_events)
        bundles = {}
        for shard in shards:
            if shard.key not in self._bundles:
                self._bundles[shard.key] = self._index_in_memory(shard, site_files)
                self.shards_indexed += 1
            bundles[shard.key] = self._bundles[shard.key]
        self._bundles = bundles
        files = {f"{BUNDLE_DIR}/{shard.name}/{name}": body for shard in shards for name, body in bundles[shard.key].items()}
        return {**files, SHARDS_FILE: _shards_json(shards)}

    def _index_in_memory(self, shard: Shard, site_files: dict[str, bytes]) -> dict[str, bytes]:
        def write_pages(folder: Path) -> None:
            for path in shard.pages:
                (folder / path).parent.mkdir(parents=True, exist_ok=True)
                (folder / path).write_bytes(site_files[path])

        def started(running: RunningPagefind) -> None:
            with self._lock:
                self._running = running
                if self.closed:
                    running.stop()

        with tempfile.TemporaryDirectory(prefix="timeline-search-") as work:
            output = Path(work) / "bundle"
            try:
                index_folder(output, write_pages, started)
            finally:
                with self._lock:
                    self._running = None
            return {path.relative_to(output).as_posix(): path.read_bytes()
                    for path in sorted(output.rglob("*")) if path.is_file()}


def _copy_cached(cached: Path, target: Path) -> bool:
    """Copy a kept bundle into place; False if there is none (or it cannot be read), so the shard is indexed."""
    if not cached.is_dir():
        return False
    try:
        shutil.copytree(cached, target, copy_function=link_or_copy)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def _keep(bundle: Path, cache_dir: Path, key: str) -> None:
    """Keep a fresh bundle for the next build; a cache that cannot be written is skipped."""
    partial = cache_dir / f".{key}.partial"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(bundle, partial, copy_function=link_or_copy)
        partial.rename(cache_dir / key)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)


def _prune(cache_dir: Path, keys: set[str]) -> None:
    """Drop kept bundles no shard of this build uses, so the cache does not grow with every edit."""
    if not cache_dir.is_dir():
        return
    for entry in cache_dir.iterdir():
        if entry.name not in keys:
            shutil.rmtree(entry, ignore_errors=True)


def _shards_json(shards: list[Shard]) -> bytes:
    return json.dumps([f"{shard.name}/" for shard in shards]).encode() + b"\n"
