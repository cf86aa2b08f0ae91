"""`timeline build`: build the site into site/ (or --out)."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.build.pipeline import BuildOptions, build
from generator.build.progress import Progress


def add_source_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                        help="the site's folder, holding content/ (default: the current folder)")


def check_source(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Path:
    """The site folder, or a usage error (exit 2) when it has no content/."""
    if not (args.source / "content").is_dir():
        parser.error(f"no content/ folder in {args.source.resolve()}: run this in the site's folder or give --source DIR")
    return args.source


def add_base_url_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help="the public address of the site, e.g. https://user.github.io/repo/ (overrides site.yaml)")


def check_base_url(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """A usage error (exit 2) for a --base-url that is not an http(s) address."""
    if args.base_url and not args.base_url.startswith(("http://", "https://")):
        parser.error(f"--base-url must start with http:// or https://, not '{args.base_url}'")


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("build", help="build the site into site/ (or --out)")
    add_source_argument(parser)
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: DIR/site)")
    add_base_url_argument(parser)
    parser.add_argument("--drafts", action="store_true", help="include events marked draft: true")
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    source_dir = check_source(args, parser)
    check_base_url(args, parser)
    out_dir = args.out if args.out is not None else source_dir / "site"
    report = build(BuildOptions(source_dir, out_dir, args.base_url, args.drafts), Progress.for_terminal())
    drafts = f"; {report.drafts_left_out} draft(s) left out (--drafts to include)" if report.drafts_left_out else ""
    notes = "".join(f"; {note}" for note in report.notes)
    print(f"Built {report.events} events, {report.pages} pages into {out_dir} in {report.seconds:.2f} s{drafts}{notes}.")
    return 0
