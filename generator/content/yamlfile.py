"""Strict YAML reading: every scalar stays a string, and every value keeps its line and column.

PyYAML's default loaders turn `no` into False, `1991` into an int and `2021-05-19` into a date,
and let a duplicate key silently win. Composing the node tree with the *base* resolver keeps
every scalar as text, so the validators decide what a value means, and lets us see duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Union

import yaml

from generator.content.errors import Problem

try:
    from yaml import CBaseLoader as _BaseLoader  # the C parser is several times faster
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _BaseLoader

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20  # events nest three levels deep; far more is a mistake or an attack
_NULLS = {"", "~", "null", "Null", "NULL"}

KeyPath = tuple[Union[str, int], ...]


Marks = dict[KeyPath, tuple[int, int]]


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain data (str, list, dict, None) plus where each value was written.

    Where each value was written is recorded while parsing for the top-level keys the reader asked for
    (all by default); the rest is found again in `text`, kept for that, the first time a problem asks.
    An event's marks were three fifths of its parsed file's memory, and only a problem ever reads them.
    """

    path: Path
    data: Any
    marks: tuple[Marks, Marks] = field(default_factory=lambda: ({}, {}))  # (values', keys') recorded when parsed
    text: str | None = None  # the text parsed, where not every mark was recorded

    @cached_property
    def _every_mark(self) -> tuple[Marks, Marks]:
        if self.text is None:
            return self.marks
        every: tuple[Marks, Marks] = ({}, {})
        _convert(yaml.compose(self.text, Loader=_BaseLoader), (), self.path, every, None, set())
        return every

    @property
    def value_marks(self) -> Marks:
        return self._every_mark[0]

    @property
    def key_marks(self) -> Marks:
        return self._every_mark[1]

    def part(self, keys: tuple[str, ...]) -> Document:
        """The top-level `keys` alone with their marks, without the text: what is kept of a file between builds.

        Their marks must have been recorded when parsed (`parse_yaml`'s `marked`): the text is not kept.
        """
        data = {key: self.data[key] for key in keys if key in self.data}
        values, key_marks = self.marks
        return Document(self.path, data, ({at: mark for at, mark in values.items() if not at or at[0] in data},
                                          {at: mark for at, mark in key_marks.items() if at[0] in data}))

    def problem(self, at: KeyPath, message: str, *, key: bool = False) -> Problem:
        """A problem located at the value (or, with key=True, the key) found at `at`."""
        marks = self.key_marks if key else self.value_marks
        trail = at
        while trail not in marks and trail:
            trail = trail[:-1]
        line, column = marks.get(trail, (1, 1))
        return Problem(self.path, line, column, message)


class _Refused(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text as UTF-8 (BOM allowed), or a problem saying why it cannot be read."""
    raw, problem = read_bytes(path)
    return (None, problem) if problem else decode_text(path, raw)


def read_bytes(path: Path) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or a problem saying why they cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(path, 1, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split it or shorten it")
        return path.read_bytes(), None
    except OSError as error:
        return None, Problem(path, 1, 1, f"cannot read file: {error.strerror}")


def decode_text(path: Path, raw: bytes) -> tuple[str | None, Problem | None]:
    """A file's bytes as text (UTF-8, BOM allowed, lines ended by LF), or a problem at the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n"), None
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, Problem(path, line, column, f"not UTF-8 (byte {error.start}): save the file as UTF-8")


def parse_yaml(path: Path, text: str, marked: tuple[str, ...] | None = None) -> tuple[Document | None, Problem | None]:
    """Parse one YAML document strictly; the problem, if any, names its line and column.

    With `marked`, only the marks of those top-level keys are recorded now; the others are found in the
    text when asked for.
    """
    try:
        root = yaml.compose(text, Loader=_BaseLoader)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        return None, Problem(path, line, column, f"YAML does not allow the control character U+{error.character:04X}: remove it")
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = (error.problem or error.context or "YAML syntax error").strip()
        return None, Problem(path, line, column, f"YAML syntax error: {what}")
    except yaml.YAMLError as error:
        return None, Problem(path, 1, 1, f"YAML error: {error}")
    if root is None:
        return Document(path, None), None
    marks: tuple[Marks, Marks] = ({}, {})
    try:
        data = _convert(root, (), path, marks, None if marked is None else frozenset(marked), set())
    except _Refused as refused:
        return None, refused.problem
    return Document(path, data, marks, None if marked is None else text), None


def load_yaml(path: Path) -> tuple[Document | None, Problem | None]:
    """Read and parse one YAML file."""
    text, problem = read_text(path)
    if problem:
        return None, problem
    return parse_yaml(path, text)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(node: yaml.Node, at: KeyPath, path: Path, marks: tuple[Marks, Marks], marked: frozenset[str] | None,
             seen: set[int]) -> Any:
    """The node's plain data; its marks go into `marks` where `marked` (top-level keys; None for all) covers them."""
    # An alias hands back the anchored node again (so the mark is the anchor's); refusing
    # aliases rules out "billion laughs" bombs.
    if id(node) in seen:
        raise _Refused(Problem(path, *_mark(node), "YAML anchors and aliases (&name, *name) are not allowed: write the value out"))
    seen.add(id(node))
    if len(at) > MAX_DEPTH:
        raise _Refused(Problem(path, *_mark(node), f"nested more than {MAX_DEPTH} levels deep: flatten the structure"))
    if marked is None or not at or at[0] in marked:
        marks[0][at] = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in _NULLS:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, at + (index,), path, marks, marked, seen) for index, item in enumerate(node.value)]
    mapping: dict[str, Any] = {}
    key_nodes: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(Problem(path, *_mark(key_node), "a key must be plain text"))
        key = key_node.value
        if key in key_nodes:
            first_line = _mark(key_nodes[key])[0]
            raise _Refused(Problem(path, *_mark(key_node), f"duplicate key '{key}' (first given on line {first_line}): keep one"))
        key_nodes[key] = key_node
        if marked is None or (at[0] if at else key) in marked:
            marks[1][at + (key,)] = _mark(key_node)
        mapping[key] = _convert(value_node, at + (key,), path, marks, marked, seen)
    return mapping
