"""Reading TimelineJS files: TimelineJS3 JSON, the Google-Sheet CSV template, and legacy v2 JSON.

Every format is read into the same plain records (`ImportedEvent`, `ImportedEra`); what cannot be
read is a `RowProblem` naming its row, and the rest is still read.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from markdownify import markdownify

from generator.content.citations import ANY_MARKER, MARKER

# Header names matter, not their order (as in TimelineJS's own reader). The 19-column template adds
# "Alt Text"; Time, Media Thumbnail, Background and any other column have no place in an event file.
CSV_FIELDS = {
    "year": ("start_date", "year"), "month": ("start_date", "month"), "day": ("start_date", "day"),
    "end year": ("end_date", "year"), "end month": ("end_date", "month"), "end day": ("end_date", "day"),
    "display date": ("display_date",), "headline": ("text", "headline"), "text": ("text", "text"),
    "media": ("media", "url"), "media credit": ("media", "credit"), "media caption": ("media", "caption"),
    "alt text": ("media", "alt"), "type": ("type",), "group": ("group",), "tag": ("group",),
}


@dataclass(frozen=True)
class ImportedEvent:
    where: str  # 'row 5' (CSV line) or 'event 3' (position in a JSON file)
    unique_id: str | None
    date: str  # EDTF, as an event file writes it
    title: str
    summary: str
    body: str  # Markdown
    group: str | None
    media: tuple[dict[str, str], ...] = ()  # a remote picture: url, caption, credit, alt (as an event's `media`)


@dataclass(frozen=True)
class ImportedEra:
    where: str
    name: str
    start: str
    end: str


@dataclass(frozen=True)
class RowProblem:
    where: str
    message: str


@dataclass(frozen=True)
class ImportedTimeline:
    format: str
    title: str | None
    events: tuple[ImportedEvent, ...]
    eras: tuple[ImportedEra, ...]
    problems: tuple[RowProblem, ...]


class UnreadableFile(ValueError):
    """A file that is not TimelineJS data at all."""


def read_timelinejs(path: Path) -> ImportedTimeline:
    """Read any of the three TimelineJS formats, chosen by the file's content."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        return _read_slides("Google-Sheet CSV", _csv_slides(text))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(f"not JSON or CSV: {error.msg} at line {error.lineno}, column {error.colno}") from None
    if isinstance(data, dict) and isinstance(data.get("timeline"), dict):
        return _read_slides("TimelineJS v2 JSON", _legacy_slides(data["timeline"]))
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        slides = [(f"event {number}", slide) for number, slide in enumerate(data["events"], start=1)]
        if isinstance(data.get("title"), dict):
            slides.insert(0, ("title", {**data["title"], "type": "title"}))
        slides += [(f"era {number}", {**era, "type": "era"}) if isinstance(era, dict) else (f"era {number}", era) for number, era in enumerate(data.get("eras") or [], start=1)]
        return _read_slides("TimelineJS3 JSON", slides)
    raise UnreadableFile("no 'events' list (TimelineJS3) or 'timeline' object (TimelineJS v2) found")


