"""The search index started ahead: once a build has staged the event pages, Pagefind runs on the shards that
need it while the list pages, feeds and share cards are staged. What it makes is a clean build's index, byte
for byte; a shard whose pages change after the start is indexed again; a build that fails leaves no Pagefind
running and none of its folders behind."""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path
from typing import Callable

import pytest

import generator.formats.search_ahead as search_ahead
import generator.formats.search_pages as search_pages
from conftest import failing_pagefind, tree_digest
from generator.formats.pagefind_run import RunningPagefind
from generator.formats.search_index import index_for_search
from generator.site.theme import BUILTIN_THEME
from test_search_shards import write_pages


@pytest.fixture
def runs(monkeypatch) -> Callable[[], list[tuple[RunningPagefind, bool]]]:
    """Each Pagefind started ahead of staging's end, and whether the build took its bundle."""
    started: list[RunningPagefind] = []
    taken: list[RunningPagefind] = []
    real_start, real_take = search_ahead.start_in_place, search_ahead.IndexingAhead.take

    def start(*args, **kwargs):
        run = real_start(*args, **kwargs)
        started.append(run)
        return run

    def take(self, key):
        run = real_take(self, key)
        if run is not None:
            taken.append(run)
        return run

    monkeypatch.setattr(search_ahead, "start_in_place", start)
    monkeypatch.setattr(search_ahead.IndexingAhead, "take", take)
    return lambda: [(run, run in taken) for run in started]


def _edit_summary(site: Path, event: str) -> None:
    path = site / "content" / "events" / f"{event}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^summary: ", "summary: Edited. ", text, count=1, flags=re.M), encoding="utf-8")


def _clean_build(site: Path, tmp_path: Path, run_timeline, name: str = "clean") -> Path:
    clean = tmp_path / name
    shutil.copytree(site / "content", clean / "content")
    if (site / "templates").exists():
        shutil.copytree(site / "templates", clean / "templates")
    assert run_timeline(clean, "build").exit_code == 0
    return clean / "site"


def _pagefind_children() -> list[str]:
    """This process's children that are Pagefind, from /proc."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"{entry.path}/stat", encoding="utf-8") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                name = Path(os.readlink(f"{entry.path}/exe")).name
            except OSError:
                continue
            if int(fields[1]) == os.getpid() and "pagefind" in name:
                found.append(entry.name)
    return found


def _leftovers(site: Path) -> list[str]:
    return sorted(path.name for path in site.iterdir() if ".shard-" in path.name or ".new-" in path.name)


def _built_then_edited(site: Path, run_timeline) -> dict[str, str]:
    """Build the site, then edit one summary; the built site's digest, to compare the site with after a failed build."""
    assert run_timeline(site, "build").exit_code == 0
    before = tree_digest(site / "site")
    _edit_summary(site, "reykjavik-meeting")
    return before


def _assert_left_as_it_was(site: Path, before: dict[str, str]) -> None:
    """The site byte for byte as `before`, with no staging or shard folder and no Pagefind left behind."""
    assert tree_digest(site / "site") == before
    assert _leftovers(site) == [] and _pagefind_children() == []


def test_an_edit_s_shard_indexed_ahead_is_the_clean_build_s_index(fixture_site, tmp_path, run_timeline, runs):
    assert run_timeline(fixture_site, "build").exit_code == 0
    assert [taken for _, taken in runs()] == [True]  # the one shard of a small site, clean: started ahead, taken
    _edit_summary(fixture_site, "reykjavik-meeting")
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0, result.stderr
    assert [taken for _, taken in runs()] == [True, True]
    assert "Edited. " in (fixture_site / "site" / "events" / "reykjavik-meeting" / "index.html").read_text(encoding="utf-8")
    assert tree_digest(fixture_site / "site") == tree_digest(_clean_build(fixture_site, tmp_path, run_timeline))
    assert _leftovers(fixture_site) == [] and _pagefind_children() == []


