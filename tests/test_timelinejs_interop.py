"""Every real TimelineJS file in ../shared/reference/interop/ imports, builds and survives the export.

The files are third-party (see that folder's README) and are not part of this project: the test
reads them where they are, and is skipped where the folder does not exist.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT
from sitefixture import ERAS as FIXTURE_ERAS, write_fixture_site

INTEROP = REPO_ROOT.parent / "shared" / "reference" / "interop"
TIMELINEJS_FILES = sorted([*INTEROP.glob("timelinejs3/*.json"), *INTEROP.glob("timelinejs3/*.csv"),
                           *INTEROP.glob("timelinejs-template-cdil/*.csv")])
# Counts that the folder's README states for some files.
STATED_EVENT_COUNTS = {"houston-timeline3.json": 18, "eras.json": 20, "all-media-types.json": 41}
STATED_ERA_COUNTS = {"eras.json": 3}


def _slides_in(path: Path) -> tuple[int, int]:
    """How many event slides and eras the file holds, counted straight from the file."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".csv":
        rows = [row for row in csv.DictReader(io.StringIO(text, newline="")) if any((v or "").strip() for v in row.values())]
        kinds = [(row.get("Type") or "").strip().lower() for row in rows]
        return sum(kind not in ("title", "era") for kind in kinds), kinds.count("era")
    data = json.loads(text)
    if "timeline" in data:
        return len(data["timeline"].get("date") or []), len(data["timeline"].get("era") or [])
    return len(data["events"]), len(data.get("eras") or [])


def _events(site: Path) -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((site / "content" / "events").glob("*.yaml"))}


@pytest.mark.skipif(not TIMELINEJS_FILES, reason=f"no TimelineJS files in {INTEROP} (the shared reference folder is absent)")
@pytest.mark.parametrize("path", TIMELINEJS_FILES, ids=lambda path: path.name)
def test_real_timelinejs_file_imports_builds_and_round_trips(path, tmp_path, run_timeline):
    slides, eras = _slides_in(path)
    assert slides == STATED_EVENT_COUNTS.get(path.name, slides)
    assert eras == STATED_ERA_COUNTS.get(path.name, eras)

    site = write_fixture_site(tmp_path / "site", events={})
    result = run_timeline(site, "import", "timelinejs", str(path))
    reported = [line for line in result.stdout.splitlines() if ": not imported: " in line and ": era " not in line]
    imported = _events(site)
    assert imported, result.stdout
    assert len(imported) + len(reported) == slides, result.stdout  # every slide imported or reported
    registry = yaml.safe_load((site / "content" / "eras.yaml").read_text(encoding="utf-8"))
    assert len(registry) - len(yaml.safe_load(FIXTURE_ERAS)) == eras  # the fixture's own eras, and every era of the file

    build = run_timeline(site, "build", "--drafts")
    assert build.exit_code == 0, build.stderr
    assert f"Built {len(imported)} events" in build.stdout

    exported = site / "site" / "data" / "timelinejs.json"
    assert len(json.loads(exported.read_text(encoding="utf-8"))["events"]) == len(imported)
    again = write_fixture_site(tmp_path / "again", events={})
    second = run_timeline(again, "import", "timelinejs", str(exported))
    assert second.exit_code == 0, second.stdout
    reimported = _events(again)
    assert sorted((event["date"], event["title"]) for event in reimported.values()) == \
        sorted((event["date"], event["title"]) for event in imported.values())