def _csv_slides(text: str) -> list[tuple[str, dict]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    if "headline" not in header or "year" not in header:
        raise UnreadableFile("not the TimelineJS spreadsheet layout: the first row must name the columns, "
                             "with at least Year and Headline")
    slides = []
    while True:
        first_line = reader.line_num + 1  # a quoted cell may span lines: report where the row starts
        cells = next(reader, None)
        if cells is None:
            break
        if not any(cell.strip() for cell in cells):
            continue
        slide: dict = {}
        for name, cell in zip(header, cells):
            if name in CSV_FIELDS and cell.strip():
                *parents, key = CSV_FIELDS[name]
                target = slide
                for parent in parents:
                    target = target.setdefault(parent, {})
                target[key] = cell.strip()
        slides.append((f"row {first_line}", slide))
    return slides


def _legacy_slides(timeline: dict) -> list[tuple[str, dict]]:
    def slide(entry: dict, kind: str | None = None) -> dict:
        asset = entry.get("asset") or {}
        tags = str(entry.get("tag") or entry.get("tags") or "")
        converted = {"start_date": _legacy_date(entry.get("startDate")), "end_date": _legacy_date(entry.get("endDate")),
                     "text": {"headline": entry.get("headline"), "text": entry.get("text")},
                     "media": {"url": asset.get("media"), "credit": asset.get("credit"), "caption": asset.get("caption")},
                     "group": tags.split(",")[0].strip() or None}
        return {**converted, "type": kind} if kind else converted

    slides = [("title", slide(timeline, "title"))]
    slides += [(f"event {number}", slide(entry)) for number, entry in enumerate(timeline.get("date") or [], start=1)]
    slides += [(f"era {number}", slide(entry, "era")) for number, entry in enumerate(timeline.get("era") or [], start=1)]
    return slides


def _legacy_date(value) -> dict | None:
    if value in (None, ""):
        return None
    parts = [part.strip() for part in str(value).split(",")]
    return dict(zip(("year", "month", "day"), parts))


def _read_slides(format_name: str, slides: list[tuple[str, dict]]) -> ImportedTimeline:
    title, events, eras, problems = None, [], [], []
    for where, slide in slides:
        if not isinstance(slide, dict):
            problems.append(RowProblem(where, "not a slide (an object with start_date and text)"))
            continue
        kind = str(slide.get("type") or "").strip().lower()
        text = slide.get("text") if isinstance(slide.get("text"), dict) else {}
        if kind == "title":
            title = plain_text(text.get("headline") or "") or None
            continue
        try:
            start = edtf_date(slide.get("start_date"), "start")
            end = edtf_date(slide.get("end_date"), "end") if slide.get("end_date") else None
        except ValueError as error:
            problems.append(RowProblem(where, str(error)))
            continue
        if end is not None and _last_day(end) < _first_day(start):
            problems.append(RowProblem(where, f"ends ({end}) before it starts ({start}): check the end date"))
            continue
        headline, body_html = plain_text(text.get("headline") or ""), str(text.get("text") or "")
        if kind == "era":
            if not headline or end is None:
                problems.append(RowProblem(where, "an era needs a headline and an end date"))
            else:
                eras.append(ImportedEra(where, headline, start, end))
            continue
        media = slide.get("media") if isinstance(slide.get("media"), dict) else {}
        title_text = headline or first_sentences(plain_text(body_html), limit=80) or plain_text(str(media.get("caption") or ""))
        if not title_text:
            problems.append(RowProblem(where, "has no headline, text or media caption: nothing to call it"))
            continue
        # A summary may not cite (content/citations.py): the old text's bracketed numbers are left out of it.
        summary = first_sentences(re.sub(r"\s*" + ANY_MARKER.pattern, "", plain_text(body_html))) or title_text
        date = start if end in (None, start) else f"{start}/{end}"
        remote = _remote_media(media)
        body = _body_markdown(body_html, {} if remote else media, slide.get("display_date"))
        group = plain_text(str(slide.get("group") or "")) or None
        unique_id = str(slide["unique_id"]).strip() if slide.get("unique_id") else None
        events.append(ImportedEvent(where, unique_id, date, title_text, summary, body, group, remote))
    return ImportedTimeline(format_name, title, tuple(events), tuple(eras), tuple(problems))


def edtf_date(parts, which: str) -> str:
    """TimelineJS date parts as an EDTF date at the same precision ('1815', '1815-12', '1815-12-10')."""
    if not isinstance(parts, dict) or str(parts.get("year", "")).strip() == "":
        raise ValueError(f"has no {which} year: TimelineJS needs at least a year")
    numbers = {}
    for key in ("year", "month", "day"):
        value = str(parts.get(key, "") or "").strip()
        if value and not re.fullmatch(r"-?\d+", value):
            raise ValueError(f"{which} {key} '{value}' is not a number")
        numbers[key] = int(value) if value else None
    year, month, day = numbers["year"], numbers["month"], numbers["day"]
    if not 1 <= year <= 9999:
        raise ValueError(f"{which} year {year} is outside the years 1–9999 that event dates can hold")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise ValueError(f"{which} month {month} is not a month (1–12)")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"{which} date {year:04d}-{month:02d}-{day:02d} is not a real day") from None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _first_day(edtf: str) -> datetime.date:
    year, month, day = (list(map(int, edtf.split("-"))) + [1, 1])[:3]
    return datetime.date(year, month, day)


def _last_day(edtf: str) -> datetime.date:
    parts = list(map(int, edtf.split("-")))
    if len(parts) == 3:
        return datetime.date(*parts)
    year, month = parts[0], (parts[1] if len(parts) == 2 else 12)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1) if year < 9999 or month < 12 else None
    return following - datetime.timedelta(days=1) if following else datetime.date(9999, 12, 31)


def _body_markdown(html: str, media: dict, display_date) -> str:
    # A bracketed number in the old text is not one of our citations (the draft has no sources yet).
    parts = [MARKER.sub(lambda match: "\\" + match.group(), markdownify(html, heading_style="ATX").strip())] if html.strip() else []
    if display_date:
        parts.append(f"TimelineJS showed the date as: {plain_text(str(display_date))}")
    if media.get("url"):
        parts.append(_media_line(media))
    return "\n\n".join(part for part in parts if part)


def _remote_media(media: dict) -> tuple[dict[str, str], ...]:
    """A slide's media at an http(s) address, as one `media` entry (never fetched); () for anything else."""
    url = str(media.get("url") or "").strip()
    if not re.fullmatch(r"https?://[^\s/$.?#]\S*", url, re.IGNORECASE):  # what an event's `url` field accepts
        return ()
    entry = {"url": url}
    for key in ("caption", "credit", "alt"):
        text = plain_text(str(media.get(key) or ""))
        if text:
            entry[key] = text
    return (entry,)


def _media_line(media: dict) -> str:
    """Media kept as a link (never embedded); a file path of the old site is named, not linked."""
    url = str(media["url"]).strip()
    caption = plain_text(str(media.get("caption") or "")) or url
    credit = plain_text(str(media.get("credit") or ""))
    line = f"Media: [{caption}]({url})" if re.match(r"https?://", url) else f"Media (a file of the original timeline): `{url}`"
    return line + (f" ({credit})" if credit else "")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # inside <script> or <style>, whose text no reader sees

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in ("br", "p", "div", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1


def plain_text(html: str) -> str:
    """The text a reader sees in an HTML fragment, on one line."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())


def first_sentences(text: str, limit: int = 300) -> str:
    """The opening of a text, cut at a sentence (or failing that a word) within `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence_end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if sentence_end > limit // 3:
        return cut[:sentence_end + 1]
    return cut[:cut.rfind(" ")].rstrip(",;:") + "…" if " " in cut else cut + "…"
