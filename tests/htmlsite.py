"""Reading a built site as a reader's browser would: parsed pages and the links between them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def broken_internal_links(site: Path, served_at: str | None = None) -> list[str]:
    """Every href/src that does not resolve to a file (and, with '#x', an element id) in `site`.

    With `served_at` (the sub-path the site is published under, e.g. '/repo/'), root-relative
    links are followed as a web server would; without it, the 404 page (which needs them) is skipped.
    """
    broken = []
    ids_by_file: dict[Path, set[str]] = {}
    for page in html_pages(site):
        if page.name == "404.html" and served_at is None:
            continue
        soup = parse(page)
        for element in soup.find_all(["a", "link", "img", "script"]):
            reference = element.get("href") or element.get("src")
            if not reference or urlsplit(reference).scheme or reference.startswith("//"):
                continue
            parts = urlsplit(reference)
            path = unquote(parts.path)
            if served_at and path.startswith("/"):
                if not path.startswith(served_at):
                    broken.append(f"{page.relative_to(site)} → {reference} (outside {served_at})")
                    continue
                target = (site / path[len(served_at):]).resolve()
                if target.is_dir():
                    target = target / "index.html"
            else:
                target = (page.parent / path).resolve() if path else page.resolve()
            if not target.is_relative_to(site.resolve()) or not target.is_file():
                broken.append(f"{page.relative_to(site)} → {reference}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids_by_file:
                    ids_by_file[target] = {tag["id"] for tag in parse(target).find_all(id=True)}
                if parts.fragment not in ids_by_file[target]:
                    broken.append(f"{page.relative_to(site)} → {reference} (no such id)")
    return broken
