"""Checking site.yaml and the actor, topic and era registries."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from generator.content.records import Actor, Era, SiteConfig, Topic
from generator.content.dates import DateSpan
from generator.content.errors import Problem, did_you_mean
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
    fields.allow_only(("title", "description", "language", "base_url", "repository_url", "domain", "chronology_track"))
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
        chronology_track=fields.slug("chronology_track") or "",
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
    """The eras, each in its track; in one track eras follow each other (meeting at a boundary) or nest."""
    eras = []
    for era_id, fields in _entries(document, "era", problems):
        fields.allow_only(("name", "track", "start", "end", "description"))
        start, end = fields.date("start", required=True), fields.date("end")
        name = fields.text("name", required=True) or era_id
        track = fields.slug("track") or ""
        if start is None:
            continue
        if end is not None and end.last_day < start.start.first_day:
            fields.report((era_id, "end"), f"era '{era_id}' ends before it starts: check 'start' and 'end'")
            continue
        span = DateSpan(start.start, end.end or end.start) if end else start
        eras.append(Era(era_id, name, span, ongoing=end is None, description=fields.text("description"), track=track))
    if document is not None:
        _check_tracks(eras, document, problems)
    return eras


def _check_tracks(eras: list[Era], document: Document, problems: list[Problem]) -> None:
    tracked = [era for era in eras if era.track]
    if tracked:
        for era in eras:
            if not era.track:
                problems.append(document.problem((era.id,), f"era '{era.id}' has no 'track' while other eras do: "
                                                            f"add one, e.g. 'track: {tracked[0].track}'", key=True))
    # Eras without a track (a site that does not use tracks, or eras just imported from TimelineJS) may
    # overlap as they please; a named track is a line of eras, one after another.
    ordered = sorted(tracked, key=lambda era: (era.first_day, era.id))
    for index, later in enumerate(ordered):
        for earlier in ordered[:index]:
            if earlier.track != later.track or earlier.last_day < later.first_day:
                continue
            if earlier.hands_over_to(later) or earlier.contains(later) or later.contains(earlier):
                continue
            problems.append(document.problem(
                (later.id, "start"),
                f"era '{later.id}' overlaps era '{earlier.id}' in track '{later.track}': eras in one track follow "
                f"each other (one ends on the day the next starts) or nest wholly inside one another; "
                f"fix the dates or put one in another track"))


def check_chronology_track(document: Document | None, config: SiteConfig, eras: list[Era],
                           problems: list[Problem]) -> SiteConfig:
    """The site config with the track that heads the home page's sections settled, or a problem."""
    tracks = sorted({era.track for era in eras})
    if config.chronology_track:
        if config.chronology_track not in tracks and document is not None:
            named = ", ".join(track for track in tracks if track) or "none: eras have no 'track'"
            problems.append(document.problem(("chronology_track",), f"no era is in track '{config.chronology_track}'"
                                             f"{did_you_mean(config.chronology_track, tracks)} (tracks in eras.yaml: {named})"))
        return config
    if len(tracks) > 1 and document is not None:
        problems.append(document.problem((), f"eras.yaml has several tracks ({', '.join(tracks)}): name the one that heads "
                                             f"the timeline's sections, e.g. 'chronology_track: {tracks[0]}'"))
    return replace(config, chronology_track=tracks[0] if tracks else "")
