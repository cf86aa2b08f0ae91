"""`timeline check`: everything a reviewer would catch, before a pull request.

Validates the content, builds the site into a temporary folder (site/ is never touched), follows
every internal link and #fragment, and warns about what is legal but probably a mistake.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from generator.build.pipeline import BuildOptions, render_site
from generator.commands.build import add_source_argument, check_source
from generator.content.citations import uncited_paragraphs
from generator.content.errors import ContentErrors, Problem
from generator.build.linkcheck import broken_links, orphan_pages, read_site, scan_pages
from generator.content.load import load_content
from generator.build.output import write_site
from generator.content.yamlfile import Document


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("check", help="check content, links and fragments without touching site/")
    add_source_argument(parser)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    source_dir = check_source(args, parser)
    try:
        with tempfile.TemporaryDirectory(prefix="timeline-check-") as folder:
            site = render_site(BuildOptions(source_dir, Path(folder) / "site"))
            write_site(site.files, Path(folder) / "site")
            files = read_site(Path(folder) / "site")
    except ContentErrors as errors:
        for problem in errors.problems:
            print(problem.format(relative_to=Path.cwd()), file=sys.stderr)
        print(f"{len(errors.problems)} error(s) in the content.", file=sys.stderr)
        return 1
    base_url = site.timeline.config.base_url
    served_at = urlsplit(base_url).path if base_url else "/"
    pages = scan_pages(files)
    errors = broken_links(files, served_at, pages)
    warnings = [f"{page}: no other page links here" for page in orphan_pages(files, served_at, pages)]
    warnings += [problem.format(relative_to=Path.cwd()) for problem in content_warnings(source_dir)]
    for line in errors:
        print(f"broken link: {line}", file=sys.stderr)
    for line in warnings:
        print(f"{'error' if args.strict else 'warning'}: {line}", file=sys.stderr)
    failed = bool(errors or (args.strict and warnings))
    summary = f"{len(errors)} broken link(s), {len(warnings)} warning(s) in {len(pages)} pages"
    print(summary + (": check failed." if failed else ": check passed."), file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def content_warnings(source_dir: Path) -> list[Problem]:
    """Legal but probably unfinished: events linked to no other event, sources nobody can open, uncited paragraphs."""
    events = [document for document in load_content(source_dir / "content").events if isinstance(document.data, dict)]
    related_ids = {_entry_event(entry) for document in events for entry in _related(document)}
    warnings = []
    for document in events:
        event_id = str(document.data.get("id") or document.path.stem).strip()
        if not _related(document) and event_id not in related_ids:
            warnings.append(document.problem(("title",), f"event '{event_id}' is related to no other event: add 'related' (or relate another event to it)", key=True))
        for index, source in enumerate(document.data.get("sources") or []):
            if isinstance(source, dict) and not any(source.get(key) for key in ("url", "archive_url", "note")):
                warnings.append(document.problem(("sources", index), f"source {index + 1} has neither 'url' nor 'archive_url': give a reader a way to find it, or say why there is none in 'note'"))
        body = document.data.get("body")
        if isinstance(body, str) and body.strip():
            warnings += uncited_paragraphs(document.path, document.value_marks[("body",)], body)
    return sorted(warnings)


def _related(document: Document) -> list:
    entries = document.data.get("related")
    return entries if isinstance(entries, list) else []


def _entry_event(entry) -> str | None:
    return str(entry.get("event")).strip() if isinstance(entry, dict) and entry.get("event") else None
