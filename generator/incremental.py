"""Rebuilds that redo only what an edit affects, for `timeline serve`.

A `BuildCache` is passed to `render_site` and kept between rebuilds. It keeps:
- each file's parsed YAML, keyed by its path and exact text (so an edit is never missed, even
  within one tick of the file system's clock);
- each Markdown text's HTML;
- each page's bytes, together with every value its templates read from the timeline.

Templates see the timeline through a recording stand-in: each attribute, item, call and length
they read is logged with its value. On the next rebuild a page is reused only if its template
files, its own `Page` value and every logged value are unchanged, so the result is always the
same as a clean build (tests check it byte for byte).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from inspect import ismethod
from pathlib import Path
from typing import Any, Mapping

import jinja2

from generator.content import Event
from generator.errors import Problem
from generator.markup import MarkdownRenderer
from generator.model import Timeline
from generator.pages import Page
from generator.render import make_environment, render_page
from generator.validate import Content
from generator.yamlfile import Document, parse_yaml

_LEAVES = (str, int, float, bool, type(None), bytes)
_MISSING = object()  # what a path resolves to when the new timeline no longer has it

Path_ = tuple[tuple[Any, ...], ...]  # steps from the timeline to a value, e.g. (("attr", "events"), ("len",))


class CachingMarkdown(MarkdownRenderer):
    """A Markdown renderer that converts each distinct text once."""

    def __init__(self) -> None:
        super().__init__()
        self._html: dict[str, str] = {}

    def to_html(self, text: str | None) -> str:
        if not text:
            return ""
        if text not in self._html:
            self._html[text] = super().to_html(text)
        return self._html[text]


@dataclass(frozen=True)
class _RenderedPage:
    templates_key: str
    page: Page
    reads: Mapping[Path_, Any]
    html: bytes


@dataclass
class RebuildStats:
    """What the last rebuild redid and what it kept, for tests and the benchmark."""

    pages_rendered: int = 0
    pages_reused: int = 0


class BuildCache:
    """Everything serve mode keeps from one build to the next; one per serve process."""

    def __init__(self) -> None:
        self.markdown = CachingMarkdown()
        self.stats = RebuildStats()
        self._parsed: dict[Path, tuple[str, tuple[Document | None, Problem | None]]] = {}
        self._pages: dict[str, _RenderedPage] = {}
        self._environment: tuple[str, jinja2.Environment] | None = None
        self._events: dict[str, Event] = {}

    def parse_yaml(self, path: Path, text: str) -> tuple[Document | None, Problem | None]:
        """parse_yaml, reusing the last result for a file whose text has not changed."""
        kept = self._parsed.get(path)
        if kept is None or kept[0] != text:
            kept = (text, parse_yaml(path, text))
            self._parsed[path] = kept
        return kept[1]

    def reuse_unchanged(self, content: Content) -> Content:
        """The content with each event that did not change replaced by last build's equal object.

        Pages compare their inputs with the last build's; identical objects compare in one step.
        """
        events = tuple(self._events.get(event.id, event) if self._events.get(event.id) == event else event
                       for event in content.events)
        self._events = {event.id: event for event in events}
        return replace(content, events=events)

    def render_pages(self, pages: tuple[Page, ...], timeline: Timeline, folders: tuple[Path, ...]) -> dict[str, bytes]:
        """Like render.render_pages, re-rendering only pages whose inputs changed."""
        templates_key = _templates_key(folders)
        if self._environment is None or self._environment[0] != templates_key:
            self._environment = (templates_key, make_environment(folders))
        environment = self._environment[1]
        resolved: dict[Path_, Any] = {}
        rendered, kept = {}, {}
        self.stats = RebuildStats()
        for page in pages:
            previous = self._pages.get(page.output_path)
            if previous and previous.templates_key == templates_key and previous.page == page \
                    and _reads_hold(previous.reads, timeline, resolved):
                kept[page.output_path] = previous
                self.stats.pages_reused += 1
            else:
                reads: dict[Path_, Any] = {}
                html = render_page(environment, page, _wrap(timeline, (), reads), folders)
                kept[page.output_path] = _RenderedPage(templates_key, page, reads, html)
                self.stats.pages_rendered += 1
            rendered[page.output_path] = kept[page.output_path].html
        self._pages = kept
        return rendered


def _templates_key(folders: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "assets" not in path.relative_to(folder).parts:
                digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _reads_hold(reads: Mapping[Path_, Any], timeline: Timeline, resolved: dict[Path_, Any]) -> bool:
    resolved.setdefault((), timeline)
    for path, value in reads.items():
        now = _resolve(path, resolved)
        if now is not value and not (type(now) is type(value) and now == value):
            return False
    return True


def _resolve(path: Path_, resolved: dict[Path_, Any]) -> Any:
    """The value at `path` in the new timeline; prefixes shared by many paths are resolved once."""
    if path in resolved:
        return resolved[path]
    parent = _resolve(path[:-1], resolved)
    step = path[-1]
    try:
        value = _MISSING if parent is _MISSING else _STEPS[step[0]](parent, *step[1:])
    except Exception:  # noqa: BLE001 - anything the old page read that is no longer there
        value = _MISSING
    resolved[path] = value
    return value


_STEPS = {
    "attr": getattr,
    "item": lambda value, key: value[key],
    "call": lambda value, name, args: getattr(value, name)(*args),
    "len": len,
    "type": type,
    "str": str,
    "eq": lambda value, other: value == other,
    "never": lambda value: _MISSING,
}


def _record(reads: dict[Path_, Any], path: Path_, value: Any) -> Any:
    try:
        reads[path] = value
    except TypeError:  # a read that cannot be keyed (an unhashable argument): never reuse the page
        reads[(("never",),)] = None
    return value


def _unwrap(value: Any) -> Any:
    return object.__getattribute__(value, "_target") if isinstance(value, _Recording) else value


def _wrap(value: Any, path: Path_, reads: dict[Path_, Any]) -> Any:
    if isinstance(value, _LEAVES):
        return _record(reads, path, value)
    _record(reads, path + (("type",),), type(value))
    if isinstance(value, (tuple, list)):
        return _RecordingSequence(value, path, reads)
    if isinstance(value, Mapping):
        return _RecordingMapping(value, path, reads)
    return _RecordingObject(value, path, reads)


class _Recording:
    """A stand-in for a value of the timeline that logs what a template reads from it."""

    __slots__ = ("_target", "_path", "_reads")

    def __init__(self, target: Any, path: Path_, reads: dict[Path_, Any]):
        self._target, self._path, self._reads = target, path, reads

    def _read(self, step: tuple[Any, ...], value: Any) -> Any:
        return _wrap(value, self._path + (step,), self._reads)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if ismethod(value) or callable(value) and not isinstance(value, type):
            return lambda *args: self._read(("call", name, tuple(_unwrap(a) for a in args)), value(*map(_unwrap, args)))
        return self._read(("attr", name), value)

    def __str__(self) -> str:
        return _record(self._reads, self._path + (("str",),), str(self._target))

    def __eq__(self, other: object) -> bool:
        other = _unwrap(other)
        return _record(self._reads, self._path + (("eq", other),), self._target == other)

    def __hash__(self) -> int:
        _record(self._reads, self._path, self._target)
        return hash(self._target)

    def __bool__(self) -> bool:
        return _record(self._reads, self._path + (("len",),), len(self._target)) > 0 \
            if hasattr(self._target, "__len__") else bool(self._target)

    def __len__(self) -> int:
        return _record(self._reads, self._path + (("len",),), len(self._target))

    def __iter__(self):
        # Iterating a mapping, or anything unusual: the whole value is what was read.
        _record(self._reads, self._path, self._target)
        return iter(self._target)

    def __contains__(self, item: object) -> bool:
        _record(self._reads, self._path, self._target)
        return _unwrap(item) in self._target


class _RecordingObject(_Recording):
    __slots__ = ()


class _RecordingSequence(_Recording):
    __slots__ = ()

    def __iter__(self):
        self.__len__()
        return (self._read(("item", index), item) for index, item in enumerate(self._target))

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int):
            return self._read(("item", index), self._target[index])
        _record(self._reads, self._path, self._target)
        return self._target[index]


class _RecordingMapping(_Recording):
    __slots__ = ()

    def __getitem__(self, key: Any) -> Any:
        key = _unwrap(key)
        try:
            value = self._target[key]
        except LookupError:
            _record(self._reads, self._path + (("item", key),), _MISSING)
            raise
        return self._read(("item", key), value)
