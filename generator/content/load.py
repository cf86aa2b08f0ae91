"""Stage 1: find the content files and parse them, keeping every value's file:line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.content.errors import Problem
from generator.content.yamlfile import Document, parse_yaml, read_text

REGISTRIES = ("site", "actors", "topics", "eras", "threads")

# parse_yaml, or a caching stand-in (serve mode keeps what did not change between rebuilds).
ParseYaml = Callable[[Path, str], tuple[Document | None, Problem | None]]


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


def load_content(content_dir: Path, parse: ParseYaml = parse_yaml) -> RawContent:
    """Parse content/site.yaml, the registries, events/*.yaml and pages/*.md."""
    problems: list[Problem] = []
    registries: dict[str, Document | None] = {}
    for name in REGISTRIES:
        path = content_dir / f"{name}.yaml"
        registries[name] = _load_document(path, content_dir, parse, problems) if path.exists() else None
    events = []
    for path in _listed(content_dir / "events", "*.yaml", content_dir, problems):
        document = _load_document(path, content_dir, parse, problems)
        if document is not None:
            events.append(document)
    pages = []
    for path in _listed(content_dir / "pages", "*.md", content_dir, problems):
        page = _load_page(path, parse, problems)
        if page is not None:
            pages.append(page)
    return RawContent(content_dir, registries, tuple(events), tuple(pages), tuple(problems))


def _listed(folder: Path, pattern: str, content_dir: Path, problems: list[Problem]) -> list[Path]:
    # Sorted, so the result never depends on the order the file system lists files in.
    if not folder.is_dir():
        return []
    paths = []
    inside = content_dir.resolve()
    folder_inside = folder.resolve().is_relative_to(inside)
    for path in sorted(folder.glob(pattern)):
        # Only a link can lead out of a folder that is inside: resolve those alone (10,000 files).
        if not folder_inside or (path.is_symlink() and not path.resolve().is_relative_to(inside)):
            problems.append(Problem(path, 1, 1, "links to a file outside content/: copy the file in instead"))
        elif path.is_file():
            paths.append(path)
    return paths


def _load_document(path: Path, content_dir: Path, parse: ParseYaml, problems: list[Problem]) -> Document | None:
    if not path.resolve().is_relative_to(content_dir.resolve()):
        problems.append(Problem(path, 1, 1, "links to a file outside content/: copy the file in instead"))
        return None
    text, problem = read_text(path)
    if problem:
        problems.append(problem)
        return None
    document, problem = parse(path, text)
    if problem:
        problems.append(problem)
    return document


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
