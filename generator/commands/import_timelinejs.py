"""`timeline import timelinejs FILE`: turn a TimelineJS timeline into draft event files."""

from __future__ import annotations

import argparse
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.commands.build import add_source_argument, check_source
from generator.interop.timelinejs_import import ImportedTimeline, UnreadableFile, read_timelinejs

NOTE = ("# Imported from TimelineJS ({origin}). TimelineJS has no sources: check the text,\n"
        "# add at least one source under 'sources' (and each picture's 'alt' and 'credit'), then delete 'draft: true'.\n")


@dataclass(frozen=True)
class Plan:
    """What an import will write: new event files, and entries to add to the registries."""

    events: dict[Path, str]
    skipped: tuple[str, ...]
    new_topics: dict[str, str]
    new_eras: dict[str, dict]


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("import", help="import events from another tool (TimelineJS)")
    parser.add_argument("format", choices=("timelinejs",), help="the format of FILE")
    parser.add_argument("file", type=Path, metavar="FILE",
                        help="TimelineJS3 JSON, a Google-Sheet CSV export, or TimelineJS v2 JSON")
    add_source_argument(parser)
    parser.add_argument("--dry-run", action="store_true", help="show what would be written, and write nothing")
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    content_dir = check_source(args, parser) / "content"
    if not args.file.is_file():
        parser.error(f"no such file: {args.file}")
    try:
        imported = read_timelinejs(args.file)
    except (UnreadableFile, UnicodeDecodeError) as error:
        print(f"{args.file}: cannot import: {error}")
        return 1
    try:
        plan = plan_import(imported, content_dir, args.file.name)
    except UnreadableRegistry as error:
        print(f"{error.path}: cannot be read, so nothing was imported: run 'timeline build' to see the problem, "
              "fix it, then import again")
        return 1
    for problem in imported.problems:
        print(f"{args.file}: {problem.where}: not imported: {problem.message}")
    for reason in plan.skipped:
        print(f"{args.file}: {reason}")
    if args.dry_run:
        for path, text in plan.events.items():
            print(f"would write {path} ({_first_value(text, 'date')}: {_first_value(text, 'title')})")
        for topic_id, name in plan.new_topics.items():
            print(f"would add topic '{topic_id}' ({name}) to {content_dir / 'topics.yaml'}")
        for era_id in plan.new_eras:
            print(f"would add era '{era_id}' to {content_dir / 'eras.yaml'}")
        print(f"Dry run: {len(plan.events)} event file(s) would be written; nothing was changed.")
    else:
        write_plan(plan, content_dir, args.file.name)
        print(f"Imported {len(plan.events)} event(s) from {imported.format} into {content_dir / 'events'} as drafts"
              f"{_registry_summary(plan)}. Next: add a source to each, then remove 'draft: true'.")
    return 1 if imported.problems or plan.skipped else 0


def plan_import(imported: ImportedTimeline, content_dir: Path, origin: str) -> Plan:
    """Decide every file and registry entry to write, without touching the disk."""
    topics = _registry(content_dir / "topics.yaml")
    topic_by_name = {str(entry.get("name", "")).casefold(): topic_id for topic_id, entry in topics.items()
                     if isinstance(entry, dict)}
    new_topics: dict[str, str] = {}
    events: dict[Path, str] = {}
    skipped: list[str] = []
    taken: set[str] = set()
    for event in imported.events:
        event_id = _unique(slugify(event.unique_id or "") or slugify(event.title) or f"event-{slugify(event.where)}", taken)
        path = content_dir / "events" / f"{event_id}.yaml"
        if path.exists():
            skipped.append(f"{event.where}: not imported: {path} exists and is never overwritten")
            continue
        record: dict = {"date": event.date, "title": event.title, "summary": event.summary}
        if event.body:
            record["body"] = event.body
        if event.group:
            topic_id = topic_by_name.get(event.group.casefold()) or slugify(event.group) or None
            if topic_id:
                if topic_id not in topics:
                    new_topics[topic_id] = event.group
                record["topics"] = [topic_id]
        if event.media:
            record["media"] = [dict(entry) for entry in event.media]
        record["draft"] = True
        events[path] = NOTE.format(origin=f"{origin}, {event.where}") + _dump(record)
    eras = _registry(content_dir / "eras.yaml")
    era_names = {str(entry.get("name", "")).casefold() for entry in eras.values() if isinstance(entry, dict)}
    new_eras = {}
    for era in imported.eras:
        if era.name.casefold() in era_names:
            continue  # already in the registry (imported before, or written by hand)
        era_id = _unique(slugify(era.name) or f"era-{slugify(era.where)}", set(eras) | set(new_eras))
        new_eras[era_id] = {"name": era.name, "start": era.start, "end": era.end}
    return Plan(events, tuple(skipped), new_topics, new_eras)


def write_plan(plan: Plan, content_dir: Path, origin: str) -> None:
    (content_dir / "events").mkdir(parents=True, exist_ok=True)
    for path, text in plan.events.items():
        with path.open("x", encoding="utf-8") as file:  # "x": fail rather than overwrite
            file.write(text)
    topics = {topic_id: {"name": name, "description": f"Imported from the TimelineJS group “{name}”: describe this topic."}
              for topic_id, name in plan.new_topics.items()}
    _append(content_dir / "topics.yaml", topics, origin)
    _append(content_dir / "eras.yaml", plan.new_eras, origin)


def slugify(text: str) -> str:
    """An id from any text: ASCII lowercase letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:60].strip("-")


def _unique(candidate: str, taken: set[str]) -> str:
    event_id, number = candidate, 2
    while event_id in taken:
        event_id, number = f"{candidate}-{number}", number + 1
    taken.add(event_id)
    return event_id


class UnreadableRegistry(Exception):
    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


def _registry(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        raise UnreadableRegistry(path) from None
    return data if isinstance(data, dict) else {}


def _append(path: Path, entries: dict, origin: str) -> None:
    """Add entries at the end of a registry, leaving everything already in it as it was."""
    if not entries:
        return
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    separator = "" if not existing or existing.endswith("\n") else "\n"
    with path.open("a", encoding="utf-8") as file:
        file.write(f"{separator}# Added by `timeline import` from {origin}:\n{_dump(entries)}")


def _registry_summary(plan: Plan) -> str:
    parts = []
    if plan.new_topics:
        parts.append(f"{len(plan.new_topics)} topic(s) added to topics.yaml ({', '.join(plan.new_topics)})")
    if plan.new_eras:
        parts.append(f"{len(plan.new_eras)} era(s) added to eras.yaml")
    return "; " + "; ".join(parts) if parts else ""


def _first_value(text: str, key: str) -> str:
    match = re.search(rf"^{key}: (.*)$", text, re.MULTILINE)
    return match.group(1).strip("'\"") if match else ""


class _Dumper(yaml.SafeDumper):
    """YAML an editor can read: multi-line text as a `|` block, keys in the order written."""


def _represent_text(dumper: yaml.SafeDumper, text: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _represent_text)


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
