"""A progress line for builds slow enough to wonder about, on a terminal only.

A build that finishes within `delay` seconds prints nothing but its summary; so does any build
whose stderr is piped or that runs under CI (CI set), where a line rewritten with '\\r' is noise.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

SHOW_AFTER_SECONDS = 2.0


class Progress:
    """Shows the current stage (and pages rendered so far) once `delay` seconds have passed."""

    def __init__(self, stream: TextIO | None, delay: float = SHOW_AFTER_SECONDS, clock=time.monotonic):
        self._stream, self._delay, self._clock = stream, delay, clock
        self._started = clock()
        self._stage = ""
        self._shown = False
        self._last_update = float("-inf")

    @classmethod
    def silent(cls) -> Progress:
        return cls(None)

    @classmethod
    def for_terminal(cls, stream: TextIO = sys.stderr, delay: float = SHOW_AFTER_SECONDS) -> Progress:
        """Progress on `stream` if a person is watching it, otherwise silent."""
        watched = stream.isatty() and not os.environ.get("CI")
        return cls(stream if watched else None, delay)

    def stage(self, name: str) -> None:
        self._stage = name
        self._show(name, force=True)

    def step(self, done: int, total: int) -> None:
        self._show(f"{self._stage} {done}/{total}", force=done == total)

    def done(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()

    def _show(self, text: str, force: bool) -> None:
        now = self._clock()
        if self._stream is None or now - self._started < self._delay:
            return
        if not force and now - self._last_update < 0.1:
            return
        self._last_update = now
        self._shown = True
        self._stream.write(f"\r\033[K{text}…")
        self._stream.flush()
