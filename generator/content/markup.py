"""Markdown to safe HTML.

Python-Markdown passes raw HTML straight through, so its output always goes through nh3 (the
Ammonia sanitizer): an allowlist of tags and attributes, and only http(s) and mailto links.
Event bodies are converted ahead, on every core, before the events are read one by one.
"""

from __future__ import annotations

from functools import partial

import markdown
import nh3
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import InlineProcessor

from generator.content import citations
from generator.content.parallel import map_in_order, worker_count

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "i", "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
# What every match of each inline pattern holds, by the pattern's name in Python-Markdown (the core's,
# then smarty's). Most of a conversion is trying each pattern on each piece of text, one regex
# search a try (14 patterns, then smarty's 18 in a second pass): a text holding none of these
# cannot match, and is passed over.
_PATTERN_HOLDS = {
    "backtick": ("`",), "escape": ("\\",), "reference": ("[",), "link": ("[",), "image_link": ("[",),
    "image_reference": ("[",), "short_reference": ("[",), "short_image_ref": ("[",), "autolink": ("<",),
    "automail": ("<",), "linebreak": ("  \n",), "html": ("<",), "entity": ("&",), "em_strong": ("*", "_"),
    "smarty-ellipses": ("...",), "smarty-em-dashes": ("--",), "smarty-en-dashes": ("--",),
    **{f"smarty-quotes-{number}": ("'", '"') for number in range(15)},
}


class MarkdownRenderer:
    """One reusable converter: building Markdown's extension machinery per call is slow."""

    def __init__(self) -> None:
        # The extensions themselves, not their names: a name is looked up among every installed distribution's
        # entry points (importlib.metadata: some 50 ms of every build that converts a body, and the first package
        # to register the same name would win).
        self._markdown = markdown.Markdown(extensions=[SaneListExtension(), TableExtension(), SmartyExtension()],
                                           output_format="html")
        for name, priority in (("inline", 20), ("smarty", 6)):
            patterns = self._markdown.treeprocessors[name].inlinePatterns
            self._markdown.treeprocessors.register(_PassingOver(self._markdown, patterns), name, priority)
        # What convert_bodies_ahead found, until body_to_html asks for it (then it is let go: at the peak of
        # a clean build, every body would otherwise be held four times, as text, marked, HTML and linked HTML).
        self._tokenized_ahead: dict[str, tuple[str, list[tuple[int, ...]]]] = {}
        self._converted_ahead: dict[str, str] = {}

    def convert(self, text: str) -> str:
        """The conversion itself, which subclasses that keep HTML between calls do only for a new text."""
        html = self._markdown.reset().convert(text)
        return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                         link_rel="noopener noreferrer")

    def known(self, text: str) -> bool:
        """Whether `to_html(text)` finds the HTML kept, without converting (never, here)."""
        return False

    def to_html(self, text: str | None) -> str:
        if not text:
            return ""
        html = self._converted_ahead.pop(text, None)  # let go once used: a second body of the same text converts again
        return self.convert(text) if html is None else html

    def body_to_html(self, text: str | None) -> str:
        """An event body: Markdown with its citation markers as superscript links (content/citations.py)."""
        if not text:
            return ""
        tokenized, numbers = self._tokenized_ahead.pop(text, None) or citations.tokenize(text)
        return citations.link_citations(self.to_html(tokenized), numbers)

    def convert_bodies_ahead(self, bodies: list[str]) -> None:
        """Find the markers of many bodies and convert the new ones in forked workers, for body_to_html.

        The results are those of one process: each conversion starts from a reset converter.
        """
        bodies = list(dict.fromkeys(bodies))
        self._tokenized_ahead, self._converted_ahead = {}, {}
        workers = worker_count(len(bodies))
        if workers < 2:
            return
        for index, (tokenized, numbers, html) in map_in_order(partial(self._body_ahead, bodies), len(bodies), workers):
            self._tokenized_ahead[bodies[index]] = (tokenized, numbers)
            if html is not None:
                self._converted_ahead[tokenized] = html

    def _body_ahead(self, bodies: list[str], index: int) -> tuple[str, list[tuple[int, ...]], str | None]:
        tokenized, numbers = citations.tokenize(bodies[index])
        return tokenized, numbers, None if self.known(tokenized) else self.convert(tokenized)


class _PassingOver(InlineProcessor):
    """Python-Markdown's inline pass, passing over a text that holds nothing any of its patterns matches.

    Trying every pattern on such a text returns it as it is, so the HTML is the same (tests compare
    it with Python-Markdown's own on the shipped content and on random text). A pattern not in
    `_PATTERN_HOLDS` turns the shortcut off, and if Python-Markdown renames the method this
    overrides, the conversion is only slower.
    """

    def __init__(self, md: markdown.Markdown, patterns) -> None:
        super().__init__(md)
        self.inlinePatterns = patterns
        names = [name for name in _PATTERN_HOLDS if name in patterns]
        known = len(names) == len(patterns)
        self._held = tuple(dict.fromkeys(text for name in names for text in _PATTERN_HOLDS[name])) if known else None

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803 - the name it overrides
        if self._held is not None and not any(text in data for text in self._held):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)
