"""Rebuilds that redo only what an edit affects, for `timeline serve`.

A `BuildCache` is passed to `render_site` and kept between rebuilds. It keeps:
- each file's parsed YAML, keyed by its path and exact text (so an edit is never missed, even
  within one tick of the file system's clock);
- each Markdown text's HTML, and each event that did not change (the same object as before);
- each page's bytes, together with every value its template read.

Templates see the timeline and the page's own values (its event, term or sections) through
recording stand-ins: each attribute, item, call and length they read is logged, as a tree of
reads. On the next rebuild a page is reused only if its template files and its `Page` fields are
unchanged and every logged read gives the same value again. The model is immutable, so where the
new value *is* the old object, nothing under it can have changed and its branch is skipped. The
result is always the same as a clean build (tests check it byte for byte).
"""

from __future__ import annotations

import datetime

import hashlib
from dataclasses import dataclass, fields, replace
from inspect import ismethod
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2

from generator.content.records import Event
from generator.content.errors import Problem
from generator.content.markup import MarkdownRenderer
from generator.site.model import Timeline
from generator.site.pages import Page
from generator.site.render import make_environment, render_page
from generator.content.validate import Content
from generator.content.yamlfile import Document, parse_yaml

# Immutable values compared by value: recorded whole, handed to templates and helpers as they are.
_LEAVES = (str, int, float, bool, type(None), bytes, datetime.date)
_MISSING = object()  # what a read gives when the new value no longer has what the old one had


class _Read:
    """One value a template read, and what it read from that value in turn (by step)."""

    __slots__ = ("value", "steps")

    def __init__(self, value: Any, leaf: bool):
        self.value = value
        self.steps: dict[tuple, _Read] | None = None if leaf else {}

    def holds_for(self, new: Any) -> bool:
        """True if reading the same steps from `new` gives the same values as last time."""
        if new is self.value:
            return True  # the same immutable object: everything read from it is unchanged
        if type(new) is not type(self.value):
            return False
        if self.steps is None:
            return new == self.value
        for step, read in self.steps.items():
            try:
                value = _STEPS[step[0]](new, *step[1:])
            except Exception:  # noqa: BLE001 - anything the old page read that is no longer there
                value = _MISSING
            if not read.holds_for(value):
                return False
        return True


class CachingMarkdown(MarkdownRenderer):
    """A Markdown renderer that converts each distinct text once."""

    def __init__(self) -> None:
        super().__init__()
        self._html: dict[str, str] = {}

    def known(self, text: str) -> bool:
        return text in self._html

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
    reads: _Read  # from the root: ("timeline",) and ("context",)
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
        """Like render.stream_pages, re-rendering only pages whose inputs changed."""
        templates_key = _templates_key(folders)
        if self._environment is None or self._environment[0] != templates_key:
            self._environment = (templates_key, make_environment(folders))
        environment = self._environment[1]
        rendered, kept = {}, {}
        self.stats = RebuildStats()
        for page in pages:
            previous = self._pages.get(page.output_path)
            if previous and previous.templates_key == templates_key and _same_page(previous.page, page) \
                    and previous.reads.holds_for(_Inputs(timeline, page.context)):
                kept[page.output_path] = previous
                self.stats.pages_reused += 1
            else:
                inputs = _Inputs(timeline, page.context)
                reads = _Read(inputs, leaf=False)
                recorded = _wrap(inputs, reads)
                recording = replace(page, context=MappingProxyType(
                    {key: recorded.context[key] for key in recorded.context.keys()}))
                html = render_page(environment, recording, recorded.timeline, folders)
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


def _same_page(old: Page, new: Page) -> bool:
    """The same page, but for its context (whose values are compared as they were read)."""
    return all(getattr(old, field.name) == getattr(new, field.name) for field in fields(Page) if field.name != "context")


@dataclass(frozen=True)
class _Inputs:
    """What a page's template can read: the root of its tree of reads."""

    timeline: Timeline
    context: Any


_STEPS = {
    "attr": getattr,
    "item": lambda value, key: value[key],
    "call": lambda value, name, args: getattr(value, name)(*args),
    "len": len,
    "str": str,
    "eq": lambda value, other: value == other,
    "whole": lambda value: value,
    "keys": lambda value: tuple(value.keys()),
    "never": lambda value: _MISSING,
}


def _wrap(value: Any, read: _Read) -> Any:
    if isinstance(value, (tuple, list)):
        return _RecordingSequence(value, read)
    if isinstance(value, _LEAVES):
        return value
    return _RecordingObject(value, read)


def _unwrap(value: Any) -> Any:
    return object.__getattribute__(value, "_target") if isinstance(value, _Recording) else value


class _Recording:
    """A stand-in for a value of the model that logs what a template reads from it."""

    __slots__ = ("_target", "_read_log")

    def __init__(self, target: Any, read: _Read):
        self._target, self._read_log = target, read

    def _read(self, step: tuple, value: Any) -> Any:
        """Log that `step` gave `value`, and hand the template a stand-in for it."""
        steps = self._read_log.steps
        try:
            read = steps.get(step)
        except TypeError:  # a step that cannot be a key (an unhashable argument): never reuse the page
            steps[("never",)] = _Read(None, leaf=True)
            return value
        if read is None:
            read = steps[step] = _Read(value, leaf=isinstance(value, _LEAVES) or step[0] in ("whole", "len", "str", "eq", "keys"))
        return value if read.steps is None else _wrap(value, read)

    def _whole(self) -> None:
        self._read(("whole",), self._target)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if ismethod(value) or callable(value) and not isinstance(value, type):
            return lambda *args: self._read(("call", name, tuple(map(_unwrap, args))), value(*map(_unwrap, args)))
        return self._read(("attr", name), value)

    def __getitem__(self, key: Any) -> Any:
        key = _unwrap(key)
        try:
            value = self._target[key]
        except LookupError:
            self._read(("item", key), _MISSING)
            raise
        return self._read(("item", key), value)

    def __str__(self) -> str:
        return self._read(("str",), str(self._target))

    def __eq__(self, other: object) -> bool:
        other = _unwrap(other)
        return self._read(("eq", other), self._target == other)

    def __hash__(self) -> int:
        self._whole()
        return hash(self._target)

    def __bool__(self) -> bool:
        if hasattr(self._target, "__len__"):
            return self.__len__() > 0
        return bool(self._target)  # an object's truth: its type, which the parent's check covers

    def __len__(self) -> int:
        return self._read(("len",), len(self._target))

    def __iter__(self):
        self._whole()  # iterating a mapping, or anything unusual: the whole value is what was read
        return iter(self._target)

    def __contains__(self, item: object) -> bool:
        self._whole()
        return _unwrap(item) in self._target

    def keys(self) -> tuple:
        return self._read(("keys",), tuple(self._target.keys()))


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
        self._whole()
        return self._target[index]
