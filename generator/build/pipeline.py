"""The build, stage by stage: load → validate → model → plan → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from generator.build.build_record import (CACHE_DIR_NAME, forget_record, generator_version, inputs_hash,
                                          record_build, unchanged_since_last_build)
from generator.build.incremental import BuildCache
from generator.content.load import load_content
from generator.build.markdown_store import load_markdown, save_markdown
from generator.content.markup import MarkdownRenderer
from generator.site.model import Timeline, build_timeline
from generator.build.output import output_lock, write_site
from generator.formats.outputs import output_notes, render_outputs
from generator.formats.share_cards import card_theme, render_share_cards
from generator.site.file_cache import FileCache
from generator.site.media import process_media
from generator.site.pages import Page, plan_pages
from generator.build.progress import Progress
from generator.site.render import collect_assets, render_pages, theme_folders
from generator.content.schema import SCHEMA_URL_PATH, event_schema_bytes
from generator.formats.search_index import index_for_search
from generator.content.validate import validate
from generator.content.validate_registries import normalise_base_url
from generator.content.yamlfile import parse_yaml


NOTHING_CHANGED_NOTE = "nothing changed since the last build: the site was left as it was"


@dataclass(frozen=True)
class BuildOptions:
    source_dir: Path
    out_dir: Path
    base_url: str | None = None
    include_drafts: bool = False


@dataclass(frozen=True)
class RenderedSite:
    timeline: Timeline
    pages: tuple[Page, ...]
    files: dict[str, bytes]


@dataclass(frozen=True)
class BuildReport:
    events: int
    pages: int
    files: int
    drafts_left_out: int
    seconds: float
    notes: tuple[str, ...] = ()


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site; raise ContentErrors (and write nothing) if the content has problems."""
    started = time.perf_counter()
    with output_lock(options.out_dir):
        inputs = _inputs_hash(options)
        if (counts := unchanged_since_last_build(options.out_dir, inputs)) is not None:
            return _report(counts, started, NOTHING_CHANGED_NOTE)
        forget_record(options.out_dir)  # until this build has written everything
        markdown = load_markdown(options.out_dir)
        site = render_site(options, progress=progress, markdown=markdown)
        write_site(site.files, options.out_dir, finish=index_for_search)
        save_markdown(options.out_dir, markdown)
        file_cache(options.out_dir).forget_other_versions()
        counts = {"events": len(site.timeline.events), "pages": len(site.pages), "files": len(site.files),
                  "drafts_left_out": site.timeline.drafts_left_out, "notes": list(output_notes(site.timeline))}
        record_build(options.out_dir, inputs, counts)
    return _report(counts, started)


def _inputs_hash(options: BuildOptions) -> str:
    """Everything a build reads, hashed before anything is read: a file saved mid-build makes the next build redo it."""
    return inputs_hash((options.source_dir / "content", *theme_folders(options.source_dir)),
                       (options.out_dir.absolute(), options.base_url, options.include_drafts))


def file_cache(out_dir: Path) -> FileCache:
    """Processed pictures and share cards, kept beside the output folder by what made them."""
    return FileCache(out_dir.absolute().parent / CACHE_DIR_NAME / "files", generator_version())


def _report(counts: dict, started: float, *extra_notes: str) -> BuildReport:
    return BuildReport(counts["events"], counts["pages"], counts["files"], counts["drafts_left_out"],
                       time.perf_counter() - started, (*counts["notes"], *extra_notes))


def render_site(options: BuildOptions, cache: BuildCache | None = None, progress: Progress | None = None,
                markdown: MarkdownRenderer | None = None) -> RenderedSite:
    """Every file of the site, in memory; with a cache (serve mode), redo only what changed."""
    progress = progress or Progress.silent()
    progress.stage("Reading content")
    raw = load_content(options.source_dir / "content", cache.parse_yaml if cache else parse_yaml)
    progress.stage("Checking content")
    content = validate(raw, cache.markdown if cache else markdown)
    if cache:
        content = cache.reuse_unchanged(content)
    if options.base_url:
        content = replace(content, config=replace(content.config, base_url=normalise_base_url(options.base_url)))
    timeline = build_timeline(content, include_drafts=options.include_drafts)
    progress.stage("Resizing pictures")
    files_kept = file_cache(options.out_dir)
    media = process_media(timeline.events, options.source_dir / "content", files_kept)
    timeline = replace(timeline, images=media.images)
    pages = plan_pages(timeline)
    folders = theme_folders(options.source_dir)
    progress.stage("Rendering pages")
    render = cache.render_pages if cache else partial(render_pages, on_page=progress.step)
    files = {**collect_assets(folders), **media.files, **render(pages, timeline, folders), **render_outputs(timeline, pages),
             **render_share_cards(timeline, media, card_theme(folders), files_kept), SCHEMA_URL_PATH: event_schema_bytes()}
    progress.done()
    return RenderedSite(timeline, pages, files)
