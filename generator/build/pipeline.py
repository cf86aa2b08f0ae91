"""The build, stage by stage: load → validate → model → plan → render → write.

The stages are imported where they run: a build with nothing to do checks its inputs and returns
without ever loading YAML, Markdown or Jinja.
"""

from __future__ import annotations

import time
from pathlib import Path
from itertools import islice
from typing import TYPE_CHECKING, AbstractSet, Callable, Iterator, Mapping, NamedTuple

from generator.build.build_record import (CACHE_DIR_NAME, BuildRecord, Inputs, files_scanned, forget_record,
                                          generator_version, hashes_under, load_record, record_build, scan_inputs,
                                          staged_listing, unchanged_since_last_build)
from generator.build.output import Kept, Milestone, spare_folder, write_site
from generator.build.output_check import checking_output
from generator.build.output_folder import output_lock
from generator.build.progress import Progress
from generator.site.theme import theme_folders

if TYPE_CHECKING:
    from generator.build.content_store import EventStore
    from generator.build.incremental import BuildCache
    from generator.formats.file_parts import FileParts
    from generator.content.markup import MarkdownRenderer
    from generator.site.file_cache import FileCache
    from generator.site.stored_file import StoredFile
    from generator.site.media import ProcessedMedia
    from generator.site.model import Timeline
    from generator.site.pages import Page


NOTHING_CHANGED_NOTE = "nothing changed since the last build: the site was left as it was"


class BuildOptions(NamedTuple):
    source_dir: Path
    out_dir: Path
    base_url: str | None = None
    include_drafts: bool = False


class PlannedSite(NamedTuple):
    """The model and its pages, with the pictures they show already processed, before anything is rendered."""

    timeline: Timeline
    pages: tuple[Page, ...]
    folders: tuple[Path, ...]
    media: ProcessedMedia
    files_kept: FileCache  # processed pictures and share cards, kept between builds
    read_since_scan: frozenset[str] = frozenset()  # event files whose bytes read are not those the input scan hashed
    events_kept: EventStore | None = None  # a CLI build's checked events, kept for the next (page_keys adds their digests)


class RenderedSite(NamedTuple):
    timeline: Timeline
    pages: tuple[Page, ...]
    files: dict[str, bytes]


