"""`timeline new`: start an event file with every field in place, ready to fill in."""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
import unicodedata
from pathlib import Path

from dateutil import parser as dateutil_parser

from generator.commands.build import add_source_argument, check_source
from generator.content.dates import DateSpan, DateSyntaxError, PartialDate, parse_span
from generator.content.errors import Problem, did_you_mean
from generator.content.load import load_content
from generator.content.relations import RELATION_KINDS
from generator.content.schema import SCHEMA_URL_PATH
from generator.content.validate_registries import normalise_base_url, validate_actors, validate_site_config, validate_topics

# Two different defaults: a part that comes out the same under both was written by the author.
_DEFAULTS = (datetime.datetime(2000, 1, 1), datetime.datetime(2004, 3, 2))
_MAX_SLUG = 60


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("new", help="start a new event file in content/events/")
    parser.add_argument("title", metavar="TITLE", help="the event's headline, in quotes")
    parser.add_argument("--date", required=True, metavar="DATE",
                        help="2021-05-19, 2021-05, 2021, '19 May 2021', 'May 2021', 2009~, 2021-01-26/2021-02-03")
    parser.add_argument("--topics", default="", metavar="A,B", help="topic ids from content/topics.yaml")
    parser.add_argument("--actors", default="", metavar="X,Y", help="actor ids from content/actors.yaml")
    add_source_argument(parser)
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    source_dir = check_source(args, parser)
    content_dir = source_dir / "content"
    try:
        date = read_date(args.date)
    except DateSyntaxError as error:
        parser.error(f"--date: {error}")
    slug = slugify(args.title)
    if not slug:
        parser.error("TITLE needs at least one letter or digit")
    event_id = f"{date.start.iso}-{slug}"
    path = content_dir / "events" / f"{event_id}.yaml"
    raw = load_content(content_dir)
    problems: list[Problem] = []
    topics = _known(args.topics, validate_topics(raw.registries["topics"], []), "topic", "content/topics.yaml", problems)
    actors = _known(args.actors, validate_actors(raw.registries["actors"], []), "actor", "content/actors.yaml", problems)
    if path.exists():
        problems.append(Problem(path, 0, 0, f"{path} already exists: edit it, or choose another title"))
    for document in raw.events:
        declared = document.data.get("id") if isinstance(document.data, dict) else None
        if document.path != path and str(declared or document.path.stem).strip() == event_id:
            problems.append(Problem(document.path, 0, 0, f"the id '{event_id}' is already used by {document.path}: choose another title"))
    if problems:
        for problem in problems:
            print(f"timeline new: {problem.message}", file=sys.stderr)
        print("nothing was written.", file=sys.stderr)
        return 1
    config = validate_site_config(raw.registries["site"], content_dir, [])
    text = event_text(event_id, date, args.title, topics, actors, _schema_reference(path, source_dir, config.base_url))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": never overwrite, even in a race
        file.write(text)
    print(path)
    return 0


def read_date(text: str) -> DateSpan:
    """An EDTF date, or a date as people type it, at exactly the precision given."""
    try:
        return parse_span(text)
    except DateSyntaxError as edtf_error:
        if re.fullmatch(r"[\d\s/.-]+", text) and not re.fullmatch(r"[\d\s-]+[~?%]?(?:/[\d\s-]+[~?%]?)?", text):
            # '05/06/2021' is 5 June in London and 6 May in New York: only ISO digits are unambiguous.
            raise DateSyntaxError(f"'{text}' could be read two ways: write 2021-06-05 (year-month-day) or '5 June 2021'") from None
        if not re.search(r"[A-Za-z]", text):
            raise edtf_error from None
    try:
        readings = [dateutil_parser.parse(text, default=default) for default in _DEFAULTS]
    except (ValueError, OverflowError):
        raise DateSyntaxError(f"cannot read date '{text}': write it like 2021-05-19, 19 May 2021, May 2021 or 2021") from None
    first, second = readings
    if first.year != second.year:
        raise DateSyntaxError(f"'{text}' has no year: add one, e.g. '{text} 2021'")
    month = first.month if first.month == second.month else None
    day = first.day if first.day == second.day else None
    if day is not None and month is None:
        raise DateSyntaxError(f"'{text}' has a day but no month: add the month")
    return DateSpan(PartialDate(first.year, month, day))


def slugify(title: str) -> str:
    """'Blinken and Lavrov meet in Reykjavík' → 'blinken-and-lavrov-meet-in-reykjavik'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > _MAX_SLUG:
        slug = slug[:_MAX_SLUG].rsplit("-", 1)[0]
    return slug


def _known(listed: str, registry: dict, what: str, registry_file: str, problems: list[Problem]) -> list[str]:
    ids = [item.strip() for item in listed.split(",") if item.strip()]
    for item in ids:
        if item not in registry:
            problems.append(Problem(Path(registry_file), 0, 0, f"unknown {what} '{item}'{did_you_mean(item, registry)} (or add it to {registry_file})"))
    return ids


def _schema_reference(event_path: Path, source_dir: Path, base_url: str | None) -> str:
    """The repository's schema file (relative, so it works in any clone), else the published one."""
    in_repository = source_dir / SCHEMA_URL_PATH
    if in_repository.exists() or not base_url:
        schema = in_repository if in_repository.exists() else Path(__file__).resolve().parents[2] / SCHEMA_URL_PATH
        return Path(os.path.relpath(schema.resolve(), event_path.parent.resolve())).as_posix()
    return normalise_base_url(base_url) + SCHEMA_URL_PATH


def _yaml_list(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def event_text(event_id: str, date: DateSpan, title: str, topics: list[str], actors: list[str], schema: str) -> str:
    """The new file: every field, the optional ones commented out, each with what it takes."""
    quoted_title = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"""\
# yaml-language-server: $schema={schema}
# id: {event_id}   # optional: the file name is the id (and the page's address, events/<id>/)
date: {date.edtf}   # YYYY, YYYY-MM or YYYY-MM-DD as known; ~ approximate, ? uncertain; START/END for a range
title: {quoted_title}
# summary (required): one or two sentences, in your own words.
summary: >-

# body: |
#   Optional Markdown: what happened, in more detail.[1] Each sentence ends with the numbers of its sources.[1, 2]
topics: {_yaml_list(topics)}   # at least one id from content/topics.yaml
actors: {_yaml_list(actors)}   # ids from content/actors.yaml
# place: City, Country
# quotes:
#   - text: The exact words, as the source gives them.
#     speaker: an-actor-id
#     source: 1              # the number of one of the sources below (1 = first)
# related:
#   - event: another-event-id
#     relation: response-to  # one of {", ".join(RELATION_KINDS)}
sources:                     # at least one; every claim above must be in one of them
  - title:
    publisher:
    # date: YYYY-MM-DD
    # url: https://…
    # archive_url: https://web.archive.org/…
    # note: why there is no link, if there is none (a print edition, a supplied text)
# media:                     # pictures, shown as figures; the first also as the list thumbnail and share card
#   - file: media/photo.jpg  # a JPEG, PNG, WebP or GIF under content/media/ (or url: https://… for a remote one, linked)
#     alt: What the picture shows, for readers who cannot see it
#     credit: Who made it
#     caption: Optional words under the picture
#     license: e.g. CC BY 4.0
#     source_url: https://… where the picture was found
# draft: true                # keeps the event out of the site until it is ready
"""
