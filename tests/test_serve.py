"""`timeline serve` as a real process on a free port: pages, live reload, errors, and safety."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build.pipeline import BuildOptions, render_site
from generator.preview.server import Snapshot, _reloads

WAIT_SECONDS = 20  # generous bound for a slow CI machine; a healthy run takes well under a second


class Server:
    """A `timeline serve` process, and what it printed."""

    def __init__(self, site: Path):
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=site,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read_output, daemon=True).start()
        self.url = re.search(r"Serving (http://\S+)", self.wait_for_line("Serving ")).group(1)

    def _read_output(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for_line(self, text: str) -> str:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if text in line:
                return line
        raise AssertionError(f"the server did not print {text!r} within {WAIT_SECONDS} s")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=WAIT_SECONDS) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            return self.process.wait(timeout=WAIT_SECONDS)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=WAIT_SECONDS)


class ReloadStream:
    """The Server-Sent Events stream an open page listens to (`since`: the build the page shows; `page`: its
    address, as its script names it; without one, the stream reloads at every build)."""

    def __init__(self, server: Server, since: str = "", page: str = ""):
        query = urlencode({name: value for name, value in (("since", since), ("page", page)) if value})
        self.response = urllib.request.urlopen(server.url + "__timeline__/events" + (query and "?" + query),
                                               timeout=WAIT_SECONDS)
        assert self.response.headers["Content-Type"] == "text/event-stream"
        assert self.response.readline() == b": connected\n"

    def wait_for_reload(self) -> int:
        """The version of the build the reload is for."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if self.response.readline() == b"event: reload\n":
                return int(self.response.readline().decode().removeprefix("data: "))
        raise AssertionError("no reload event")

    def close(self) -> None:
        self.response.close()


@pytest.fixture
def served_site(fixture_site):
    site_yaml = fixture_site / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "base_url: https://example.org/repo/\n")
    (fixture_site / "secret.txt").write_text("not part of the site")
    server = Server(fixture_site)
    yield fixture_site, server
    server.stop()


RELOAD_SCRIPT = re.compile(r'<script src="/repo/__timeline__/reload\.js" data-version="(\d+)"></script>')


def _without_reload_script(html: str) -> str:
    return RELOAD_SCRIPT.sub("", html)


def test_serves_the_site_under_its_production_sub_path(served_site):
    site, server = served_site
    assert server.url.endswith("/repo/") and server.url.startswith("http://127.0.0.1:")
    status, home = server.get("")
    assert status == 200
    assert parse_html(home).h1.get_text() == "Fixture Timeline"
    assert len(RELOAD_SCRIPT.findall(home)) == 1
    # The served page is the built page plus the reload script, which no built file contains.
    built = render_site(BuildOptions(site, site / "site")).files
    assert _without_reload_script(home) == built["index.html"].decode()
    assert not any(b"__timeline__" in data for data in built.values())
    assert not (site / "site").exists()
    status, schema = server.get("schema/event.schema.json")
    assert status == 200 and '"title": "Timeline event"' in schema
    status, missing = server.get("events/no-such-event/")
    assert status == 404 and "Page not found" in missing


def test_what_the_preview_adds_to_pages_is_served_as_files_never_inline(served_site):
    site, server = served_site
    path = site / "content" / "events" / "expulsions.yaml"
    path.write_text(path.read_text().replace("date: 2021-04", "date: 2021-13", 1))
    server.wait_for_line("1 problem(s)")
    status, page = server.get("events/expulsions/")
    assert status == 200
    shown = parse_html(page)
    # The page's Content-Security-Policy refuses inline scripts and style attributes.
    assert [script for script in shown.find_all("script") if not script.get("src")
            and script.get("type") != "application/ld+json"] == []
    assert shown.select("[style]") == [] and shown.find("style") is None
    assert shown.select_one('link[rel="stylesheet"][href="/repo/__timeline__/overlay.css"]') is not None
    response = urllib.request.urlopen(server.url + "__timeline__/reload.js", timeout=WAIT_SECONDS)
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "new EventSource" in response.read().decode()
    response = urllib.request.urlopen(server.url + "__timeline__/overlay.css", timeout=WAIT_SECONDS)
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    assert "#timeline-problems" in response.read().decode()


