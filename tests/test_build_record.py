"""A build whose inputs are all unchanged leaves the site alone; any change, or a bad record, rebuilds."""

from __future__ import annotations

import os
import shutil

import pytest

import generator.build.build_record
import generator.build.content_store
from conftest import tree_digest
from sitefixture import write_event

NOTHING_CHANGED = "nothing changed since the last build"


def _build(site_folder, run_timeline, *args):
    result = run_timeline(site_folder, "build", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _clean_build_digest(site_folder, run_timeline, tmp_path, *args) -> dict[str, str]:
    out = tmp_path / "clean-out"
    generator.build.build_record.forget_record(out)
    _build(site_folder, run_timeline, "--out", str(out), *args)
    return tree_digest(out)


def test_a_rebuild_with_nothing_changed_rewrites_nothing(fixture_site, run_timeline):
    _build(fixture_site, run_timeline)
    index = fixture_site / "site" / "index.html"
    before = (index.stat().st_ino, (fixture_site / "site").stat().st_ino)
    assert NOTHING_CHANGED in _build(fixture_site, run_timeline)
    assert (index.stat().st_ino, (fixture_site / "site").stat().st_ino) == before


@pytest.mark.parametrize("change", ["edit", "add", "delete", "template", "asset", "option"])
def test_any_change_to_the_inputs_rebuilds_as_a_clean_build_would(change, fixture_site, run_timeline, tmp_path):
    _build(fixture_site, run_timeline)
    args = ()
    events = fixture_site / "content" / "events"
    if change == "edit":
        path = events / "reykjavik-meeting.yaml"
        path.write_text(path.read_text().replace("meet in Reykjavik", "meet in Reykjavik again"))
    elif change == "add":
        write_event(fixture_site, "extra-event", "date: 2021-07-01\ntitle: An added event\nsummary: Added.\n"
                    "topics: [diplomacy]\nsources:\n  - title: A source\n    publisher: A publisher\n")
    elif change == "delete":
        (events / "expulsions.yaml").unlink()
    elif change == "template":
        (fixture_site / "templates").mkdir(exist_ok=True)
        (fixture_site / "templates" / "404.html").write_text('{% extends "base.html" %}{% block main %}<h1>Gone</h1>{% endblock %}')
    elif change == "asset":
        (fixture_site / "templates" / "assets").mkdir(parents=True, exist_ok=True)
        (fixture_site / "templates" / "assets" / "extra.css").write_text("p { color: red }")
    else:
        args = ("--base-url", "https://example.org/t/")
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline, *args)
    assert tree_digest(fixture_site / "site") == _clean_build_digest(fixture_site, run_timeline, tmp_path, *args)


def test_a_change_made_to_the_built_site_is_undone(fixture_site, run_timeline):
    _build(fixture_site, run_timeline)
    built = tree_digest(fixture_site / "site")
    (fixture_site / "site" / "index.html").write_text("tampered")
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)
    assert tree_digest(fixture_site / "site") == built


@pytest.mark.parametrize("change", ["removed", "added", "replaced"])
def test_a_change_made_to_the_search_index_files_named_by_their_content_is_undone(change, fixture_site, run_timeline):
    """Those files are checked by their folder, whose time moves when one is added, removed or replaced."""
    _build(fixture_site, run_timeline)
    built = tree_digest(fixture_site / "site")
    fragments = sorted((fixture_site / "site" / "pagefind").glob("*/fragment/*"))
    assert fragments
    if change == "removed":
        fragments[0].unlink()
    elif change == "added":
        (fragments[0].parent / "en_0000000.pf_fragment").write_bytes(b"planted")
    else:
        planted = fragments[0].parent.parent / "planted"
        planted.write_bytes(b"planted")
        os.replace(planted, fragments[0])
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)
    assert tree_digest(fixture_site / "site") == built
    assert NOTHING_CHANGED in _build(fixture_site, run_timeline)


@pytest.mark.parametrize("record", ["", "{not json", '{"format": 1}', '{"format": 999, "inputs": "", "output": "", "counts": {}}',
                                    '{"format": 1, "inputs": 3, "output": [], "counts": {}}', "[1, 2]"])
def test_a_missing_corrupt_or_foreign_record_is_ignored(record, fixture_site, run_timeline):
    _build(fixture_site, run_timeline)
    built = tree_digest(fixture_site / "site")
    path = generator.build.build_record.record_path(fixture_site / "site")
    if record:
        path.write_text(record)
    else:
        path.unlink()
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)
    assert tree_digest(fixture_site / "site") == built
    assert NOTHING_CHANGED in _build(fixture_site, run_timeline)  # a good record again


@pytest.fixture
def generator_copy(tmp_path, monkeypatch):
    """A copy of the generator's sources, taken as the running generator's by the build record."""
    copied = shutil.copytree(generator.build.build_record.GENERATOR_DIR, tmp_path / "installed" / "generator",
                             ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(generator.build.build_record, "GENERATOR_DIR", copied)
    generator.build.build_record.generator_version.cache_clear()
    yield copied
    generator.build.build_record.generator_version.cache_clear()


def test_a_record_from_another_generator_version_is_ignored(fixture_site, run_timeline, generator_copy):
    _build(fixture_site, run_timeline)
    with (generator_copy / "build" / "pipeline.py").open("a") as source:
        source.write("# another version\n")
    generator.build.build_record.generator_version.cache_clear()
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)


