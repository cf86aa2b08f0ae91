"""Stage 6: write the site into a fresh folder as it is rendered, then swap it in with one atomic step.

A build that fails or is killed never leaves a half-written site: the old folder stays in place
until the new one is complete, and on Linux the two are exchanged by a single renameat2 call.
Files whose bytes did not change are hard links to the old site's, so a rebuild rewrites only what changed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


# Where an old site waits to be removed, beside the cache: one folder of links and small files per
# build, removed by a process of its own so that the build returns once the new site is in place.
TRASH_DIR = ".timeline-cache/old-sites"


class Kept:
    """In place of a file's bytes: the live site's file at the same path is still right; link it."""


KEPT = Kept()


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


def write_site(files: Mapping[str, bytes] | Iterable[tuple[str, bytes | Kept]], out_dir: Path,
               finish: Callable[[Path], None] | None = None) -> int:
    """Make `out_dir` hold exactly `files` (relative path → bytes), replacing it atomically; return how many.

    `files` may be a stream of (path, bytes) pairs: each is written as it comes and let go, so the
    site is never whole in memory. A file whose bytes equal the live site's is hard-linked from it
    (copied where links fail) rather than written: the unchanged files keep their inode and time.
    `KEPT` in place of the bytes links the live site's file without comparing (the caller knows it is right).
    `finish`, when given, runs on the complete staging folder before the swap (the search indexer);
    it may add files and replace them, never change a staged file in place (it may be the live one).
    Any refusal by the system (no space, a read-only folder) is an OutputError, with the old site in
    place and the staging folder gone.
    """
    import shutil  # here, not above: a build with nothing to do never writes
    import tempfile

    out_dir = out_dir.absolute()
    staging = None
    pairs = sorted(files.items()) if isinstance(files, Mapping) else files
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
        root = staging.resolve()
        folders: set[Path] = {root}
        written: set[str] = set()
        for relative_path, data in pairs:
            # Checked by its letters: the staging folder is new and the build puts no symbolic link in it,
            # so only an absolute path or a ".." could lead out (resolving each path cost seconds at 10,000 pages).
            normal = os.path.normpath(relative_path)
            if os.path.isabs(normal) or normal == "." or normal == ".." or normal.startswith("../"):
                raise ValueError(f"refusing to write outside the output folder: {relative_path!r}")
            target = root / normal
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            if relative_path in written:  # a later file of the same path wins, as in a mapping
                target.unlink()
            written.add(relative_path)
            if data is KEPT:
                _link_or_copy(out_dir / relative_path, target)
            else:
                _write_or_link(target, data, out_dir / relative_path)
        if finish is not None:
            finish(staging)
        staging.chmod(0o755)
        _swap_in(staging, out_dir)
        _remove_in_background(staging, out_dir.parent / TRASH_DIR)  # now the old site
    except OSError as error:
        raise OutputError(out_dir, error) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return len(written)


def _write_or_link(target: Path, data: bytes, live: Path) -> None:
    """Write `data` at `target`, or link the live site's file there when it holds exactly `data`."""
    try:
        unchanged = live.is_file() and not live.is_symlink() and live.stat().st_size == len(data) \
            and live.read_bytes() == data
    except OSError:
        unchanged = False
    if unchanged:
        try:
            os.link(live, target)
            return
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise
            # Another file system or one without links: the bytes are written instead.
    target.write_bytes(data)


def _link_or_copy(live: Path, target: Path) -> None:
    import shutil

    try:
        os.link(live, target)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.ENOENT):
            raise
        shutil.copy2(live, target)


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


def _swap_in(staging: Path, out_dir: Path) -> None:
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


def _remove_leftovers(out_dir: Path) -> None:
    # A build killed part-way leaves its staging folder behind; it is never the live site.
    import shutil

    for leftover in out_dir.parent.glob(f".{out_dir.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out_dir.parent.glob(f".{out_dir.name}.old-*"):
        if out_dir.exists():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            os.rename(leftover, out_dir)
