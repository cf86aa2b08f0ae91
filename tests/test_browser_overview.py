"""A crowded year in a real browser: every event of the year a distinct mark that a pointer can hit,
the keyboard reaches in date order, and a screen reader hears by name; axe finds nothing to fault."""

from __future__ import annotations


import pytest

from browsing import axe_violations, serve
from generator.build.pipeline import BuildOptions, build
from sitefixture import write_crowded_year, write_fixture_site


@pytest.fixture(scope="module")
def crowded_url(tmp_path_factory):
    root = write_fixture_site(tmp_path_factory.mktemp("crowded") / "fixture")
    write_crowded_year(root, days_apart=11)
    build(BuildOptions(root, root / "site"))
    with serve(root / "site") as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_crowded_year_keeps_every_mark_reachable_and_named(open_context, crowded_url, scheme):
    reader = open_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme).new_page()
    reader.goto(crowded_url + "index.html")
    marks = reader.locator("svg.overview a.ov-mark")
    assert marks.count() == 35
    boxes = [marks.nth(index).bounding_box() for index in range(marks.count())]
    for index, box in enumerate(boxes):
        assert box["width"] >= 8 and box["height"] >= 6, box  # big enough to point at
        for other in boxes[index + 1:]:  # and none covers another
            assert (box["x"] + box["width"] <= other["x"] + 0.5 or other["x"] + other["width"] <= box["x"] + 0.5
                    or box["y"] + box["height"] <= other["y"] + 0.5 or other["y"] + other["height"] <= box["y"] + 0.5)
    # The keyboard meets every mark, those of 2021 in date order, each with its accessible name.
    marks.first.focus()
    heard = []
    for _ in range(35):
        heard.append(reader.evaluate("document.activeElement.getAttribute('aria-label')"))
        reader.keyboard.press("Tab")
    busy = [name for name in heard if "Busy day" in name]
    assert len(busy) == 30 and busy == sorted(busy, key=lambda name: int(name.split("number ")[1].split(" ")[0]))
    assert all(name for name in heard)
    # A pointer opens the event.
    reader.locator('svg.overview a[href="events/busy-17/index.html"]').click()
    assert reader.url.endswith("events/busy-17/index.html")
    reader.go_back()
    assert axe_violations(reader) == []
