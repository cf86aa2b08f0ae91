"""The output folder around a build: one build at a time (the lock), the atomic swap of the staged site for
the live one, the retired site kept as the next build's staging folder (or removed in a process of its own),
and what a killed build left behind. output.py stages the site between these steps.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Iterator

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


# Where an old site waits to be removed, beside the cache: one folder of links and small files per
# build, removed by a process of its own so that the build returns once the new site is in place.
TRASH_DIR = ".timeline-cache/old-sites"
# Where the site before the live one is kept, as the next build's staging folder (see write_site).
SPARE_DIR = ".timeline-cache/spare-sites"


class OutputLocked(Exception):
    """Another build is writing the same output folder right now."""


class OutputError(Exception):
    """The output folder could not be written (a full disk, a read-only or unwritable folder)."""

    def __init__(self, out_dir: Path, error: OSError):
        reason = (error.strerror or str(error)).lower()
        super().__init__(f"{_shown(out_dir)}: {reason}")


def _shown(path: Path) -> str:
    """The folder as the author knows it: relative to the current folder where it is inside it."""
    with contextlib.suppress(ValueError):
        return str(path.absolute().relative_to(Path.cwd())) or "."
    return str(path)


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on `out_dir` for one build; the OS releases it if the process dies."""
    out_dir = out_dir.absolute()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        lock_file = open(out_dir.parent / f".{out_dir.name}.lock", "a+")
    except OSError as error:
        raise OutputError(out_dir, error) from None
    with lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputLocked(f"another build is writing {out_dir} right now: wait for it to finish, then build again") from None
        yield


def keep_as_spare(old_site: Path, spare: Path, trash: Path) -> None:
    """Keep the old site as the next build's staging folder; where it cannot be moved there, remove it."""
    try:
        spare.parent.mkdir(parents=True, exist_ok=True)
        if spare.exists():  # one that could not be taken: it goes
            _remove_in_background(spare, trash)
        os.rename(old_site, spare)
    except OSError:
        _remove_in_background(old_site, trash)


def _remove_in_background(old_site: Path, trash: Path) -> None:
    """Move the old site out of sight and remove it (with any left by earlier builds) in a detached process.

    Removing ten thousand folders takes seconds that the author need not wait for. Where the move or
    the process is refused, the caller removes the folder itself, as before.
    """
    import subprocess
    import sys

    try:
        trash.mkdir(parents=True, exist_ok=True)
        os.rename(old_site, trash / old_site.name)
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(trash)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return


def swap_in(staging: Path, out_dir: Path) -> None:
    """Put `staging` at `out_dir`; afterwards `staging` holds the old site (or nothing)."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        return
    # No atomic exchange on this system: two renames, with the old site kept until the end.
    retired = staging.with_name(staging.name.replace(".new-", ".old-"))
    os.rename(out_dir, retired)
    os.rename(staging, out_dir)
    os.rename(retired, staging)


def _exchange(first: Path, second: Path) -> bool:
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0


def remove_leftovers(out_dir: Path) -> None:
    # A build killed part-way leaves its staging folder behind; it is never the live site.
    import shutil

    for leftover in out_dir.parent.glob(f".{out_dir.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out_dir.parent.glob(f".{out_dir.name}.old-*"):
        if out_dir.exists():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            os.rename(leftover, out_dir)
