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
from conftest import failing_pagefind, tree_digest
from generator.formats.pagefind_run import RunningPagefind
from generator.site.theme import BUILTIN_THEME


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
    assert run_timeline(fixture_site, "build").exit_code == 0
    before = tree_digest(fixture_site / "site")
    _edit_summary(fixture_site, "reykjavik-meeting")

    def cards_on_a_full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "cards")
        yield  # a generator, as the real one is

    monkeypatch.setattr("generator.formats.share_cards.render_share_cards", cards_on_a_full_disk)
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert "no space left on device" in result.stderr and "Traceback" not in result.stderr
    assert [taken for _, taken in runs()] == [True, False]  # the second was running when the build failed
    assert all(run._process.returncode is not None for run, _ in runs())  # stopped and reaped
    assert tree_digest(fixture_site / "site") == before
    assert _leftovers(fixture_site) == [] and _pagefind_children() == []


def test_a_pagefind_that_fails_is_one_line_for_the_author_and_the_site_is_left_as_it_was(fixture_site, tmp_path,
                                                                                        run_timeline, monkeypatch):
    assert run_timeline(fixture_site, "build").exit_code == 0
    before = tree_digest(fixture_site / "site")
    _edit_summary(fixture_site, "reykjavik-meeting")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing_pagefind(tmp_path)))
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: pagefind failed (3): cannot read the pages; the site was not changed."]
    assert tree_digest(fixture_site / "site") == before
    assert _leftovers(fixture_site) == [] and _pagefind_children() == []
