"""What the publishing outputs (feeds, calendar, data, sitemap) share: the base URL and event text."""

from __future__ import annotations

from html import escape

from generator.content.citations import plain_citations
from generator.content.records import Event, Source
from generator.site.model import Timeline


def require_base_url(timeline: Timeline) -> str:
    """The site's public address; outputs that need absolute URLs are only rendered when it is known."""
    if not timeline.config.base_url:
        raise ValueError("this output needs base_url (site.yaml) or --base-url")
    return timeline.config.base_url


def event_content_html(event: Event) -> str:
    """An event's body (its citations as plain `[n]`) and its sources, linked, as one HTML fragment for feeds and exports."""
    parts = [f"<p>{escape(event.summary)}</p>"]
    if event.body_html:
        parts.append(plain_citations(event.body_html))
    if event.sources:
        items = "".join(f"<li>{source_html(source)}</li>" for source in event.sources)
        parts.append(f"<p>Sources:</p><ol>{items}</ol>")
    return "\n".join(parts)


def source_html(source: Source) -> str:
    """'<a href=…>Title</a>, Publisher, date.' with the archive link when there is one."""
    title = f"<cite>{escape(source.title)}</cite>"
    if source.url:
        title = f'<a href="{escape(source.url)}">{title}</a>'
    text = f"{title}, {escape(source.publisher)}"
    if source.date:
        text += f", {escape(source.date.display())}"
    text += "."
    if source.archive_url:
        text += f' <a href="{escape(source.archive_url)}">Archived copy</a>.'
    if source.note:
        text += f" {escape(source.note)}"
    return text
