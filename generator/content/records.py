"""The validated content: plain, immutable values made from the YAML and Markdown files."""

from __future__ import annotations

import datetime
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
    chronology_track: str = ""  # the era track whose eras head the home page's sections ("" when eras have no track)


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
    """A named period in one track (e.g. `us-president`): eras in a track follow each other or nest."""

    id: str
    name: str
    date: DateSpan
    ongoing: bool
    description: str | None
    track: str = ""  # "" when the site's eras have no tracks: one track

    @property
    def first_day(self) -> datetime.date:
        return self.date.start.first_day

    @property
    def last_day(self) -> datetime.date:
        return datetime.date.max if self.ongoing else self.date.last_day

    def holds(self, date: DateSpan) -> bool:
        """True when an event starting on `date` falls inside this era (its boundary days included)."""
        return self.first_day <= date.start.first_day <= self.last_day

    def contains(self, other: Era) -> bool:
        """True when `other` lies wholly inside this era (the "reset" in an administration); a neighbour
        that merely meets this era at a boundary day, or shares its start, is not inside it."""
        return (self.track == other.track and self.first_day <= other.first_day and other.last_day <= self.last_day
                and (self.first_day, self.last_day) != (other.first_day, other.last_day))

    def hands_over_to(self, other: Era) -> bool:
        """True when this era ends on the very date `other` begins (20 January: one administration to the next)."""
        return (self.track == other.track and not self.ongoing and self.date.end is not None
                and self.date.end == other.date.start)


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
