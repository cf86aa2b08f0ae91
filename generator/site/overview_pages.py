"""What templates call to draw overviews (`overview(events, label)`, its legend and counts), and what the
pages of one build share of them: each drawing is made once for every page that shows the same events
under the same label, whatever the page's depth. The drawing itself is overview.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, TypeVar

from markupsafe import Markup

from generator.content.dates import MONTHS
from generator.content.records import Event
from generator.site.model import Timeline
from generator.site.overview import render_overview, topic_colours
from generator.site.urls import relative_url

# The drawings kept for other pages of a build (see SharedOverviews), in characters: every drawing of a
# 10,000-event site (a term's parts are planned one after the other, its embed much later); a drawing of
# 10,000 events is half a megabyte.
KEPT_CHARACTERS = 24_000_000
KEPT_FACTS = 2_000  # drawings and counts

_Made = TypeVar("_Made")

# Where a shared drawing's links climb to the site's root (see TimelineOverview.kept). A NUL cannot come
# from YAML content, and escaping leaves it as it is.
_ROOT = "\0"


def _marked_link(to_url: str) -> str:
    return _ROOT + relative_url("", to_url)


class SharedOverviews:
    """What the overviews of one build share between its pages: each event's mark, and the latest drawings
    and counts (see TimelineOverview), up to KEPT_CHARACTERS and KEPT_FACTS of them."""

    def __init__(self) -> None:
        self.marks: dict[str, tuple[str, str, str]] = {}
        self._kept: dict[tuple, tuple[tuple[Event, ...], object, int]] = {}
        self._size = 0

    def get(self, events: tuple[Event, ...], key: tuple, make: Callable[[], _Made]) -> _Made:
        """make(), or what it made for an earlier page that asked with the same key about the same `events`."""
        # By the events' identity (a page passes its term's own tuple), which the entry keeps alive.
        key = (id(events), *key)
        found = self._kept.get(key)
        if found is None or found[0] is not events:
            made = make()
            found = self._kept[key] = (events, made, len(made) if isinstance(made, str) else 0)
            self._size += found[2]
            while (self._size > KEPT_CHARACTERS or len(self._kept) > KEPT_FACTS) and len(self._kept) > 1:
                self._size -= self._kept.pop(next(iter(self._kept)))[2]
        return found[1]


@dataclass(frozen=True)
class TimelineOverview:
    """What templates call: `overview(events, label)` draws, `overview.colour(topic_id)` keys.

    With `kept` (the build's SharedOverviews), a drawing is made once for all the pages that draw the same
    events under the same label, whatever their depth: its links are made from the root, behind a marker,
    and each page puts in its own way up, `root` ("../" for each folder it is down). `link` must then be
    relative_url from the page, whose links are `root` followed by the link from the root.
    """

    timeline: Timeline
    link: Callable[[str], str]
    kept: SharedOverviews | None = field(default=None, compare=False)
    root: str = ""

    def __call__(self, events: tuple[Event, ...], label: str, years: tuple[int, int] | None = None) -> Markup:
        """The overview of some of the timeline's events, over the years they fall in (or `years`)."""
        if not events:
            return Markup("")
        if self.kept is None:
            return Markup(self._draw(tuple(events), label, years, self.link, None))
        kept = self.kept
        svg = kept.get(events, ("drawing", label, years),
                       lambda: self._draw(tuple(events), label, years, _marked_link, kept.marks))
        return Markup(svg.replace(_ROOT, self.root))

    def _draw(self, events: tuple[Event, ...], label: str, years: tuple[int, int] | None, link: Callable[[str], str],
              marks: dict[str, tuple[str, str, str]] | None) -> str:
        return render_overview(events, self.timeline.eras, years=years, colours=self._colours(),
                               topic_names={topic.id: topic.name for topic in self.timeline.topics},
                               link=link, label=label, chronology_track=self.timeline.config.chronology_track,
                               marks=marks)

    def _kept(self, events: tuple[Event, ...], key: tuple, make: Callable[[], _Made]) -> _Made:
        return make() if self.kept is None else self.kept.get(events, key, make)

    def colour(self, topic_id: str) -> str:
        return self._colours()[topic_id]

    def legend(self, events: tuple[Event, ...]) -> list[tuple[str, str]]:
        """The name and colour of each topic that colours some of the marks, in the order topics are listed."""
        used = self._kept(events, ("topics",), lambda: {event.topics[0] for event in events if event.topics})
        colours = self._colours()
        return [(topic.name, colours[topic.id]) for topic in self.timeline.topics if topic.id in used]

    def by_year(self, events: tuple[Event, ...]) -> list[tuple[int, str, int]]:
        """Each year some events fall in, with a link to its page and how many of them it holds."""
        counts = self._kept(events, ("years",), lambda: _year_counts(events))
        return [(year, self.link(self.timeline.year(year).url), count) for year, count in counts]

    @staticmethod
    def by_month(events: tuple[Event, ...]) -> list[tuple[str, int]]:
        """How many of one year's events fall in each month ('May 2021'), those known only to the year last."""
        counts: dict[int, int] = {}
        for event in events:
            counts[event.date.start.month or 13] = counts.get(event.date.start.month or 13, 0) + 1
        year = events[0].date.start.year
        return [(f"{MONTHS[month - 1]} {year}" if month < 13 else f"{year}, month not known", count)
                for month, count in sorted(counts.items())]

    def _colours(self) -> dict[str, str]:
        palette = topic_colours(topic.id for topic in self.timeline.topics)
        return {topic.id: topic.record.colour or palette[topic.id] for topic in self.timeline.topics}


def _year_counts(events: tuple[Event, ...]) -> list[tuple[int, int]]:
    counts: dict[int, int] = {}
    for event in events:
        counts[event.date.start.year] = counts.get(event.date.start.year, 0) + 1
    return sorted(counts.items())
