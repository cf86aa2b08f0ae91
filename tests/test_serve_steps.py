"""Serve's rebuild in steps, in process: the open page first, every page next, then the rest; a save that
comes in mid-build leaves that build unfinished, and the next one ends with what a clean build gives."""

from __future__ import annotations

import time
from pathlib import Path

from generator.build.pipeline import BuildOptions, render_site
from generator.preview.rebuilder import Rebuilder
from generator.preview.server import LiveSite

WAIT_SECONDS = 20


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"no {what} within {WAIT_SECONDS} s"
        time.sleep(0.02)


def test_a_save_during_a_build_leaves_it_unfinished_and_the_next_build_ends_clean(fixture_site):
    options = BuildOptions(fixture_site, fixture_site / "site")
    events = fixture_site / "content" / "events"
    live, log = LiveSite(), []
    rebuilder = Rebuilder(options, live, log.append)
    rebuilder.rebuild()  # the first build, as the watcher makes it before serving
    served_first = []
    publish = live.publish

    def publish_then_save_again(files, errors, all_pages=True):
        publish(files, errors, all_pages)
        if not all_pages and not served_first:  # the open page is served: a second save comes in now
            served_first.append(files["events/expulsions/index.html"].decode())
            _edit(events / "reykjavik-meeting.yaml", "nearly two hours", "almost two hours")
            rebuilder.saved()

    live.publish = publish_then_save_again
    with live.page_open("events/expulsions/"):
        _edit(events / "expulsions.yaml", "Expulsions known only to the month", "Ten diplomats expelled")
        rebuilder.saved()
        _wait_for(lambda: sum(line.startswith("Built in") for line in log) == 2, "second build")

    assert "Ten diplomats expelled" in served_first[0]
    # The build the second save interrupted finished nothing and printed nothing; the next has both edits.
    assert "almost two hours" in live.snapshot.files["events/reykjavik-meeting/index.html"].decode()
    assert live.snapshot.files == render_site(options).files
    assert live.snapshot.all_pages and live.snapshot.errors == ()
    assert [line for line in log if "problem" in line or "Traceback" in line] == []
