"""The build, stage by stage: load → validate → model → plan → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from generator.incremental import BuildCache
from generator.load import load_content
from generator.model import Timeline, build_timeline
from generator.output import output_lock, write_site
from generator.outputs import output_notes, render_outputs
from generator.pages import Page, plan_pages
from generator.progress import Progress
from generator.render import collect_assets, render_pages, theme_folders
from generator.schema import SCHEMA_URL_PATH, event_schema_bytes
from generator.search_index import index_for_search
from generator.validate import validate
from generator.validate_registries import normalise_base_url
from generator.yamlfile import parse_yaml


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
        site = render_site(options, progress=progress)
        write_site(site.files, options.out_dir, finish=index_for_search)
    return BuildReport(len(site.timeline.events), len(site.pages), len(site.files), site.timeline.drafts_left_out,
                       time.perf_counter() - started, output_notes(site.timeline))


def render_site(options: BuildOptions, cache: BuildCache | None = None, progress: Progress | None = None) -> RenderedSite:
    """Every file of the site, in memory; with a cache (serve mode), redo only what changed."""
    progress = progress or Progress.silent()
    progress.stage("Reading content")
    raw = load_content(options.source_dir / "content", cache.parse_yaml if cache else parse_yaml)
    progress.stage("Checking content")
    content = validate(raw, cache.markdown if cache else None)
    if cache:
        content = cache.reuse_unchanged(content)
    if options.base_url:
        content = replace(content, config=replace(content.config, base_url=normalise_base_url(options.base_url)))
    timeline = build_timeline(content, include_drafts=options.include_drafts)
    pages = plan_pages(timeline)
    folders = theme_folders(options.source_dir)
    progress.stage("Rendering pages")
    render = cache.render_pages if cache else partial(render_pages, progress=progress)
    files = {**collect_assets(folders), **render(pages, timeline, folders), **render_outputs(timeline, pages),
             SCHEMA_URL_PATH: event_schema_bytes()}
    progress.done()
    return RenderedSite(timeline, pages, files)
