"""A rebuild reads and checks only the event files that changed, and reports exactly what a clean build reports.

The last build's checked events are kept in `.timeline-cache/` (build/content_store.py), each by its
file's path and text and by what its reading consulted (actor and topic ids, its pictures); the
checks between files (duplicate ids, related events) run over every event at every build.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

import generator.formats.search_index
from conftest import tree_digest
from generator.build import content_store
from generator.build.content_store import store_path
from generator.build.pipeline import BuildOptions, build, plan_site
from generator.content import validate_events, yamlfile
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
    monkeypatch.setattr(generator.formats.search_index, "index_for_search", lambda staging, site_files: None)
    return write_fixture_site(tmp_path / "fixture")


@pytest.fixture
def read_files(monkeypatch) -> dict[str, list[str]]:
    """The names of the event files parsed, and of those read into events, since the last `clear()`."""
    seen: dict[str, list[str]] = {"parsed": [], "read": []}
    real_parse, real_read = yamlfile.parse_yaml, validate_events._read_event

    def parse(path, text):
        if path.parent.name == "events":
            seen["parsed"].append(path.stem)
        return real_parse(path, text)

    def read(document, *args):
        seen["read"].append(document.path.stem)
        return real_read(document, *args)

    monkeypatch.setattr(yamlfile, "parse_yaml", parse)
    monkeypatch.setattr(validate_events, "parse_yaml", parse)
    monkeypatch.setattr(validate_events, "_read_event", read)
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
    assert read_files == {"parsed": ["expulsions"], "read": ["expulsions"]}
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
        store_path(source / "site").write_bytes(b"\x80\x05not a pickle")
    else:
        monkeypatch.setattr(content_store, "generator_version", lambda: "another version")
    _forget(read_files)
    assert _problems(source, source / "site") == []
    assert sorted(read_files["read"]) == sorted(path.stem for path in (source / "content" / "events").glob("*.yaml"))
    _forget(read_files)
    assert _problems(source, source / "site") == []
    assert read_files["read"] == []
