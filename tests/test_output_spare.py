"""A rebuild stages the new site in the one before last (kept beside the cache): what comes out is
exactly the new site, byte for byte, whatever the kept one held, and the live site is never touched."""

from __future__ import annotations

import os
from pathlib import Path

from generator.build.output import KEPT, Kept, write_site
from generator.build.output_folder import SPARE_DIR


def _tree(folder: Path) -> dict[str, bytes | str]:
    """Every file (its bytes), folder ('folder') and link ('link') under `folder`, by relative path."""
    found: dict[str, bytes | str] = {}
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(parent) / name
            relative = path.relative_to(folder).as_posix()
            found[relative] = "link" if path.is_symlink() else "folder" if path.is_dir() else path.read_bytes()
    return found


def _files(tree: dict[str, bytes | str]) -> dict[str, bytes]:
    return {path: data for path, data in tree.items() if isinstance(data, bytes)}


def test_a_site_staged_in_the_one_before_last_is_exactly_the_new_site(tmp_path):
    out = tmp_path / "site"
    first = {"index.html": b"one", "events/a/index.html": b"a1", "events/b/index.html": b"b1",
             "gone/deep/page.html": b"gone", "was-a-folder/page.html": b"x", "was-a-file": b"y", "extra.txt": b"extra"}
    write_site(first, out)
    (out / "planted").symlink_to(tmp_path)  # a link a user put in the live site: never followed, never kept
    second = {**first, "index.html": b"two"}
    write_site(second, out)
    third = {"index.html": b"three", "events/a/index.html": b"a1", "events/b/index.html": b"b3",
             "was-a-folder": b"now a file", "was-a-file/page.html": b"now a folder", "new/folder/page.html": b"new",
             "planted/page.html": b"inside"}
    seen_by_finish = {}

    def finish(staging: Path, site_files) -> None:
        seen_by_finish.update(_files(_tree(staging)))

    assert write_site(third, out, finish=finish) == len(third)

    assert _files(_tree(out)) == third
    assert seen_by_finish == third  # nothing of the kept site left for the indexer to trip on
    assert set(_tree(out)) == set(third) | {"events", "events/a", "events/b", "was-a-file", "new", "new/folder", "planted"}
    assert not (tmp_path / "page.html").exists()  # nothing written through the link
    # The retired site is the second one, untouched: nothing was written in place in a file shared with it.
    assert _files(_tree(tmp_path / SPARE_DIR / "site")) == second


def test_a_kept_file_is_the_live_file_and_an_edited_live_file_is_replaced(tmp_path):
    out = tmp_path / "site"
    site = {"index.html": b"home", "events/a/index.html": b"a"}
    write_site(site, out)
    write_site(site, out)
    live = out / "events" / "a" / "index.html"
    inode = live.stat().st_ino
    write_site([("index.html", b"home"), ("events/a/index.html", KEPT)], out)
    assert live.stat().st_ino == inode  # the same file, never copied or rewritten
    live.write_bytes(b"edited by hand")  # shared with the kept site: the next build must not keep it
    write_site(site, out)
    assert _files(_tree(out)) == site


def test_a_kept_file_with_its_inode_replaces_the_older_file_the_spare_holds_and_keeps_the_same_one(tmp_path):
    """The page store hands over the live file's inode with `Kept`: staging trusts it in place of asking again."""
    out = tmp_path / "site"
    write_site({"index.html": b"home", "events/a/index.html": b"old"}, out)
    write_site({"index.html": b"home", "events/a/index.html": b"new"}, out)  # the spare now holds "old" there
    live = out / "events" / "a" / "index.html"
    write_site([("index.html", b"home"), ("events/a/index.html", Kept(live.stat().st_ino))], out)
    assert _files(_tree(out)) == {"index.html": b"home", "events/a/index.html": b"new"}
    kept_inode = live.stat().st_ino
    # The spare is now the site of "new" too, the very file: it is kept, neither unlinked nor linked again.
    write_site([("index.html", b"home"), ("events/a/index.html", Kept(kept_inode))], out)
    assert live.stat().st_ino == kept_inode and live.read_bytes() == b"new"


def test_the_finishing_steps_folder_in_the_spare_is_left_to_it_and_it_is_told_every_staged_path(tmp_path):
    out = tmp_path / "site"
    first = {"index.html": b"one", "index/old.bin": b"old index", "index/deep/part.bin": b"part", "gone.html": b"gone"}
    write_site(first, out)
    second = {"index.html": b"two"}
    write_site(second, out)
    third = {"index.html": b"three", "index/own.txt": b"the site's own file in that folder", "about/index.html": b"about"}
    seen = {}

    def finish(staging: Path, site_files) -> None:
        seen.update(files=_files(_tree(staging)), site_files=set(site_files))
        (staging / "index" / "old.bin").unlink()  # what the finishing step no longer wants, it removes
        (staging / "index" / "deep" / "part.bin").unlink()
        (staging / "index" / "deep").rmdir()

    write_site(third, out, finish=finish, finish_folder="index")
    assert seen["site_files"] == set(third)
    # The first site (the spare) left its index/ files for the finishing step, and nothing else of its own.
    assert seen["files"] == {**third, "index/old.bin": b"old index", "index/deep/part.bin": b"part"}
    assert _files(_tree(out)) == third
    assert _files(_tree(tmp_path / SPARE_DIR / "site")) == second


def test_a_file_in_parts_is_written_and_compared_without_being_joined(tmp_path):
    """The files of all events come as their texts (FileParts): the same bytes as joined, linked when unchanged,
    rewritten when any byte differs, also one byte at a block's edge of the comparison."""
    from generator.build import output
    from generator.formats.file_parts import FileParts

    out = tmp_path / "site"
    texts = [b"%06d," % number * 30 for number in range(12_000)]  # 2.16 MB: more than two blocks compared
    assert sum(map(len, texts)) > 2 * output._BLOCK
    write_site([("data/events.json", FileParts(texts)), ("index.html", b"home")], out)
    assert (out / "data" / "events.json").read_bytes() == b"".join(texts)
    inode = (out / "data" / "events.json").stat().st_ino
    write_site([("data/events.json", FileParts(list(texts))), ("index.html", b"home 2")], out)
    assert (out / "data" / "events.json").stat().st_ino == inode  # unchanged: linked, not written
    edge = output._BLOCK  # the first byte after the first block compared
    joined = bytearray(b"".join(texts))
    joined[edge] ^= 1
    changed = [bytes(joined[start:start + 7_000]) for start in range(0, len(joined), 7_000)]
    write_site([("data/events.json", FileParts(changed)), ("index.html", b"home 3")], out)
    assert (out / "data" / "events.json").read_bytes() == bytes(joined)
    assert (out / "data" / "events.json").stat().st_ino != inode