def test_a_page_marked_for_search_after_the_start_has_its_shard_indexed_again(fixture_site, tmp_path, run_timeline,
                                                                             runs, monkeypatch):
    # A theme of the site's own that marks its text pages for search too: they are staged after the start.
    page = (BUILTIN_THEME / "page.html").read_text(encoding="utf-8")
    (fixture_site / "templates").mkdir()
    (fixture_site / "templates" / "page.html").write_text(
        page.replace('<article class="text-page">', '<article class="text-page" data-pagefind-body>'), encoding="utf-8")
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0, result.stderr
    assert [taken for _, taken in runs()] == [False]  # started on the event pages alone; their shard then changed
    monkeypatch.setattr(search_ahead.IndexingAhead, "start", lambda *args, **kwargs: None)
    without_ahead = _clean_build(fixture_site, tmp_path, run_timeline, "indexed-after-staging")
    assert tree_digest(fixture_site / "site") == tree_digest(without_ahead)
    assert _leftovers(fixture_site) == [] and _pagefind_children() == []


def test_a_build_that_fails_after_the_start_stops_pagefind_and_leaves_the_site_as_it_was(fixture_site, run_timeline,
                                                                                        runs, monkeypatch):
    before = _built_then_edited(fixture_site, run_timeline)

    def cards_on_a_full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "cards")
        yield  # a generator, as the real one is

    monkeypatch.setattr("generator.formats.share_cards.render_share_cards", cards_on_a_full_disk)
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert "no space left on device" in result.stderr and "Traceback" not in result.stderr
    assert [taken for _, taken in runs()] == [True, False]  # the second was running when the build failed
    assert all(run._process.returncode is not None for run, _ in runs())  # stopped and reaped
    _assert_left_as_it_was(fixture_site, before)


def test_a_pagefind_that_fails_is_one_line_for_the_author_and_the_site_is_left_as_it_was(fixture_site, tmp_path,
                                                                                        run_timeline, monkeypatch):
    before = _built_then_edited(fixture_site, run_timeline)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing_pagefind(tmp_path)))
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: pagefind failed (3): cannot read the pages; the site was not changed."]
    _assert_left_as_it_was(fixture_site, before)


def test_the_start_reads_no_more_pages_than_could_still_leave_a_shard_for_each_core(tmp_path, monkeypatch, runs):
    """A clean build of a large site needs Pagefind on more shards than cores: the start stops reading as soon
    as the pages it found show that, rather than reading (and holding) every page for nothing."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    read: list[str] = []
    real_read = search_pages.indexed_page
    monkeypatch.setattr(search_pages, "indexed_page", lambda path, html: (read.append(path), real_read(path, html))[1])
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_pages(site, 60)  # two a year: six shards of ten
    staged = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}

    clean = search_ahead.IndexingAhead(cache, shard_events=10)
    clean.start(site, staged)
    assert len([path for path in read if path.startswith("events/")]) == 21  # (2 cores + 0 kept) × 10, and one more
    assert runs() == []
    clean.finish(site, staged)

    read.clear()
    edited = site / "events" / "event-005" / "index.html"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Event 5<", "Event five<"), encoding="utf-8")
    edit = search_ahead.IndexingAhead(cache, shard_events=10)
    edit.start(site, staged)  # six bundles kept: every page may be read, and is known but the edited one
    assert read == ["events/event-005/index.html"] and [taken for _, taken in runs()] == [False]
    edit.finish(site, staged)
    assert [taken for _, taken in runs()] == [True]

    again = tmp_path / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    index_for_search(again, cache_dir=tmp_path / "fresh-cache", shard_events=10)
    assert tree_digest(site / "pagefind") == tree_digest(again / "pagefind")


def test_a_damaged_list_of_the_pages_read_is_not_trusted_every_page_is_read_again(tmp_path, monkeypatch):
    read: list[str] = []
    real_read = search_pages.indexed_page
    monkeypatch.setattr(search_pages, "indexed_page", lambda path, html: (read.append(path), real_read(path, html))[1])
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_pages(site, 20)
    index_for_search(site, cache_dir=cache, shard_events=10)
    known = tmp_path / "cache-pages.json"
    kept = known.read_bytes()
    read.clear()
    index_for_search(site, cache_dir=cache, shard_events=10)
    assert read == []  # every page known by its size and time
    for damaged in (b"", b"not what the build wrote", kept[:-9], kept[:40] + b"\xff" * 9 + kept[49:]):
        known.write_bytes(damaged)
        read.clear()
        index_for_search(site, cache_dir=cache, shard_events=10)
        assert len([path for path in read if path.startswith("events/")]) == 20
        assert known.read_bytes() == kept  # and the list written again, whole
