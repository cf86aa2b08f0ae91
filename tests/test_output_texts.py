"""The files beside the pages made from texts kept by an earlier build are those a clean build makes, byte for byte."""

from __future__ import annotations

import dataclasses
import re
import shutil

import icalendar
import pytest

from conftest import tree_digest
from generator.build import outputs_store
from generator.formats import calendar_ics
from generator.formats.outputs import PARTS, KeptTexts, TextStore, render_outputs
from generator.site.pages import plan_pages
from sitefixture import write_event

BASE_URL = "https://example.org/timeline/"


def _timeline(site_folder):
    from generator.content.load import load_content
    from generator.content.validate import validate
    from generator.content.yamlfile import parse_yaml
    from generator.site.model import build_timeline
    return build_timeline(validate(load_content(site_folder / "content", parse_yaml)), include_drafts=False)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from test_bench import corpus
    folder = tmp_path_factory.mktemp("synthetic")
    corpus.write_synthetic(120, folder)
    return folder


def _edit_summary(folder, event_id: str) -> None:
    path = folder / "content" / "events" / f"{event_id}.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r'^summary: ("?)(.*?)("?)$', r"summary: \1\2 Edited, with a comma; and Сергей.\3", text, count=1, flags=re.M)
    assert edited != text
    path.write_text(edited, encoding="utf-8")


def _edit_body(folder, event_id: str) -> None:
    """What lists do not show: the texts must change all the same (events.json carries the body)."""
    path = folder / "content" / "events" / f"{event_id}.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"^body: \|\n  ", "body: |\n  Edited first. ", text, count=1, flags=re.M)
    assert edited != text
    path.write_text(edited, encoding="utf-8")


def _rename_first_topic(folder, event_id: str) -> None:
    topics = folder / "content" / "topics.yaml"
    topic_id = re.search(r"^topics: \[([a-z-]+)", (folder / "content" / "events" / f"{event_id}.yaml").read_text(), re.M)[1]
    text = topics.read_text(encoding="utf-8")
    assert f"{topic_id}:\n  name: " in text
    topics.write_text(text.replace(f"{topic_id}:\n  name: ", f"{topic_id}:\n  name: Renamed "), encoding="utf-8")


class _Remembered(TextStore):
    """Texts kept in memory from one render to the next, by part."""

    def __init__(self, kept: dict[str, dict[str, bytes]] | None = None) -> None:
        self.given = {part: KeptTexts(dict((kept or {}).get(part, {}))) for part in PARTS}
        self.used_texts: dict[str, dict[str, bytes]] = {}

    def kept(self, part):
        return self.given[part]

    def used(self, part, texts):
        self.used_texts[part] = texts.used


def _event_digests(timeline, by_digest: bool):
    """Each event's digest as a CLI build has it from its page keys, or none (the texts found by the events whole)."""
    from generator.site.page_keys import PageKeys

    if not by_digest:
        return None
    keys = PageKeys(timeline, "templates", (), frozenset())
    return {event.id: keys.event_digest(event) for event in timeline.events}


@pytest.mark.parametrize("by_digest", [True, False], ids=["by each event's digest", "by each event whole"])
@pytest.mark.parametrize("change", ["an event's summary", "an event's body", "the newest event", "a topic's name",
                                    "the base URL"])
def test_outputs_from_kept_texts_after_an_edit_are_those_of_a_clean_render(change, by_digest, synthetic, tmp_path):
    folder = tmp_path / "site"
    shutil.copytree(synthetic, folder)
    before = _timeline(folder)
    before = dataclasses.replace(before, config=dataclasses.replace(before.config, base_url=BASE_URL))
    kept = _Remembered()
    dict(render_outputs(before, plan_pages(before), kept, _event_digests(before, by_digest)))
    assert set(kept.used_texts) == set(PARTS)
    ids = [event.id for event in before.events]
    if change == "an event's summary":
        _edit_summary(folder, ids[len(ids) // 2])
    elif change == "an event's body":
        _edit_body(folder, ids[len(ids) // 2])
    elif change == "the newest event":
        _edit_summary(folder, ids[-1])
    elif change == "a topic's name":
        _rename_first_topic(folder, ids[len(ids) // 2])
    after = _timeline(folder)
    base_url = "https://example.net/elsewhere/" if change == "the base URL" else BASE_URL
    after = dataclasses.replace(after, config=dataclasses.replace(after.config, base_url=base_url))
    pages = plan_pages(after)
    reused = _Remembered(kept.used_texts)
    files = dict(render_outputs(after, pages, reused, _event_digests(after, by_digest)))
    clean = dict(render_outputs(after, pages))
    assert list(files) == list(clean)
    assert files == clean
    assert files != dict(render_outputs(before, plan_pages(before)))  # the edit shows
    for part in PARTS:
        made_again = reused.used_texts[part].keys() - kept.used_texts[part].keys()
        if change == "the base URL":
            assert len(made_again) == len(reused.used_texts[part])  # every link changed
        elif part != "feeds":
            assert 1 <= len(made_again) < len(after.events) // 2  # the rest joined as kept


def test_one_part_of_texts_at_a_time_each_given_back_before_its_file_is_handed_on(synthetic):
    """At 100,000 events each file of all events is 20 to 200 MB, and so are its texts: none waits for the others."""
    timeline = _timeline(synthetic)
    timeline = dataclasses.replace(timeline, config=dataclasses.replace(timeline.config, base_url=BASE_URL))
    steps = []

    class Watched(_Remembered):
        def kept(self, part):
            steps.append(f"kept {part}")
            return super().kept(part)

        def used(self, part, texts):
            steps.append(f"used {part} ({len(texts.used)})")
            super().used(part, texts)

    for path, _ in render_outputs(timeline, plan_pages(timeline), Watched()):
        steps.append(path)
    events = len(timeline.events)
    assert steps[:12] == ["kept calendar", f"used calendar ({events})", calendar_ics.CALENDAR_PATH,
                          "kept json", f"used json ({events})", "data/events.json",
                          "kept csv", f"used csv ({events})", "data/events.csv",
                          "kept timelinejs", f"used timelinejs ({events})", "data/timelinejs.json"]
    assert steps.index(next(step for step in steps if step.startswith("used feeds"))) < steps.index("feed.xml")


def _build(site_folder, run_timeline, *args):
    result = run_timeline(site_folder, "build", "--base-url", BASE_URL, *args)
    assert result.exit_code == 0, result.stderr


def _clean_build(site_folder, run_timeline, tmp_path) -> dict[str, str]:
    out = tmp_path / "clean" / "out"
    _build(site_folder, run_timeline, "--out", str(out))
    return tree_digest(out)


def _store(site_folder):
    """The largest file of the store: every shard holds some texts of the fixture's events."""
    return max((site_folder / ".timeline-cache" / "outputs").glob("*/*"), key=lambda path: path.stat().st_size)


def test_a_rebuild_after_an_edit_writes_what_a_clean_build_writes(fixture_site, run_timeline, tmp_path):
    _build(fixture_site, run_timeline)
    assert _store(fixture_site).is_file()
    write_event(fixture_site, "extra", "date: 2021-06-17\ntitle: Summit in Geneva\nsummary: The presidents met; talks, at last.\n"
                "topics: [diplomacy]\nsources:\n  - title: A\n    publisher: B\n")
    _edit_summary(fixture_site, "reykjavik-meeting")
    _build(fixture_site, run_timeline)
    built = tree_digest(fixture_site / "site")
    assert "Summit in Geneva" in (fixture_site / "site" / "calendar.ics").read_text(encoding="utf-8")
    assert built == _clean_build(fixture_site, run_timeline, tmp_path)


def test_the_store_an_earlier_version_kept_in_one_folder_is_removed(fixture_site, run_timeline):
    _build(fixture_site, run_timeline)
    store = fixture_site / ".timeline-cache" / "outputs"
    leftovers = [store / shard for shard in "0123456789abcdef"]
    for leftover in leftovers:
        leftover.write_bytes(b"timeline outputs, marshal 4\n" + b"x" * 1000)
    _edit_summary(fixture_site, "reykjavik-meeting")
    _build(fixture_site, run_timeline)
    assert not any(leftover.exists() for leftover in leftovers)
    assert _store(fixture_site).is_file()


@pytest.mark.parametrize("damage", ["a flipped byte", "cut short", "not texts", "another version", "a folder"])
def test_a_damaged_store_is_ignored(damage, fixture_site, run_timeline, tmp_path):
    _build(fixture_site, run_timeline)
    store = _store(fixture_site)
    data = store.read_bytes()
    if damage == "a flipped byte":
        store.write_bytes(data[:-10] + bytes([data[-10] ^ 0x20]) + data[-9:])
    elif damage == "cut short":
        store.write_bytes(data[:len(data) // 2])
    elif damage == "not texts":  # its header and hash right, but texts that are not bytes: joined, they would fail the build
        version = data.split(b"\n")[1].decode()
        stored = outputs_store.load_texts(store, version)
        assert stored
        outputs_store.save_texts(store, version, {key: text.decode("utf-8")  # type: ignore[misc]
                                                  for key, text in stored.items()})
        assert outputs_store.load_texts(store, version) == {}
    elif damage == "another version":
        store.write_bytes(data.replace(data.split(b"\n")[1], b"0" * 64, 1))
    else:
        store.unlink()
        store.mkdir()
    _edit_summary(fixture_site, "reykjavik-meeting")
    _build(fixture_site, run_timeline)
    assert tree_digest(fixture_site / "site") == _clean_build(fixture_site, run_timeline, tmp_path)


def test_calendar_lines_are_folded_as_icalendar_folds_them_around_every_escape(fixture_site):
    """ASCII lines cut by slicing: a backslash escape or a caret at, before and after each 75-octet boundary."""
    names = []
    for offset in range(64, 80):
        for mark in ("\\", "\\n", "\\\\", "^", ",", ";"):
            name = f"fold-{offset}-{len(names)}"
            names.append(name)
            text = "a" * offset + mark + "b" * (150 - offset) + mark * 40
            write_event(fixture_site, name, f"date: 2021-06-17\ntitle: '{text}'\nsummary: '{text}'\nplace: '{text[:80]}'\n"
                        "topics: [diplomacy]\nsources:\n  - title: A\n    publisher: B\n")
    timeline = _timeline(fixture_site)
    timeline = dataclasses.replace(timeline, config=dataclasses.replace(timeline.config, base_url=BASE_URL))
    written = calendar_ics.render_calendar(timeline)
    assert written == calendar_ics.render_calendar_with_icalendar(timeline)
    summaries = {str(event["summary"]) for event in icalendar.Calendar.from_ical(written).walk("VEVENT")}
    assert len(summaries & {event.title for event in timeline.events if event.id in names}) == len(names)
