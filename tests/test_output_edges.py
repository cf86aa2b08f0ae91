"""When the system refuses to write (a full disk, a read-only folder): one line, exit 1, the old site kept."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from conftest import tree_digest
from sitefixture import write_fixture_site


@contextlib.contextmanager
def small_disk(parent: Path, size: str):
    """A tmpfs of `size` mounted for the test (root only), unmounted afterwards."""
    mount_point = parent / f"disk-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def _fill(disk: Path) -> None:
    """Take all but a few kilobytes of the disk's free space."""
    free = shutil.disk_usage(disk).free
    with open(disk / "filler", "wb") as filler:
        with contextlib.suppress(OSError):
            filler.write(b"\0" * max(free - 16 * 1024, 0))


def _assert_refused(result, site: Path, before: dict, reason: str) -> None:
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: site: {reason}; the site was not changed."]
    assert "Traceback" not in result.stderr + result.stdout
    assert tree_digest(site / "site") == before
    assert not list(site.glob(".site.new-*")) and not list(site.glob(".site.old-*"))


def test_a_full_disk_leaves_the_old_site_and_no_staging_folder(run_timeline, tmp_path):
    with small_disk(tmp_path, "8m") as disk:
        site = write_fixture_site(disk / "fixture")
        assert run_timeline(site, "build").exit_code == 0
        before = tree_digest(site / "site")
        (site / "content" / "site.yaml").write_text(
            (site / "content" / "site.yaml").read_text(encoding="utf-8").replace("Fixture Timeline", "Renamed Timeline"),
            encoding="utf-8")
        _fill(disk)
        result = run_timeline(site, "build")
        _assert_refused(result, site, before, "no space left on device")
        (disk / "filler").unlink()
        assert run_timeline(site, "build").exit_code == 0  # with space again, the build goes through
        assert "Renamed Timeline" in (site / "site" / "index.html").read_text(encoding="utf-8")


def test_a_read_only_folder_leaves_the_old_site(run_timeline, tmp_path):
    with small_disk(tmp_path, "16m") as disk:
        site = write_fixture_site(disk / "fixture")
        assert run_timeline(site, "build").exit_code == 0
        before = tree_digest(site / "site")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = run_timeline(site, "build", "--drafts")  # another option: not a no-op
        _assert_refused(result, site, before, "read-only file system")


def test_a_write_refused_half_way_is_reported_in_one_line(run_timeline, fixture_site, monkeypatch):
    assert run_timeline(fixture_site, "build").exit_code == 0
    before = tree_digest(fixture_site / "site")
    (fixture_site / "content" / "site.yaml").write_text(
        (fixture_site / "content" / "site.yaml").read_text(encoding="utf-8").replace("Fixture", "Other"), encoding="utf-8")
    written = []
    original = Path.write_bytes

    def write_until_the_disk_is_full(path: Path, data: bytes) -> int:
        written.append(path)
        if len(written) > 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return original(path, data)

    monkeypatch.setattr(Path, "write_bytes", write_until_the_disk_is_full)
    result = run_timeline(fixture_site, "build")
    _assert_refused(result, fixture_site, before, "no space left on device")


def test_a_cache_that_cannot_be_written_does_not_fail_the_build(run_timeline, fixture_site, monkeypatch):
    cache = fixture_site / ".timeline-cache"
    cache.write_text("a file where the cache folder should be")
    result = run_timeline(fixture_site, "build")
    assert result.exit_code == 0, result.stderr
    assert (fixture_site / "site" / "index.html").is_file()
    assert cache.read_text() == "a file where the cache folder should be"
