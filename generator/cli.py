"""The `timeline` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import __version__
from generator.build import BuildOptions, build
from generator.errors import ContentErrors

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description="Build a sourced, linked timeline site from YAML files.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser("build", help="build the site into site/ (or --out)")
    build_parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                              help="the site's folder, holding content/ (default: the current folder)")
    build_parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: DIR/site)")
    build_parser.add_argument("--base-url", default=None, metavar="URL",
                              help="the public address of the site, e.g. https://user.github.io/repo/ (overrides site.yaml)")
    build_parser.add_argument("--drafts", action="store_true", help="include events marked draft: true")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return _build(args, parser)
    except ContentErrors as errors:
        for problem in errors.problems:
            print(problem.format(relative_to=Path.cwd()), file=sys.stderr)
        print(f"{len(errors.problems)} problem(s) found; the site was not changed.", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    except KeyboardInterrupt:
        print("interrupted; the site was not changed.", file=sys.stderr)
        return 130


def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    source_dir = args.source
    if not (source_dir / "content").is_dir():
        parser.error(f"no content/ folder in {source_dir.resolve()}: run this in the site's folder or give --source DIR")
    if args.base_url and not args.base_url.startswith(("http://", "https://")):
        parser.error(f"--base-url must start with http:// or https://, not '{args.base_url}'")
    out_dir = args.out if args.out is not None else source_dir / "site"
    report = build(BuildOptions(source_dir, out_dir, args.base_url, args.drafts))
    drafts = f"; {report.drafts_left_out} draft(s) left out (--drafts to include)" if report.drafts_left_out else ""
    print(f"Built {report.events} events, {report.pages} pages into {out_dir} in {report.seconds:.2f} s{drafts}.")
    return EXIT_OK
