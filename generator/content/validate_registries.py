"""Checking site.yaml and the actor, topic and era registries."""

from __future__ import annotations

import re
from pathlib import Path

from generator.content.records import Actor, Era, SiteConfig, Topic
from generator.content.dates import DateSpan
from generator.content.errors import Problem
from generator.content.fields import SLUG, Fields
from generator.content.yamlfile import Document

ACTOR_KINDS = ("person", "organisation")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.IGNORECASE)


def validate_site_config(document: Document | None, content_dir: Path, problems: list[Problem]) -> SiteConfig:
    if document is None:
        problems.append(Problem(content_dir / "site.yaml", 1, 1, "content/site.yaml is missing: create it with at least 'title' and 'description'"))
        return SiteConfig(title="", description="")
    fields = Fields(document, (), problems, "site.yaml")
    fields.allow_only(("title", "description", "language", "base_url", "repository_url", "domain"))
    base_url = fields.url("base_url")
    domain = fields.text("domain")
    if domain is not None and not DOMAIN.fullmatch(domain):
        fields.report(("domain",), f"'domain' must be a host name such as timeline.example.org (no https://, no path), not '{domain[:60]}'")
        domain = None
    return SiteConfig(
        title=fields.text("title", required=True) or "",
        description=fields.text("description", required=True) or "",
        language=fields.text("language") or "en",
        # A site on a custom domain is served from its root: that is its address unless base_url says otherwise.
        base_url=normalise_base_url(base_url) if base_url else (f"https://{domain}/" if domain else None),
        repository_url=fields.url("repository_url"),
        domain=domain,
    )


def normalise_base_url(url: str) -> str:
    """Base URLs end in '/', so a page's URL is the base followed by its path."""
    return url if url.endswith("/") else url + "/"


def _entries(document: Document | None, what: str, problems: list[Problem]) -> list[tuple[str, Fields]]:
    """The (id, fields) pairs of a registry: a mapping from id to a mapping of fields."""
    if document is None or document.data is None:
        return []
    if not isinstance(document.data, dict):
        problems.append(document.problem((), f"{what} must map each id to its fields (id: then indented fields)"))
        return []
    entries = []
    for entry_id in document.data:
        if not SLUG.fullmatch(entry_id):
            problems.append(document.problem((entry_id,), f"'{entry_id}' is not a valid id: use lowercase letters, digits and single hyphens", key=True))
            continue
        entries.append((entry_id, Fields(document, (entry_id,), problems, f"{what} '{entry_id}'")))
    return entries


def validate_actors(document: Document | None, problems: list[Problem]) -> dict[str, Actor]:
    actors = {}
    for actor_id, fields in _entries(document, "actor", problems):
        fields.allow_only(("name", "native_name", "kind", "role", "country"))
        kind = fields.text("kind") or "person"
        if kind not in ACTOR_KINDS:
            fields.report((actor_id, "kind"), f"kind must be one of {', '.join(ACTOR_KINDS)}, not '{kind}'")
        actors[actor_id] = Actor(actor_id, fields.text("name", required=True) or actor_id, fields.text("native_name"),
                                 kind, fields.text("role"), fields.text("country"))
    return actors


def validate_topics(document: Document | None, problems: list[Problem]) -> dict[str, Topic]:
    topics = {}
    for topic_id, fields in _entries(document, "topic", problems):
        fields.allow_only(("name", "description", "colour"))
        colour = fields.text("colour")
        if colour and not _HEX_COLOUR.fullmatch(colour):
            fields.report((topic_id, "colour"), f"colour must be written #rrggbb (e.g. #1f7ddb), not '{colour}'")
            colour = None
        topics[topic_id] = Topic(topic_id, fields.text("name", required=True) or topic_id,
                                 fields.text("description", required=True) or "", colour)
    return topics


def validate_eras(document: Document | None, problems: list[Problem]) -> list[Era]:
    eras = []
    for era_id, fields in _entries(document, "era", problems):
        fields.allow_only(("name", "start", "end", "description"))
        start, end = fields.date("start", required=True), fields.date("end")
        name = fields.text("name", required=True) or era_id
        if start is None:
            continue
        if end is not None and end.last_day < start.start.first_day:
            fields.report((era_id, "end"), f"era '{era_id}' ends before it starts: check 'start' and 'end'")
            continue
        span = DateSpan(start.start, end.end or end.start) if end else start
        eras.append(Era(era_id, name, span, ongoing=end is None, description=fields.text("description")))
    return eras
