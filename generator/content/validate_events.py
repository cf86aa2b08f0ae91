"""Checking event files: each field on its own, then the references between files."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Callable

from generator.content import citations
from generator.content.records import Actor, Event, Media, Quote, Relation, Source, Topic
from generator.content.errors import Problem, did_you_mean
from generator.content.fields import SLUG, Fields
from generator.content.load import OUTLINE_KEYS, CheckedEvent, KeptFile
from generator.content.markup import MarkdownRenderer
from generator.content.relations import RELATION_KINDS
from generator.content.yamlfile import Document, parse_yaml

EVENT_FIELDS = ("id", "date", "title", "summary", "body", "topics", "actors", "place", "quotes", "related", "sources", "draft", "media")
SOURCE_FIELDS = ("title", "publisher", "date", "url", "archive_url", "note")
QUOTE_FIELDS = ("text", "speaker", "source")
RELATED_FIELDS = ("event", "relation")
MEDIA_FIELDS = ("file", "url", "alt", "caption", "credit", "license", "source_url")
MEDIA_FOLDER = "media"
MEDIA_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
MAX_MEDIA_BYTES = 20_000_000  # a camera's full-size JPEG fits; a video renamed .jpg does not
# Bodies converted ahead (in the workers) at a time: each one's text, tokens and HTML are held until its event is
# read. All at once, they were some 340 MB of a 100,000-event build's peak, on top of every file parsed.
BODIES_AHEAD = 5_000


def validate_events(documents: tuple[Document, ...], actors: dict[str, Actor], topics: dict[str, Topic],
                    markdown: MarkdownRenderer, problems: list[Problem], content_dir: Path,
                    kept: dict[Path, KeptFile] | None = None,
                    keep: Callable[[Path, CheckedEvent], None] | None = None,
                    unreadable_ids: frozenset[str] = frozenset()) -> list[Event]:
    """Every event that could be read; every problem found in any of them goes to `problems`.

    An event in `kept` (its file's outline in `documents`) stands if what it consulted is unchanged;
    otherwise its file is parsed and read again. Each event that stands, or was read with no problems
    of its own, goes to `keep`. The checks between files run over all of them alike; a reference to
    an event whose file could not be parsed (`unreadable_ids`) is not reported: the file's own error is.
    """
    documents, read = _read_each(documents, actors, topics, markdown, problems, content_dir, kept or {}, keep)
    files_by_id: dict[str, list[Document]] = {}
    for event, document in read:
        files_by_id.setdefault(event.id, []).append(document)
    events = []
    for event, document in read:
        files = files_by_id[event.id]
        if len(files) > 1:
            names = ", ".join(other.path.name for other in files)
            problems.append(_id_problem(document, f"id '{event.id}' is used by more than one file ({names}): ids must be unique"))
        else:
            events.append((event, document))
    # An event with problems of its own is still a valid target: don't add "unknown event" noise.
    first_file_of_id = {declared_id(document): document for document in documents}
    first_file_of_id.update({event_id: files[0] for event_id, files in files_by_id.items()})
    for event, document in events:
        _check_related(event, document, first_file_of_id, unreadable_ids, problems)
    return [event for event, _ in events]


def _read_each(documents: tuple[Document, ...], actors: dict[str, Actor], topics: dict[str, Topic],
               markdown: MarkdownRenderer, problems: list[Problem], content_dir: Path,
               kept: dict[Path, KeptFile], keep: Callable[[Path, CheckedEvent], None] | None,
               ) -> tuple[tuple[Document, ...], list[tuple[Event, Document]]]:
    """The files, the kept ones that must be read again parsed now, and each event read from them."""
    consulted = _consulted(actors, topics, content_dir)
    standing = {path: checked.event for path, (_, checked) in kept.items()
                if checked.reads == event_reads(checked.event, consulted, content_dir)}
    # The HTML of a kept event's body stands with its text, even if the event must be read again.
    known_html = {path: checked.event.body_html for path, (_, checked) in kept.items() if path not in standing}
    documents = tuple(document for document in (_parsed_again(document, kept, problems) if document.path in known_html
                                                else document for document in documents) if document)
    read: list[tuple[Event, Document]] = []
    for index, document in enumerate(documents):
        if index % BODIES_AHEAD == 0:
            markdown.convert_bodies_ahead([body for coming in documents[index:index + BODIES_AHEAD]
                                           if coming.path not in kept and (body := _body_text(coming))])
        if document.path in standing:
            event = standing[document.path]
            if keep:
                keep(document.path, kept[document.path][1])
        else:
            problems_before = len(problems)
            event = _read_event(document, actors, topics, markdown, problems, content_dir, known_html.get(document.path))
            if keep and event is not None and len(problems) == problems_before:
                keep(document.path, CheckedEvent(event, document.part(OUTLINE_KEYS), event_reads(event, consulted, content_dir)))
        if event is not None:
            read.append((event, document))
    return documents, read


def _consulted(actors: dict[str, Actor], topics: dict[str, Topic], content_dir: Path) -> str:
    """What reading any event consults besides its own file and the code (a store's version covers that), hashed."""
    consulted = (sorted(actors), sorted(topics), str(content_dir.absolute()))
    return hashlib.sha256(repr(consulted).encode()).hexdigest()


def event_reads(event: Event, consulted: str, content_dir: Path) -> str:
    """What reading `event` consulted: `consulted`, and each local picture's real path, size and time."""
    pictures = []
    for media in event.media:
        if media.file:
            path = content_dir / media.file
            try:
                status = os.stat(path)
            except OSError:
                return ""  # gone: never what was recorded, so the event is read again and the problem found
            pictures.append((media.file, str(path.resolve()), status.st_size, status.st_mtime_ns))
    return consulted if not pictures else hashlib.sha256(repr((consulted, pictures)).encode()).hexdigest()


def _parsed_again(outline: Document, kept: dict[Path, KeptFile], problems: list[Problem]) -> Document | None:
    """The whole file of a kept event that must be read again."""
    text, problem = kept[outline.path][0]()
    document, problem = (None, problem) if problem else parse_yaml(outline.path, text, OUTLINE_KEYS)
    if problem:
        problems.append(problem)
    return document


def _body_text(document: Document) -> str | None:
    """The body as `Fields.text` reads it, if it is text: the problems are found when the event is read."""
    body = document.data.get("body") if isinstance(document.data, dict) else None
    return body.strip() if isinstance(body, str) and body.strip() else None


def declared_id(document: Document) -> str:
    """The id a file declares (its name if none), also for an event with problems of its own."""
    declared = document.data.get("id") if isinstance(document.data, dict) else None
    return declared.strip() if isinstance(declared, str) else document.path.stem


def _id_problem(document: Document, message: str) -> Problem:
    at = ("id",) if isinstance(document.data, dict) and "id" in document.data else ()
    return document.problem(at, message)


def _read_event(document: Document, actors: dict[str, Actor], topics: dict[str, Topic], markdown: MarkdownRenderer,
                problems: list[Problem], content_dir: Path, known_body_html: str | None = None) -> Event | None:
    fields = Fields(document, (), problems, "event")
    if not fields.ok:
        return None
    fields.allow_only(EVENT_FIELDS)
    event_id = fields.slug("id") if "id" in fields.mapping else document.path.stem
    if not SLUG.fullmatch(event_id or ""):
        problems.append(_id_problem(document, f"the file name '{document.path.name}' is not a valid id: rename it with lowercase letters, digits and hyphens, or give 'id'"))
        return None
    date = fields.date("date", required=True)
    title = fields.text("title", required=True)
    summary = fields.text("summary", required=True)
    sources = _read_sources(fields)
    body = fields.text("body")
    body_html = markdown.body_to_html(body) if known_body_html is None else known_body_html
    _check_citations(document, summary, body, len(sources), fields.problems)
    cited_at = citations.cited_at(body_html)
    sources = tuple(replace(source, cited_at=cited_at.get(source.number, ())) for source in sources)
    draft = fields.boolean("draft")
    # A draft may wait for its sources and topics (an imported event has none yet); a published event may not.
    if "sources" not in fields.mapping and not draft:
        fields.report((), "event is missing the required field 'sources': cite at least one source")
    elif "sources" in fields.mapping and not sources:
        fields.report(("sources",), "'sources' needs at least one source")
    event = Event(
        id=event_id,
        source_path=document.path,
        date=date,
        title=title or "",
        summary=summary or "",
        body_html=body_html,
        topics=_known_ids(fields, "topics", topics, "topic", "content/topics.yaml", required=not draft),
        actors=_known_ids(fields, "actors", actors, "actor", "content/actors.yaml"),
        place=fields.text("place"),
        quotes=_read_quotes(fields, actors, len(sources)),
        related=_read_related(fields),
        sources=sources,
        draft=draft,
        media=_read_media(fields, content_dir, draft),
    )
    return event if date and title and summary else None


def _check_citations(document: Document, summary: str | None, body: str | None, source_count: int,
                     problems: list[Problem]) -> None:
    """Each body marker names one of the event's sources; the summary, shown alone everywhere, cites none."""
    if summary and (marker := citations.ANY_MARKER.search(summary)):
        line, column = citations.text_position(document.path, document.value_marks[("summary",)], summary,
                                               marker.start(), marker.group())
        problems.append(Problem(document.path, line, column,
                                f"the summary cites '{marker.group()}': a summary stands alone in lists, feeds and search "
                                f"results, so cite sources in the body instead"))
    # A source with a problem of its own still has its number.
    listed = document.data.get("sources")
    if body:
        problems.extend(citations.marker_problems(document.path, lambda: document.value_marks[("body",)], body,
                                                  len(listed) if isinstance(listed, list) else source_count))


def _known_ids(fields: Fields, key: str, registry: dict, what: str, registry_file: str, *, required: bool = False) -> tuple[str, ...]:
    ids = fields.text_list(key, required=required)
    for index, item in enumerate(ids):
        if item not in registry:
            fields.report((key, index), f"unknown {what} '{item}'{did_you_mean(item, registry)} (or add it to {registry_file})")
    if len(set(ids)) != len(ids):
        fields.report((key,), f"'{key}' lists the same {what} twice")
    return tuple(dict.fromkeys(item for item in ids if item in registry))


def _read_sources(fields: Fields) -> tuple[Source, ...]:
    sources = []
    for number, source in enumerate(fields.items("sources", "source"), start=1):
        if not source.ok:
            continue
        source.allow_only(SOURCE_FIELDS)
        title, publisher = source.text("title", required=True), source.text("publisher", required=True)
        url, archive_url, date = source.url("url"), source.url("archive_url"), source.date("date")
        if title and publisher:
            sources.append(Source(number, title, publisher, date, url, archive_url, source.text("note")))
    return tuple(sources)


def _read_quotes(fields: Fields, actors: dict[str, Actor], source_count: int) -> tuple[Quote, ...]:
    quotes = []
    for quote in fields.items("quotes", "quote"):
        if not quote.ok:
            continue
        quote.allow_only(QUOTE_FIELDS)
        text, speaker, source = quote.text("text", required=True), quote.text("speaker", required=True), quote.integer("source", required=True)
        if speaker and speaker not in actors:
            quote.report(quote.at + ("speaker",), f"unknown speaker '{speaker}'{did_you_mean(speaker, actors)} (or add it to content/actors.yaml)")
            speaker = None
        if source is not None and not 1 <= source <= source_count:
            quote.report(quote.at + ("source",), f"quote cites source {source}, but this event lists {source_count} source(s): give the number of one of them (1 is the first)")
            source = None
        if text and speaker and source:
            quotes.append(Quote(text, speaker, source))
    return tuple(quotes)


def _read_related(fields: Fields) -> tuple[Relation, ...]:
    relations = []
    for entry in fields.items("related", "related entry"):
        if not entry.ok:
            continue
        entry.allow_only(RELATED_FIELDS)
        target, kind = entry.slug("event", required=True), entry.text("relation", required=True)
        if kind and kind not in RELATION_KINDS:
            entry.report(entry.at + ("relation",), f"unknown relation '{kind}': use one of {', '.join(RELATION_KINDS)}{did_you_mean(kind, RELATION_KINDS)}")
            continue
        if target and kind:
            relations.append(Relation(kind, target))
    return tuple(relations)


def _read_media(fields: Fields, content_dir: Path, draft: bool) -> tuple[Media, ...]:
    media = []
    for entry in fields.items("media", "media"):
        if not entry.ok:
            continue
        entry.allow_only(MEDIA_FIELDS)
        file, url = _media_file(entry, content_dir), entry.url("url")
        if "file" in entry.mapping and "url" in entry.mapping:
            entry.report(entry.at + ("url",), "give either 'file' (a picture under content/media/) or 'url', not both")
            continue
        if "file" not in entry.mapping and "url" not in entry.mapping:
            entry.report(entry.at, f"{entry.what} needs 'file' (a picture under content/media/, like media/photo.jpg) or 'url' (an http(s) address)")
            continue
        # Like its sources, a draft may wait for its alt text and credit (an imported slide has neither).
        alt, credit = entry.text("alt", required=not draft), entry.text("credit", required=not draft)
        caption, licence, source_url = entry.text("caption"), entry.text("license"), entry.url("source_url")
        if (file or url) and (draft or (alt and credit)):
            line, column = entry.document.value_marks.get(entry.at + ("file" if file else "url",), (1, 1))
            media.append(Media(file, url, alt, caption, credit, licence, source_url, entry.document.path, line, column))
    return tuple(media)


def _media_file(entry: Fields, content_dir: Path) -> str | None:
    """The file's path relative to content/ if it is a picture inside content/media/ within the size limit."""
    value = entry.text("file")
    if value is None:
        return None
    at = entry.at + ("file",)
    path = content_dir / value
    folder = (content_dir / MEDIA_FOLDER).resolve()
    if value.startswith("/") or not path.resolve().is_relative_to(folder):
        entry.report(at, f"'{value}' is not inside content/{MEDIA_FOLDER}/: put the picture there and write 'file: {MEDIA_FOLDER}/{Path(value).name}'")
        return None
    if path.suffix.lower() not in MEDIA_SUFFIXES:
        entry.report(at, f"'{value}' is not a picture the generator can resize: use one of {', '.join(MEDIA_SUFFIXES)}")
        return None
    if not path.is_file():
        entry.report(at, f"no such file: content/{value}{did_you_mean(path.name, _names_in(path.parent))}")
        return None
    size = path.stat().st_size
    if size > MAX_MEDIA_BYTES:
        entry.report(at, f"content/{value} is {size:,} bytes; the limit is {MAX_MEDIA_BYTES:,}: resize or recompress it")
        return None
    return Path(value).as_posix()


def _names_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def _check_related(event: Event, document: Document, documents_by_id: dict[str, Document], unreadable_ids: frozenset[str],
                   problems: list[Problem]) -> None:
    # Walk the raw list rather than event.related, so each problem points at its own entry.
    entries = document.data.get("related")
    seen = set()
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        target = entry.get("event") if isinstance(entry, dict) else None
        if not isinstance(target, str) or not SLUG.fullmatch(target.strip()):
            continue
        target, at = target.strip(), ("related", index, "event")
        if target == event.id:
            problems.append(document.problem(at, f"event '{event.id}' is related to itself: name another event"))
        elif target not in documents_by_id:
            if target not in unreadable_ids:
                problems.append(document.problem(at, f"unknown event '{target}'{did_you_mean(target, documents_by_id)}"))
        elif target in seen:
            problems.append(document.problem(at, f"event '{target}' is listed twice under 'related': keep one relation"))
        elif _relates_to(documents_by_id[target], event.id) and target < event.id:
            problems.append(document.problem(at, f"'{target}' already relates to '{event.id}'; the inverse is shown automatically: keep the relation on one event only"))
        seen.add(target)


def _relates_to(document: Document, event_id: str) -> bool:
    entries = document.data.get("related") if isinstance(document.data, dict) else None
    return any(isinstance(entry, dict) and str(entry.get("event", "")).strip() == event_id
               for entry in (entries if isinstance(entries, list) else []))