def test_a_page_that_shows_an_older_build_reloads_as_soon_as_it_listens(served_site):
    site, server = served_site
    _, home = server.get("")
    shown_version = RELOAD_SCRIPT.search(home).group(1)
    path = site / "content" / "events" / "expulsions.yaml"
    path.write_text(path.read_text().replace("Expulsions known only to the month", "Ten diplomats expelled"))
    server.wait_for_line("Built in")  # a rebuild published between the page's load and its stream's opening
    stream = ReloadStream(server, since=shown_version)
    try:
        stream.wait_for_reload()
    finally:
        stream.close()


def test_a_saved_edit_reloads_the_page_with_the_new_content(served_site):
    site, server = served_site
    stream = ReloadStream(server)
    try:
        path = site / "content" / "events" / "expulsions.yaml"
        path.write_text(path.read_text().replace("Expulsions known only to the month", "Ten diplomats expelled"))
        stream.wait_for_reload()
    finally:
        stream.close()
    status, page = server.get("events/expulsions/")
    assert status == 200
    assert parse_html(page).h1.get_text() == "Ten diplomats expelled"


def test_an_open_page_is_served_with_the_edit_when_it_reloads_and_the_feeds_follow(served_site):
    site, server = served_site
    stream = ReloadStream(server, page="/repo/events/expulsions/")
    try:
        path = site / "content" / "events" / "expulsions.yaml"
        path.write_text(path.read_text().replace("Expulsions known only to the month", "Ten diplomats expelled"))
        stream.wait_for_reload()
        _, page = server.get("events/expulsions/")
        assert parse_html(page).h1.get_text() == "Ten diplomats expelled"
    finally:
        stream.close()
    server.wait_for_line("Built in")
    _, feed = server.get("feed.xml")
    assert "Ten diplomats expelled" in feed and "Expulsions known only to the month" not in feed


def test_an_open_page_reloads_when_an_edit_changes_it_not_at_every_build(served_site):
    site, server = served_site
    expulsions_page = ReloadStream(server, page="/repo/events/expulsions/")
    any_page = ReloadStream(server)  # names no page: reloads at every build
    try:
        # Only its own page shows an event's body.
        meeting = site / "content" / "events" / "reykjavik-meeting.yaml"
        meeting.write_text(meeting.read_text().replace("nearly two hours", "almost two hours"))
        any_page.wait_for_reload()
        server.wait_for_line("Built in")
        _, home = server.get("")
        version_after_first_edit = int(RELOAD_SCRIPT.search(home).group(1))

        path = site / "content" / "events" / "expulsions.yaml"
        path.write_text(path.read_text().replace("Expulsions known only to the month", "Ten diplomats expelled"))
        assert expulsions_page.wait_for_reload() > version_after_first_edit
        _, page = server.get("events/expulsions/")
        assert parse_html(page).h1.get_text() == "Ten diplomats expelled"
    finally:
        expulsions_page.close()
        any_page.close()


def test_a_page_reloads_when_what_its_address_serves_or_the_problems_change():
    old = Snapshot({"index.html": b"home", "events/a/index.html": b"a", "404.html": b"missing"}, (), 1)
    open_pages_first = Snapshot({**old.files, "events/a/index.html": b"a, edited"}, (), 2, all_pages=False)
    all_pages = Snapshot({**open_pages_first.files, "index.html": b"home, edited"}, (), 3)
    assert _reloads(old, open_pages_first, "events/a/") and not _reloads(old, open_pages_first, "")
    assert not _reloads(open_pages_first, all_pages, "events/a/") and _reloads(open_pages_first, all_pages, "")
    # A stream that names no page waits until every page of the build is made.
    assert not _reloads(old, open_pages_first, None) and _reloads(old, all_pages, None)
    with_problems = Snapshot(all_pages.files, ("content/events/a.yaml:1:1: a problem",), 4)
    assert _reloads(all_pages, with_problems, "events/a/") and _reloads(all_pages, with_problems, "nowhere/")
    added = Snapshot({**all_pages.files, "events/b/index.html": b"b"}, (), 4)
    assert _reloads(all_pages, added, "events/b/") and not _reloads(all_pages, added, "events/c/")
    assert _reloads(all_pages, added, "events/b") and not _reloads(all_pages, all_pages, "events/b/")


