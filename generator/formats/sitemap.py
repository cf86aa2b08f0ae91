"""/sitemap.xml (sitemaps.org 0.9) with every page's absolute URL, and /robots.txt naming it."""

from __future__ import annotations

from html import escape  # not xml.sax.saxutils': it imports urllib.request (and ssl), 24 ms of every build

from generator.site.model import Timeline
from generator.site.pages import Page
from generator.formats.publishing import require_base_url
from generator.site.urls import absolute_url

SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render_sitemap(timeline: Timeline, pages: tuple[Page, ...]) -> bytes:
    """Every page a search engine should index: not the 404 page, nor the embeds (noindex: each
    repeats a thread's or topic's page, which is listed)."""
    base_url = require_base_url(timeline)
    # Written as text, as ElementTree writes it indented (its tree took a second at 10,000 events).
    entries = "".join(f"\n  <url>\n    <loc>{escape(absolute_url(base_url, page.url), quote=False)}</loc>\n  </url>"
                      for page in pages if page.template not in ("404.html", "embed.html"))
    urlset = f'<urlset xmlns="{SITEMAP_NS}">{entries}\n</urlset>' if entries else f'<urlset xmlns="{SITEMAP_NS}" />'
    return f"<?xml version='1.0' encoding='utf-8'?>\n{urlset}\n".encode("utf-8")


def render_robots(timeline: Timeline) -> bytes:
    """Allow everything and name the sitemap (crawlers read robots.txt only at a host's root)."""
    base_url = require_base_url(timeline)
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(base_url, SITEMAP_PATH)}\n".encode("utf-8")
