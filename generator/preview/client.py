"""What the preview adds to the pages it serves: a script that reloads them, and the problems' overlay.

The pages keep their Content-Security-Policy (`script-src 'self'`, and `default-src 'self'` for
styles), which refuses inline scripts and style attributes. So nothing is added inline: a page gets
a `<script src>` and, while the content has problems, a `<link rel="stylesheet">`, both to files the
server answers under a reserved path beside the reload stream. No built file contains any of it.
"""

from __future__ import annotations

import html

RESERVED = "__timeline__/"  # under the site's base path; no page of a site lives there
EVENTS_PATH = RESERVED + "events"
SCRIPT_PATH = RESERVED + "reload.js"
STYLESHEET_PATH = RESERVED + "overlay.css"

# The page says which build it shows, so a rebuild published before the stream opens still reloads it,
# and its address, so that it reloads only when it changes (and is rebuilt ahead of the pages not open).
_RELOAD_JS = """\
// Added by `timeline serve` to the pages it serves: reload the page when a new build changes it.
"use strict";
(() => {
  const script = document.currentScript;
  const events = new URL("events", script.src);
  events.searchParams.set("since", script.dataset.version);
  events.searchParams.set("page", location.pathname);
  new EventSource(events).addEventListener("reload", () => location.reload());
})();
"""

_OVERLAY_CSS = """\
/* Added by `timeline serve` while the content has problems: they show over the top of every page. */
#timeline-problems {
  position: fixed; inset: 0 0 auto 0; z-index: 2147483647; max-height: 60vh; overflow: auto;
  background: #fff4f4; color: #600; border-bottom: 3px solid #c00; padding: 1em;
  font: 14px/1.4 monospace;
}
#timeline-errors { white-space: pre-wrap; margin: 0.5em 0 0; }
"""

FILES = {
    SCRIPT_PATH: (_RELOAD_JS.encode(), "text/javascript"),
    STYLESHEET_PATH: (_OVERLAY_CSS.encode(), "text/css"),
}


def add_to_page(body: bytes, base_path: str, version: int, errors: tuple[str, ...]) -> bytes:
    """The page `body` with the reload script, and the overlay listing `errors` if there are any."""
    script = f'<script src="{html.escape(base_path + SCRIPT_PATH)}" data-version="{version}"></script>'
    if not errors:
        return _insert(body, body.rfind(b"</body>"), script)
    listing = "\n".join(html.escape(line) for line in errors)
    overlay = (f'<div id="timeline-problems" role="alert">'
               f'<strong>{len(errors)} problem(s) in the content; this is the last good build.</strong>'
               f'<pre id="timeline-errors">{listing}</pre></div>')
    # In the head, the stylesheet holds the page back until the overlay can show styled.
    stylesheet = f'<link rel="stylesheet" href="{html.escape(base_path + STYLESHEET_PATH)}">'
    body = _insert(body, body.rfind(b"</body>"), overlay + script)
    return _insert(body, body.find(b"</head>"), stylesheet)


def _insert(body: bytes, at: int, added: str) -> bytes:
    """`added` at offset `at` of `body` (at its end if `at` is -1: the tag looked for is missing)."""
    return body[:at] + added.encode() + body[at:] if at >= 0 else body + added.encode()
