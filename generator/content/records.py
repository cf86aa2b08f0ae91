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
class Source:
    number: int
    title: str
    publisher: str
    date: DateSpan | None
    url: str | None
    archive_url: str | None
    note: str | None = None  # e.g. why there is no link: a print edition, a text supplied to the editors


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str
    source: int


@dataclass(frozen=True)
class Media:
    """A picture on an event: a local file under content/media/ (processed at build time) or a remote URL (linked)."""

    file: str | None  # relative to content/, e.g. 'media/harpa.jpg'
    url: str | None
    alt: str | None  # required on a published event; a draft may wait for it
    caption: str | None
    credit: str | None
    license: str | None
    source_url: str | None
    # Where the entry is written, so a problem found when the image is read points at it.
    source_path: Path
    line: int
    column: int


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
    media: tuple[Media, ...] = ()

    @property
    def sort_key(self) -> tuple:
        return (*self.date.sort_key, self.id)

    @property
    def image(self) -> Media | None:
        """The first local image: shown as the list thumbnail and behind the share card."""
        return next((media for media in self.media if media.file), None)


@dataclass(frozen=True)
class TextPage:
    slug: str
    source_path: Path
    title: str
    nav_title: str
    description: str | None
    body_html: str
