"""What the last CLI build read and wrote, so a build whose inputs are all unchanged does nothing.

Kept in `.timeline-cache/` beside the output folder (one JSON file an output folder). The record
holds a hash of every input (the content files, the templates and assets of every theme folder,
the generator's own source files, the build options) and a fingerprint of the output folder as
that build left it (each file's path, size and modification time). A later build skips rendering
and writing only when both match exactly; a record that is missing, unreadable, of another format
or from another generator version is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

CACHE_DIR_NAME = ".timeline-cache"
FORMAT = 1
GENERATOR_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildRecord:
    """The inputs' hash and the output's fingerprint after one build, with its counts for the report."""

    inputs: str
    output: str
    counts: dict


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


def inputs_hash(folders: tuple[Path, ...], options: tuple) -> str:
    """One hash over the options, the generator's version and every file under `folders`."""
    digest = hashlib.sha256(json.dumps([FORMAT, generator_version(), [str(o) for o in options]]).encode())
    for folder in folders:
        digest.update(b"\1" + str(folder.absolute()).encode())
        for path in _files_under(folder):
            digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def output_fingerprint(out_dir: Path) -> str:
    """Each output file's path, size and modification time: any change made to the site shows."""
    digest = hashlib.sha256()
    for path in _files_under(out_dir):
        status = path.stat()
        digest.update(f"{path.relative_to(out_dir).as_posix()}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load_record(out_dir: Path) -> BuildRecord | None:
    """The last build's record, or None when there is none or it cannot be read as one."""
    try:
        data = json.loads(record_path(out_dir).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        record = BuildRecord(data["inputs"], data["output"], data["counts"])
        if not all(isinstance(value, str) for value in (record.inputs, record.output)) or not isinstance(record.counts, dict):
            return None
        return record
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_record(out_dir: Path, record: BuildRecord) -> None:
    """Write the record next to the output, atomically (a half-written record is never read)."""
    write_cache_file(record_path(out_dir), json.dumps({"format": FORMAT, "inputs": record.inputs,
                                                       "output": record.output, "counts": record.counts}))


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


def unchanged_since_last_build(out_dir: Path, inputs: str) -> dict | None:
    """The last build's counts if it read these same inputs and its output is as it left it; else None."""
    last = load_record(out_dir)
    if last and last.inputs == inputs and out_dir.is_dir() and last.output == output_fingerprint(out_dir):
        return last.counts
    return None


def record_build(out_dir: Path, inputs: str, counts: dict) -> None:
    """Remember what this build read and how its output looks now, for the next build to compare."""
    save_record(out_dir, BuildRecord(inputs, output_fingerprint(out_dir), counts))


def _files_under(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        files.extend(Path(root) / name for name in sorted(names))
    return files
