"""What the last CLI build read and wrote, so a build whose inputs are all unchanged does nothing.

Kept in `.timeline-cache/` beside the output folder (one file an output folder). The record holds a
hash of every input (the content files, the templates and assets of every theme folder, the
generator's own source files, the build options) and the output folder as that build left it
(each file's and each folder's path, size and modification time; a folder's moves whenever a file
is added, removed or renamed in it: checked by path, without listing a folder, by `output_check` beside the
input scan; the search index's files
named by their content, by their folder alone). A later build skips
rendering and writing only when both match exactly; a record that is missing, damaged, of another
format or from another generator version is ignored, never trusted.

The record also keeps what the input scan saw of each input file without reading it (its path,
size, modification and change times, and inode), and each content and theme file's hash, as git's
index does. When every input, the generator's sources among them, looks exactly as it did, the
inputs' hash is the recorded one and no file is read; otherwise only the files whose status moved
are read and hashed. A file touched less than `RACY_NS` before the scan is never trusted by its
status: it could change again within the same tick of the file system's clock and keep its size.

The record is written with `marshal` behind a checksum (a damaged record is ignored): at 10,000
events it loads in about half the time the JSON record took, and a no-op reads nothing else.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import time
from operator import attrgetter
from pathlib import Path
from typing import Callable, Mapping, NamedTuple

CACHE_DIR_NAME = ".timeline-cache"
FORMAT = 3
RACY_NS = 2_000_000_000
GENERATOR_DIR = Path(__file__).resolve().parent.parent
_MAGIC = b"timeline build record %d\n" % FORMAT
_UNTRUSTED = -1  # in place of a size: a status that no file can have, so the file is read again


class BuildRecord(NamedTuple):
    """The inputs' hash and the output's fingerprint after one build, with its counts for the report."""

    inputs: str
    stamps: list  # what the scan saw, see `Inputs`
    hashes: list  # each content and theme folder's files' hashes, in the order of `stamps`
    output: list  # [paths relative to the output folder ('' for itself), [size, mtime_ns] of each, flat]
    counts: dict


class Inputs(NamedTuple):
    """Everything a build reads, hashed as one, and what the scan saw of it, for the next scan.

    `stamps` is [[FORMAT, the options], then for each input folder and last the generator's sources:
    [folder, [path, size, mtime_ns, ctime_ns, inode, path, …]]], a file not to be trusted by its
    status having `_UNTRUSTED` for its size.
    """

    digest: str
    stamps: list
    hashes: list


def record_path(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.parent / CACHE_DIR_NAME / f"{out_dir.name}.record"


@functools.cache  # the running code cannot change under one process: read and hash it once
def generator_version() -> str:
    """A hash of the generator's source files: any change to the code invalidates every record."""
    digest = hashlib.sha256()
    for path in sorted(GENERATOR_DIR.rglob("*.py")):
        digest.update(path.relative_to(GENERATOR_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def scan_inputs(folders: tuple[Path, ...], options: tuple, last: BuildRecord | None = None) -> Inputs:
    """One hash over the options, the generator's version and every file under `folders`.

    When every file's status is the one `last` recorded, `last`'s hash stands and nothing is read;
    otherwise only the files whose status moved are read.
    """
    racy_after = time.time_ns() - RACY_NS
    stamps: list = [[FORMAT, [str(option) for option in options]]]
    for folder_name in [str(folder.absolute()) for folder in folders]:
        stamps.append([folder_name, _stamps_under(folder_name, "")])
    stamps.append([str(GENERATOR_DIR), _stamps_under(str(GENERATOR_DIR), ".py")])
    if last and stamps == last.stamps:
        return Inputs(last.inputs, last.stamps, last.hashes)
    return _hash_inputs(stamps, last, racy_after)


def _hash_inputs(stamps: list, last: BuildRecord | None, racy_after: int) -> Inputs:
    """The inputs' hash, reading the files whose status is not the one `last` recorded; racy files marked."""
    known = {}
    if last:
        for (folder, last_stamps), last_hashes in zip(last.stamps[1:], last.hashes):
            for at, sha in zip(range(0, len(last_stamps), 5), last_hashes):
                known[f"{folder}/{last_stamps[at]}"] = (last_stamps[at + 1:at + 5], sha)
    digest = hashlib.sha256(repr([FORMAT, generator_version(), stamps[0][1]]).encode())
    hashes = []
    for position, (folder, folder_stamps) in enumerate(stamps[1:-1]):
        # By its place, not its path: where the built-in theme is installed is not an input.
        digest.update(b"\1%d" % position)
        folder_hashes = []
        for at in range(0, len(folder_stamps), 5):
            relative_path, status = folder_stamps[at], folder_stamps[at + 1:at + 5]
            name = f"{folder}/{relative_path}"
            kept = known.get(name)
            if kept and kept[0] == status:
                sha = kept[1]
            else:
                with open(name, "rb") as file:
                    sha = hashlib.sha256(file.read()).hexdigest()
            folder_hashes.append(sha)
            digest.update(f"\0{relative_path}\0{sha}".encode())
        hashes.append(folder_hashes)
    for _, folder_stamps in stamps[1:]:
        for at in range(0, len(folder_stamps), 5):
            if max(folder_stamps[at + 2], folder_stamps[at + 3]) >= racy_after:
                folder_stamps[at + 1] = _UNTRUSTED
    return Inputs(digest.hexdigest(), stamps, hashes)


def hashes_under(inputs: Inputs, folder: Path) -> dict[str, str]:
    """The scan's sha256 of each file under `folder` (one of the folders scanned), by its path relative to it."""
    name = str(folder.absolute())
    for (scanned, stamps), hashes in zip(inputs.stamps[1:], inputs.hashes):
        if scanned == name:
            return dict(zip(stamps[::5], hashes))
    return {}


def output_listing(out_dir: Path, by_folder: Callable[[str], bool] = lambda folder: False) -> list:
    """Each output folder's and file's path, and a flat list of their sizes and modification times.

    A folder for which `by_folder` is true is listed alone, not its files: the search index's folders of
    files named by their content (about 10,000 at 10,000 events). Adding, removing or renaming a file
    moves its folder's time; only a file rewritten in place under its name would go unseen, and those
    names are hashes of the content.
    """
    root = str(out_dir)
    status = os.stat(root)
    paths, stamps = [""], [status.st_size, status.st_mtime_ns]
    _list_output(root, "", paths, stamps, by_folder)
    return [paths, stamps]


def staged_listing(out_dir: Path, stamps: Mapping[str, tuple[int, int] | None], walked: str | None,
                   by_folder: Callable[[str], bool] = lambda folder: False) -> list:
    """What `output_listing` gives for the site just swapped in, made from what staging knew of each file it
    put there (output.write_site's `stamps`: the live file's size and time where it linked one, None where it
    wrote one) rather than by listing every folder: only the folders and the files written are stat-ed, and
    the folder `walked` (the search index, which its indexer wrote) is listed as output_listing lists it.

    At 10,000 events the walk opened 10,500 folders and stat-ed 31,000 entries (0.44 s of an edit's rebuild).
    """
    root = str(out_dir)
    inside = f"{walked}/" if walked else None
    found: dict[str, tuple[int, int]] = {}
    folders: set[str] = set()
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for path, known in stamps.items():
            if inside is not None and (path == walked or path.startswith(inside)):
                continue
            folder = path.rpartition("/")[0]
            while folder and folder not in folders:
                folders.add(folder)
                folder = folder.rpartition("/")[0]
            if known is None:
                status = os.stat(path, dir_fd=descriptor, follow_symlinks=False)
                known = (status.st_size, status.st_mtime_ns)
            found[path] = known
        for folder in folders:
            status = os.stat(folder, dir_fd=descriptor, follow_symlinks=False)
            found[folder] = (status.st_size, status.st_mtime_ns)
        if walked and os.path.isdir(f"{root}/{walked}") and not os.path.islink(f"{root}/{walked}"):
            status = os.stat(walked, dir_fd=descriptor, follow_symlinks=False)
            found[walked] = (status.st_size, status.st_mtime_ns)
            paths: list = []
            flat: list = []
            if not by_folder(walked):
                _list_output(f"{root}/{walked}", inside, paths, flat, by_folder)
            found.update(zip(paths, zip(flat[::2], flat[1::2])))
        status = os.stat(descriptor)
    finally:
        os.close(descriptor)
    ordered = sorted(found, key=_by_parts)  # the walk's order: each folder's entries by name, a folder's own after it
    return [["", *ordered], [status.st_size, status.st_mtime_ns, *(value for path in ordered for value in found[path])]]


def _by_parts(path: str) -> list[str]:
    return path.split("/")


def files_scanned(record: BuildRecord | None) -> int:
    """How many input files the record's scan saw: about as many as the next scan will look at (0 without a record)."""
    try:
        return sum(len(files) // 5 for _, files in record.stamps[1:]) if record else 0
    except (TypeError, ValueError):  # a record of another shape is not trusted later either
        return 0


def load_record(out_dir: Path) -> BuildRecord | None:
    """The last build's record, or None when there is none or it cannot be read as one."""
    try:
        record = BuildRecord(*read_marshalled(record_path(out_dir), _MAGIC))
    except TypeError:  # None (no usable file), or not the record's fields
        return None
    if not isinstance(record.inputs, str) or not isinstance(record.counts, dict) \
            or not all(isinstance(part, list) for part in (record.stamps, record.hashes, record.output)):
        return None
    return record


def save_record(out_dir: Path, record: BuildRecord) -> None:
    """Write the record next to the output, atomically (a half-written record is never read)."""
    write_marshalled(record_path(out_dir), _MAGIC, tuple(record))


def write_marshalled(path: Path, header: bytes, value: object) -> None:
    """Keep `value` in a cache file, in `marshal` behind `header` and a checksum, so a damaged one is never read."""
    write_checksummed(path, header, marshal.dumps(value))


def read_marshalled(path: Path, header: bytes) -> object | None:
    """What `write_marshalled` kept with this same header; None if there is none or it is damaged."""
    payload = read_checksummed(path, header)
    try:
        return None if payload is None else marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def write_checksummed(path: Path, header: bytes, payload: bytes) -> None:
    """Keep `payload` in a cache file behind `header` (what wrote it) and the payload's sha256."""
    write_cache_file(path, header + hashlib.sha256(payload).digest() + payload)


def read_checksummed(path: Path, header: bytes) -> memoryview | None:
    """The payload `write_checksummed` kept with this same header; None if there is none or it is damaged."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    payload = memoryview(data)[len(header) + 32:]
    if not data.startswith(header) or hashlib.sha256(payload).digest() != data[len(header):len(header) + 32]:
        return None
    return payload


def write_cache_file(path: Path, content: str | bytes) -> None:
    """Write a file of the cache atomically; if the disk refuses, leave no trace of it.

    The cache only makes the next build faster: a full disk or a read-only folder here must not fail
    a build whose site is already in place, so the file is removed and the next build starts afresh.
    """
    temporary = path.with_suffix(f".tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        os.replace(temporary, path)
    except OSError:
        for leftover in (temporary, path):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def forget_record(out_dir: Path) -> None:
    # A record that cannot be removed is harmless: it names the old inputs, which no longer match.
    # What earlier versions kept and this one never reads goes too: the JSON record, the Markdown store,
    # the JSON page store.
    record = record_path(out_dir)
    for path in (record, record.with_suffix(".json"), record.with_suffix(".markdown.json"), record.with_suffix(".pages.json")):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def unchanged_since_last_build(out_dir: Path, last: BuildRecord | None, inputs: Inputs,
                               output_as_left: Callable[[], bool]) -> dict | None:
    """The last build's counts if it read these same inputs and its output is as it left it (`output_as_left`,
    from `output_check.checking_output`, asked only when the inputs match); else None.

    When files had to be read to tell (their status moved, their bytes did not), the record is
    brought up to date, so that the next build need not read them again.
    """
    if not (last and last.inputs == inputs.digest and output_as_left()):
        return None
    if inputs.stamps != last.stamps:
        save_record(out_dir, BuildRecord(inputs.digest, inputs.stamps, inputs.hashes, last.output, last.counts))
    return last.counts


def record_build(out_dir: Path, inputs: Inputs, counts: dict, listing: list | None) -> None:
    """Remember what this build read and how its output looks now (`listing`, `output_listing`'s form, from
    `staged_listing` once the site is in place), for the next build to compare; without a listing, nothing:
    the next build builds."""
    if listing is not None:
        save_record(out_dir, BuildRecord(inputs.digest, inputs.stamps, inputs.hashes, listing, counts))


def _stamps_under(folder: str, suffix: str) -> list:
    """[path relative to `folder`, size, mtime_ns, ctime_ns, inode, …] of every file under it whose name
    ends with `suffix`, in a fixed order; links to folders are not followed."""
    stamps: list = []
    _stamp_files(folder, None, "", suffix, stamps)
    return stamps


def _stamp_files(name: str, parent: int | None, prefix: str, suffix: str, stamps: list) -> None:
    # Listed through an open folder, so each file's `stat` names it from there, not from / (10,000 files: some 10 ms
    # of a 0.3 s no-op).
    try:
        folder = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=parent)
    except OSError:  # a folder that is gone or cannot be listed holds nothing to read, as with os.walk
        return
    try:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=_by_name)
        except OSError:
            return
        for entry in entries:
            if entry.is_dir():
                if not entry.is_symlink():
                    _stamp_files(entry.name, folder, f"{prefix}{entry.name}/", suffix, stamps)
            elif entry.name.endswith(suffix):
                status = entry.stat()
                stamps += prefix + entry.name, status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino
    finally:
        os.close(folder)


def _list_output(folder: str, prefix: str, paths: list, stamps: list, by_folder: Callable[[str], bool]) -> None:
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=_by_name)
    for entry in entries:
        if entry.is_dir() and entry.is_symlink():
            continue  # links to folders are not followed
        status = entry.stat()
        path = prefix + entry.name
        paths.append(path)
        stamps += status.st_size, status.st_mtime_ns
        if entry.is_dir() and not by_folder(path):
            _list_output(entry.path, f"{path}/", paths, stamps, by_folder)


_by_name = attrgetter("name")
