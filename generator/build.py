"""The build, stage by stage: load → validate → model → plan → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from generator.build_record import (BuildRecord, forget_record, inputs_hash, load_record, output_fingerprint,
                                    save_record)
from generator.incremental import BuildCache
from generator.load import load_content
from generator.markdown_store import load_markdown, save_markdown
from generator.markup import MarkdownRenderer
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
        # Hashed before anything is read: a file saved during the build makes the next build redo it.
        inputs = inputs_hash((options.source_dir / "content", *theme_folders(options.source_dir)),
                             (options.out_dir.absolute(), options.base_url, options.include_drafts))
        last = load_record(options.out_dir)
        if last and last.inputs == inputs and options.out_dir.is_dir() and last.output == output_fingerprint(options.out_dir):
            counts = last.counts
            return BuildReport(counts["events"], counts["pages"], counts["files"], counts["drafts_left_out"],
                               time.perf_counter() - started, (*counts["notes"], NOTHING_CHANGED_NOTE))
        forget_record(options.out_dir)  # until this build has written everything
        markdown = load_markdown(options.out_dir)
        site = render_site(options, progress=progress, markdown=markdown)
        write_site(site.files, options.out_dir, finish=index_for_search)
        save_markdown(options.out_dir, markdown)
        report = BuildReport(len(site.timeline.events), len(site.pages), len(site.files), site.timeline.drafts_left_out,
                             time.perf_counter() - started, output_notes(site.timeline))
        save_record(options.out_dir, BuildRecord(inputs, output_fingerprint(options.out_dir), {
            "events": report.events, "pages": report.pages, "files": report.files,
            "drafts_left_out": report.drafts_left_out, "notes": list(report.notes)}))
    return report


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
    pages = plan_pages(timeline)
    folders = theme_folders(options.source_dir)
    progress.stage("Rendering pages")
    render = cache.render_pages if cache else partial(render_pages, progress=progress)
    files = {**collect_assets(folders), **render(pages, timeline, folders), **render_outputs(timeline, pages),
             SCHEMA_URL_PATH: event_schema_bytes()}
    progress.done()
    return RenderedSite(timeline, pages, files)
