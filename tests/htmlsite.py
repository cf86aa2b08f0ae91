"""Reading a built site as a reader's browser would: parsed pages and the links between them."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from generator.build.linkcheck import broken_links, read_site


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def broken_internal_links(site: Path, served_at: str | None = None) -> list[str]:
    """Every href/src that does not resolve to a file (and, with '#x', an element id) in `site`.

    The generator's own link checker (the one `timeline check` runs), over a folder on disk.
    """
    return broken_links(read_site(site), served_at)
