"""Stage 4: the list of pages to render, each a URL, a template and what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from generator.site.model import Term, Timeline
from generator.site.paging import home_is_summarised, list_parts, listing_urls
from generator.site.sections import era_sections, eras_within
from generator.site.threads import ThreadTerm
from generator.content.records import Era, SiteConfig
from generator.site.urls import absolute_url, embed_url, event_url, output_path

TERM_KINDS = {
    "topic": ("Topics", "Subjects the timeline follows."),
    "actor": ("People and organisations", "Everyone who acts in the timeline's events."),
    "year": ("Years", "The timeline, year by year."),
}
# An embed lists at most the latest EMBED_LIST events (its overview draws them all): a box in an article stays short.
EMBED_LIST = 100
EVENT_TEMPLATE = "event.html"  # each event's page: the pages the theme marks for search


@dataclass(frozen=True)
class Embed:
    """What a thread or topic page offers under "Embed this": the embed's page and the code to paste."""

    url: str
    code: str  # the <iframe> element, as text to copy
    absolute: bool  # False when the site has no base URL yet: `code` then names the path only


@dataclass(frozen=True)
class Page:
    """One page of the site, planned but not yet rendered."""

    url: str
    template: str
    title: str
    description: str
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def output_path(self) -> str:
        return output_path(self.url)


def plan_pages(timeline: Timeline) -> tuple[Page, ...]:
    """Every page the site has, in a stable order."""
    config = timeline.config
    summarised, within = home_is_summarised(timeline), eras_within(timeline)
    pages = [Page("", "timeline.html", config.title, config.description,
                  _context(sections=() if summarised else era_sections(timeline, timeline.events, within),
                           year_index=timeline.years if summarised else ()))]
    listed_at = listing_urls(timeline)
    for event in timeline.events:
        pages.append(Page(event_url(event.id), EVENT_TEMPLATE, event.title, event.summary,
                          _context(event=event, listed_at=listed_at[event.id])))
    for kind, terms in (("topic", timeline.topics), ("actor", timeline.actors), ("year", timeline.years)):
        pages.append(_term_index_page(kind, terms))
        for term in terms:
            if term.events:
                pages.extend(_term_pages(timeline, term, within))
    if timeline.threads:
        pages.append(Page("threads/", "threads.html", "Threads",
                          "Stories that run through the timeline, each followed event by event.",
                          _context(threads=timeline.threads)))
    for thread in timeline.threads:
        pages.append(Page(thread.url, "thread.html", thread.name, thread.description,
                          _context(thread=thread, embed=_embed(config, "thread", thread.id, thread.name))))
        pages.append(_embed_page(thread.name, thread.description, thread.events, thread.url,
                                 embed_url("thread", thread.id), thread=thread))
    for topic in timeline.topics:
        if topic.events:
            pages.append(_embed_page(topic.name, topic.record.description, topic.events, topic.url,
                                     embed_url("topic", topic.id), thread=None))
    for text_page in timeline.pages:
        pages.append(Page(f"{text_page.slug}/", "page.html", text_page.title,
                          text_page.description or config.description, _context(text_page=text_page)))
    pages.append(Page("search/", "search.html", "Search", "Search every event of the timeline."))
    pages.append(Page("404.html", "404.html", "Page not found", "There is no page at this address."))
    return tuple(pages)


def _term_index_page(kind: str, terms: tuple[Term, ...]) -> Page:
    title, description = TERM_KINDS[kind]
    return Page(f"{kind}s/", "terms.html", title, description, _context(kind=kind, terms=terms))


def _term_pages(timeline: Timeline, term: Term, within: dict[Era, tuple[Era, ...]]) -> list[Page]:
    if term.kind == "topic":
        description = term.record.description
    elif term.kind == "actor":
        description = f"Events involving {term.name} in the timeline."
    else:
        description = f"Events of {term.name} in the timeline."
    return [Page(part.urls[part.number - 1], "term.html",
                 term.name if part.count == 1 else f"{term.name} (part {part.number} of {part.count})", description,
                 _context(term=term, sections=era_sections(timeline, events, within), part=part,
                          embed=_embed(timeline.config, "topic", term.id, term.name) if term.kind == "topic" else None))
            for part, events in list_parts(term.events, term.url)]


def _embed_page(name: str, description: str, events, full_url: str, url: str, thread: ThreadTerm | None) -> Page:
    """The compact page made for an <iframe> in someone else's article."""
    return Page(url, "embed.html", name, description,
                _context(events=events, listed=events[-EMBED_LIST:], full_url=full_url, thread=thread))


def _embed(config: SiteConfig, kind: str, term_id: str, name: str) -> Embed:
    url = embed_url(kind, term_id)
    src = absolute_url(config.base_url, url) if config.base_url else "/" + url
    code = (f'<iframe src="{_attribute(src)}" title="{_attribute(f"{name} · {config.title}")}" '
            'width="100%" height="560" style="border:0" loading="lazy"></iframe>')
    return Embed(url, code, absolute=bool(config.base_url))


def _attribute(value: str) -> str:
    """Text made safe inside a double-quoted HTML attribute, apostrophes left as they are."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _context(**values: Any) -> Mapping[str, Any]:
    return MappingProxyType(values)
