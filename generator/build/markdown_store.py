"""Each Markdown text's HTML, kept between CLI builds in `.timeline-cache/` (Markdown is a large
part of a build: a rebuild after one edit converts one text instead of thousands).

Keyed by a hash of the text; the file records the generator version that made it, and a file of
another version, or one that cannot be read as such a mapping, is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.build.build_record import CACHE_DIR_NAME, generator_version, write_cache_file
from generator.content.markup import MarkdownRenderer


class StoredMarkdown(MarkdownRenderer):
    """A Markdown renderer that first looks in the HTML kept by the last build."""

    def __init__(self, kept: dict[str, str]) -> None:
        super().__init__()
        self._kept = kept
        self.used: dict[str, str] = {}

    def known(self, text: str) -> bool:
        return _key(text) in self._kept

    def to_html(self, text: str | None) -> str:
        if not text:
            return ""
        key = _key(text)
        html = self._kept.get(key)
        if html is None:
            html = super().to_html(text)
        self.used[key] = html
        return html


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store_path(out_dir: Path) -> Path:
    out_dir = out_dir.absolute()
    return out_dir.parent / CACHE_DIR_NAME / f"{out_dir.name}.markdown.json"


def load_markdown(out_dir: Path) -> StoredMarkdown:
    """A renderer holding the last build's HTML when it is readable and from this generator version."""
    kept: dict[str, str] = {}
    try:
        data = json.loads(store_path(out_dir).read_text(encoding="utf-8"))
        html = data["html"] if isinstance(data, dict) and data.get("version") == generator_version() else {}
        if isinstance(html, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in html.items()):
            kept = html
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return StoredMarkdown(kept)


def save_markdown(out_dir: Path, renderer: StoredMarkdown) -> None:
    """Keep the HTML of the texts this build used (and only those), written atomically."""
    if renderer.used == renderer._kept:
        return
    write_cache_file(store_path(out_dir), json.dumps({"version": generator_version(), "html": renderer.used}))
