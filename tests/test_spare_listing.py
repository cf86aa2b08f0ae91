"""The spare site, listed by a forked child while the build plans: the same listing as the build's own, the same
site staged in it, no link left in it, and no child left behind whatever happens to the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build.output import spare_folder, write_site
from generator.build.spare_listing import list_folder, listing_ahead
from tests.test_output_check import _Forks
from tests.test_output_spare import _files, _tree


@pytest.fixture
def forks(monkeypatch):
    """Each child forked, to show it was waited for; forking allowed where the test runner's threads run (the
    build forks only where none do: output_check.may_fork)."""
    import generator.build.spare_listing as spare_listing

    monkeypatch.setattr(spare_listing, "may_fork", lambda: True)
    return _Forks(monkeypatch)


def _folder_of_files(root: Path) -> None:
    for number in range(60):
        page = root / "events" / f"event-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"page {number}")
    (root / "empty" / "deeper").mkdir(parents=True)
    (root / "index.html").write_text("home")


def test_the_child_lists_what_the_build_itself_would_and_removes_links(tmp_path, forks):
    root = tmp_path / "spare"
    _folder_of_files(root)
    (root / "events" / "event-3" / "planted").symlink_to(tmp_path)
    (root / "leads-out").symlink_to(tmp_path / "elsewhere")
    with listing_ahead(root) as take:
        listed = take()
    assert listed is not None and forks.children and forks.all_waited_for()
    assert not (root / "leads-out").is_symlink() and not (root / "events" / "event-3" / "planted").is_symlink()
    assert listed == list_folder(str(root))
    assert len(listed.files) == 61 and listed.files["index.html"] == (root / "index.html").stat().st_ino
    assert {"events", "events/event-59", "empty", "empty/deeper"} <= listed.folders and len(listed.folders) == 63


def test_there_is_no_listing_without_a_folder_and_no_child_when_it_is_not_asked_for(tmp_path, forks):
    with listing_ahead(tmp_path / "none") as take:
        assert take() is None
    root = tmp_path / "spare"
    _folder_of_files(root)
    with pytest.raises(RuntimeError):
        with listing_ahead(root) as take:
            raise RuntimeError("the content has problems")  # the build stops before staging
    assert len(forks.children) == 1 and forks.all_waited_for()
    with listing_ahead(root) as take:
        assert take() is not None
        assert take() is None  # taken once
    assert len(forks.children) == 2 and forks.all_waited_for()


@pytest.mark.parametrize("ahead", [True, False])
def test_a_site_staged_in_a_spare_listed_ahead_is_exactly_the_new_site(tmp_path, ahead, forks):
    out = tmp_path / "site"
    first = {"index.html": b"one", "events/a/index.html": b"a1", "events/b/index.html": b"b1",
             "gone/deep/page.html": b"gone", "was-a-folder/page.html": b"x", "was-a-file": b"y"}
    write_site(first, out)
    write_site({**first, "index.html": b"two"}, out)
    (spare_folder(out) / "events" / "planted").symlink_to(tmp_path)  # never followed
    third = {"index.html": b"three", "events/a/index.html": b"a1", "events/b/index.html": b"b3",
             "was-a-folder": b"now a file", "was-a-file/page.html": b"now a folder", "events/planted/page.html": b"in"}
    with listing_ahead(spare_folder(out)) as take:
        assert write_site(third, out, spare_listed=take if ahead else None) == len(third)
    assert _files(_tree(out)) == third
    assert not (tmp_path / "page.html").exists()
    assert len(forks.children) == 1 and forks.all_waited_for()


def test_the_child_keeps_no_file_of_the_build_open_so_a_killed_build_leaves_no_lock_held(tmp_path, monkeypatch, forks):
    import fcntl

    import generator.build.spare_listing as spare_listing

    def files_open_in_the_child(root: str) -> spare_listing.Listing:
        open_files = {}
        for fd in os.listdir("/proc/self/fd"):
            try:
                open_files[os.readlink(f"/proc/self/fd/{fd}")] = int(fd)
            except OSError:  # the listing's own, closed by now
                pass
        return spare_listing.Listing(open_files, set())

    monkeypatch.setattr(spare_listing, "list_folder", files_open_in_the_child)
    (tmp_path / "spare").mkdir()
    with open(tmp_path / ".site.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with listing_ahead(tmp_path / "spare") as take:
            listed = take()
    assert listed is not None
    assert not any(".site.lock" in path for path in listed.files), listed.files
    assert len([fd for fd in listed.files.values() if fd > 2]) == 1  # the file the listing is written to
