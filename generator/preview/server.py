"""A local preview server: the site from an in-memory build, rebuilt on save, reloaded in the browser.

The build lives in memory, never in site/: what is served is replaced in a single assignment, so a
request never sees a page half-way through a rebuild, and site/ keeps the last published build.
`rebuilder.py` makes the builds and publishes them here in steps (the pages open in a browser first:
each open page's reload stream names its address), and the search index beside them. Open pages
listen on a Server-Sent Events stream and reload when what their address serves, or the list of problems, changes; the script that does it, and the overlay
that lists the content's problems, are added to pages as they are sent (`client.py`), so no built
file ever contains them.
"""

from __future__ import annotations

import mimetypes
import posixpath
import threading
from collections import ChainMap, Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from generator.preview import client

_KEEPALIVE_SECONDS = 10.0
_KEPT_SNAPSHOTS = 8  # recent builds, so a page that loaded one a moment ago need not reload if its own bytes are the same


@dataclass(frozen=True)
class Snapshot:
    """What is being served: the last good build, the current errors (if any), and a version.

    `all_pages` is False while only the pages open in a browser are this build's (the others follow).
    """

    files: dict[str, bytes] | None
    errors: tuple[str, ...]
    version: int
    all_pages: bool = True


class LiveSite:
    """The served state, replaced whole by each rebuild; readers wait on it for the next one."""

    def __init__(self) -> None:
        self._snapshot = Snapshot(None, (), 0)
        self._recent: dict[int, Snapshot] = {}
        self._changed = threading.Condition()
        self._open: Counter[str] = Counter()  # the pages open in a browser (listening), by address under the base path
        self.search_files: dict[str, bytes] = {}

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def snapshot_of(self, version: int) -> Snapshot | None:
        """A recent build by its version, if it is still known."""
        return self._snapshot if version == self._snapshot.version else self._recent.get(version)

    def publish(self, files: dict[str, bytes] | None, errors: tuple[str, ...], all_pages: bool = True) -> None:
        """A new build (or, with files=None, new errors while the last good build stays served)."""
        with self._changed:
            kept = files if files is not None else self._snapshot.files
            unchanged = kept == self._snapshot.files and errors == self._snapshot.errors
            if unchanged and self._snapshot.version and (self._snapshot.all_pages or not all_pages):
                return  # nothing a reader would see has changed: no reload
            self._snapshot = Snapshot(kept, errors, self._snapshot.version + 1, all_pages)
            self._recent[self._snapshot.version] = self._snapshot
            self._recent.pop(self._snapshot.version - _KEPT_SNAPSHOTS, None)
            self._changed.notify_all()

    def publish_rest(self, files: dict[str, bytes]) -> None:
        """The whole build whose pages are already published: the same pages, so no page reloads."""
        with self._changed:
            self._snapshot = replace(self._snapshot, files=files)
            self._recent[self._snapshot.version] = self._snapshot

    def publish_search(self, files: dict[str, bytes]) -> None:
        """A new search index (pagefind/…), served beside the pages; an open search page need not reload."""
        self.search_files = files

    def wait_for_change(self, version: int, timeout: float) -> Snapshot:
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot.version != version, timeout)
            return self._snapshot

    @contextmanager
    def page_open(self, page: str | None) -> Iterator[None]:
        """While a page (its address under the base path) listens for reloads, it is among `open_pages`."""
        if page is None:
            yield
            return
        with self._changed:
            self._open[page] += 1
        try:
            yield
        finally:
            with self._changed:
                self._open[page] -= 1
                if not self._open[page]:
                    del self._open[page]

    def open_pages(self) -> set[str]:
        with self._changed:
            return set(self._open)


def make_server(live: LiveSite, base_path: str, host: str, port: int, stop: threading.Event) -> ThreadingHTTPServer:
    """An HTTP server for the live site under `base_path` (e.g. '/' or '/repo/')."""

    class Handler(_SiteRequestHandler):
        pass

    Handler.live, Handler.base_path, Handler.stop = live, base_path, stop
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


