"""Markdown to safe HTML.

Python-Markdown passes raw HTML straight through, so its output always goes through nh3 (the
Ammonia sanitizer): an allowlist of tags and attributes, and only http(s) and mailto links.
"""

from __future__ import annotations

import markdown
import nh3

from generator.content import citations

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "i", "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}


class MarkdownRenderer:
    """One reusable converter: building Markdown's extension machinery per call is slow."""

    def __init__(self) -> None:
        self._markdown = markdown.Markdown(extensions=["sane_lists", "tables", "smarty"], output_format="html")

    def to_html(self, text: str | None) -> str:
        if not text:
            return ""
        html = self._markdown.reset().convert(text)
        return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                         link_rel="noopener noreferrer")

    def body_to_html(self, text: str | None) -> str:
        """An event body: Markdown with its citation markers as superscript links (content/citations.py)."""
        return citations.body_html(text, self.to_html)
