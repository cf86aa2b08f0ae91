"""A rebuild reads and checks only the event files that changed, and reports exactly what a clean build reports.

The last build's checked events are kept in `.timeline-cache/` (build/content_store.py), each by its
file's path and the hash of its bytes and by what its reading consulted (actor and topic ids, its
pictures); a build finds them by the hash its input scan took, so an unchanged file is not even read.
The checks between files (duplicate ids, related events) run over every event at every build.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

import generator.formats.search_ahead
from conftest import tree_digest, without_search_index
from generator.build import build_record, content_store, pipeline
from generator.build.content_store import store_folder
from generator.build.pipeline import BuildOptions, build, plan_site
from generator.content import load, validate_events, yamlfile
from generator.content.errors import ContentErrors
from sitefixture import write_event, write_fixture_site

PICTURED_EVENT = """\
date: 2021-05-21
title: Ministers pose at the Harpa concert hall
summary: The ministers were photographed after the talks.
topics: [diplomacy]
sources:
  - title: Readout
    publisher: State Department
media:
  - file: media/square.png
    alt: A grey square
    credit: Test Studio
"""


@pytest.fixture
def source(tmp_path, monkeypatch) -> Path:
    without_search_index(monkeypatch)
    return write_fixture_site(tmp_path / "fixture")


@pytest.fixture
def read_files(monkeypatch) -> dict[str, list[str]]:
    """The names of the event files opened, parsed, and read into events, since the last `_forget()`
    (the input scan, which hashes the files whose status moved, is not counted)."""
    seen: dict[str, list[str]] = {"opened": [], "parsed": [], "read": []}
    real_parse, real_read, real_bytes = yamlfile.parse_yaml, validate_events._read_event, yamlfile.read_bytes

    def opened(path):
        if path.parent.name == "events":
            seen["opened"].append(path.stem)
        return real_bytes(path)

    def parse(path, text, marked=None):
        if path.parent.name == "events":
            seen["parsed"].append(path.stem)
        return real_parse(path, text, marked)

    def read(document, *args):
        seen["read"].append(document.path.stem)
        return real_read(document, *args)

    monkeypatch.setattr(yamlfile, "parse_yaml", parse)
    monkeypatch.setattr(validate_events, "parse_yaml", parse)
    monkeypatch.setattr(validate_events, "_read_event", read)
    monkeypatch.setattr(load, "read_bytes", opened)
    return seen


def _problems(source: Path, out: Path) -> list[str]:
    """What planning the site reports, one `path:line:col: message` a problem ([] when the content is fine)."""
    try:
        plan_site(BuildOptions(source, out))
    except ContentErrors as errors:
        return [problem.format(relative_to=source) for problem in errors.problems]
    return []


def _clean_problems(source: Path, tmp_path: Path) -> list[str]:
    clean = tmp_path / "clean"
    problems = _problems(source, clean / "site")
    shutil.rmtree(clean)
    return problems


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert edited != text
    path.write_text(edited, encoding="utf-8")


def _forget(read_files: dict[str, list[str]]) -> None:
    for names in read_files.values():
        names.clear()


def test_an_edit_reads_one_file_and_the_site_is_the_clean_builds(source, tmp_path, read_files):
    build(BuildOptions(source, source / "site"))
    assert sorted(read_files["read"]) == sorted(path.stem for path in (source / "content" / "events").glob("*.yaml"))
    _forget(read_files)
    _edit(source / "content" / "events" / "expulsions.yaml", r'^summary: ', "summary: Edited. ")
    build(BuildOptions(source, source / "site"))
    assert read_files == {"opened": ["expulsions"], "parsed": ["expulsions"], "read": ["expulsions"]}
    assert "Edited. A month-precision event." in (source / "site" / "events" / "expulsions" / "index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean" / "site"
    build(BuildOptions(source, clean))
    assert tree_digest(source / "site") == tree_digest(clean)


def test_a_topic_removed_is_reported_on_the_unchanged_event_that_uses_it(source, tmp_path, read_files):
    assert _problems(source, source / "site") == []
    _edit(source / "content" / "topics.yaml", r"^sanctions:\n(  .*\n)*", "")
    problems = _problems(source, source / "site")
    assert problems == _clean_problems(source, tmp_path)
    assert [problem for problem in problems if "unknown topic 'sanctions'" in problem] == [
        "content/events/expulsions.yaml:4:21: unknown topic 'sanctions' (or add it to content/topics.yaml)"]


def test_a_new_file_with_a_kept_events_id_is_reported_in_both_files(source, tmp_path, read_files):
    assert _problems(source, source / "site") == []
    (source / "content" / "events" / "reykjavik-meeting.yaml").write_text(
        "id: reykjavik-meeting\n" + (source / "content" / "events" / "reykjavik-meeting.yaml").read_text(encoding="utf-8"),
        encoding="utf-8")
    assert _problems(source, source / "site") == []  # the id given is the file's name: fine, and now kept
    copy = (source / "content" / "events" / "reykjavik-meeting.yaml").read_text(encoding="utf-8")
    (source / "content" / "events" / "reykjavik-copy.yaml").write_text(copy, encoding="utf-8")
    _forget(read_files)
    problems = _problems(source, source / "site")
    assert read_files["parsed"] == ["reykjavik-copy"]
    assert problems == _clean_problems(source, tmp_path)
    duplicates = [problem for problem in problems if "is used by more than one file" in problem]
    assert [problem.split(":")[0] for problem in duplicates] == ["content/events/reykjavik-copy.yaml",
                                                                 "content/events/reykjavik-meeting.yaml"]
    assert all(":1:5: id 'reykjavik-meeting'" in problem for problem in duplicates)


def test_a_related_event_deleted_is_reported_on_the_kept_event_that_names_it(source, tmp_path, read_files):
    assert _problems(source, source / "site") == []
    (source / "content" / "events" / "arctic-ministerial.yaml").unlink()
    _forget(read_files)
    problems = _problems(source, source / "site")
    assert read_files["parsed"] == []
    assert problems == _clean_problems(source, tmp_path)
    assert problems == ["content/events/reykjavik-meeting.yaml:14:12: unknown event 'arctic-ministerial'"]


def test_a_picture_removed_or_grown_is_noticed(source, tmp_path, read_files, monkeypatch):
    picture = source / "content" / "media" / "square.png"
    picture.parent.mkdir()
    Image.new("RGB", (20, 20), (128, 128, 128)).save(picture)
    write_event(source, "harpa", PICTURED_EVENT)
    assert _problems(source, source / "site") == []
    monkeypatch.setattr(validate_events, "MAX_MEDIA_BYTES", picture.stat().st_size + 10)
    Image.effect_noise((60, 60), 50).convert("RGB").save(picture)  # noise does not compress
    problems = _problems(source, source / "site")
    assert problems == _clean_problems(source, tmp_path)
    assert len(problems) == 1 and problems[0].startswith("content/events/harpa.yaml:9:11: content/media/square.png is ")
    picture.unlink()
    problems = _problems(source, source / "site")
    assert problems == _clean_problems(source, tmp_path)
    assert problems == ["content/events/harpa.yaml:9:11: no such file: content/media/square.png"]


def test_an_event_with_a_problem_is_never_kept_and_the_others_are(source, tmp_path, read_files):
    _edit(source / "content" / "events" / "expulsions.yaml", r"^topics: \[diplomacy", "topics: [diplomcy")
    problems = _problems(source, source / "site")
    assert problems == ["content/events/expulsions.yaml:4:10: unknown topic 'diplomcy' — did you mean 'diplomacy'? "
                        "(or add it to content/topics.yaml)"]
    _forget(read_files)
    assert _problems(source, source / "site") == problems
    assert read_files["read"] == ["expulsions"]


@pytest.mark.parametrize("damage", ["corrupt", "other version"])
def test_a_damaged_or_foreign_store_is_ignored(source, read_files, monkeypatch, damage):
    assert _problems(source, source / "site") == []
    if damage == "corrupt":
        for part in store_folder(source / "site").iterdir():
            part.write_bytes(b"\x80\x05not a pickle")
    else:
        monkeypatch.setattr(content_store, "generator_version", lambda: "another version")
    _forget(read_files)
    assert _problems(source, source / "site") == []
    assert sorted(read_files["read"]) == sorted(path.stem for path in (source / "content" / "events").glob("*.yaml"))
    _forget(read_files)
    assert _problems(source, source / "site") == []
    assert read_files["read"] == []


def _event_page(site: Path, name: str) -> str:
    return (site / "events" / name / "index.html").read_text(encoding="utf-8")


def _clean_digest(source: Path, tmp_path: Path) -> dict[str, str]:
    clean = tmp_path / "clean"
    if clean.exists():
        shutil.rmtree(clean)
    build(BuildOptions(source, clean / "site"))
    return tree_digest(clean / "site")


def test_an_unchanged_event_file_is_not_read_and_one_edited_is(source, tmp_path, read_files, monkeypatch):
    monkeypatch.setattr(build_record, "RACY_NS", 0)  # the fixture was written just now: trust its status at once
    build(BuildOptions(source, source / "site"))
    _edit(source / "content" / "topics.yaml", r"^  description: Economic measures.", "  description: Measures.")
    _forget(read_files)
    build(BuildOptions(source, source / "site"))
    assert read_files == {"opened": [], "parsed": [], "read": []}
    parts = {part.name: part.stat().st_mtime_ns for part in store_folder(source / "site").iterdir()}
    _edit(source / "content" / "events" / "reykjavik-meeting.yaml", r"^summary: ", "summary: Edited again. ")
    build(BuildOptions(source, source / "site"))
    assert read_files == {"opened": ["reykjavik-meeting"], "parsed": ["reykjavik-meeting"], "read": ["reykjavik-meeting"]}
    rewritten = [part for part in store_folder(source / "site").iterdir() if part.stat().st_mtime_ns != parts[part.name]]
    assert len(rewritten) == 1 and "reykjavik-meeting" in pickle_names(rewritten[0])  # an edit rewrites one part
    assert "Edited again. The two ministers" in _event_page(source / "site", "reykjavik-meeting")
    assert tree_digest(source / "site") == _clean_digest(source, tmp_path)


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_read(source, tmp_path, read_files):
    build(BuildOptions(source, source / "site"))
    path = source / "content" / "events" / "reykjavik-meeting.yaml"
    status = path.stat()
    _edit(path, r"^summary: The two", "summary: THE two")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size
    _forget(read_files)
    build(BuildOptions(source, source / "site"))
    assert read_files["parsed"] == ["reykjavik-meeting"]
    assert "THE two ministers" in _event_page(source / "site", "reykjavik-meeting")
    assert tree_digest(source / "site") == _clean_digest(source, tmp_path)


def test_a_file_saved_within_the_clocks_tick_of_the_scan_is_read_again(source, tmp_path, read_files, coarse_clock):
    # A coarse clock: an edit made within the same tick as the last scan leaves the same size and
    # times, so the scan sees exactly what it saw then. The record does not trust such a file's
    # status, so the scan hashes it again and the store, keyed by that hash, does not hold it.
    path = source / "content" / "events" / "reykjavik-meeting.yaml"
    os.utime(path)  # saved just before the build
    build(BuildOptions(source, source / "site"))
    coarse_clock.stop()
    _edit(path, r"^summary: The two", "summary: THE two")
    _forget(read_files)
    build(BuildOptions(source, source / "site"))
    assert read_files["parsed"] == ["reykjavik-meeting"]
    assert "THE two ministers" in _event_page(source / "site", "reykjavik-meeting")
    coarse_clock.restart()
    assert tree_digest(source / "site") == _clean_digest(source, tmp_path)


def test_a_file_saved_between_the_scan_and_its_reading_is_kept_by_what_was_read(source, tmp_path, monkeypatch):
    path = source / "content" / "events" / "reykjavik-meeting.yaml"
    build(BuildOptions(source, source / "site"))
    scanned = pipeline.hashes_under

    def saved_after_the_scan(inputs, folder):
        _edit(path, r"^summary: Scanned. ", "summary: Saved late. ")
        return scanned(inputs, folder)

    _edit(path, r"^summary: ", "summary: Scanned. ")
    monkeypatch.setattr(pipeline, "hashes_under", saved_after_the_scan)
    build(BuildOptions(source, source / "site"))  # the scan hashed "Scanned."; "Saved late." was read
    monkeypatch.setattr(pipeline, "hashes_under", scanned)
    assert "Saved late. The two" in _event_page(source / "site", "reykjavik-meeting")
    _edit(path, r"^summary: Saved late. ", "summary: Scanned. ")  # back to the bytes the scan hashed
    build(BuildOptions(source, source / "site"))
    assert "Scanned. The two" in _event_page(source / "site", "reykjavik-meeting")
    assert tree_digest(source / "site") == _clean_digest(source, tmp_path)


def test_a_damaged_part_of_the_store_is_ignored_and_its_events_read_again(source, tmp_path, read_files):
    build(BuildOptions(source, source / "site"))
    stored = {part: pickle_names(part) for part in store_folder(source / "site").iterdir()}
    damaged = max(stored, key=lambda part: len(stored[part]))
    data = bytearray(damaged.read_bytes())
    data[-20] ^= 1  # one bit, in an event's pickle
    damaged.write_bytes(bytes(data))
    _edit(source / "content" / "events" / "expulsions.yaml", r"^summary: ", "summary: Edited. ")
    _forget(read_files)
    build(BuildOptions(source, source / "site"))
    assert sorted(read_files["read"]) == sorted({*stored[damaged], "expulsions"})
    assert tree_digest(source / "site") == _clean_digest(source, tmp_path)
    _forget(read_files)
    assert _problems(source, source / "site") == []  # the part was written again
    assert read_files["read"] == []


def pickle_names(part: Path) -> list[str]:
    """The names of the event files a part of the store holds."""
    import pickle
    data = part.read_bytes()
    events = pickle.loads(data[data.index(b"\n", data.index(b"\n") + 1) + 1 + 32:])
    return [Path(name).stem for name in events]


@pytest.fixture
def hashed_events(monkeypatch) -> list[str]:
    """The ids of the events whose page-key digests were made (not taken from the store) since the last clear()."""
    from generator.site import page_keys

    hashed: list[str] = []
    real = page_keys._event_alone

    def counted(event):
        hashed.append(event.id)
        return real(event)

    monkeypatch.setattr(page_keys, "_event_alone", counted)
    return hashed


def test_a_rebuild_hashes_only_the_events_it_read_again(source, tmp_path, hashed_events):
    """Each kept event keeps the digests its page keys were made of: an event taken from the store is that
    very event, so they stand; one read again (its file edited, or a registry it consults changed) is hashed."""
    build(BuildOptions(source, source / "site"))
    events = len(list((source / "content" / "events").glob("*.yaml")))
    assert len(hashed_events) == events
    hashed_events.clear()
    _edit(source / "content" / "events" / "expulsions.yaml", r"^summary: ", "summary: Edited. ")
    build(BuildOptions(source, source / "site"))
    assert hashed_events == ["expulsions"]
    hashed_events.clear()
    topics = source / "content" / "topics.yaml"  # a new topic: every event consulted the topics, and is read again
    topics.write_text(topics.read_text(encoding="utf-8") + "new-topic:\n  name: A new topic\n  description: Added later.\n", encoding="utf-8")
    build(BuildOptions(source, source / "site"))
    assert sorted(hashed_events) == sorted(path.stem for path in (source / "content" / "events").glob("*.yaml"))
    clean = tmp_path / "clean" / "site"
    build(BuildOptions(source, clean))
    assert tree_digest(source / "site") == tree_digest(clean)


def test_the_event_store_is_let_go_after_the_page_keys_and_the_model_before_the_site_is_listed(source, monkeypatch):
    """At 100,000 events the store's checked events (outlines, what each reading consulted) held some 100 MB
    through rendering, and the model some 700 MB while the new site was listed and its page store written."""
    import gc
    import weakref

    planned, alive_while = [], {}

    def plan_and_watch(*args, **kwargs):
        site = plan_site(*args, **kwargs)
        planned.extend((weakref.ref(site.timeline), weakref.ref(site.events_kept)))
        return site

    def alive(stage: str):
        gc.collect()
        alive_while[stage] = [watched() is not None for watched in planned]

    index_for_search, staged_listing = generator.formats.search_ahead.index_for_search, pipeline.staged_listing
    monkeypatch.setattr(pipeline, "plan_site", plan_and_watch)
    monkeypatch.setattr(generator.formats.search_ahead, "index_for_search",
                        lambda *args, **kwargs: (alive("indexing"), index_for_search(*args, **kwargs))[1])
    monkeypatch.setattr(pipeline, "staged_listing", lambda *args, **kwargs: (alive("listing"), staged_listing(*args, **kwargs))[1])
    build(BuildOptions(source, source / "site"))
    assert alive_while == {"indexing": [True, False], "listing": [False, False]}  # [the model, the event store]
    assert (source / "site" / "events" / "expulsions" / "index.html").is_file()


def test_the_source_folder_named_relative_or_absolute_is_one_site_to_the_stores(source, tmp_path, monkeypatch,
                                                                               hashed_events):
    """`timeline build` run in the site's folder and `--source /abs/path` (CI, make) are the same site: the event
    store serves the events that did not change and their pages are kept, whichever way the folder was named."""
    def rendered(report) -> int:
        return next(int(note.split()[0]) for note in report.notes if "pages rendered" in note)

    same_name = tmp_path / "named-once"  # the same edit, the folder named the same way both times
    shutil.copytree(source, same_name)
    monkeypatch.chdir(source.parent)
    for site in (source, same_name):
        build(BuildOptions(Path(site.name), Path(site.name) / "site"))
        _edit(site / "content" / "events" / "expulsions.yaml", r"^summary: ", "summary: Edited. ")
    expected = rendered(build(BuildOptions(Path(same_name.name), Path(same_name.name) / "site")))
    hashed_events.clear()
    report = build(BuildOptions(source, source / "site"))
    assert hashed_events == ["expulsions"]  # every other event came from the store
    assert rendered(report) == expected < report.pages
    clean = tmp_path / "clean" / "site"
    build(BuildOptions(source, clean))
    assert tree_digest(source / "site") == tree_digest(clean)
