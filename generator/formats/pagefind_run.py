"""Running Pagefind on one shard's pages: found as `python -m pagefind` finds it, given the pages by a glob
over the site (or a folder of links where a glob would misread them), its own ready-made interfaces
removed, one process per core. search_index.py decides what the shards are and keeps their bundles.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

Item = TypeVar("Item")

PAGEFIND_OPTIONS = ("--keep-index-url", "--silent")
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*")  # no glob syntax, no hidden folder
_GLOB_LIMIT = 100_000  # characters: Linux takes at most 128 KiB in one argument
# Pagefind also writes its own ready-made interfaces; the theme has its own (assets/search.js),
# because those need inline styles that the site's Content-Security-Policy refuses.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(RuntimeError):
    """Pagefind could not index the built pages."""


def on_every_core(index: Callable[[Item], None], shards: list[Item]) -> None:
    """Index the shards, one Pagefind process per core at a time (a thread only waits for its process)."""
    if len(shards) < 2:
        for shard in shards:
            index(shard)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(shards), os.cpu_count() or 1)) as pool:
        for done in [pool.submit(index, shard) for shard in shards]:
            done.result()  # the first failure is raised, after every process has ended


def index_pages_in_place(pages: tuple[str, ...], site_dir: Path, output: Path) -> None:
    """Run Pagefind on the site with a glob that picks out a shard's `pages`, into `output`.

    A folder of links to the pages (made and removed for each shard) cost more than Pagefind itself on a
    busy disk; it is still the way where a path has a character a glob reads as syntax, or the glob would
    be too long for one argument. Pagefind writes outside the folder it reads, and the bundle is moved in.
    """
    running = start_in_place(pages, site_dir)
    if running is None:
        index_folder(output, lambda folder: _link_pages(site_dir, pages, folder))
    else:
        running.finish(output)


class RunningPagefind:
    """Pagefind started on the pages of `site_dir` (those a `glob` picks out, or all), writing its bundle into a
    folder of its own beside the site: `finish` waits for it and moves the bundle to its place; `cancel` stops
    it and removes what it wrote. One of the two must be called. The one way this package runs Pagefind."""

    def __init__(self, site_dir: Path, glob: str | None = None) -> None:
        self._work = tempfile.mkdtemp(prefix=f"{site_dir.name}.shard-", dir=site_dir.parent)
        command = [*_pagefind_command(), "--site", str(site_dir.absolute()), *(("--glob", glob) if glob else ()),
                   "--output-path", f"{self._work}/bundle", *PAGEFIND_OPTIONS]
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, text=True)
        except BaseException:
            shutil.rmtree(self._work, ignore_errors=True)
            raise

    def finish(self, output: Path) -> None:
        try:
            out, err = self._process.communicate(timeout=600)
            if self._process.returncode != 0:
                raise SearchIndexError(f"pagefind failed ({self._process.returncode}): {err.strip() or out.strip()}")
            for name in UNUSED_FILES:
                Path(self._work, "bundle", name).unlink(missing_ok=True)
            output.parent.mkdir(parents=True, exist_ok=True)
            os.rename(f"{self._work}/bundle", output)
        finally:
            self.cancel()

    def stop(self) -> None:
        """Kill Pagefind from another thread than the one in `finish`, which then fails (serve stopped mid-index)."""
        self._process.kill()  # a process already waited for is not signalled (Popen checks)

    def cancel(self) -> None:
        if self._process.returncode is None:  # not waited for yet: a failed or interrupted build
            self._process.kill()
            self._process.communicate()  # reaps it and closes its pipes
        shutil.rmtree(self._work, ignore_errors=True)


def start_in_place(pages: tuple[str, ...], site_dir: Path) -> RunningPagefind | None:
    """Pagefind started on `pages` by a glob over `site_dir`; None where a glob would misread the paths or be
    too long for one argument (index_pages_in_place then links the pages into a folder of their own)."""
    glob = "{" + ",".join(pages) + "}"
    if len(glob) > _GLOB_LIMIT or not all(_PLAIN_PATH.fullmatch(path) for path in pages):
        return None
    return RunningPagefind(site_dir, glob)


def index_folder(output: Path, write_pages: Callable[[Path], None],
                 started: Callable[[RunningPagefind], None] = lambda running: None) -> None:
    """Run Pagefind on a folder holding only a shard's pages (at their paths in the site), into `output`;
    `started` is handed the running Pagefind before it is waited for (so that another thread can stop it)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".shard-pages-", dir=output.parent) as work:
        pages = Path(work) / "site"
        pages.mkdir()
        write_pages(pages)
        running = RunningPagefind(pages)
        try:
            started(running)
        finally:
            running.finish(output)


def _link_pages(site_dir: Path, paths: tuple[str, ...], folder: Path) -> None:
    """The shard's pages in `folder` at their own paths: hard links where the file system allows, else copies."""
    for path in paths:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(site_dir / path, folder / path)


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Bundles and pages are never changed in place once written, so copies of them can share their files."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _pagefind_command() -> list[str]:
    """Pagefind's binary, found as `python -m pagefind` finds it, without starting Python for each shard."""
    executable = _pagefind_executable()
    return [str(executable)] if executable else [sys.executable, "-m", "pagefind"]


def _pagefind_executable() -> Path | None:
    """In `pagefind.service.get_executable`'s order, without importing it (it imports asyncio: 0.1 s and more)."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            executable = Path(__import__(package).get_executable())
        except ImportError:
            continue
        return executable if executable.is_file() else None
    return None


def pagefind_version() -> str:
    """The Pagefind binary that makes the bundles (path, size, time): a new one must not reuse an old one's bundles.

    Cheaper than the package metadata, which scans every installed distribution (≈1 s here).
    """
    executable = _pagefind_executable()
    try:
        stat = executable.stat() if executable else None
    except OSError:
        stat = None
    return f"{executable}:{stat.st_size}:{stat.st_mtime_ns}" if stat else "unknown"
