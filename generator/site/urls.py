"""The one place that decides where pages live and how one page links to another.

Internal links are relative to the page that holds them and name `index.html` explicitly, so the
site works under any sub-path (GitHub project pages) and when opened straight from disk.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def event_url(event_id: str) -> str:
    return f"events/{event_id}/"


def card_url(event_id: str) -> str:
    """An event's share card (og:image), written only when the base URL is known."""
    return f"cards/{event_id}.png"


def term_url(kind: str, term_id: str) -> str:
    """The page of a topic, actor or year: `topics/<id>/`, `actors/<id>/`, `years/<yyyy>/`."""
    return f"{kind}s/{term_id}/"


def thread_url(thread_id: str) -> str:
    return f"threads/{thread_id}/"


def embed_url(kind: str, term_id: str) -> str:
    """The compact page made for an <iframe>: `embed/threads/<id>/`, `embed/topics/<id>/`."""
    return f"embed/{kind}s/{term_id}/"


def output_path(url: str) -> str:
    """The file that serves a URL: directories are served by their index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (both site-relative, '#fragment' allowed)."""
    target, _, fragment = to_url.partition("#")
    depth = from_url.count("/")
    link = "../" * depth + output_path(target)
    return link + (f"#{fragment}" if fragment else "")


def absolute_url(base_url: str, url: str) -> str:
    """The public address of a page, for canonical links, feeds and citations."""
    return base_url + url


def root_relative_url(base_url: str | None, url: str) -> str:
    """A link that works from any depth (the 404 page is served at every missing address)."""
    base_path = urlsplit(base_url).path if base_url else "/"
    return base_path + url
