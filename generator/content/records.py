"""The validated content: plain, immutable values made from the YAML and Markdown files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.content.dates import DateSpan


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str
    language: str = "en"
    base_url: str | None = None
    repository_url: str | None = None
    domain: str | None = None  # a custom domain for GitHub Pages (written to CNAME by `timeline deploy`)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    native_name: str | None
    kind: str
    role: str | None
    country: str | None


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    description: str
    colour: str | None = None  # its marks in the overview; the theme's palette when not given


@dataclass(frozen=True)
class Era:
    id: str
    name: str
    date: DateSpan
    ongoing: bool
    description: str | None

    def holds(self, date: DateSpan) -> bool:
        """True when an event starting on `date` falls inside this era."""
        day = date.start.first_day
        return self.date.start.first_day <= day and (self.ongoing or day <= self.date.last_day)


@dataclass(frozen=True)
class Thread:
    """A story told across events (threads.yaml): its events listed, or gathered along relations."""

    id: str
    title: str
    description: str
    event_ids: frozenset[str]  # every member, drafts included; the model orders them and leaves drafts out


@dataclass(frozen=True)
class Source:
    number: int
    title: str
    publisher: str
    date: DateSpan | None
    url: str | None
    archive_url: str | None
    note: str | None = None  # e.g. why there is no link: a print edition, a text supplied to the editors
    cited_at: tuple[str, ...] = ()  # the ids of the body's superscripts that cite it, in reading order


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str
    source: int


@dataclass(frozen=True)
class Relation:
    kind: str
    target: str


@dataclass(frozen=True)
class Event:
    id: str
    source_path: Path
    date: DateSpan
    title: str
    summary: str
    body_html: str
    topics: tuple[str, ...]
    actors: tuple[str, ...]
    place: str | None
    quotes: tuple[Quote, ...]
    related: tuple[Relation, ...]
    sources: tuple[Source, ...]
    draft: bool

    @property
    def sort_key(self) -> tuple:
        return (*self.date.sort_key, self.id)


@dataclass(frozen=True)
class TextPage:
    slug: str
    source_path: Path
    title: str
    nav_title: str
    description: str | None
    body_html: str
