"""Each event's list entry, rendered once and reused on every list page, at any depth.

The home, year, topic and actor pages list the same events with the same markup; only the
relative links differ, and they differ by the page's depth alone: a link from a page `depth`
folders down is `"../" * depth` followed by the link from the root (urls.relative_url). So an
entry is rendered once with a marker where that prefix goes, and each page puts its own prefix
in. Rendering the `event_entry` macro once per listing was the largest single cost of a clean
build at 1,000 events (profile in README, "Performance"); once per depth still rendered the
entries of a split list's later parts (one folder deeper) and of the home page again.
"""

from __future__ import annotations

from typing import Any, Callable

import jinja2
from markupsafe import Markup

from generator.content.records import Event
from generator.site.urls import relative_url

# Where an entry's links climb to the site's root. A NUL cannot come from YAML content, and
# escaping leaves it as it is.
_ROOT = "\0"


def _marked_url(to_url: str) -> str:
    return _ROOT + relative_url("", to_url)


class EntryCache:
    """Rendered entries for one build; `for_page` gives a page's `cached_entry(event)`."""

    def __init__(self, environment: jinja2.Environment, kept: dict | None = None,
                 key_of: Callable[[Event], Any] | None = None) -> None:
        """`kept` and `key_of` (serve mode): entries kept from earlier builds, found by a key that covers
        everything an entry shows (site/page_keys.py `entry_key`) instead of the event's id."""
        self._environment = environment
        self._html: dict[Any, str] = {} if kept is None else kept
        self._key_of = key_of or (lambda event: event.id)

    def for_page(self, context: dict[str, Any]) -> Callable[[Event], Markup]:
        prefix = "../" * context["page"].url.count("/")
        macros: list[Any] = []  # the macro module, made on the first entry this page renders

        def cached_entry(event: Event) -> Markup:
            key = self._key_of(event)
            html = self._html.get(key)
            if html is None:
                if not macros:
                    module_context = {**context, "url": _marked_url}
                    macros.append(self._environment.get_template("_macros.html").make_module(module_context))
                html = self._html[key] = str(macros[0].event_entry(event))
            return Markup(html.replace(_ROOT, prefix))

        return cached_entry
