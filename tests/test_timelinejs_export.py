"""/data/timelinejs.json, as a TimelineJS3 embed reads it."""

from __future__ import annotations

import json


def _export(site) -> dict:
    return json.loads((site / "data" / "timelinejs.json").read_text(encoding="utf-8"))


def test_export_has_a_title_slide_and_one_slide_per_event(built_site):
    data = _export(built_site)
    assert data["title"]["text"]["headline"] == "Fixture Timeline"
    assert [slide["unique_id"] for slide in data["events"]] == [
        "reset-era", "new-start-extension", "expulsions", "reykjavik-meeting", "arctic-ministerial"]


def test_dates_keep_their_real_precision(built_site):
    slides = {slide["unique_id"]: slide for slide in _export(built_site)["events"]}
    assert slides["reykjavik-meeting"]["start_date"] == {"year": 2021, "month": 5, "day": 19}
    assert "end_date" not in slides["reykjavik-meeting"]
    assert slides["expulsions"]["start_date"] == {"year": 2021, "month": 4}
    assert slides["new-start-extension"]["end_date"] == {"year": 2021, "month": 2, "day": 3}
    assert slides["reset-era"]["start_date"] == {"year": 2009}
    assert slides["reset-era"]["display_date"] == "c. 2009"
    assert "display_date" not in slides["expulsions"]


def test_text_links_sources_and_group_comes_from_the_first_topic(built_site):
    slides = {slide["unique_id"]: slide for slide in _export(built_site)["events"]}
    meeting = slides["reykjavik-meeting"]
    assert meeting["text"]["headline"] == "Blinken and Lavrov meet in Reykjavik"
    assert '<a href="https://www.state.gov/example-readout">' in meeting["text"]["text"]
    assert "<strong>nearly two hours</strong>" in meeting["text"]["text"]
    assert meeting["group"] == "Diplomacy"
    assert slides["expulsions"]["group"] == "Diplomacy"  # first of [diplomacy, sanctions]


def test_eras_are_exported_with_both_ends(built_site):
    assert _export(built_site)["eras"] == [{"start_date": {"year": 2021, "month": 1, "day": 20},
                                            "end_date": {"year": 2025, "month": 1, "day": 20},
                                            "text": {"headline": "Biden administration"}},
                                           {"start_date": {"year": 2021, "month": 4},
                                            "end_date": {"year": 2021, "month": 5, "day": 19},
                                            "text": {"headline": "Spring 2021"}}]
