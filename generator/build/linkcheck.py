"""Checking a built site as a reader's browser would follow it: every internal link and #fragment.

Works on the output of a build (relative path → bytes), so `timeline check` can run it without a
web server, and tests can run it on a folder with `read_site`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote, urlsplit

_LINK_ATTRIBUTES = {"a": "href", "link": "href", "area": "href", "img": "src", "script": "src",
                    "iframe": "src", "source": "src", "audio": "src", "video": "src"}
# Pages a reader reaches without a link: the home page, and the page served at missing addresses.
_ENTRY_PAGES = frozenset({"index.html", "404.html"})


@dataclass(frozen=True)
class PageLinks:
    """What one HTML page links to, and the ids a link to it may name after '#'."""

    references: tuple[str, ...]
    ids: frozenset[str]


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        reference = attributes.get(_LINK_ATTRIBUTES.get(tag, ""))
        if reference:
            self.references.append(reference)


def read_site(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, keyed by its path relative to it (as a build produces them)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def page_links(html: bytes) -> PageLinks:
    parser = _LinkParser()
    parser.feed(html.decode("utf-8", errors="replace"))
    parser.close()
    return PageLinks(tuple(parser.references), frozenset(parser.ids))


def scan_pages(files: Mapping[str, bytes]) -> dict[str, PageLinks]:
    """The links and ids of every HTML page of a site."""
    return {path: page_links(data) for path, data in sorted(files.items()) if path.endswith(".html")}


def resolve(page: str, reference: str, files: Mapping[str, bytes], served_at: str | None) -> str | None:
    """The file a link on `page` leads to, or None when it leads to no file of the site.

    Relative links must name a file (the site also works from disk, where a folder is not its
    index.html); root-relative links are followed as a web server would, under `served_at`.
    """
    path = unquote(urlsplit(reference).path)
    if path.startswith("/"):
        if served_at is None or not path.startswith(served_at):
            return None
        target = posixpath.normpath(path[len(served_at):] or ".")
        if target == ".":
            target = "index.html"
        elif target not in files and target + "/index.html" in files:
            target += "/index.html"
    elif path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    else:
        target = page
    if target.startswith("../") or target in ("..", "."):
        return None
    return target if target in files else None


def broken_links(files: Mapping[str, bytes], served_at: str | None = None,
                 pages: Mapping[str, PageLinks] | None = None) -> list[str]:
    """Every internal link that leads nowhere, as 'page → target' (with why, for a missing id).

    Without `served_at` (the sub-path the site is published under, e.g. '/repo/'), the 404 page,
    the only page that needs root-relative links, is skipped.
    """
    pages = scan_pages(files) if pages is None else pages
    broken = []
    for page, links in pages.items():
        if page == "404.html" and served_at is None:
            continue
        for reference in links.references:
            parts = urlsplit(reference)
            if parts.scheme or reference.startswith("//"):
                continue
            target = resolve(page, reference, files, served_at)
            if target is None:
                outside = served_at and parts.path.startswith("/") and not parts.path.startswith(served_at)
                broken.append(f"{page} → {reference}" + (f" (outside {served_at})" if outside else ""))
            elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{page} → {reference} (no such id)")
    return broken


def orphan_pages(files: Mapping[str, bytes], served_at: str | None = None,
                 pages: Mapping[str, PageLinks] | None = None) -> list[str]:
    """HTML pages that no other page links to (the home and 404 pages need no link)."""
    pages = scan_pages(files) if pages is None else pages
    linked = set()
    for page, links in pages.items():
        for reference in links.references:
            if not urlsplit(reference).scheme and not reference.startswith("//"):
                target = resolve(page, reference, files, served_at)
                if target is not None and target != page:
                    linked.add(target)
    return [page for page in pages if page not in linked and page not in _ENTRY_PAGES]
