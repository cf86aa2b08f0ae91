"""The search index: Pagefind reads the finished pages and writes a chunked index beside them.

It runs on the staging folder, before the atomic swap, so the live site never has pages without
their index. Only event pages are indexed (they carry `data-pagefind-body`); a search downloads
the index chunks for the words typed, never the whole index.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Pagefind also writes its own ready-made interfaces; the theme has its own (assets/search.js),
# because those need inline styles that the site's Content-Security-Policy refuses.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(RuntimeError):
    """Pagefind could not index the built pages."""


def index_for_search(site_dir: Path) -> None:
    """Write the search index into `site_dir/pagefind/`."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--keep-index-url", "--silent"]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        raise SearchIndexError(f"pagefind failed ({completed.returncode}): {completed.stderr.strip() or completed.stdout.strip()}")
    for name in UNUSED_FILES:
        (site_dir / "pagefind" / name).unlink(missing_ok=True)
