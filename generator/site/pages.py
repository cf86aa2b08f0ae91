"""Stage 4: the list of pages to render, each a URL, a template and what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from generator.site.model import Term, Timeline
from generator.site.paging import home_is_summarised, list_parts, listing_urls
from generator.site.sections import era_sections
from generator.site.urls import event_url, output_path

TERM_KINDS = {
    "topic": ("Topics", "Subjects the timeline follows."),
    "actor": ("People and organisations", "Everyone who acts in the timeline's events."),
    "year": ("Years", "The timeline, year by year."),
}


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
    summarised = home_is_summarised(timeline)
    pages = [Page("", "timeline.html", config.title, config.description,
                  _context(sections=() if summarised else era_sections(timeline, timeline.events),
                           year_index=timeline.years if summarised else ()))]
    listed_at = listing_urls(timeline)
    for event in timeline.events:
        pages.append(Page(event_url(event.id), "event.html", event.title, event.summary,
                          _context(event=event, listed_at=listed_at[event.id])))
    for kind, terms in (("topic", timeline.topics), ("actor", timeline.actors), ("year", timeline.years)):
        pages.append(_term_index_page(kind, terms))
        for term in terms:
            if term.events:
                pages.extend(_term_pages(timeline, term))
    for text_page in timeline.pages:
        pages.append(Page(f"{text_page.slug}/", "page.html", text_page.title,
                          text_page.description or config.description, _context(text_page=text_page)))
    pages.append(Page("search/", "search.html", "Search", "Search every event of the timeline."))
    pages.append(Page("404.html", "404.html", "Page not found", "There is no page at this address."))
    return tuple(pages)


def _term_index_page(kind: str, terms: tuple[Term, ...]) -> Page:
    title, description = TERM_KINDS[kind]
    return Page(f"{kind}s/", "terms.html", title, description, _context(kind=kind, terms=terms))


def _term_pages(timeline: Timeline, term: Term) -> list[Page]:
    if term.kind == "topic":
        description = term.record.description
    elif term.kind == "actor":
        description = f"Events involving {term.name} in the timeline."
    else:
        description = f"Events of {term.name} in the timeline."
    return [Page(part.urls[part.number - 1], "term.html",
                 term.name if part.count == 1 else f"{term.name} (part {part.number} of {part.count})", description,
                 _context(term=term, sections=era_sections(timeline, events), part=part))
            for part, events in list_parts(term.events, term.url)]


def _context(**values: Any) -> Mapping[str, Any]:
    return MappingProxyType(values)