class BuildReport(NamedTuple):
    events: int
    pages: int
    files: int
    drafts_left_out: int
    seconds: float
    notes: tuple[str, ...] = ()


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site; raise ContentErrors (and write nothing) if the content has problems."""
    started = time.perf_counter()
    # One spelling of the site's folder: the event store finds events by their files' paths, and `.` in one build
    # and /abs/path in the next (a script, an editor's task) re-read and re-rendered every event. Problems are
    # shown relative to the current folder whatever the spelling (errors.Problem.format).
    options = options._replace(source_dir=options.source_dir.absolute())
    with output_lock(options.out_dir):
        last = load_record(options.out_dir)
        with checking_output(options.out_dir, last and last.output, files_scanned(last)) as output_as_left:
            inputs = _scan_inputs(options, last)
            if (counts := unchanged_since_last_build(options.out_dir, last, inputs, output_as_left)) is not None:
                return _report(counts, started, NOTHING_CHANGED_NOTE)
        forget_record(options.out_dir)  # until this build has written everything
        counts, rendered, read, listing = _render_and_write(options, inputs, progress)
        # What a no-op will say again: not how many pages this build rendered.
        record_build(options.out_dir, read, counts, listing)
    return _report(counts, started, *rendered)


def _render_and_write(options: BuildOptions, inputs: Inputs,
                      progress: Progress | None) -> tuple[dict, tuple[str, ...], Inputs, list | None]:
    """Plan, render and write the new site (`_write_new_site`), then list it and keep its pages' keys; the
    counts, the note on pages rendered, the inputs as read, and the new site's listing
    (build_record.staged_listing: the record and the page store both read it).

    The model is let go before the listing is taken: at 100,000 events it is some 700 MB, and the listing
    and the page store being written were the build's peak on top of it. The listing is made from what
    staging knew of each file (build_record.staged_listing), not by listing the whole site again."""
    from generator.build.page_store import save_kept_pages
    from generator.formats.search_index import BUNDLE_DIR, named_by_content

    counts, rendered, read, keys, stamps = _write_new_site(options, inputs, progress)
    try:
        listing = staged_listing(options.out_dir.absolute(), stamps, BUNDLE_DIR, by_folder=named_by_content)
    except OSError:  # the site cannot be listed in full, and so cannot be checked: the next build builds
        listing = None
    save_kept_pages(options.out_dir, listing, *keys)
    return counts, rendered, read, listing


def _write_new_site(options: BuildOptions, inputs: Inputs, progress: Progress | None
                    ) -> tuple[dict, tuple[str, ...], Inputs, tuple[dict, dict], dict[str, tuple[int, int] | None]]:
    """Plan the site (an event file the scan hashed as the last build read it is not read again), write each
    file as it is rendered (or kept), index it for search, swap it in; the counts, a note of how many
    pages were rendered when some were kept, the inputs as read (with a digest no scan gives when an
    event file was saved between the scan and its reading: the site does not show what the scan hashed),
    the keys of the pages and of the share cards, and what write_site knew of each file it staged (`stamps`)."""
    from generator.build.page_store import KeptPages
    from generator.build.spare_listing import listing_ahead
    from generator.formats.outputs import output_notes
    from generator.formats.search_ahead import IndexingAhead
    from generator.formats.search_index import BUNDLE_DIR

    with listing_ahead(spare_folder(options.out_dir)) as spare_listed:  # on the other core, while this one plans
        site = plan_site(options, progress=progress, content_hashes=hashes_under(inputs, options.source_dir / "content"))
        event_digests: dict[str, bytes] = {}
        keys = page_keys(site, options, event_digests)
        # The event store is saved with its digests: its checked events (each file's outline, what its reading
        # consulted) need not be held through rendering.
        site = site._replace(events_kept=None)
        stored, card_keys, stamps = KeptPages(options.out_dir), {}, {}
        kept = {path: live for path, key in keys.items() if (live := stored.live_file(path, key)) is not None}
        ahead = IndexingAhead(stamps=stamps)
        try:
            files = write_site(site_files(site, progress=progress, kept=kept, live_card=stored.live_file, card_keys=card_keys,
                                          event_digests=event_digests, for_write_site=True, pages_staged=ahead.start),
                               options.out_dir, finish=ahead.finish, finish_folder=BUNDLE_DIR, stamps=stamps,
                               spare_listed=spare_listed)
        finally:
            ahead.cancel()  # what was started ahead of a build that failed
    site.files_kept.forget_other_versions()
    rendered = (f"{len(site.pages) - len(kept)} of {len(site.pages)} pages rendered, the others unchanged since the last build",)
    return ({"events": len(site.timeline.events), "pages": len(site.pages), "files": files,
             "drafts_left_out": site.timeline.drafts_left_out, "notes": list(output_notes(site.timeline))},
            rendered if kept else (), inputs._replace(digest="") if site.read_since_scan else inputs, (keys, card_keys),
            stamps)


def page_keys(site: PlannedSite, options: BuildOptions, event_digests: dict[str, bytes] | None = None) -> dict[str, str | None]:
    """Each page's key (what it shows, hashed); None for a page made with a template of the site's own.

    Each event's digest (all of it, `PageKeys.event_digest`) goes into `event_digests`, by its id."""
    from generator.site.page_keys import PageKeys
    from generator.site.theme import templates_digest

    templates_key = templates_digest(site.folders)
    events_kept = site.events_kept
    keys = PageKeys(site.timeline, templates_key, (options.base_url, options.include_drafts),
                    _theme_only_templates(site, templates_key), events_kept.digest if events_kept else None)
    by_page = {page.output_path: keys.key(page) for page in site.pages}
    if event_digests is not None:
        event_digests.update((event.id, keys.event_digest(event)) for event in site.timeline.events)
    if events_kept is not None:  # each kept event's digests, made of that very event, for the next build's keys
        events_kept.keep_digests(keys.event_digest)
        events_kept.save()
    return by_page


def _theme_only_templates(site: PlannedSite, templates_key: str) -> frozenset[str]:
    """page_keys.theme_only_templates, kept in the file cache by the hash of every template file it reads
    (parsing the theme to follow its includes took 0.1 s of every build)."""
    import json

    from generator.site.page_keys import theme_only_templates
    from generator.site.theme import BUILTIN_THEME

    key = "\0".join(("theme-only templates", templates_key, str(BUILTIN_THEME), *map(str, site.folders)))
    kept = site.files_kept.get(key)
    if kept is not None:
        return frozenset(json.loads(kept))
    templates = theme_only_templates(site.folders, BUILTIN_THEME)
    site.files_kept.put(key, json.dumps(sorted(templates)).encode())
    return templates


def _scan_inputs(options: BuildOptions, last: BuildRecord | None) -> Inputs:
    """Everything a build reads, hashed before anything is read: a file saved mid-build makes the next build redo it."""
    return scan_inputs((options.source_dir / "content", *theme_folders(options.source_dir)),
                       (options.out_dir.absolute(), options.base_url, options.include_drafts), last)


def file_cache(out_dir: Path) -> FileCache:
    """Processed pictures and share cards, kept beside the output folder by what made them."""
    from generator.site.file_cache import FileCache

    return FileCache(out_dir.absolute().parent / CACHE_DIR_NAME / "files", generator_version())


def _report(counts: dict, started: float, *extra_notes: str) -> BuildReport:
    return BuildReport(counts["events"], counts["pages"], counts["files"], counts["drafts_left_out"],
                       time.perf_counter() - started, (*counts["notes"], *extra_notes))


def render_site(options: BuildOptions, cache: BuildCache | None = None, progress: Progress | None = None,
                markdown: MarkdownRenderer | None = None) -> RenderedSite:
    """Every file of the site, in memory; with a cache (serve mode), redo only what changed."""
    site = plan_site(options, cache, progress, markdown)
    return RenderedSite(site.timeline, site.pages, dict(site_files(site, cache, progress)))


