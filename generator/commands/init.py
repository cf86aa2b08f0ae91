"""`timeline init DIR`: start a new timeline site that builds, checks and publishes at once."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generator import __version__
from generator.content.schema import SCHEMA_URL_PATH, event_schema_bytes

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
# Package data leaves out names that start with a dot, so the scaffold spells them out.
_DOT_PREFIX = "dot-"
DEFAULT_TITLE = "My Timeline"


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("init", help="start a new timeline site in DIR")
    parser.add_argument("directory", type=Path, metavar="DIR", help="a new or empty folder")
    parser.add_argument("--title", default=DEFAULT_TITLE, metavar="TITLE", help=f"the site's title (default: {DEFAULT_TITLE})")
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    target: Path = args.directory
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"error: {target}: not an empty folder; timeline init writes only into a new or empty one, "
              "so nothing of yours is overwritten", file=sys.stderr)
        return 1
    if not args.title.strip():
        parser.error("--title must not be empty")
    files = scaffold_files(args.title.strip())
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
    print(f"Started a timeline in {target} ({len(files)} files). Next:\n"
          f"  cd {target}\n  timeline serve      # preview at http://127.0.0.1:8000/\n"
          f"  timeline new \"Your first event\" --date 2021-05 --topics example-topic")
    return 0


def scaffold_files(title: str) -> dict[str, bytes]:
    """Each file of a new site, by its path: the scaffold with the title and version filled in, and the event schema."""
    # A JSON string is a YAML double-quoted scalar, so any title is safe in site.yaml.
    values = {"site.yaml": json.dumps(title, ensure_ascii=False)}
    files = {}
    for path in sorted(SCAFFOLD.rglob("*")):
        if not path.is_file():
            continue
        relative = "/".join(("." + part[len(_DOT_PREFIX):]) if part.startswith(_DOT_PREFIX) else part
                            for part in path.relative_to(SCAFFOLD).parts)
        text = path.read_text(encoding="utf-8")
        text = text.replace("@TITLE@", values.get(path.name, title)).replace("@VERSION@", __version__)
        files[relative] = text.encode("utf-8")
    files[SCHEMA_URL_PATH] = event_schema_bytes()
    return files
