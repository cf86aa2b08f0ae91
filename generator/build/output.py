"""Stage 6: write the site into a staging folder as it is rendered, then swap it in with one atomic step.

A build that fails or is killed never leaves a half-written site: the old folder stays in place
until the new one is complete, and on Linux the two are exchanged by a single renameat2 call.
Files whose bytes did not change are hard links to the old site's, so a rebuild rewrites only what changed.
The site the swap retires is kept as the next build's staging folder, whose folders and links are mostly right already.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import AbstractSet, Callable, Iterable, Mapping, NamedTuple

from generator.build.output_folder import SPARE_DIR, TRASH_DIR, OutputError, keep_as_spare, remove_leftovers, swap_in
from generator.build.spare_listing import Listing, list_folder
from generator.formats.file_parts import FileParts
from generator.site.stored_file import StoredFile


class Kept:
    """In place of a file's bytes: the live site's file at the same path is still right; link it.

    `inode`, `size` and `mtime_ns` are that file's, when the caller has just read them (the page store has):
    staging then compares the inode with the spare's file at the path without asking the system again
    (20,000 `lstat`s at 10,000 events), and hands the size and time on (`stamps` in write_site).
    """

    __slots__ = ("inode", "size", "mtime_ns")

    def __init__(self, inode: int | None = None, size: int | None = None, mtime_ns: int | None = None) -> None:
        self.inode, self.size, self.mtime_ns = inode, size, mtime_ns


KEPT = Kept()


class Milestone:
    """In a stream of files, in place of a (path, data) pair: `reached(staging folder, the paths staged so far)`
    is called there, while the rest is still to come (the CLI build starts the search index once the pages
    Pagefind reads are staged). It may read the staged files, never change them; the paths are a live view,
    to be read during the call."""

    __slots__ = ("reached",)

    def __init__(self, reached: Callable[[Path, AbstractSet[str]], None]) -> None:
        self.reached = reached


def write_site(files: Mapping[str, bytes] | Iterable[tuple[str, bytes | FileParts | Kept | StoredFile]], out_dir: Path,
               finish: Callable[[Path, AbstractSet[str]], None] | None = None, finish_folder: str | None = None,
               stamps: dict[str, tuple[int, int] | None] | None = None,
               spare_listed: Callable[[], Listing | None] | None = None) -> int:
    """Make `out_dir` hold exactly `files` (relative path → bytes), replacing it atomically; return how many.

    `files` may be a stream of (path, bytes) pairs: each is written as it comes and let go, so the
    site is never whole in memory; a large file may come in parts (`FileParts`), never joined. A file whose bytes equal the live site's is hard-linked from it
    (copied where links fail) rather than written: the unchanged files keep their inode and time.
    `KEPT` (or any `Kept`) in place of the bytes links the live site's file without comparing (the caller knows it is right);
    a `StoredFile` (an entry of the file cache) is linked as it is.
    `finish`, when given, runs on the complete staging folder before the swap (the search indexer), with
    the paths of every file staged; it may add files and replace them, never change a staged file in place
    (it may be the live one). What the spare holds in `finish_folder` (the search index's `pagefind/`) is
    left for `finish`, which keeps what is still right there and removes the rest.
    Any refusal by the system (no space, a read-only folder) is an OutputError, with the old site in
    place and the staging folder gone. `stamps`, when given, gets each staged file's (size, mtime_ns) where
    it is a live file linked or kept as it was (its status already read), None where it was written.
    `spare_listed`, when given, gives what the spare holds, listed ahead (spare_listing.listing_ahead of
    `spare_folder(out_dir)`), or None where it was not.

    The staging folder is the site before last, kept beside the cache (`SPARE_DIR`) when there is one:
    its folders are already there and most of its files are already the live ones (the same inode),
    so a rebuild makes only the folders and links that changed, where a new tree cost 10,000 folders
    and 30,000 links at 10,000 events. What it holds that the new site does not is removed before
    `finish` runs, but for `finish_folder`; nothing in it is ever written in place (a file is replaced
    by unlinking it first).
    """
    import shutil  # here, not above: a build with nothing to do never writes
    import tempfile

    out_dir = out_dir.absolute()
    staging = None
    pairs = sorted(files.items()) if isinstance(files, Mapping) else files
    spare = spare_folder(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
        root = str(staging.resolve())
        present = _take_spare(str(spare), root, str(out_dir), spare_listed)
        written = _stage(pairs, root, str(out_dir), present, finish_folder, {} if stamps is None else stamps)
        if finish is not None:
            finish(staging, written)
        staging.chmod(0o755)
        swap_in(staging, out_dir)
        keep_as_spare(staging, spare, out_dir.parent / TRASH_DIR)  # now the old site
    except OSError as error:
        raise OutputError(out_dir, error) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return len(written)


def spare_folder(out_dir: Path) -> Path:
    """Where the site before the live one waits, as the next build's staging folder."""
    return out_dir.absolute().parent / SPARE_DIR / out_dir.name


class _Present(NamedTuple):
    """What the staging folder holds before the new site is staged in it: the spare's files and folders."""

    files: dict[str, int]  # relative path → inode
    folders: set[str]
    same_device: bool  # inodes are compared with the live site's only on one file system


def _take_spare(spare: str, root: str, live_root: str, spare_listed: Callable[[], Listing | None] | None) -> _Present:
    """Move the spare site (if any) to the empty staging folder `root`, and list what it holds (`spare_listed`
    gives it where it was listed ahead: spare_listing.py); anything in it that is neither a file nor a folder
    is removed (`list_folder`)."""
    listed = spare_listed() if spare_listed is not None else None  # before the move: the child lists it in place
    try:
        os.rename(spare, root)  # replaces the empty folder
    except OSError:
        return _Present({}, set(), False)
    if listed is None:
        listed = list_folder(root)
    try:
        same_device = os.stat(root).st_dev == os.stat(live_root).st_dev
    except OSError:
        same_device = False
    return _Present(listed.files, listed.folders, same_device)


def _stage(pairs: Iterable[tuple[str, bytes | FileParts | Kept | StoredFile]], root: str, live_root: str, present: _Present,
           left_alone: str | None, stamps: dict[str, tuple[int, int] | None]) -> AbstractSet[str]:
    """Write or link each file into `root`, then remove what `present` held that the site does not but in the
    folder `left_alone`; the paths staged, which are `stamps`' keys (its values: what write_site says of them).

    Plain strings and os calls: pathlib's objects cost seconds over the 30,000 files of a 10,000-event site.
    """
    wanted_folders = {""}
    for pair in pairs:
        if isinstance(pair, Milestone):
            pair.reached(Path(root), stamps.keys())
            continue
        relative_path, data = pair
        # Checked by its letters: the staging folder holds only files and folders (no link: `_take_spare`),
        # so only an absolute path or a ".." could lead out (resolving each path cost seconds at 10,000 pages).
        normal = os.path.normpath(relative_path)
        if os.path.isabs(normal) or normal == "." or normal == ".." or normal.startswith("../"):
            raise ValueError(f"refusing to write outside the output folder: {relative_path!r}")
        folder = normal.rpartition("/")[0]
        if folder not in wanted_folders:
            _make_folders(root, folder, wanted_folders, present)
        target = f"{root}/{normal}"
        if normal in stamps:  # a later file of the same path wins, as in a mapping
            os.unlink(target)
        elif normal in present.folders:  # a folder in the spare where the site now has a file
            _remove_folder(root, normal, present)
        inode = present.files.pop(normal, None) if present.same_device else _unlinked(target, present.files, normal)
        live = f"{live_root}/{normal}"
        if isinstance(data, Kept):
            stamps[normal] = _link_or_copy(live, target, inode, data)
        elif isinstance(data, StoredFile):  # a file of the cache, linked as a live file would be
            stamps[normal] = _link_or_copy(data.path, target, inode, Kept(data.inode, data.size, data.mtime_ns))
        else:
            stamps[normal] = _write_or_link(target, data, live, inode)
    inside = f"{left_alone}/" if left_alone else None
    for path in present.files:  # the spare's files the site no longer has
        if inside is None or not path.startswith(inside):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{root}/{path}")
    for path in sorted(present.folders - wanted_folders, key=len, reverse=True):  # deepest first
        if inside is None or not (path == left_alone or path.startswith(inside)):
            with contextlib.suppress(FileNotFoundError):
                os.rmdir(f"{root}/{path}")
    return stamps.keys()  # the paths, held once: a set beside the stamps held 300,000 paths again at 100,000 events


def _remove_folder(root: str, folder: str, present: _Present) -> None:
    """Remove a folder of the spare, and forget what it held."""
    import shutil

    shutil.rmtree(f"{root}/{folder}")
    inside = folder + "/"
    present.folders.difference_update([path for path in present.folders if path == folder or path.startswith(inside)])
    for path in [path for path in present.files if path.startswith(inside)]:
        del present.files[path]


def _unlinked(target: str, files: dict[str, int], path: str) -> None:
    """Where inodes cannot be compared with the live site's, the spare's file is removed and made anew."""
    if files.pop(path, None) is not None:
        os.unlink(target)


def _make_folders(root: str, folder: str, wanted_folders: set[str], present: _Present) -> None:
    """Make `folder` and those above it, where the spare has not got them (a file of the spare in the way goes)."""
    parts = folder.split("/")
    for depth in range(1, len(parts) + 1):
        path = "/".join(parts[:depth])
        if path in wanted_folders:
            continue
        wanted_folders.add(path)
        if path not in present.folders:
            if present.files.pop(path, None) is not None:
                os.unlink(f"{root}/{path}")
            os.mkdir(f"{root}/{path}")


def _write_or_link(target: str, data: bytes | FileParts, live: str, inode: int | None) -> tuple[int, int] | None:
    """Put `data` at `target`, linking the live site's file there when it holds exactly `data`; that file's
    (size, mtime_ns) when it is the one at `target` now, None when `data` was written.

    `inode` is that of the file already at `target` (from the spare), None when there is none. A file in
    parts is compared and written part after part, never joined.
    """
    try:
        status = os.lstat(live)
        unchanged = stat.S_ISREG(status.st_mode) and status.st_size == _size(data) and _holds(live, data)
    except OSError:
        unchanged = False
    if unchanged and inode == status.st_ino:
        return status.st_size, status.st_mtime_ns  # the spare's file is the live one
    if inode is not None:
        os.unlink(target)
    if unchanged:
        try:
            os.link(live, target)
            return status.st_size, status.st_mtime_ns
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise
            # Another file system or one without links: the bytes are written instead.
    if isinstance(data, FileParts):
        with open(target, "wb", buffering=_BLOCK) as file:
            file.writelines(data.parts)
    else:
        Path(target).write_bytes(data)
    return None


_BLOCK = 1 << 20  # how much of a file in parts is compared, or written, at a time


def _size(data: bytes | FileParts) -> int:
    return data.size() if isinstance(data, FileParts) else len(data)


def _holds(path: str, data: bytes | FileParts) -> bool:
    """Whether the file at `path` (of the same size) holds exactly `data`."""
    with open(path, "rb") as file:
        if not isinstance(data, FileParts):
            return file.read() == data
        block = bytearray()
        for part in data.parts:
            block += part
            if len(block) >= _BLOCK:
                if file.read(len(block)) != block:
                    return False
                block.clear()
        return file.read(len(block)) == block


def _link_or_copy(live: str, target: str, inode: int | None, kept: Kept) -> tuple[int, int] | None:
    """Link the live site's file (or the cache's, `StoredFile`) at `target` (copy it where links fail), unless the
    spare's file there (of `inode`) is it; that file's (size, mtime_ns) when `kept` has them and it is the one at
    `target`."""
    import shutil

    known = None if kept.size is None or kept.mtime_ns is None else (kept.size, kept.mtime_ns)
    if inode is not None:
        if (os.lstat(live).st_ino if kept.inode is None else kept.inode) == inode:
            return known
        os.unlink(target)
    try:
        os.link(live, target)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.ENOENT):
            raise
        shutil.copy2(live, target)
        return None
    return known
