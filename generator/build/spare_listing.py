"""What the spare site holds (the site before last, the next build's staging folder: output.py), listed by a
forked child while the parent reads and plans the content.

At 10,000 events the spare is some 30,000 files in 10,000 folders; listing them cost the build 0.25–0.5 s of
its one busy core, and the second core is idle while the parent plans (an edit converts one body). The child
lists the folder where it waits, writes the listing to a file (marshal: 1.4 MB, read in 0.02 s) and exits;
the parent takes it once it moves the spare into place. Where there is no `fork`, other threads run, the
system refuses a process, or the child fails, the parent lists the folder itself, as it always did.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from generator.build.output_check import may_fork

_MAX_FD = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1 << 16


class Listing(NamedTuple):
    """A folder's files (relative path → inode) and folders (relative paths), nothing else in it."""

    files: dict[str, int]
    folders: set[str]


def list_folder(root: str) -> Listing:
    """Every file and folder under `root`; anything that is neither (a link a user put in the live site) is
    removed, so that no path written under `root` can lead out of it."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    pending = [""]
    while pending:
        prefix = pending.pop()
        with os.scandir(f"{root}/{prefix}") as listing:
            for entry in listing:
                path = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(path)
                    pending.append(path + "/")
                elif entry.is_file(follow_symlinks=False):
                    files[path] = entry.inode()
                else:
                    os.unlink(entry.path)
    return Listing(files, folders)


@contextlib.contextmanager
def listing_ahead(folder: Path) -> Iterator[Callable[[], Listing | None]]:
    """Start listing `folder` (as `list_folder` does) in a forked child; yield a function that waits for the
    child and gives its listing, or None where there is none (no such folder, no child, a child that failed:
    the caller lists the folder itself). The folder must not be moved or changed until then. A listing never
    asked for is stopped when the block ends.

    The child writes to an unlinked file, not a pipe, and keeps no other file open (the build's lock among
    them): it never waits on the parent, and a parent killed mid-build leaves nothing holding the lock."""
    if not (may_fork() and os.path.isdir(folder)):
        yield lambda: None
        return
    import tempfile  # here, not above: a build with nothing to do never lists the spare

    try:
        sent = tempfile.TemporaryFile()
        child = os.fork()
    except OSError:  # no file or no process to spare: the parent lists the folder when it needs it
        yield lambda: None
        return
    if child == 0:  # the child: lists, writes, exits; nothing else of the build runs here
        status = 1
        try:
            os.closerange(3, sent.fileno())
            os.closerange(sent.fileno() + 1, _MAX_FD)
            listed = list_folder(str(folder))
            with open(sent.fileno(), "wb", closefd=False) as file:
                file.write(marshal.dumps((listed.files, list(listed.folders))))
            status = 0
        finally:
            os._exit(status)
    waiting: int | None = child

    def take() -> Listing | None:
        nonlocal waiting
        if waiting is None:  # taken already
            return None
        _, status = os.waitpid(child, 0)
        waiting = None
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        sent.seek(0)
        files, folders = marshal.loads(sent.read())
        return Listing(files, set(folders))

    try:
        yield take
    finally:
        if waiting is not None:  # not asked for (a build that failed before staging): not needed
            import signal

            with contextlib.suppress(ProcessLookupError):
                os.kill(waiting, signal.SIGKILL)
            os.waitpid(waiting, 0)
        sent.close()