def plan_site(options: BuildOptions, cache: BuildCache | None = None, progress: Progress | None = None,
              markdown: MarkdownRenderer | None = None, content_hashes: dict[str, str] | None = None) -> PlannedSite:
    """Read, check and model the content, process its pictures, and plan its pages.

    A CLI build (no `cache`) reads and checks only the event files that changed since the last build
    (build/content_store.py), found by `content_hashes` (the input scan's sha256 of each content file, by
    its path relative to content/) without reading them, or else by reading and hashing them; serve
    mode keeps its parsed files in `cache`.
    """
    from dataclasses import replace

    from generator.build.content_store import EventStore
    from generator.content.load import load_content
    from generator.content.validate import validate
    from generator.content.validate_registries import normalise_base_url
    from generator.content.yamlfile import parse_yaml
    from generator.site.media import process_media
    from generator.site.model import build_timeline
    from generator.site.pages import plan_pages

    progress = progress or Progress.silent()
    progress.stage("Reading content")
    content_dir = options.source_dir / "content"
    events_kept = None if cache else EventStore(options.out_dir, {
        f"{content_dir}/{path}": digest for path, digest in (content_hashes or {}).items() if path.startswith("events/")})
    raw = load_content(content_dir, cache.parse_yaml if cache else parse_yaml, events_kept.get if events_kept else None)
    progress.stage("Checking content")
    try:
        content = validate(raw, cache.markdown if cache else markdown, events_kept.keep if events_kept else None)
    finally:
        if events_kept:  # also when the content has problems: the next build reads only the files fixed
            events_kept.save()
    if options.base_url:
        content = replace(content, config=replace(content.config, base_url=normalise_base_url(options.base_url)))
    timeline = build_timeline(content, include_drafts=options.include_drafts)
    progress.stage("Resizing pictures")
    files_kept = file_cache(options.out_dir)
    media = process_media(timeline.events, options.source_dir / "content", files_kept)
    timeline = replace(timeline, images=media.images)
    return PlannedSite(timeline, plan_pages(timeline), theme_folders(options.source_dir), media, files_kept,
                       frozenset(events_kept.read_since_scan if events_kept else ()), events_kept)


def site_files(site: PlannedSite, cache: BuildCache | None = None, progress: Progress | None = None,
               kept: Mapping[str, Kept] | None = None, live_card: Callable[[str, str], Kept | None] | None = None,
               card_keys: dict[str, str] | None = None, event_digests: Mapping[str, bytes] | None = None,
               for_write_site: bool = False, pages_staged: Callable[[Path, AbstractSet[str]], None] | None = None
               ) -> Iterator[tuple[str, bytes | Kept | FileParts | StoredFile] | Milestone]:
    """Every file of the site as (path, bytes), each page as soon as it is rendered; later paths win.

    A page in `kept` (its path → the live file, `page_store.KeptPages.live_file`) is not rendered: it comes as
    (path, that `Kept`), its file linked from the live site; so does a share card for which `live_card(path, key)`
    gives one. Cards' keys go into `card_keys`.
    With `for_write_site` (the CLI build), the files of all events (calendar, data, TimelineJS) come as their
    parts (`FileParts`, which `write_site` writes without joining them) and the share cards as the file cache's
    files (`StoredFile`, which it links), not as bytes. With `pages_staged`, the
    event pages (those the theme marks for search) come first, then a `Milestone` that calls it, then the rest.
    """
    from generator.content.schema import SCHEMA_URL_PATH, event_schema_bytes
    from generator.build.outputs_store import render_kept_outputs
    from generator.formats.file_parts import whole
    from generator.formats.share_cards import card_theme, render_share_cards
    from generator.site.pages import EVENT_TEMPLATE
    from generator.site.render import collect_assets, stream_pages

    progress, kept = progress or Progress.silent(), kept or {}
    yield from collect_assets(site.folders).items()
    yield from site.media.files.items()
    progress.stage("Rendering pages")
    if cache:
        yield from cache.render_pages(site.pages, site.timeline, site.folders).items()
    else:
        yield from ((page.output_path, kept[page.output_path]) for page in site.pages if page.output_path in kept)
        to_render = tuple(page for page in site.pages if page.output_path not in kept)
        if pages_staged is not None:  # the pages Pagefind reads first: the index can start while the rest is made
            searched = tuple(page for page in to_render if page.template == EVENT_TEMPLATE)
            to_render = (*searched, *(page for page in to_render if page.template != EVENT_TEMPLATE))
        rendered = stream_pages(to_render, site.timeline, site.folders, on_page=progress.step, compiled=site.files_kept)
        if pages_staged is not None:
            yield from islice(rendered, len(searched))
            yield Milestone(pages_staged)
        yield from rendered
    outputs = render_kept_outputs(site, event_digests)
    yield from (outputs if for_write_site else ((path, whole(data)) for path, data in outputs))
    cards = render_share_cards(site.timeline, site.media, card_theme(site.folders), site.files_kept,
                               live=live_card, keys=card_keys, event_digests=event_digests, as_files=for_write_site)
    yield from cards
    yield SCHEMA_URL_PATH, event_schema_bytes()
    progress.done()