def test_invalid_content_shows_the_errors_over_the_last_good_build(served_site):
    site, server = served_site
    stream = ReloadStream(server)
    path = site / "content" / "events" / "expulsions.yaml"
    good = path.read_text()
    try:
        path.write_text(good.replace("date: 2021-04", "date: 2021-13", 1).replace("Expulsions known", "Changed"))
        stream.wait_for_reload()
        status, page = server.get("events/expulsions/")
        assert status == 200
        shown = parse_html(page)
        assert shown.h1.get_text() == "Expulsions known only to the month"  # the last good build
        assert shown.select_one("#timeline-errors").get_text() == "content/events/expulsions.yaml:1:7: '2021-13' has no month 13: months run 01 to 12"
        status, home = server.get("")
        assert parse_html(home).select_one("#timeline-errors") is not None

        path.write_text(good)
        stream.wait_for_reload()
    finally:
        stream.close()
    status, page = server.get("events/expulsions/")
    assert parse_html(page).select_one("#timeline-errors") is None


def _raw_get(server: Server, raw_path: str) -> tuple[int, bytes]:
    host, port = re.match(r"http://([^:/]+):(\d+)", server.url).groups()
    with socket.create_connection((host, int(port)), timeout=WAIT_SECONDS) as connection:
        connection.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1]), reply


def test_nothing_outside_the_built_site_is_served(served_site):
    _, server = served_site
    for raw_path in ("/repo/../secret.txt", "/repo/%2e%2e/secret.txt", "/repo/..%2fsecret.txt",
                     "/repo/assets/..%5c..%5csecret.txt", "/repo/../../../../etc/passwd", "/secret.txt"):
        status, reply = _raw_get(server, raw_path)
        assert status == 404, raw_path
        assert b"not part of the site" not in reply and b"root:" not in reply


def test_a_folder_is_its_index_page_never_a_listing(served_site):
    _, server = served_site
    status, reply = _raw_get(server, "/repo/assets/")
    assert status == 404 and b"Page not found" in reply and b"Directory listing" not in reply
    status, reply = _raw_get(server, "/repo/events/expulsions")
    assert status == 302 and b"Location: /repo/events/expulsions/" in reply


def test_ctrl_c_stops_the_server_cleanly(fixture_site):
    server = Server(fixture_site)
    assert server.stop() == 0
    assert server.wait_for_line("Stopped.")


def parse_html(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def test_content_invalid_from_the_start_shows_the_errors_until_fixed(fixture_site):
    path = fixture_site / "content" / "events" / "expulsions.yaml"
    good = path.read_text()
    path.write_text(good.replace("title: Expulsions", "titel: Expulsions"))
    server = Server(fixture_site)
    try:
        status, page = server.get("")
        assert status == 500
        assert "content/events/expulsions.yaml:2:1: unknown field 'titel' in event — did you mean 'title'?" in \
            parse_html(page).select_one("#timeline-errors").get_text()
        stream = ReloadStream(server)
        try:
            path.write_text(good)
            stream.wait_for_reload()
        finally:
            stream.close()
        status, page = server.get("")
        assert status == 200 and parse_html(page).select_one("#timeline-errors") is None
    finally:
        assert server.stop() == 0


def _running(pid: int) -> bool:
    """Whether the process is alive (a zombie waiting for its parent to read its end is not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_ctrl_c_while_the_search_index_is_made_leaves_no_pagefind_running(fixture_site, tmp_path):
    # A Pagefind that names itself and never ends: the search index is being made when Ctrl-C comes.
    marker = tmp_path / "pagefind.pid"
    pagefind = tmp_path / "slow-pagefind"
    pagefind.write_text(f'#!/bin/sh\necho $$ > "{marker}"\nexec sleep 300\n', encoding="utf-8")
    pagefind.chmod(0o755)
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=fixture_site,
                               env={**os.environ, "PAGEFIND_BINARY_PATH": str(pagefind)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while not (marker.exists() and marker.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.05)
        pid = int(marker.read_text())
        assert _running(pid)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT_SECONDS) == 0
        deadline = time.monotonic() + 5
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(pid), "Pagefind outlived the server"
    finally:
        process.kill()
        if marker.exists() and marker.read_text().strip() and _running(int(marker.read_text())):
            os.kill(int(marker.read_text()), signal.SIGKILL)
