"""What the last CLI build read and wrote, so a build whose inputs are all unchanged does nothing.

Kept in `.timeline-cache/` beside the output folder (one JSON file an output folder). The record
holds a hash of every input (the content files, the templates and assets of every theme folder,
the generator's own source files, the build options) and the output folder as that build left it
(each file's path, size and modification time, and each folder's modification time, which moves
whenever a file is added, removed or renamed in it: checked by path, without listing a folder). A later build skips rendering
and writing only when both match exactly; a record that is missing, unreadable, of another format
or from another generator version is ignored, never trusted.

The record also keeps each input file's size, modification and change times, inode and hash, so
the next build reads and hashes only the files whose status moved (as git's index does). A file
touched less than `RACY_NS` before the scan is never trusted by its status: it could change again
within the same tick of the file system's clock and keep the same size.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

CACHE_DIR_NAME = ".timeline-cache"
FORMAT = 2
RACY_NS = 2_000_000_000
GENERATOR_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildRecord:
    """The inputs' hash and the output's fingerprint after one build, with its counts for the report."""

    inputs: str
    output: list  # [path, mtime_ns] for each output folder, [path, size, mtime_ns] for each file
    counts: dict
    files: dict  # input path → [size, mtime_ns, ctime_ns, inode, sha256], or [sha256] when not to be trusted


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, hashed as one, and each file's status and hash for the next scan."""

    digest: str
    files: dict


def record_path(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.parent / CACHE_DIR_NAME / f"{out_dir.name}.json"


@functools.cache  # the running code cannot change under one process: read and hash it once
def generator_version() -> str:
    """A hash of the generator's source files: any change to the code invalidates every record."""
    digest = hashlib.sha256()
    for path in sorted(GENERATOR_DIR.rglob("*.py")):
        digest.update(path.relative_to(GENERATOR_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def scan_inputs(folders: tuple[Path, ...], options: tuple, last: BuildRecord | None = None) -> Inputs:
    """One hash over the options, the generator's version and every file under `folders`.

    A file whose size, times and inode are those `last` recorded is not read: its recorded hash stands.
    """
    known = last.files if last else {}
    racy_after = time.time_ns() - RACY_NS
    digest = hashlib.sha256(json.dumps([FORMAT, generator_version(), [str(o) for o in options]]).encode())
    files = {}
    for folder in folders:
        folder_name = str(folder.absolute())
        digest.update(b"\1" + folder_name.encode())
        for relative_path, status in _files_under(folder_name):
            name = f"{folder_name}/{relative_path}"
            stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
            kept = known.get(name)
            if isinstance(kept, list) and len(kept) == 5 and kept[:4] == stamp and isinstance(kept[4], str):
                sha = kept[4]
            else:
                with open(name, "rb") as file:
                    sha = hashlib.sha256(file.read()).hexdigest()
            trusted = max(status.st_mtime_ns, status.st_ctime_ns) < racy_after
            files[name] = [*stamp, sha] if trusted else [sha]
            digest.update(f"\0{relative_path}\0{sha}".encode())
    return Inputs(digest.hexdigest(), files)


def output_listing(out_dir: Path) -> list:
    """Each output folder's path and modification time, each file's path, size and modification time."""
    root = str(out_dir)
    listing: list = [["", os.stat(root).st_mtime_ns]]
    for relative_path, status in _files_under(root, folders=listing):
        listing.append([relative_path, status.st_size, status.st_mtime_ns])
    return listing


def output_unchanged(out_dir: Path, listing: list) -> bool:
    """True if every folder and file of `listing` is still there as it was (and so nothing was added)."""
    root = str(out_dir)
    try:
        for entry in listing:
            status = os.stat(f"{root}/{entry[0]}" if entry[0] else root)
            if status.st_mtime_ns != entry[-1] or (len(entry) == 3 and status.st_size != entry[1]):
                return False
    except (OSError, TypeError, IndexError, ValueError):
        return False
    return True


def load_record(out_dir: Path) -> BuildRecord | None:
    """The last build's record, or None when there is none or it cannot be read as one."""
    try:
        data = json.loads(record_path(out_dir).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        record = BuildRecord(data["inputs"], data["output"], data["counts"], data["files"])
        if not isinstance(record.inputs, str) or not isinstance(record.output, list) \
                or not isinstance(record.counts, dict) or not isinstance(record.files, dict):
            return None
        return record
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_record(out_dir: Path, record: BuildRecord) -> None:
    """Write the record next to the output, atomically (a half-written record is never read)."""
    write_cache_file(record_path(out_dir), json.dumps({"format": FORMAT, "inputs": record.inputs, "output": record.output,
                                                       "counts": record.counts, "files": record.files}))


def write_cache_file(path: Path, text: str) -> None:
    """Write a file of the cache atomically; if the disk refuses, leave no trace of it.

    The cache only makes the next build faster: a full disk or a read-only folder here must not fail
    a build whose site is already in place, so the file is removed and the next build starts afresh.
    """
    temporary = path.with_suffix(f".tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        for leftover in (temporary, path):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def forget_record(out_dir: Path) -> None:
    # A record that cannot be removed is harmless: it names the old inputs, which no longer match.
    with contextlib.suppress(OSError):
        record_path(out_dir).unlink(missing_ok=True)


def unchanged_since_last_build(out_dir: Path, last: BuildRecord | None, inputs: Inputs) -> dict | None:
    """The last build's counts if it read these same inputs and its output is as it left it; else None."""
    if last and last.inputs == inputs.digest and output_unchanged(out_dir, last.output):
        return last.counts
    return None


def record_build(out_dir: Path, inputs: Inputs, counts: dict) -> None:
    """Remember what this build read and how its output looks now, for the next build to compare."""
    save_record(out_dir, BuildRecord(inputs.digest, output_listing(out_dir), counts, inputs.files))


def _files_under(folder: str, prefix: str = "", folders: list | None = None) -> list[tuple[str, os.stat_result]]:
    """(path relative to `folder`, status) of every file under it, in a fixed order; links to folders are not followed.

    With `folders`, each sub-folder's relative path and modification time is appended to it.
    """
    files = []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:  # a folder that is gone or cannot be listed holds nothing to read, as with os.walk
        return files
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            if folders is not None:
                folders.append([prefix + entry.name, entry.stat().st_mtime_ns])
            files.extend(_files_under(entry.path, f"{prefix}{entry.name}/", folders))
        elif not entry.is_dir():
            files.append((prefix + entry.name, entry.stat()))
    return files
