"""`timeline import timelinejs`: what an editor gets from a TimelineJS file, and what is refused."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import tree_digest
from test_html_valid import vnu_errors
from sitefixture import write_fixture_site

FIXTURES = Path(__file__).parent / "fixtures" / "timelinejs"


def _event(site: Path, event_id: str) -> dict:
    return yaml.safe_load((site / "content" / "events" / f"{event_id}.yaml").read_text(encoding="utf-8"))


def _imported_ids(site: Path, before: set[str]) -> set[str]:
    return {path.stem for path in (site / "content" / "events").glob("*.yaml")} - before


EXISTING = {"reykjavik-meeting", "arctic-ministerial", "new-start-extension", "reset-era", "expulsions"}


def test_timelinejs3_json_becomes_draft_event_files(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "import", "timelinejs", str(FIXTURES / "summit-v3.json"))
    assert result.exit_code == 1  # two slides could not be imported; the rest were
    assert "summit-v3.json: event 4: not imported: start month 13 is not a month (1–12)" in result.stdout
    assert "summit-v3.json: event 5: not imported: start year -500 is outside the years 1–9999" in result.stdout
    assert "Imported 3 event(s) from TimelineJS3 JSON" in result.stdout
    assert _imported_ids(fixture_site, EXISTING) == {"geneva-summit", "expulsions-in-april", "extension-talks"}

    summit = _event(fixture_site, "geneva-summit")  # unique_id gives the id
    assert summit["date"] == "2021-06-16"
    assert summit["title"] == "The Geneva summit"
    assert summit["summary"] == "Two leaders met in Geneva. They talked for four hours."
    assert "[Geneva](https://example.org/geneva)" in summit["body"] and "**four hours**" in summit["body"]
    assert "alert" not in summit["body"] and "<script" not in summit["body"]
    assert summit["media"] == [{"url": "https://example.org/photo.jpg", "caption": "The villa", "credit": "Example Agency"}]
    assert "photo.jpg" not in summit["body"]
    assert summit["topics"] == ["diplomacy"]  # the group matched an existing topic by name
    assert summit["draft"] is True and "sources" not in summit
    assert _event(fixture_site, "expulsions-in-april")["date"] == "2021-04"
    talks = _event(fixture_site, "extension-talks")
    assert talks["date"] == "2021-01-26/2021-02-03"
    assert "TimelineJS showed the date as: Late January 2021" in talks["body"]
    assert "topics" not in talks

    topics = yaml.safe_load((fixture_site / "content" / "topics.yaml").read_text(encoding="utf-8"))
    assert topics["sanctions-measures"]["name"] == "Sanctions & measures"
    assert topics["diplomacy"]["description"] == "Meetings, calls and expulsions."  # kept as it was
    eras = yaml.safe_load((fixture_site / "content" / "eras.yaml").read_text(encoding="utf-8"))
    assert eras["first-year"] == {"name": "First year", "start": "2021", "end": "2021-12"}
    assert "biden-administration" in eras


def test_imported_drafts_build_and_stay_out_of_the_published_site(fixture_site, run_timeline):
    run_timeline(fixture_site, "import", "timelinejs", str(FIXTURES / "summit-v3.json"))
    published = run_timeline(fixture_site, "build")
    assert published.exit_code == 0, published.stderr
    assert "3 draft(s) left out" in published.stdout
    assert not (fixture_site / "site" / "events" / "geneva-summit").exists()
    preview = run_timeline(fixture_site, "build", "--drafts")
    assert preview.exit_code == 0, preview.stderr
    page = (fixture_site / "site" / "events" / "geneva-summit" / "index.html").read_text(encoding="utf-8")
    assert "<strong>four hours</strong>" in page and "Draft" in page
    assert "No sources yet" in page
    assert vnu_errors(fixture_site / "site") == []


def test_a_published_event_still_needs_sources_and_topics(fixture_site, run_timeline):
    (fixture_site / "content" / "events" / "bare.yaml").write_text(
        "date: 2021-01-01\ntitle: Bare\nsummary: No sources.\n", encoding="utf-8")
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 1
    assert "bare.yaml:1:1: event is missing the required field 'sources'" in result.stderr
    assert "missing the required field 'topics'" in result.stderr


def test_google_sheet_csv_is_read_by_header_name_with_row_numbers(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "import", "timelinejs", str(FIXTURES / "sheet-18.csv"))
    assert result.exit_code == 1
    assert "sheet-18.csv: row 6: not imported: start date 2021-02-30 is not a real day" in result.stdout
    assert _imported_ids(fixture_site, EXISTING) == {"reykjavik-talks", "month-only", "the-reset-years"}
    talks = _event(fixture_site, "reykjavik-talks")
    assert talks["date"] == "2021-05-19"
    assert talks["body"] == "First line,\nsecond line of the same cell."
    assert _event(fixture_site, "month-only")["date"] == "2021-05"
    assert "Media (a file of the original timeline): `demo_001.jpg`" in _event(fixture_site, "month-only")["body"]
    assert _event(fixture_site, "the-reset-years")["date"] == "2009/2012"
    eras = yaml.safe_load((fixture_site / "content" / "eras.yaml").read_text(encoding="utf-8"))
    assert eras["an-era-row"] == {"name": "An era row", "start": "2010", "end": "2011"}


def test_nineteen_column_sheet_in_another_column_order(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "import", "timelinejs", str(FIXTURES / "sheet-19.csv"))
    assert "sheet-19.csv: row 3: not imported: has no start year" in result.stdout
    event = _event(fixture_site, "columns-in-another-order")
    assert (event["date"], event["topics"]) == ("2010-04-08", ["arms-control"])
    assert event["media"] == [{"url": "https://example.org/pen.jpg", "caption": "Signing", "credit": "Agency", "alt": "A pen"}]


def test_legacy_v2_json(fixture_site, run_timeline):
    result = run_timeline(fixture_site, "import", "timelinejs", str(FIXTURES / "legacy-v2.json"))
    assert "legacy-v2.json: event 3: not imported: start month 'x' is not a number" in result.stdout
    assert "from TimelineJS v2 JSON" in result.stdout
    assert _imported_ids(fixture_site, EXISTING) == {"the-reset-button", "treaty-signed-in-prague"}
    assert _event(fixture_site, "the-reset-button")["topics"] == ["diplomacy"]
    treaty = _event(fixture_site, "treaty-signed-in-prague")
    assert (treaty["date"], treaty["topics"]) == ("2010-04-08", ["arms-control"])  # first tag; a one-day range
    eras = yaml.safe_load((fixture_site / "content" / "eras.yaml").read_text(encoding="utf-8"))
    assert eras["the-reset"] == {"name": "The reset", "start": "2009", "end": "2012"}


def test_import_never_overwrites_a_file(fixture_site, run_timeline):
    run_timeline(fixture_site, "import", "timelinejs", str(FIXTURES / "legacy-v2.json"))
    edited = fixture_site / "content" / "events" / "the-reset-button.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    before = tree_digest(fixture_site / "content")
    again = run_timeline(fixture_site, "import", "timelinejs", str(FIXTURES / "legacy-v2.json"))
    assert again.exit_code == 1
    assert f"event 1: not imported: {Path('content/events/the-reset-button.yaml')} exists and is never overwritten" in again.stdout
    assert tree_digest(fixture_site / "content") == before
    assert "Imported 0 event(s)" in again.stdout


def test_dry_run_shows_the_plan_and_writes_nothing(fixture_site, run_timeline):
    before = tree_digest(fixture_site / "content")
    result = run_timeline(fixture_site, "import", "timelinejs", str(FIXTURES / "summit-v3.json"), "--dry-run")
    assert tree_digest(fixture_site / "content") == before
    assert f"would write {Path('content/events/geneva-summit.yaml')} (2021-06-16: The Geneva summit)" in result.stdout
    assert "would add topic 'sanctions-measures' (Sanctions & measures)" in result.stdout
    assert "would add era 'first-year'" in result.stdout
    assert "Dry run: 3 event file(s) would be written; nothing was changed." in result.stdout


def test_a_file_that_is_not_timelinejs_is_refused(fixture_site, run_timeline, tmp_path):
    before = tree_digest(fixture_site / "content")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"items": []}), encoding="utf-8")
    result = run_timeline(fixture_site, "import", "timelinejs", str(other))
    assert result.exit_code == 1
    assert "cannot import: no 'events' list (TimelineJS3) or 'timeline' object (TimelineJS v2) found" in result.stdout
    broken = tmp_path / "broken.json"
    broken.write_text('{"events": [', encoding="utf-8")
    assert "cannot import: not JSON or CSV" in run_timeline(fixture_site, "import", "timelinejs", str(broken)).stdout
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("date,title\n2021,x\n", encoding="utf-8")
    assert "with at least Year and Headline" in run_timeline(fixture_site, "import", "timelinejs", str(sheet)).stdout
    assert tree_digest(fixture_site / "content") == before


def test_import_into_an_empty_site_creates_the_registries(tmp_path, run_timeline):
    site = tmp_path / "empty"
    (site / "content").mkdir(parents=True)
    (site / "content" / "site.yaml").write_text("title: Empty\ndescription: Nothing yet.\n", encoding="utf-8")
    result = run_timeline(site, "import", "timelinejs", str(FIXTURES / "legacy-v2.json"))
    assert "Imported 2 event(s)" in result.stdout
    assert set(yaml.safe_load((site / "content" / "topics.yaml").read_text(encoding="utf-8"))) == {"diplomacy", "arms-control"}
    assert run_timeline(site, "build", "--drafts").exit_code == 0


def test_round_trip_through_the_export_keeps_dates_and_titles(tmp_path, run_timeline):
    first = write_fixture_site(tmp_path / "first", events={})
    run_timeline(first, "import", "timelinejs", str(FIXTURES / "summit-v3.json"))
    assert run_timeline(first, "build", "--drafts").exit_code == 0
    second = write_fixture_site(tmp_path / "second", events={})
    run_timeline(second, "import", "timelinejs", str(first / "site" / "data" / "timelinejs.json"))

    def dates_and_titles(site):
        return {(_event(site, path.stem)["date"], _event(site, path.stem)["title"])
                for path in (site / "content" / "events").glob("*.yaml")}

    assert dates_and_titles(second) == dates_and_titles(first) == {
        ("2021-06-16", "The Geneva summit"), ("2021-04", "Expulsions in April"),
        ("2021-01-26/2021-02-03", "Extension talks")}
    assert _event(second, "geneva-summit")["topics"] == ["diplomacy"]
    assert _event(second, "geneva-summit")["media"] == _event(first, "geneva-summit")["media"]


def test_a_broken_registry_stops_the_import_before_anything_is_written(fixture_site, run_timeline):
    topics = fixture_site / "content" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    before = tree_digest(fixture_site / "content")
    result = run_timeline(fixture_site, "import", "timelinejs", str(FIXTURES / "legacy-v2.json"))
    assert result.exit_code == 1
    assert f"{Path('content/topics.yaml')}: cannot be read, so nothing was imported: run 'timeline build'" in result.stdout
    assert tree_digest(fixture_site / "content") == before
