"""Claim-level citations in event bodies: `[n]` or `[n, m]` after a sentence cites the event's sources.

A marker is found in the Markdown text itself (never in a code span or block, never as a link's
`[text](url)`, `[text][ref]` or `[ref]: url`, never escaped as `\\[1]`), swapped for a private-use
token before Markdown runs, and swapped back for the superscript link after sanitizing, so the
sanitizer's allowlist need not admit the markup and an author cannot forge it. The same scan
finds the markers that are checked, the ones rendered, and the paragraphs that cite nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.content.errors import Problem

MARKER = re.compile(r"(?<![\]\[\\])\[(\d{1,3}(?: *, *\d{1,3})*)\](?![(\[\]:])")
# Wikipedia's way, `[1][2]`, reads in Markdown as a reference link: one marker lists every number.
_RUN_OF_MARKERS = re.compile(r"(?<![\]\[\\])\[\d{1,3}\](?:\[\d{1,3}\])+")
# Any bracketed list of numbers, for the summary, where none belongs.
ANY_MARKER = re.compile(r"\[\d{1,3}(?:\s*,\s*\d{1,3})*\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])\s")
_NOT_PROSE = re.compile(r"#{1,6}\s[^\n]*|[-*_ ]{3,}")
_TOKEN = re.compile("\ue000(\\d+)\ue001")
_TAG = re.compile(r"(<[^>]*>)")
_PRIVATE = re.compile("[\ue000\ue001]")
# Only the build writes this element: the sanitizer strips `class` from an author's <sup>.
_RENDERED = re.compile(r'<sup class="cite" data-pagefind-ignore>(.*?)</sup>', re.DOTALL)
_RENDERED_NUMBER = re.compile(r'href="#source-(\d+)"')
_RENDERED_ID = re.compile(r'id="(cite-(\d+)-\d+)"')


@dataclass(frozen=True)
class Marker:
    """One citation as written: the source numbers and where the marker starts in the text."""

    numbers: tuple[int, ...]
    offset: int
    text: str


def _mask_code(text: str) -> str:
    """The text with code blocks and spans blanked out (same length, newlines kept)."""
    lines = text.split("\n")
    masked, fence, previous_blank, in_list = [], None, True, False
    for line in lines:
        opening = _FENCE.match(line)
        if fence:
            masked.append(" " * len(line))
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) and not line.strip(opening.group(1)[0] + " "):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            masked.append(" " * len(line))
            continue
        indented_code = line.startswith(("    ", "\t")) and line.strip() and previous_blank and not in_list
        if line.strip() and not line.startswith((" ", "\t")):
            in_list = bool(_LIST_ITEM.match(line))
        elif _LIST_ITEM.match(line):
            in_list = True
        masked.append(" " * len(line) if indented_code else line)
        previous_blank = not line.strip() or (indented_code and previous_blank)
    joined = "\n".join(masked)
    return _CODE_SPAN.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), joined)


def find_markers(text: str) -> list[Marker]:
    """Every citation marker in a Markdown body, in reading order."""
    return [Marker(tuple(int(number) for number in match.group(1).split(",")), match.start(), match.group())
            for match in MARKER.finditer(_mask_code(text))]


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each paragraph of prose in a Markdown body: code, headings and rules left out."""
    masked = _mask_code(text)
    found = []
    for match in re.finditer(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*", masked):
        block = match.group()
        stripped = block.strip()
        if not stripped or _NOT_PROSE.fullmatch(stripped):
            continue
        lead = len(block) - len(block.lstrip())
        found.append((match.start() + lead, text[match.start() + lead:match.end()]))
    return found


def cites(text: str) -> bool:
    """Whether a stretch of Markdown holds at least one citation marker."""
    return bool(find_markers(text))


def tokenize(text: str) -> tuple[str, list[tuple[int, ...]]]:
    """The body with each marker swapped for a token Markdown and the sanitizer leave alone."""
    text = _PRIVATE.sub("", text)
    markers = find_markers(text)
    parts, last = [], 0
    for index, marker in enumerate(markers):
        parts += [text[last:marker.offset], f"\ue000{index}\ue001"]
        last = marker.offset + len(marker.text)
    parts.append(text[last:])
    return "".join(parts), [marker.numbers for marker in markers]


def link_citations(html: str, citations: list[tuple[int, ...]]) -> str:
    """A tokenized body's sanitized HTML with each token as a superscript link to its source in the list."""
    seen: dict[int, int] = {}

    def link(number: int) -> str:
        seen[number] = seen.get(number, 0) + 1
        return (f'<a href="#source-{number}" id="cite-{number}-{seen[number]}" aria-label="source {number}">'
                f"[{number}]</a>")

    def superscript(match: re.Match) -> str:
        return '<sup class="cite" data-pagefind-ignore>' + "".join(link(number) for number in citations[int(match.group(1))]) + "</sup>"

    # A token inside a tag (a link's title, say) becomes plain text: markup cannot go there.
    return "".join(_TOKEN.sub(lambda match: "[" + ", ".join(map(str, citations[int(match.group(1))])) + "]", part)
                   if part.startswith("<") else _TOKEN.sub(superscript, part)
                   for part in _TAG.split(html))


def cited_at(html: str) -> dict[int, tuple[str, ...]]:
    """Each cited source number and the ids of the superscripts that cite it, in reading order."""
    found: dict[int, list[str]] = {}
    for element_id, number in _RENDERED_ID.findall(html):
        found.setdefault(int(number), []).append(element_id)
    return {number: tuple(ids) for number, ids in found.items()}


def plain_citations(html: str) -> str:
    """The body HTML with each superscript link turned back into plain text: `[1, 2]`, for feeds and data."""
    return _RENDERED.sub(lambda match: "[" + ", ".join(_RENDERED_NUMBER.findall(match.group(1))) + "]", html)


def text_position(path: Path, value_mark: tuple[int, int], value: str, offset: int, snippet: str) -> tuple[int, int]:
    """The file line and column of `value[offset:]`, found by `snippet` after the value's start.

    The parsed value has lost the YAML indentation and folding, so the snippet is looked for in the
    file text: its k-th occurrence in the value is its k-th occurrence after the value's mark.
    """
    try:
        source = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return value_mark
    lines = source.split("\n")
    start = sum(len(line) + 1 for line in lines[:value_mark[0] - 1]) + value_mark[1] - 1
    occurrence = value.count(snippet, 0, offset)
    at = source.find(snippet, start)
    for _ in range(occurrence):
        if at < 0:
            break
        at = source.find(snippet, at + 1)
    if at < 0:
        return value_mark
    line = source.count("\n", 0, at) + 1
    return line, at - (source.rfind("\n", 0, at) + 1) + 1


def marker_problems(path: Path, value_mark: Callable[[], tuple[int, int]], body: str, source_count: int) -> list[Problem]:
    """A problem at each marker that names a source the event does not list, or is written `[1][2]`.

    `value_mark()` is where the body was written, asked for only when there is a problem to place.
    """
    problems = []
    for run in _RUN_OF_MARKERS.finditer(_mask_code(body)):
        line, column = text_position(path, value_mark(), body, run.start(), run.group())
        numbers = ", ".join(re.findall(r"\d+", run.group()))
        problems.append(Problem(path, line, column, f"write '[{numbers}]', not '{run.group()}': one pair of brackets lists every source"))
    for marker in find_markers(body):
        for number in marker.numbers:
            if not 1 <= number <= source_count:
                line, column = text_position(path, value_mark(), body, marker.offset, marker.text)
                problems.append(Problem(path, line, column,
                                        f"'{marker.text}' cites source {number} but the event has {source_count} source(s): "
                                        f"give the number of one of its 'sources' (1 is the first)"))
        if len(set(marker.numbers)) != len(marker.numbers):
            line, column = text_position(path, value_mark(), body, marker.offset, marker.text)
            problems.append(Problem(path, line, column, f"'{marker.text}' names the same source twice: name it once"))
    return problems


def uncited_paragraphs(path: Path, value_mark: tuple[int, int], body: str) -> list[Problem]:
    """A warning at each body paragraph that cites no source."""
    warnings = []
    for offset, paragraph in paragraphs(body):
        if not cites(paragraph):
            first_word = paragraph.split()[0]
            line, column = text_position(path, value_mark, body, offset, first_word)
            warnings.append(Problem(path, line, column,
                                    "this body paragraph cites no source: end its sentences with the numbers of the sources that back them, e.g. '.[1]'"))
    return warnings
