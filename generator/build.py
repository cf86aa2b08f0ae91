"""The build, stage by stage: load → validate → model → plan → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from generator.load import load_content
from generator.model import build_timeline
from generator.output import output_lock, write_site
from generator.outputs import output_notes, render_outputs
from generator.pages import plan_pages
from generator.render import collect_assets, render_pages, theme_folders
from generator.search_index import index_for_search
from generator.validate import validate
from generator.validate_registries import normalise_base_url


@dataclass(frozen=True)
class BuildOptions:
    source_dir: Path
    out_dir: Path
    base_url: str | None = None
    include_drafts: bool = False


@dataclass(frozen=True)
class BuildReport:
    events: int
    pages: int
    files: int
    drafts_left_out: int
    seconds: float
    notes: tuple[str, ...] = ()


def build(options: BuildOptions) -> BuildReport:
    """Build the site; raise ContentErrors (and write nothing) if the content has problems."""
    started = time.perf_counter()
    with output_lock(options.out_dir):
        raw = load_content(options.source_dir / "content")
        content = validate(raw)
        if options.base_url:
            content = replace(content, config=replace(content.config, base_url=normalise_base_url(options.base_url)))
        timeline = build_timeline(content, include_drafts=options.include_drafts)
        pages = plan_pages(timeline)
        folders = theme_folders(options.source_dir)
        files = {**collect_assets(folders), **render_pages(pages, timeline, folders), **render_outputs(timeline, pages)}
        write_site(files, options.out_dir, finish=index_for_search)
    return BuildReport(len(timeline.events), len(pages), len(files), timeline.drafts_left_out,
                       time.perf_counter() - started, output_notes(timeline))
