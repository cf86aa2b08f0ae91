"""Serve's pages made ahead of the others (those open in a browser): the same bytes as a clean build, each
page made once per rebuild, and a build abandoned after them leaves the cache as good as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.incremental import BuildCache
from generator.build.pipeline import BuildOptions, plan_site, render_site, site_files
from generator.content.errors import ContentErrors


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _rebuild_open_pages_first(options: BuildOptions, cache: BuildCache, open_paths: set[str]) -> tuple[dict, dict]:
    """(the open pages made first, then every file of the build), as serve makes them."""
    site = plan_site(options, cache)
    first = cache.render_first(tuple(page for page in site.pages if page.output_path in open_paths),
                               site.timeline, site.folders)
    return first, dict(site_files(site, cache))


def test_pages_made_first_are_a_clean_builds_and_are_not_made_twice(fixture_site):
    options = BuildOptions(fixture_site, fixture_site / "site")
    events = fixture_site / "content" / "events"
    cache, plain_cache = BuildCache(), BuildCache()  # the second rebuilds without making any page first
    render_site(options, cache)
    render_site(options, plain_cache)
    open_paths = {"events/arctic-ministerial/index.html", "index.html", "events/expulsions/index.html"}

    _edit(events / "arctic-ministerial.yaml", "Arctic Council ministerial meets", "Arctic Council ministers meet")
    first, files = _rebuild_open_pages_first(options, cache, open_paths)
    clean = render_site(options).files
    assert files == clean
    assert first == {path: clean[path] for path in open_paths}
    assert "Arctic Council ministers meet" in first["events/arctic-ministerial/index.html"].decode()
    assert "Arctic Council ministers meet" in first["index.html"].decode()
    render_site(options, plain_cache)
    assert cache.stats == plain_cache.stats  # each page counted (and rendered) once
    assert 0 < cache.stats.pages_rendered < cache.stats.pages_reused

    # Only the event's own page shows its body: the one open page that changes is the only one rendered.
    _edit(events / "reykjavik-meeting.yaml", "nearly two hours", "almost two hours")
    first, files = _rebuild_open_pages_first(options, cache, {"events/reykjavik-meeting/index.html"})
    assert cache.stats.pages_rendered == 1
    assert files == render_site(options).files
    assert "almost two hours" in first["events/reykjavik-meeting/index.html"].decode()


def test_a_build_abandoned_after_its_open_pages_leaves_the_cache_usable(fixture_site):
    options = BuildOptions(fixture_site, fixture_site / "site")
    path = fixture_site / "content" / "events" / "expulsions.yaml"
    cache = BuildCache()
    render_site(options, cache)
    _edit(path, "Expulsions known only to the month", "Ten diplomats expelled")
    abandoned = plan_site(options, cache)  # a save came in: serve plans again and never finishes this one
    cache.render_first(tuple(page for page in abandoned.pages if page.output_path == "events/expulsions/index.html"),
                       abandoned.timeline, abandoned.folders)
    _edit(path, "date: 2021-04", "date: 2021-13")
    with pytest.raises(ContentErrors):
        render_site(options, cache)
    _edit(path, "date: 2021-13", "date: 2021-04")
    assert render_site(options, cache).files == render_site(options).files
