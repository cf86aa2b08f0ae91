"""Stage 1: find the content files and parse them, keeping every value's file:line."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from generator.content.errors import Problem
from generator.content.records import Event
from generator.content.yamlfile import Document, decode_text, parse_yaml, read_bytes, read_text

REGISTRIES = ("site", "actors", "topics", "eras", "threads")
_ID_LINE = re.compile(r"""^id:[ \t]*['"]?([a-z0-9][a-z0-9-]*)['"]?[ \t]*$""", re.MULTILINE)

# parse_yaml, or a caching stand-in (serve mode keeps what did not change between rebuilds).
ParseYaml = Callable[..., tuple[Document | None, Problem | None]]
# What the checks between event files read of each (its id, its related entries): the part of the file
# kept with its event between builds, its marks recorded as it is parsed; the others are found when asked.
OUTLINE_KEYS = ("id", "related")


@dataclass(frozen=True)
class CheckedEvent:
    """An event an earlier build read with no problems of its own, kept by its file's path and text."""

    event: Event
    outline: Document  # the file's OUTLINE_KEYS with their marks: all the checks between files read
    reads: str  # what reading it consulted besides its text (validate_events.event_reads): it stands while that is unchanged


# Given an event file's path (as a string) and the sha256 of its bytes, the event an earlier build checked
# from those very bytes, if kept; without a hash, by the hash the input scan took of it (None if it took none).
KeptEvents = Callable[[str, str | None], CheckedEvent | None]

# A kept event file: a way to read its text again (only needed if its event must be read again), and its event.
KeptFile = tuple[Callable[[], tuple[str | None, Problem | None]], CheckedEvent]


@dataclass(frozen=True)
class PageFile:
    """A Markdown page: its front matter (YAML) and its body text."""

    path: Path
    front_matter: Document
    body: str


@dataclass(frozen=True)
class RawContent:
    """Every content file, parsed but not yet checked for meaning."""

    content_dir: Path
    registries: dict[str, Document | None]
    events: tuple[Document, ...]
    pages: tuple[PageFile, ...]
    problems: tuple[Problem, ...]
    # The event files found kept, by path; `events` holds their outline.
    kept: dict[Path, KeptFile] = field(default_factory=dict)
    # The ids of event files that could not be read or parsed (each has its problem already): a
    # reference to one of them is not another problem.
    unreadable_event_ids: frozenset[str] = frozenset()


def load_content(content_dir: Path, parse: ParseYaml = parse_yaml, kept_events: KeptEvents | None = None) -> RawContent:
    """Parse content/site.yaml, the registries, events/*.yaml and pages/*.md.

    An event file that `kept_events` knows by the input scan's hash is not even read, one it knows by the
    hash of the bytes read is not parsed: its outline stands in.
    """
    problems: list[Problem] = []
    registries: dict[str, Document | None] = {}
    for name in REGISTRIES:
        path = content_dir / f"{name}.yaml"
        registries[name] = _load_document(path, parse, problems) if path.exists() and _inside(path, content_dir, problems) else None
    events, kept, unreadable = [], {}, set()
    for name in _listed(content_dir / "events", ".yaml", content_dir, problems):  # _listed saw each is inside
        if kept_events and (checked := kept_events(name, None)):
            document = checked.outline
            kept[document.path] = (partial(_read_again, document.path, kept_events), checked)
        else:
            document = _load_event(Path(name), parse, problems, kept_events, kept)
        if document is not None:
            events.append(document)
        else:
            unreadable.update(_ids_named(Path(name)))
    pages = []
    for name in _listed(content_dir / "pages", ".md", content_dir, problems):
        page = _load_page(Path(name), parse, problems)
        if page is not None:
            pages.append(page)
    return RawContent(content_dir, registries, tuple(events), tuple(pages), tuple(problems), kept, frozenset(unreadable))


def _ids_named(path: Path) -> set[str]:
    """The ids a file that cannot be parsed may be known by: its name, and a line `id: …` if it has one."""
    try:
        declared = _ID_LINE.findall(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        declared = []
    return {path.stem, *declared}


def _listed(folder: Path, suffix: str, content_dir: Path, problems: list[Problem]) -> list[str]:
    """The paths of the files in `folder` whose names end with `suffix`, sorted, so the result never depends
    on the order the file system lists files in; as strings: a kept event needs no Path of its own."""
    if not folder.is_dir():
        return []
    names = []
    inside = content_dir.resolve()
    folder_inside = folder.resolve().is_relative_to(inside)
    with os.scandir(folder) as entries:  # a listing knows each entry's type: no stat per file
        found = sorted((entry for entry in entries if entry.name.endswith(suffix)),
                       key=lambda entry: entry.name)
    for entry in found:
        # Only a link can lead out of a folder that is inside: resolve those alone (10,000 files).
        if not folder_inside or (entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(inside)):
            problems.append(Problem(Path(entry.path), 1, 1, "links to a file outside content/: copy the file in instead"))
        elif entry.is_file():
            names.append(entry.path)
    return names


def _inside(path: Path, content_dir: Path, problems: list[Problem]) -> bool:
    if path.resolve().is_relative_to(content_dir.resolve()):
        return True
    problems.append(Problem(path, 1, 1, "links to a file outside content/: copy the file in instead"))
    return False


def _load_document(path: Path, parse: ParseYaml, problems: list[Problem]) -> Document | None:
    return _parsed(path, *read_text(path), parse, problems)


def _parsed(path: Path, text: str | None, problem: Problem | None, parse: ParseYaml,
            problems: list[Problem]) -> Document | None:
    """A file's text (or the problem reading it) parsed; each problem goes to `problems`."""
    if problem:
        problems.append(problem)
        return None
    document, problem = parse(path, text)
    if problem:
        problems.append(problem)
    return document


def _load_event(path: Path, parse: ParseYaml, problems: list[Problem], kept_events: KeptEvents | None,
                kept: dict[Path, KeptFile]) -> Document | None:
    """An event file read: its outline if `kept_events` knows its bytes, else the file parsed."""
    raw, problem = read_bytes(path)
    if problem:
        problems.append(problem)
        return None
    if kept_events and (checked := kept_events(str(path), hashlib.sha256(raw).hexdigest())):
        kept[path] = (partial(decode_text, path, raw), checked)
        return checked.outline
    return _parsed(path, *decode_text(path, raw), partial(parse, marked=OUTLINE_KEYS), problems)


def _read_again(path: Path, kept_events: KeptEvents) -> tuple[str | None, Problem | None]:
    """The text of a kept event file not read yet; `kept_events` is told the hash of its bytes, by which the
    event read from them will be kept (they may have changed since the input scan hashed them)."""
    raw, problem = read_bytes(path)
    if problem:
        return None, problem
    kept_events(str(path), hashlib.sha256(raw).hexdigest())
    return decode_text(path, raw)


def _load_page(path: Path, parse: ParseYaml, problems: list[Problem]) -> PageFile | None:
    text, problem = read_text(path)
    if problem:
        problems.append(problem)
        return None
    if not text.startswith("---\n"):
        problems.append(Problem(path, 1, 1, "a page starts with YAML front matter: a line '---', 'title: …', then '---'"))
        return None
    closing = text.find("\n---\n", 3)
    if closing < 0:
        problems.append(Problem(path, 1, 1, "the front matter is not closed: add a line '---' after it"))
        return None
    # A leading newline stands in for the opening '---', so YAML's line numbers match the file's.
    front_matter, problem = parse(path, "\n" + text[4:closing + 1])
    if problem:
        problems.append(problem)
        return None
    return PageFile(path, front_matter, text[closing + 5:])
