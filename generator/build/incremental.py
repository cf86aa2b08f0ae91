"""Rebuilds that redo only what an edit affects, for `timeline serve`.

A `BuildCache` is passed to `render_site` and kept between rebuilds. It keeps:
- each file's parsed YAML, keyed by its path and exact text (so an edit is never missed, even
  within one tick of the file system's clock);
- each Markdown text's HTML, and each event body's with its citations linked;
- each page's bytes, with its key (site/page_keys.py: a hash of everything the page shows).

A page is rendered again only when its key changed, as `timeline build` does with the pages it
keeps on disk (build/page_store.py); the result is always the same as a clean build (tests check
it byte for byte). A few pages (serve's: those open in a browser) may be made ahead of the others
(`render_first`), and are then kept by the `render_pages` of the same build; a build whose pages a
newer save made out of date may be left unfinished (`Superseded`), and the cache stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from generator.content.errors import Problem
from generator.content.markup import MarkdownRenderer
from generator.content.yamlfile import Document, parse_yaml
from generator.site.entries import EntryCache
from generator.site.model import Timeline
from generator.site.page_keys import PageKeys, theme_only_templates
from generator.site.pages import Page
from generator.site.render import make_environment, render_page
from generator.site.theme import BUILTIN_THEME, templates_digest


class CachingMarkdown(MarkdownRenderer):
    """A Markdown renderer that converts each distinct text once, and links each distinct body's citations once."""

    def __init__(self) -> None:
        super().__init__()
        self._html: dict[str, str] = {}
        self._bodies: dict[str, str] = {}

    def known(self, text: str) -> bool:
        return text in self._html

    def to_html(self, text: str | None) -> str:
        return _once(self._html, text, super().to_html)

    def body_to_html(self, text: str | None) -> str:
        return _once(self._bodies, text, super().body_to_html)

    def convert_bodies_ahead(self, bodies: list[str]) -> None:
        super().convert_bodies_ahead([body for body in bodies if body not in self._bodies])


def _once(known: dict[str, str], text: str | None, convert: Callable[[str], str]) -> str:
    """`convert(text)`, made once for each distinct text and kept in `known`."""
    if not text:
        return ""
    if text not in known:
        known[text] = convert(text)
    return known[text]


class Superseded(Exception):
    """A newer save came in while pages were being made: the build is left unfinished, for the next one."""


@dataclass
class RebuildStats:
    """What the last rebuild redid and what it kept, for tests and the benchmark."""

    pages_rendered: int = 0
    pages_reused: int = 0


class BuildCache:
    """Everything serve mode keeps from one build to the next; one per serve process."""

    def __init__(self, superseded: Callable[[], bool] = lambda: False) -> None:
        self.markdown = CachingMarkdown()
        self._superseded = superseded  # asked between pages: True leaves the build unfinished (raises Superseded)
        self.stats = RebuildStats()
        self._parsed: dict[Path, tuple[tuple[str, tuple[str, ...] | None], tuple[Document | None, Problem | None]]] = {}
        self._pages: dict[str, tuple[str, bytes]] = {}  # output path → (key, HTML)
        self._environment: tuple[str, jinja2.Environment] | None = None
        self._reads_known: frozenset[str] = frozenset()  # the page templates whose reads are known, for this environment
        self._entries: dict = {}  # list entries by entry key, kept while the templates stay the same
        self._build: _Build | None = None  # the build whose pages are being made

    def parse_yaml(self, path: Path, text: str, marked: tuple[str, ...] | None = None) -> tuple[Document | None, Problem | None]:
        """parse_yaml, reusing the last result for a file whose text has not changed."""
        kept = self._parsed.get(path)
        if kept is None or kept[0] != (text, marked):
            kept = ((text, marked), parse_yaml(path, text, marked))
            self._parsed[path] = kept
        return kept[1]

    def render_first(self, pages: tuple[Page, ...], timeline: Timeline, folders: tuple[Path, ...]) -> dict[str, bytes]:
        """Some of a build's pages ahead of the others (serve: those open in a browser); render_pages keeps them."""
        this_build = self._this_build(timeline, folders)
        return {page.output_path: self._page(page, this_build)[1] for page in pages}

    def render_pages(self, pages: tuple[Page, ...], timeline: Timeline, folders: tuple[Path, ...]) -> dict[str, bytes]:
        """Like render.stream_pages, rendering only the pages whose key changed since the last rebuild."""
        this_build = self._this_build(timeline, folders)
        made = {}
        for page in pages:
            if self._superseded():
                raise Superseded
            made[page.output_path] = self._page(page, this_build)
        self._pages = {path: (key, html) for path, (key, html) in made.items() if key is not None}
        self._build = None
        return {path: html for path, (_, html) in made.items()}

    def _this_build(self, timeline: Timeline, folders: tuple[Path, ...]) -> _Build:
        """What one build's pages share (templates, keys, list entries), made at its first page."""
        if self._build is not None and self._build.timeline is timeline:
            return self._build
        templates_key = templates_digest(folders)
        if self._environment is None or self._environment[0] != templates_key:
            self._environment = (templates_key, make_environment(folders))
            self._reads_known = theme_only_templates(folders, BUILTIN_THEME)
            self._entries = {}
        environment = self._environment[1]
        keys = PageKeys(timeline, templates_key, (), self._reads_known)
        if len(self._entries) > 8 * len(timeline.events) + 100:  # edits add entries: start afresh now and then
            self._entries = {}
        # Entries are kept across rebuilds only while the theme's own entry macro draws them (the home page uses it).
        entries = (EntryCache(environment, self._entries, keys.entry_key) if "timeline.html" in self._reads_known
                   else EntryCache(environment))
        self.stats = RebuildStats()
        self._build = _Build(timeline, folders, environment, keys, entries)
        return self._build

    def _page(self, page: Page, build: _Build) -> tuple[str | None, bytes]:
        """The page's key and HTML: kept from the last rebuild if its key is the same, else rendered."""
        made = build.made.get(page.output_path)
        if made is not None:
            return made
        key, previous = build.keys.key(page), self._pages.get(page.output_path)
        if key is not None and previous is not None and previous[0] == key:
            self.stats.pages_reused += 1
            made = previous
        else:
            self.stats.pages_rendered += 1
            made = (key, render_page(build.environment, page, build.timeline, build.folders, build.entries))
        build.made[page.output_path] = made
        return made


@dataclass
class _Build:
    """One build's state while its pages are made, some ahead of the others."""

    timeline: Timeline
    folders: tuple[Path, ...]
    environment: jinja2.Environment
    keys: PageKeys
    entries: EntryCache
    made: dict[str, tuple[str | None, bytes]] = field(default_factory=dict)  # output path → (key, HTML)
