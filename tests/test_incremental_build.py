"""A rebuild rewrites only the files whose bytes changed, reads only the inputs that moved, and a
build with nothing to do loads none of the heavy libraries."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO_ROOT, tree_digest
import generator.build.build_record
from generator.build import build_record

NOTHING_CHANGED = "nothing changed since the last build"


def _build(site_folder, run_timeline, *args):
    result = run_timeline(site_folder, "build", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _inodes(folder):
    return {path.relative_to(folder).as_posix(): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


def test_a_rebuild_rewrites_only_the_files_whose_bytes_changed(fixture_site, run_timeline, tmp_path):
    _build(fixture_site, run_timeline)
    site = fixture_site / "site"
    before, before_bytes = _inodes(site), tree_digest(site)
    path = fixture_site / "content" / "events" / "reykjavik-meeting.yaml"
    path.write_text(path.read_text().replace("meet in Reykjavik", "meet in Reykjavik again"))
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)
    after, after_bytes = _inodes(site), tree_digest(site)
    changed = {name for name in after_bytes if before_bytes.get(name) != after_bytes[name]}
    kept = {name for name in after if before.get(name) == after[name]}
    assert any("reykjavik-meeting" in name and name.endswith(".html") for name in changed)
    assert "assets/style.css" in kept
    pages = {name for name in after if name.endswith(".html") and not name.startswith("pagefind/")}
    # Every page whose bytes are the same is the old file, linked; every changed one is new.
    assert (pages - changed) <= kept
    assert not (changed & kept)
    assert after_bytes == _clean_digest(fixture_site, run_timeline, tmp_path)


def _clean_digest(fixture_site, run_timeline, tmp_path):
    out = tmp_path / "clean" / "site"
    _build(fixture_site, run_timeline, "--out", str(out))
    return tree_digest(out)


def test_an_input_rewritten_with_the_same_bytes_is_not_a_change(fixture_site, run_timeline):
    _build(fixture_site, run_timeline)
    path = fixture_site / "content" / "events" / "reykjavik-meeting.yaml"
    path.write_bytes(path.read_bytes())
    assert NOTHING_CHANGED in _build(fixture_site, run_timeline)


def test_an_edit_that_keeps_the_size_and_the_time_is_still_seen(fixture_site, run_timeline, tmp_path):
    _build(fixture_site, run_timeline)
    path = fixture_site / "content" / "events" / "reykjavik-meeting.yaml"
    status = path.stat()
    text = path.read_text()
    path.write_text(text.replace("Reykjavik", "REYKJAVIK", 1))
    assert path.stat().st_size == status.st_size
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)
    assert tree_digest(fixture_site / "site") == _clean_digest(fixture_site, run_timeline, tmp_path)


def test_a_damaged_record_is_not_trusted(fixture_site, run_timeline, tmp_path):
    _build(fixture_site, run_timeline)
    record_file = generator.build.build_record.record_path(fixture_site / "site")
    data = bytearray(record_file.read_bytes())
    data[len(data) // 2] ^= 1  # one bit, somewhere in the hashes and statuses
    record_file.write_bytes(bytes(data))
    assert generator.build.build_record.load_record(fixture_site / "site") is None
    (fixture_site / "content" / "events" / "expulsions.yaml").unlink()
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)
    assert tree_digest(fixture_site / "site") == _clean_digest(fixture_site, run_timeline, tmp_path)


def _count_reads(monkeypatch) -> list:
    """Each time a build reads inputs to hash them (their status moved), the statuses that made it."""
    reads = []
    hash_inputs = build_record._hash_inputs

    def counted(stamps, last, racy_after):
        reads.append(stamps)
        return hash_inputs(stamps, last, racy_after)

    monkeypatch.setattr(build_record, "_hash_inputs", counted)
    return reads


def test_a_build_with_nothing_changed_reads_no_input(fixture_site, run_timeline, monkeypatch):
    monkeypatch.setattr(build_record, "RACY_NS", 0)  # the fixture was written just now: trust its status at once
    _build(fixture_site, run_timeline)
    reads = _count_reads(monkeypatch)
    assert NOTHING_CHANGED in _build(fixture_site, run_timeline)
    assert reads == []


def test_an_input_whose_status_moved_is_read_once_then_trusted(fixture_site, run_timeline, monkeypatch):
    monkeypatch.setattr(build_record, "RACY_NS", 0)
    _build(fixture_site, run_timeline)
    path = fixture_site / "content" / "events" / "reykjavik-meeting.yaml"
    path.write_bytes(path.read_bytes())  # the same bytes, a new time
    reads = _count_reads(monkeypatch)
    assert NOTHING_CHANGED in _build(fixture_site, run_timeline)
    assert len(reads) == 1  # read to tell, and the record brought up to date ...
    assert NOTHING_CHANGED in _build(fixture_site, run_timeline)
    assert len(reads) == 1  # ... so the next build reads nothing


def test_a_file_saved_within_the_clocks_tick_is_read_again(fixture_site, run_timeline, coarse_clock):
    # A coarse clock: an edit made within the same tick as the last scan leaves the same size and
    # times, so the scan sees exactly what it saw then. A file saved less than RACY_NS before a
    # scan is therefore never trusted by its status.
    path = fixture_site / "content" / "events" / "reykjavik-meeting.yaml"
    os.utime(path)  # saved just before the build (the whole fixture was, unless the machine is slow)
    _build(fixture_site, run_timeline)
    coarse_clock.stop()
    text = path.read_text()
    path.write_text(text.replace("Reykjavik", "REYKJAVIK", 1))
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)
    assert "REYKJAVIK" in (fixture_site / "site" / "events" / "reykjavik-meeting" / "index.html").read_text()


def test_a_build_with_nothing_to_do_loads_no_template_markdown_or_yaml_library(built_site):
    # Nor what only writing, indexing or reporting errors needs, nor dataclasses (with inspect, some 20 ms):
    # each costs the no-op its import time.
    heavy = ('jinja2', 'markdown', 'yaml', 'nh3', 'dateutil', 'ctypes', 'subprocess', 'tempfile', 'difflib',
             'dataclasses', 'inspect')
    probe = ("import sys\nfrom generator.commands.cli import main\ncode = main(['build'])\n"
             f"print(code, sorted(name for name in {heavy!r} if name in sys.modules))")
    completed = subprocess.run([sys.executable, "-c", probe], cwd=built_site.parent, capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, timeout=120)
    assert NOTHING_CHANGED in completed.stdout, completed.stderr
    assert completed.stdout.strip().splitlines()[-1] == "0 []"


@pytest.mark.parametrize("tamper", ["add a file", "add a folder", "delete a file", "rename a file"])
def test_a_file_added_removed_or_renamed_in_the_built_site_is_undone(tamper, fixture_site, run_timeline):
    _build(fixture_site, run_timeline)
    site = fixture_site / "site"
    built = tree_digest(site)
    page = next(path for path in sorted(site.rglob("index.html")) if path.parent != site)
    if tamper == "add a file":
        (page.parent / "stray.html").write_text("stray")
    elif tamper == "add a folder":
        (page.parent / "stray").mkdir()
        (page.parent / "stray" / "index.html").write_text("stray")
    elif tamper == "delete a file":
        page.unlink()
    else:
        page.rename(page.with_name("moved.html"))
    assert NOTHING_CHANGED not in _build(fixture_site, run_timeline)
    assert tree_digest(site) == built
