"""Each event's list entry, rendered once per link depth and reused on every list page.

The home, year, topic and actor pages list the same events with the same markup; only the
relative links differ, and they depend on the page's depth alone (urls.relative_url). Rendering
the `event_entry` macro once per (event, depth) instead of once per listing was the largest single
cost of a clean build at 1,000 events (profile in README, "Performance").
"""

from __future__ import annotations

from typing import Any, Callable

import jinja2
from markupsafe import Markup

from generator.content.records import Event


class EntryCache:
    """Rendered entries for one build; `for_page` gives a page's `cached_entry(event)`."""

    def __init__(self, environment: jinja2.Environment, kept: dict | None = None,
                 key_of: Callable[[Event], Any] | None = None) -> None:
        """`kept` and `key_of` (serve mode): entries kept from earlier builds, found by a key that covers
        everything an entry shows (site/page_keys.py `entry_key`) instead of the event's id."""
        self._environment = environment
        self._html: dict[tuple[Any, int], Markup] = {} if kept is None else kept
        self._key_of = key_of or (lambda event: event.id)

    def for_page(self, context: dict[str, Any]) -> Callable[[Event], Markup]:
        depth = context["page"].url.count("/")
        macros: list[Any] = []  # the page's macro module, made on first use

        def cached_entry(event: Event) -> Markup:
            key = (self._key_of(event), depth)
            html = self._html.get(key)
            if html is None:
                if not macros:
                    macros.append(self._environment.get_template("_macros.html").make_module(context))
                html = self._html[key] = Markup(macros[0].event_entry(event))
            return html

        return cached_entry
