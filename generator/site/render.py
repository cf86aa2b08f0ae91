"""Stage 5: pages to bytes, through the theme's Jinja templates, plus the theme's static assets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.site.entries import EntryCache
from generator.site.file_cache import FileCache
from generator.content.errors import ContentErrors, Problem
from generator.site.model import Timeline
from generator.site.overview_pages import TimelineOverview
from generator.site.pages import Page
from generator.content.parallel import map_in_order, worker_count
from generator.site.structured_data import event_json_ld
from generator.site.urls import absolute_url, card_url, event_url, relative_url, root_relative_url


def make_environment(folders: tuple[Path, ...], compiled: FileCache | None = None) -> jinja2.Environment:
    """The theme's environment; with `compiled`, each template's code is kept there between builds."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # One environment serves one build (serve mode makes a new one when a template changes),
        # so templates need not be checked on disk at every include.
        auto_reload=False,
        bytecode_cache=_CompiledTemplates(compiled) if compiled is not None else None,
    )


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates in the build's file cache (by the generator's version): compiling the
    theme took 0.17 s of every build. Jinja keeps each with its source's checksum and compiles a template
    whose source changed again."""

    def __init__(self, files: FileCache) -> None:
        self._files = files

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._files.get(f"template\0{bucket.key}")
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._files.put(f"template\0{bucket.key}", bucket.bytecode_to_string())


def stream_pages(pages: tuple[Page, ...], timeline: Timeline, folders: tuple[Path, ...],
                 on_page: Callable[[int, int], None] | None = None,
                 workers: int | None = None, compiled: FileCache | None = None) -> Iterator[tuple[str, bytes]]:
    """(output path, HTML) of each page, in order, as the workers finish them: the caller writes each and lets it go.

    With `compiled`, the templates' code is kept there between builds."""
    environment = make_environment(folders, compiled)
    entries = EntryCache(environment)
    workers = worker_count(len(pages)) if workers is None else workers

    def render_one(index: int) -> bytes:
        return render_page(environment, pages[index], timeline, folders, entries)

    outcomes = (map_in_order(render_one, len(pages), workers) if workers > 1
                else ((index, render_one(index)) for index in range(len(pages))))
    for index, html in outcomes:
        if on_page:
            on_page(index + 1, len(pages))
        yield pages[index].output_path, html


def render_page(environment: jinja2.Environment, page: Page, timeline: Timeline, folders: tuple[Path, ...],
                entries: EntryCache | None = None) -> bytes:
    """One page's HTML; `timeline` may be a recording stand-in (see incremental.py).

    With `entries`, list pages reuse each event's entry rendered for an earlier page of the same depth.
    """
    try:
        template = environment.get_template(page.template)
        context = _context(page, timeline, entries)
        if entries is not None and page.template != "404.html":
            context["cached_entry"] = entries.for_page(context)
        html = template.render(**context)
    except jinja2.TemplateNotFound as missing:
        searched = ", ".join(str(folder) for folder in folders)
        raise ContentErrors([Problem(Path(page.template), 1, 1, f"template '{missing.name}' not found (searched {searched})")]) from None
    except jinja2.TemplateSyntaxError as error:
        raise ContentErrors([Problem(Path(error.filename or page.template), error.lineno or 1, 1, f"template error: {error.message}")]) from None
    except jinja2.UndefinedError as error:
        raise ContentErrors([Problem(Path(page.template), 1, 1, f"template error while rendering /{page.url}: {error.message}")]) from None
    return html.encode("utf-8")


def _context(page: Page, timeline: Timeline, entries: EntryCache | None = None) -> dict:
    base_url = timeline.config.base_url
    is_404 = page.template == "404.html"
    # The 404 page is served at any missing address, at any depth: only root-relative links work there.
    url = partial(root_relative_url, base_url) if is_404 else partial(relative_url, page.url)
    overview = OutsideFrameOverview if page.template == "embed.html" else TimelineOverview
    return {
        "page": page,
        "site": timeline.config,
        "timeline": timeline,
        "url": url,
        "event_url": event_url,
        "card_url": card_url,
        "json_ld": partial(event_json_ld, timeline),
        "overview": (overview(timeline, url) if entries is None or is_404
                     else overview(timeline, url, entries.overviews, "../" * page.url.count("/"))),
        "canonical": absolute_url(base_url, page.url) if base_url and not is_404 else None,
        **page.context,
    }


@dataclass(frozen=True)
class OutsideFrameOverview(TimelineOverview):
    """The overview of an embed: each mark opens its page in a new tab, not inside the <iframe>."""

    def __call__(self, *args, **kwargs) -> Markup:
        svg = super().__call__(*args, **kwargs)
        return Markup(svg.replace(Markup("<a "), Markup('<a target="_blank" rel="noopener" ')))


def collect_assets(folders: tuple[Path, ...]) -> dict[str, bytes]:
    """Every file under `assets/` in the theme folders; the site's own override the theme's."""
    assets: dict[str, bytes] = {}
    for folder in reversed(folders):
        asset_dir = folder / "assets"
        if not asset_dir.is_dir():
            continue
        for path in sorted(asset_dir.rglob("*")):
            if path.is_file():
                assets["assets/" + path.relative_to(asset_dir).as_posix()] = path.read_bytes()
    return assets