class _SiteRequestHandler(BaseHTTPRequestHandler):
    live: LiveSite
    base_path: str
    stop: threading.Event
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # one line per request would bury the rebuild messages

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def _respond(self, send_body: bool) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path + "/" == self.base_path or (path == "/" and self.base_path != "/"):
            return self._redirect(self.base_path)
        if not path.startswith(self.base_path):
            return self._send(HTTPStatus.NOT_FOUND, b"Not under " + self.base_path.encode() + b"\n", "text/plain", send_body)
        relative = path[len(self.base_path):]
        if relative == client.EVENTS_PATH:
            return self._stream_reloads(_shown_version(url.query, self.live.snapshot.version),
                                        _page_under(url.query, self.base_path))
        if relative in client.FILES:
            return self._send(HTTPStatus.OK, *client.FILES[relative], send_body)
        if "\\" in relative or "\0" in relative or ".." in relative.split("/"):
            return self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain", send_body)
        snapshot = self.live.snapshot
        files = ChainMap(snapshot.files or {}, self.live.search_files)
        status, name = _lookup(files, relative)
        if status == HTTPStatus.FOUND:
            return self._redirect(path + "/")
        if snapshot.files is None:
            status, name, files = HTTPStatus.INTERNAL_SERVER_ERROR, "index.html", {"index.html": _error_page()}
        body = files.get(name, b"Not found\n")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type == "text/html":
            body = client.add_to_page(body, self.base_path, snapshot.version, snapshot.errors)
        self._send(status, body, content_type, send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type + ("; charset=utf-8" if content_type.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _stream_reloads(self, since: int, page: str | None) -> None:
        """Send `reload` when `page` (an address under the base path), shown as build `since` made it, would now
        be served otherwise; a stream that names no page, at every build whose pages are all made."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            with self.live.page_open(page):
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                shown, now = self.live.snapshot_of(since), self.live.snapshot
                while not self.stop.is_set():
                    if shown is None or _reloads(shown, now, page):
                        self.wfile.write(f"event: reload\ndata: {now.version}\n\n".encode())
                        self.wfile.flush()
                        shown = now
                    elif page is not None:
                        shown = now
                    latest = self.live.wait_for_change(now.version, _KEEPALIVE_SECONDS)
                    if latest.version == now.version:
                        self.wfile.write(b": still here\n\n")
                        self.wfile.flush()
                    now = latest
        except (BrokenPipeError, ConnectionResetError):
            pass


def _reloads(shown: Snapshot, now: Snapshot, page: str | None) -> bool:
    """Whether a page showing build `shown` reloads for build `now` (page None: any page, once all are made)."""
    if now.version == shown.version:
        return False
    if page is None:
        return now.all_pages
    return _served_as(shown, page) != _served_as(now, page)


def _served_as(snapshot: Snapshot, page: str) -> tuple:
    """What an address under the base path is answered with from `snapshot`, the reload script aside."""
    if snapshot.files is None:
        return (None, snapshot.errors)
    status, name = _lookup(snapshot.files, page)
    return (status, snapshot.files.get(name), snapshot.errors)


def _lookup(files: Mapping[str, bytes], relative: str) -> tuple[HTTPStatus, str]:
    """How `files` answer an address under the base path: (OK, its file), (FOUND, the folder it
    names, to redirect to) or (NOT_FOUND, '404.html')."""
    name = file_names(relative)[0]
    if name not in files and name + "/index.html" in files:
        return HTTPStatus.FOUND, name + "/"
    if name not in files or posixpath.normpath(name) != name:
        return HTTPStatus.NOT_FOUND, "404.html"
    return HTTPStatus.OK, name


def file_names(relative: str) -> tuple[str, str]:
    """The file an address under the base path names, and the folder's index it may redirect to."""
    name = relative + "index.html" if relative == "" or relative.endswith("/") else relative
    return name, name + "/index.html"


def _page_under(query: str, base_path: str) -> str | None:
    """The address of the page listening (`?page=`, a path), under the base path; None if it names none there."""
    page = parse_qs(query).get("page", [None])[0]
    page = unquote(page) if page is not None else None  # as the page's location has it: percent-encoded
    return page[len(base_path):] if page is not None and page.startswith(base_path) else None


def _shown_version(query: str, current: int) -> int:
    """The build a page shows, from its stream's `?since=` (a page that does not say is taken as current)."""
    try:
        return int(parse_qs(query).get("since", [str(current)])[0])
    except ValueError:
        return current


def _error_page() -> bytes:
    return (b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Content problems</title></head>'
            b"<body><h1>The site could not be built yet</h1><p>Fix the problems listed, and save.</p></body></html>")