def test_the_same_generator_installed_anew_is_the_same_version(fixture_site, run_timeline, generator_copy, tmp_path):
    _build(fixture_site, run_timeline)
    reinstalled = shutil.copytree(generator_copy, tmp_path / "reinstalled" / "generator")  # new times, another folder
    generator.build.build_record.GENERATOR_DIR = reinstalled  # undone by generator_copy's monkeypatch
    generator.build.build_record.generator_version.cache_clear()
    assert NOTHING_CHANGED in _build(fixture_site, run_timeline)


def test_a_deleted_site_is_rebuilt(fixture_site, run_timeline):
    _build(fixture_site, run_timeline)
    built = tree_digest(fixture_site / "site")
    shutil.rmtree(fixture_site / "site")
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)
    assert tree_digest(fixture_site / "site") == built


@pytest.mark.parametrize("checkout", ["unchanged", "one event edited"])
def test_a_fresh_checkout_with_the_last_build_restored_builds_as_a_clean_build_would(checkout, fixture_site, run_timeline,
                                                                                      tmp_path):
    # What the Pages workflow does: a fresh checkout (every content file written anew: new times,
    # new inodes) at the same place, with `site/` and `.timeline-cache/` restored by actions/cache
    # (tar keeps each file's and folder's modification time, as copytree does here).
    _build(fixture_site, run_timeline)
    last_run = fixture_site.rename(tmp_path / "last-run")
    shutil.copytree(last_run, fixture_site, copy_function=shutil.copyfile,
                    ignore=shutil.ignore_patterns("site", ".timeline-cache", ".site.lock"))
    if checkout == "one event edited":
        path = fixture_site / "content" / "events" / "reykjavik-meeting.yaml"
        path.write_text(path.read_text().replace("meet in Reykjavik", "meet in Reykjavik again"))
    for kept in ("site", ".timeline-cache"):
        shutil.copytree(last_run / kept, fixture_site / kept)
    assert (fixture_site / "site" / "index.html").stat().st_mtime_ns == (last_run / "site" / "index.html").stat().st_mtime_ns
    assert os.stat(fixture_site / "content").st_ino != os.stat(last_run / "content").st_ino
    assert (NOTHING_CHANGED in _build(fixture_site, run_timeline)) == (checkout == "unchanged")
    assert tree_digest(fixture_site / "site") == _clean_build_digest(fixture_site, run_timeline, tmp_path)




def test_what_earlier_versions_kept_and_this_one_never_reads_is_removed(fixture_site, run_timeline):
    """The Markdown store (`<out>.markdown.json`) is gone since the event store keeps each body's HTML: one left by
    an earlier version is removed by the next build, not kept in .timeline-cache/ for ever."""
    _build(fixture_site, run_timeline)
    record = generator.build.build_record.record_path(fixture_site / "site")
    left = [record.with_suffix(".markdown.json"), record.with_suffix(".pages.json")]  # the page store was JSON too
    for path in left:
        path.write_text('{"version": "earlier", "html": {}}', encoding="utf-8")
    generator.build.build_record.forget_record(fixture_site / "site")  # not a no-op
    _build(fixture_site, run_timeline)
    assert not any(path.exists() for path in left)


def test_the_record_lists_the_new_site_as_a_walk_of_it_would_after_every_kind_of_build(fixture_site, run_timeline):
    """The record's listing of the site is made from what staging knew of each file (build_record.staged_listing),
    not by walking the site: it must be the walk's, path for path and stamp for stamp, whatever the build did."""
    from generator.build.build_record import load_record, output_listing
    from generator.formats.search_index import named_by_content

    site = fixture_site / "site"
    steps = []

    def build_and_compare(what: str, *args: str) -> None:
        _build(fixture_site, run_timeline, "--base-url", "https://example.org/t/", *args)
        steps.append((what, load_record(site).output == output_listing(site.absolute(), named_by_content)))

    build_and_compare("clean")
    event = fixture_site / "content" / "events" / "expulsions.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    build_and_compare("an edit, most files kept or linked")
    (site / "index.html").write_text("edited by hand", encoding="utf-8")
    build_and_compare("a page edited by hand")
    (site / "events" / "stray.html").write_text("a file no build wrote", encoding="utf-8")
    write_event(fixture_site, "extra-event", "date: 2021-07-01\ntitle: An added event\nsummary: Added.\n"
                "topics: [diplomacy]\nsources:\n  - title: A report\n    publisher: Reuters\n    date: 2021-07-01\n")
    build_and_compare("a file left in the site, an event added")
    event.unlink()
    build_and_compare("an event removed")
    assert steps == [(what, True) for what, _ in steps]
    assert NOTHING_CHANGED in _build(fixture_site, run_timeline, "--base-url", "https://example.org/t/")
