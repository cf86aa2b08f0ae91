"""Stage 2: turn parsed files into checked content values, or report every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.content.records import Actor, Era, Event, SiteConfig, TextPage, Thread, Topic
from generator.content.errors import ContentErrors, Problem
from generator.content.fields import SLUG, Fields
from generator.content.load import CheckedEvent, PageFile, RawContent
from generator.content.markup import MarkdownRenderer
from generator.content.validate_events import declared_id, validate_events
from generator.content.validate_registries import (check_chronology_track, validate_actors, validate_eras,
                                                   validate_site_config, validate_topics)
from generator.content.validate_threads import validate_threads

# Page slugs that would collide with the generator's own folders.
RESERVED_SLUGS = frozenset({"events", "topics", "actors", "years", "threads", "embed", "assets", "404"})


@dataclass(frozen=True)
class Content:
    """All content, checked: the input of the model stage."""

    config: SiteConfig
    actors: dict[str, Actor]
    topics: dict[str, Topic]
    eras: tuple[Era, ...]
    events: tuple[Event, ...]
    pages: tuple[TextPage, ...]
    threads: tuple[Thread, ...] = ()


def validate(raw: RawContent, markdown: MarkdownRenderer | None = None,
             keep: Callable[[Path, CheckedEvent], None] | None = None) -> Content:
    """Check everything; raise ContentErrors listing every problem in every file.

    Each event read (or found kept) with no problems of its own goes to `keep`, to be kept for the next build.
    """
    problems: list[Problem] = list(raw.problems)
    markdown = markdown or MarkdownRenderer()
    config = validate_site_config(raw.registries["site"], raw.content_dir, problems)
    actors = validate_actors(raw.registries["actors"], problems)
    topics = validate_topics(raw.registries["topics"], problems)
    eras = validate_eras(raw.registries["eras"], problems)
    config = check_chronology_track(raw.registries["site"], config, eras, problems)
    events = validate_events(raw.events, actors, topics, markdown, problems, raw.content_dir, raw.kept, keep,
                             raw.unreadable_event_ids)
    declared_ids = {declared_id(document) for document in raw.events} | raw.unreadable_event_ids
    threads = validate_threads(raw.registries["threads"], events, declared_ids, problems)
    pages = [page for page in (_validate_page(page_file, markdown, problems) for page_file in raw.pages) if page]
    if problems:
        raise ContentErrors(problems)
    return Content(config, actors, topics, tuple(eras), tuple(events), tuple(pages), tuple(threads))


def _validate_page(page_file: PageFile, markdown: MarkdownRenderer, problems: list[Problem]) -> TextPage | None:
    slug = page_file.path.stem
    if not SLUG.fullmatch(slug) or slug in RESERVED_SLUGS:
        reason = "is used by the site itself" if slug in RESERVED_SLUGS else "is not a valid page name"
        problems.append(Problem(page_file.path, 1, 1, f"'{slug}' {reason}: rename the file (lowercase letters, digits, hyphens)"))
        return None
    fields = Fields(page_file.front_matter, (), problems, "front matter")
    fields.allow_only(("title", "nav_title", "description"))
    title = fields.text("title", required=True)
    if not title:
        return None
    return TextPage(slug, page_file.path, title, fields.text("nav_title") or title, fields.text("description"),
                    markdown.to_html(page_file.body))
