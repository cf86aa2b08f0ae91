"""Browser-test kit: the fixture site served on 127.0.0.1, and Debian's Chromium driven by Playwright.

Every page a test opens is watched: a request to another origin or a Content-Security-Policy
violation fails the test. Without Chromium the tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.build.pipeline import BuildOptions, build
from sitefixture import write_fixture_site

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "tests" / "screenshots"
WAIT_MS = 10_000

# Registered before any page script runs, so every CSP violation a page reports is kept.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _need(condition: bool, message: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium for the whole session."""
    _need(CHROMIUM.is_file(), f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "browser tests need the playwright package (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, timeout=60_000)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """The fixture site, built and served by a local web server on a free port."""
    root = write_fixture_site(tmp_path_factory.mktemp("browser") / "fixture")
    build(BuildOptions(root, root / "site"))
    with serve(root / "site") as url:
        yield url


@contextmanager
def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 on a free port for as long as the block runs; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass


@dataclass
class Watch:
    """What the pages of one test asked for and complained about."""

    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_context(chromium):
    """Make a browser context (options as Playwright's new_context) whose pages are watched."""
    watch = Watch()
    contexts = []

    def make(**options):
        context = chromium.new_context(**options)
        context.set_default_timeout(WAIT_MS)
        context.add_init_script(WATCH_CSP)

        def on_request(request):
            parts = urlsplit(request.url)
            if parts.scheme not in ("data", "blob") and parts.hostname != "127.0.0.1":
                watch.foreign_requests.append(request.url)

        context.on("request", on_request)
        context.on("console", lambda message: message.type == "error" and watch.console_errors.append(message.text))
        contexts.append(context)
        return context

    yield make
    pages = [page for context in contexts for page in context.pages]
    violations = [v for page in pages if not page.is_closed() for v in page.evaluate("window.__cspViolations || []")]
    for context in contexts:
        context.close()
    assert watch.foreign_requests == [], "requests left the site"
    assert violations == [], "Content-Security-Policy violations"
    assert [e for e in watch.console_errors if "Content Security Policy" in e or "Content-Security-Policy" in e] == []


@pytest.fixture
def page(open_context):
    """A watched page at desktop width."""
    return open_context(viewport={"width": 1280, "height": 900}).new_page()


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")) -> list[str]:
    """axe-core's violations of the WCAG 2.x A and AA rules on the page as it is now."""
    _need(AXE_SCRIPT.is_file(), "axe-core is missing from node_modules (make test runs npm ci)")
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags))
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {v['nodes'][0]['target']} {v['nodes'][0]['failureSummary']})"
            for v in result["violations"]]


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

